import { join } from 'node:path';
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { seriousAxeViolations } from '../support/a11y';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { participant, type Participant } from '../support/clients';
import { writeParagraph } from '../support/docs';
import { enterMeeting, type DemoMeeting, type Person, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';
import { call, castBallot, connectVoter, votingBuilding, type Voter } from '../support/votes';

const TITLE = '第19次议事会：平房改造';
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`) });

/** The dark modules of the QR code as drawn on the page ("x,y"), read from its SVG path. */
async function drawnModules(page: Page): Promise<Set<string>> {
  const d = (await page.getByTestId('projector-qr').locator('svg path').getAttribute('d')) ?? '';
  return new Set([...d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${Number(m[1]) - 4},${Number(m[2]) - 4}`));
}

/** The dark modules a QR code of `text` has (the same encoder and error correction as the client). */
function expectedModules(text: string): Set<string> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const out = new Set<string>();
  for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) if (modules.get(x, y)) out.add(`${x},${y}`);
  return out;
}

/** Everything of the screen is inside the viewport: nothing a room must read is cut off. */
async function fitsScreen(page: Page, height: number): Promise<void> {
  for (const id of [
    'projector-title',
    'projector-item',
    'projector-speaker',
    'projector-countdown',
    'projector-qr',
    'quorum',
    'tally-for',
  ]) {
    const box = await page.getByTestId(id).first().boundingBox();
    expect([id, box !== null && box.y >= 0 && box.y + box.height <= height]).toEqual([id, true]);
  }
}

