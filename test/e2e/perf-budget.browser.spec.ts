import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { browserStory } from '../support/browser';
import { participant } from '../support/clients';
import { writeParagraph } from '../support/docs';
import { scheduleDemoMeeting } from '../support/meeting-setup';
import { REPO_ROOT, signIn } from '../support/server-process';

/**
 * The performance budget of issue 14, measured as an elderly resident meets it: a 360 px phone in
 * 长辈版 on Regular 3G (750 kbit/s down, 250 up, 100 ms latency) with a CPU four times slower than
 * this machine's, and nothing cached. Each figure is printed against its budget.
 *
 * Times fail only past three times the budget: the CPU throttle multiplies whatever else the
 * shared test machine is doing (at a load of 15 on 2 cores the room has taken 4.3 s). The bytes
 * are exact, so they are held to what Regular 3G carries within the budget (93.75 kB/s, less the
 * round trips): a first screen over 200 kB, or over 320 kB from signing in to a working editor,
 * cannot meet the budget on any phone. `npm run bench:budget` runs this file alone.
 */
const BUDGET = { signInFcpMs: 2500, roomMs: 2000, editorMs: 3500 };
const TOLERANCE = 3;
const BYTES = { firstScreen: 200_000, signInToEditor: 320_000 };
const REGULAR_3G = { offline: false, latency: 100, downloadThroughput: (750_000 / 8) | 0, uploadThroughput: (250_000 / 8) | 0 };

const TITLE = '第18次议事会：平房改造';
const PROPOSAL_TEXT = '一、拆除670平方米危旧平房。二、原址建设社区活动用房。';

interface Transfer {
  url: string;
  bytes: number;
  encoding: string | undefined;
}

/** Bytes over the (emulated) wire per response, as Chromium counts them: headers and body as sent. */
function recordTransfers(cdp: CDPSession): { all: Transfer[]; since(mark: number): Transfer[] } {
  const all: Transfer[] = [];
  const pending = new Map<string, { url: string; encoding: string | undefined }>();
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    pending.set(e.requestId, { url: e.response.url, encoding: h['content-encoding'] });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = pending.get(e.requestId);
    if (r) all.push({ ...r, bytes: e.encodedDataLength });
  });
  return { all, since: (mark) => all.slice(mark) };
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const sum = (ts: Transfer[]) => ts.reduce((n, t) => n + t.bytes, 0);
const DIST = join(REPO_ROOT, 'client/dist');
const size = (file: string) => (existsSync(file) ? statSync(file).size : NaN);

/** The build's files a step fetched, and what they weigh on disk as they are, in gzip and in brotli. */
function files(ts: Transfer[], origin: string): string {
  const names = ts.filter((t) => t.url.startsWith(`${origin}/assets/`)).map((t) => t.url.slice(origin.length + 1));
  const total = (suffix: string) => names.reduce((n, f) => n + size(join(DIST, f + suffix)), 0);
  return `${names.length} files (${names.map((f) => f.slice(7)).join(', ')}): ${kB(total(''))} raw, ${kB(total('.gz'))} gzip, ${kB(total('.br'))} brotli`;
}

function report(what: string, ms: number, budgetMs: number, bytes: number): void {
  const verdict = ms <= budgetMs ? 'within budget' : ms <= budgetMs * TOLERANCE ? 'OVER BUDGET (tolerated)' : 'OVER BUDGET';
  console.log(`perf-budget: ${what}: ${Math.round(ms)} ms (budget ${budgetMs} ms, ${verdict}); ${kB(bytes)} transferred`);
}

