import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SOCKET_PARSER } from '@yishi/shared';
import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, RESULTS_DIR, SCREENSHOTS_DIR } from '../support/browser';
import { type DemoMeeting, type Person, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';

const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 900 };
const CHAIR_WORDS = '会议由社区党委书记主持，议定平房改造方案。';
const RECORDER_WORDS = '产权单位代表表示同意出资。';
const editor = (page: Page) => page.getByTestId('minutes-editor');
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
const noSideScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

describe('in real browsers: the minutes of a meeting', () => {
  const story = browserStory();
  let chair: Person;
  let wang: Person; // resident1, the recorder, 360 px, 长辈版
  let zhao: Person; // resident2, reads, 360 px
  let meeting: DemoMeeting;
  let minutesUrl: string;

  beforeAll(async () => {
    meeting = await scheduleDemoMeeting(story.server.url, '第18次议事会：纪要');
    // Minutes close only for a meeting that was held: the chair opens it.
    const { accessToken } = await signIn(story.server.url, 'chair');
    const socket = io(story.server.url, { parser: SOCKET_PARSER, transports: ['websocket'], auth: { token: accessToken }, forceNew: true });
    try {
      expect(await socket.timeout(20_000).emitWithAck('meeting:open', { meetingId: meeting.meetingId })).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
    [chair, wang, zhao] = await Promise.all([
      signedIn(story.browser, story.server.url, 'chair', DESK),
      signedIn(story.browser, story.server.url, 'resident1', PHONE, true),
      signedIn(story.browser, story.server.url, 'resident2', PHONE),
    ]);
    minutesUrl = `${story.server.url}/c/${meeting.compoundId}/m/${meeting.meetingId}/minutes`;
  });

  it('the chair names a recorder; both type and see each other live; a resident reads along at 360 px', async () => {
    await chair.page.goto(`${story.server.url}/c/${meeting.compoundId}/m/${meeting.meetingId}`);
    await chair.page.getByTestId('minutes-link').click();
    await chair.page.getByTestId('minutes-heading').filter({ hasText: '会议纪要' }).waitFor();
    const recorder = chair.page.getByTestId('minutes-recorder');
    await recorder.locator('option').nth(1).waitFor({ state: 'attached' });
    const { accessToken: wangToken } = await signIn(story.server.url, 'resident1');
    const me = (await (await fetch(`${story.server.url}/api/me`, { headers: { authorization: `Bearer ${wangToken}` } })).json()) as {
      user: { displayName: string };
    };
    const label = me.user.displayName;
    await recorder.selectOption({ label });
    await chair.page.getByTestId('minutes-status').filter({ hasText: label }).waitFor();

    await chair.page.locator('[data-testid="minutes-editor"][contenteditable="true"]').waitFor({ timeout: 30_000 });
    await editor(chair.page).click();
    await chair.page.keyboard.type(CHAIR_WORDS);
    await chair.page.getByTestId('doc-status').filter({ hasText: '已保存' }).waitFor({ timeout: 30_000 });

    await wang.page.goto(minutesUrl);
    await wang.page.locator('[data-testid="minutes-editor"][contenteditable="true"]').waitFor({ timeout: 30_000 });
    await editor(wang.page).filter({ hasText: CHAIR_WORDS }).waitFor({ timeout: 30_000 });
    await editor(wang.page).click();
    await wang.page.keyboard.press('Control+End');
    await wang.page.keyboard.press('Enter');
    await wang.page.keyboard.type(RECORDER_WORDS);
    await editor(chair.page).filter({ hasText: RECORDER_WORDS }).waitFor({ timeout: 30_000 });

    await zhao.page.goto(minutesUrl);
    await editor(zhao.page).filter({ hasText: RECORDER_WORDS }).waitFor({ timeout: 30_000 });
    await zhao.page.getByTestId('minutes-read-only').waitFor();
    expect(await editor(zhao.page).getAttribute('contenteditable')).toBe('false');
    expect(await zhao.page.getByTestId('minutes-close').count()).toBe(0);
    // The automatic record is beside the text, built by the server.
    await zhao.page.getByTestId('record-agenda').filter({ hasText: '670平方米危旧平房改造方案' }).waitFor();

    for (const p of [wang.page, zhao.page]) await noSideScroll(p);
    const m = await measureElderly(wang.page);
    expect({ smallText: m.smallText, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
      smallText: [],
      lowContrast: [],
      smallTargets: [],
    });
    expect(await seriousAxeViolations(wang.page)).toEqual([]);
    await shot(wang.page, 'minutes-360-elderly-recorder');
  });

  it('the chair closes the minutes: frozen with their hash for everyone, no editor any more, and the PDF downloads with the Chinese text', async () => {
    await chair.page.getByTestId('minutes-close').click();
    await chair.page.getByTestId('minutes-close-confirm').click();
    await chair.page.locator('[data-testid="minutes-status"][data-closed="true"]').waitFor();
    await chair.page.getByTestId('minutes-frozen').filter({ hasText: RECORDER_WORDS }).waitFor();
    const hash = (await chair.page.getByTestId('minutes-hash').textContent())!.match(/[0-9a-f]{64}/)![0];

    await zhao.page.reload();
    await zhao.page.getByTestId('minutes-frozen').filter({ hasText: CHAIR_WORDS }).waitFor();
    expect(await zhao.page.getByTestId('minutes-hash').textContent()).toContain(hash);
    expect(await zhao.page.getByTestId('minutes-editor').count()).toBe(0);
    await noSideScroll(zhao.page);
    await shot(zhao.page, 'minutes-360-closed');

    const [download] = await Promise.all([chair.page.waitForEvent('download'), chair.page.getByTestId('minutes-export-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(/会议纪要\.pdf$/);
    const file = join(RESULTS_DIR, 'minutes.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(CHAIR_WORDS);
    expect(text).toContain(RECORDER_WORDS);
    expect(text).toContain(hash);
  });
});