describe('in a real browser: the projector view follows a live meeting', () => {
  const story = browserStory();
  let chair: Person;
  let screen: Page;
  let demo: DemoMeeting;
  let chairToken: string;
  let zhao: Participant;
  let voters: Voter[] = [];
  let projectorUrl = '';

  beforeAll(async () => {
    demo = await scheduleDemoMeeting(story.server.url, TITLE);
    chairToken = (await signIn(story.server.url, 'chair')).accessToken;
    await writeParagraph(story.server.url, chairToken, demo.proposalId, '一、拆除670平方米危旧平房。');
    chair = await signedIn(story.browser, story.server.url, 'chair', { width: 1280, height: 900 });
  });

  it('the chair opens the meeting and makes a projector link; the screen opens it without signing in', async () => {
    await enterMeeting(chair.page, TITLE);
    await chair.page.getByTestId('meeting-open').click();
    await chair.page.locator('[data-testid="meeting-status"][data-status="live"]').waitFor();
    await chair.page.getByTestId('projector-toggle').click();
    await chair.page.getByTestId('projector-create').click();
    projectorUrl = await chair.page.getByTestId('projector-url').inputValue();
    expect(projectorUrl).toMatch(new RegExp(`^${story.server.url}/projector/${demo.meetingId}#[A-Za-z0-9_-]{43}$`));
    // The chair's device remembers the link (the server could not show it again).
    await chair.page.reload();
    await chair.page.getByTestId('projector-toggle').click();
    expect(await chair.page.getByTestId('projector-url').inputValue()).toBe(projectorUrl);

    const context = await story.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    screen = await context.newPage();
    await screen.goto(projectorUrl);
    await screen.getByTestId('projector-title').filter({ hasText: TITLE }).waitFor();
    await screen.getByTestId('projector-item').filter({ hasText: '第 1 项议题：670平方米危旧平房改造方案' }).waitFor();
    await screen.getByTestId('projector-text').filter({ hasText: '一、拆除670平方米危旧平房。' }).waitFor();
    // No sign-in form, no app header: the screen is only the meeting.
    expect(await screen.getByLabel('密码').count()).toBe(0);
  });

  it('shows a QR code that encodes the meeting room’s address for phones in the room', async () => {
    const joinUrl = `${story.server.url}/c/${demo.compoundId}/m/${demo.meetingId}`;
    expect(await screen.getByTestId('projector-qr').getAttribute('data-url')).toBe(joinUrl);
    expect([...(await drawnModules(screen))].sort()).toEqual([...expectedModules(joinUrl)].sort());
    await screen.getByTestId('projector-qr').filter({ hasText: '扫码用手机参会' }).waitFor();
  });

  it('follows the co-edited text live, keeping the passage being changed in view', async () => {
    await writeParagraph(story.server.url, chairToken, demo.proposalId, '二、原址建设社区活动用房。');
    await screen.getByTestId('projector-text').filter({ hasText: '二、原址建设社区活动用房。' }).waitFor();
    // A long text: what is written at its end would be below the screen's edge.
    for (let i = 3; i <= 20; i++) await writeParagraph(story.server.url, chairToken, demo.proposalId, `第${i}条：施工期间保障居民出行。`);
    await writeParagraph(story.server.url, chairToken, demo.proposalId, '最后：产权单位承担改造费用。');
    const last = screen.getByTestId('projector-text').getByText('最后：产权单位承担改造费用。');
    await last.waitFor();
    await screen.waitForFunction(() => {
      const paragraphs = document.querySelectorAll('[data-testid="projector-text"] p');
      const r = paragraphs.item(paragraphs.length - 1)?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
    });
  });

  it('shows the speaker the chair gives the floor to, and the countdown running', async () => {
    zhao = await participant('赵阿姨', story.server.url, (await signIn(story.server.url, 'resident2')).accessToken, demo.meetingId);
    story.closeFirst(zhao);
    await zhao.send('attendance:check-in', { meetingId: demo.meetingId, onSite: true });
    await zhao.send('hand:raise', { meetingId: demo.meetingId });
    await screen.getByTestId('projector-floor').filter({ hasText: '赵阿姨' }).waitFor();
    await chair.page.getByTestId('time-limit').selectOption('120');
    await chair.page.getByTestId('floor-give-next').click();
    await screen.getByTestId('projector-speaker').filter({ hasText: '正在发言：赵阿姨' }).waitFor();
    const countdown = screen.getByTestId('projector-countdown');
    await countdown.filter({ hasText: /^[12]:\d\d$/ }).waitFor();
    const first = await countdown.textContent();
    await screen.waitForFunction((before) => document.querySelector('[data-testid="projector-countdown"]')?.textContent !== before, first);
    await screen.getByTestId('quorum').filter({ hasText: '1 / 36' }).waitFor();
  });

  it('shows the tally change as a round is opened and ballots are cast', async () => {
    const building = await votingBuilding(story.db.url, story.server.url, 3, 3);
    voters = await Promise.all(building.voters.map((v) => connectVoter(story.server.url, v.token, v.households)));
    story.closeFirst(...voters);
    const base = `/api/compounds/${demo.compoundId}/proposals/${demo.proposalId}`;
    const rev = await call(story.server.url, chairToken, 'POST', `${base}/revisions`);
    const round = await call(story.server.url, chairToken, 'POST', `${base}/rounds`, {
      revisionNumber: rev.number,
      question: '是否同意危旧平房改造方案？',
      rule: 'simple_majority',
      buildingIds: [building.buildingId],
      meetingId: demo.meetingId,
    });
    await screen.getByTestId('projector-vote').filter({ hasText: '是否同意危旧平房改造方案？' }).waitFor();
    await screen.getByTestId('tally-counted').filter({ hasText: '已投票 0 / 3 户' }).waitFor();
    for (const [i, v] of voters.entries()) {
      expect((await castBallot(v.socket, round, v.households[0]!, i < 2 ? 'for' : 'against')).ok).toBe(true);
      await screen
        .getByTestId('tally-counted')
        .filter({ hasText: `已投票 ${i + 1} / 3 户` })
        .waitFor();
    }
    await screen.getByTestId('tally-for').filter({ hasText: '2 户' }).waitFor();
    await screen.getByTestId('tally-against').filter({ hasText: '1 户' }).waitFor();
    await shot(screen, 'projector-1920');
    await fitsScreen(screen, 1080);
    expect(await seriousAxeViolations(screen)).toEqual([]);
    await screen.setViewportSize({ width: 1280, height: 720 });
    await shot(screen, 'projector-1280');
    await fitsScreen(screen, 720);
  });

  it('stops the screen when the chair revokes the link; the old address opens nothing', async () => {
    await chair.page.getByTestId('projector-revoke').click();
    await screen.getByTestId('projector-ended').waitFor();
    await screen.goto('about:blank');
    await screen.goto(projectorUrl);
    await screen.getByTestId('projector-ended').waitFor();
  });
});