describe('performance budget: an elderly resident on a slow phone (Regular 3G, CPU ×4, cold cache)', () => {
  const story = browserStory();
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let transfers: ReturnType<typeof recordTransfers>;

  beforeAll(async () => {
    // A live meeting whose proposal already has text: what the resident comes to read and amend.
    const { meetingId, proposalId } = await scheduleDemoMeeting(story.server.url, TITLE);
    const { accessToken } = await signIn(story.server.url, 'chair');
    await writeParagraph(story.server.url, accessToken, proposalId, PROPOSAL_TEXT);
    const chair = await participant('chair', story.server.url, accessToken, meetingId);
    story.closeFirst(chair);
    await chair.send('meeting:open', { meetingId });

    context = await story.browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    await context.addInitScript(() => window.localStorage.setItem('yishi.elderly', '1'));
    page = await context.newPage();
    page.on('dialog', (d) => {
      throw new Error(`unexpected dialog: ${d.message()}`);
    });
    cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', REGULAR_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    transfers = recordTransfers(cdp);
  }, 180_000);
  it('shows the sign-in page, then the meeting room, then the editor within budget', async () => {
    const load = loadavg().map((l) => l.toFixed(1));
    console.log(`perf-budget: machine load average ${load.join(' / ')} (1 / 5 / 15 min)`);
    // 1. The sign-in page, from a cold start.
    await page.goto(story.server.url);
    await page.getByRole('button', { name: '登录' }).waitFor({ timeout: 60_000 });
    const { fcp, formMs } = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      formMs: performance.now(),
    }));
    expect(await page.evaluate(() => document.documentElement.dataset.mode)).toBe('elderly');
    const firstScreen = transfers.since(0);
    report('sign-in page, first contentful paint', fcp, BUDGET.signInFcpMs, sum(firstScreen));
    console.log(`perf-budget: sign-in form ready at ${Math.round(formMs)} ms; ${files(firstScreen, story.server.url)}`);

    // 2. Signing in, then one tap into the meeting: usable once its title, its live status and
    // the check-in button (the first thing a resident does there) are on screen.
    await page.getByLabel('手机号或用户名').fill('resident1');
    await page.getByLabel('密码').fill('yishi2026');
    const signInMark = transfers.all.length;
    let mark = signInMark;
    const signInAt = Date.now();
    await page.getByRole('button', { name: '登录' }).click();
    const enter = page.getByTestId('meeting-item').filter({ hasText: TITLE }).getByTestId('meeting-enter');
    await enter.waitFor({ timeout: 60_000 });
    const homeMs = Date.now() - signInAt;
    const home = transfers.since(mark);
    mark = transfers.all.length;
    const enterAt = Date.now();
    await enter.click();
    await page.getByTestId('meeting-title').filter({ hasText: TITLE }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="meeting-status"][data-status="live"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('check-in').waitFor({ timeout: 60_000 });
    const roomMs = Date.now() - enterAt;
    console.log(`perf-budget: sign-in → compound home: ${homeMs} ms; ${kB(sum(home))} transferred; ${files(home, story.server.url)}`);
    report('meeting room usable, from the tap on 进入 after sign-in', roomMs, BUDGET.roomMs, sum(transfers.since(mark)));
    console.log(`perf-budget: sign-in → meeting room usable: ${homeMs + roomMs} ms`);

    // 3. The proposal editor opens with the room: usable once it shows the text and takes typing.
    const editor = page.getByTestId('proposal-editor');
    await editor.filter({ hasText: PROPOSAL_TEXT }).waitFor({ timeout: 60_000 });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('好');
    await editor.filter({ hasText: `${PROPOSAL_TEXT}好` }).waitFor({ timeout: 60_000 });
    const editorMs = Date.now() - enterAt;
    const room = transfers.since(mark);
    report('proposal editor usable (text shown, typing taken), from the tap on 进入', editorMs, BUDGET.editorMs, sum(room));
    console.log(`perf-budget: meeting room and editor: ${files(room, story.server.url)}`);

    // Every script and stylesheet came compressed (brotli where the browser offers it).
    const assets = transfers.all.filter((t) => t.url.startsWith(`${story.server.url}/assets/`));
    expect(assets.length).toBeGreaterThan(3);
    expect(assets.filter((t) => !t.encoding).map((t) => t.url)).toEqual([]);

    const afterSignIn = sum(transfers.since(signInMark));
    console.log(
      `perf-budget: bytes: first screen ${kB(sum(firstScreen))} (at most ${kB(BYTES.firstScreen)}), sign-in to editor ${kB(afterSignIn)} (at most ${kB(BYTES.signInToEditor)})`,
    );
    expect(sum(firstScreen)).toBeLessThanOrEqual(BYTES.firstScreen);
    expect(afterSignIn).toBeLessThanOrEqual(BYTES.signInToEditor);

    expect(fcp).toBeLessThanOrEqual(BUDGET.signInFcpMs * TOLERANCE);
    expect(roomMs).toBeLessThanOrEqual(BUDGET.roomMs * TOLERANCE);
    expect(editorMs).toBeLessThanOrEqual(BUDGET.editorMs * TOLERANCE);
  }, 240_000);
});
