import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { participant } from '../support/clients';
import { enterMeeting, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';

const TITLE = '无障碍检查用议事会';
const PHONE = { width: 360, height: 740 };
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });

async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const found = await seriousAxeViolations(page);
  if (found.length) throw new Error(`axe on ${where}:\n${JSON.stringify(found, null, 2)}`);
}

/** Every measurement of the elderly-friendly specification, on what the page shows now. */
async function expectElderlyFriendly(page: Page, where: string): Promise<void> {
  const m = await measureElderly(page);
  expect(m.counted.text).toBeGreaterThan(10);
  expect(m.counted.targets).toBeGreaterThan(3);
  const problems = { smallText: m.smallText, tightLines: m.tightLines, lowContrast: m.lowContrast, smallTargets: m.smallTargets };
  const any = Object.values(problems).some((list) => list.length > 0);
  if (any) throw new Error(`长辈版 measurements on ${where}:\n${JSON.stringify(problems, null, 2)}`);
}

describe('in a real browser: accessibility and 长辈版 (elderly mode), measured', () => {
  // Short-lived access tokens (the minimum, 30 s), so the last test reconnects with a refreshed one.
  const story = browserStory({ ACCESS_TOKEN_TTL_S: '30' });
  let meetingId: string;

  beforeAll(async () => {
    ({ meetingId } = await scheduleDemoMeeting(story.server.url, TITLE));
    // The chair opens the meeting over a socket, so the room shows its live controls.
    const chair = await participant('chair', story.server.url, (await signIn(story.server.url, 'chair')).accessToken, meetingId);
    await chair.send('meeting:open', { meetingId });
    chair.close();
  });

  it('the sign-in screen: 长辈版 is one tap away on the first screen, measured, and axe finds nothing serious', async () => {
    const context: BrowserContext = await story.browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(story.server.url);
    await page.getByLabel('手机号或用户名').waitFor();
    await expectNoSeriousViolations(page, 'sign-in, standard');
    // The measurement can fail: the standard layout (18 px text, 44 px targets) does not pass it.
    const standard = await measureElderly(page);
    expect(standard.smallText.length).toBeGreaterThan(0);
    expect(standard.smallTargets.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: '长辈版' }).click();
    expect(await page.getByTestId('elderly-toggle').getAttribute('aria-pressed')).toBe('true');
    await expectElderlyFriendly(page, 'sign-in');
    await expectNoSeriousViolations(page, 'sign-in, 长辈版');

    // Text size: adjustable beyond 长辈版's own, and remembered.
    const size = () =>
      page
        .locator('main p')
        .first()
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const base = await size();
    expect(base).toBeGreaterThanOrEqual(24);
    // In 长辈版 the settings are behind the one menu button, so the header stays one row.
    await page.getByTestId('menu-button').click();
    await page.getByTestId('text-larger').click();
    expect(await size()).toBeGreaterThan(base);
    await page.reload();
    await page.getByLabel('手机号或用户名').waitFor();
    expect(await size()).toBeGreaterThan(base);
    await page.getByTestId('menu-button').click();
    await page.getByTestId('text-smaller').click();
    expect(await size()).toBe(base);
    await shot(page, 'sign-in-360-elderly');
    await context.close();
  });

  it('compound home and meeting room at 360 px: axe in both modes, and 长辈版 measured in the browser', async () => {
    const { context, page } = await signedIn(story.browser, story.server.url, 'resident1', PHONE);
    await page.getByTestId('meeting-item').first().waitFor();
    await expectNoSeriousViolations(page, 'compound home, standard');
    await enterMeeting(page, TITLE);
    await page.getByTestId('proposal-editor').waitFor();
    await page.getByTestId('check-in').waitFor();
    await expectNoSeriousViolations(page, 'meeting room, standard');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.getByTestId('elderly-toggle').click();
    await expectElderlyFriendly(page, 'meeting room');
    await expectNoSeriousViolations(page, 'meeting room, 长辈版');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Read-aloud is a button (never automatic) for the proposal; the ballot question has one too.
    await page.getByTestId('read-proposal').waitFor();
    await shot(page, 'meeting-room-360-elderly-a11y');

    await page.getByRole('link', { name: /回到小区首页/ }).click();
    await page.getByTestId('compound-name').waitFor();
    await page.getByTestId('meeting-item').first().waitFor();
    await expectElderlyFriendly(page, 'compound home');
    await expectNoSeriousViolations(page, 'compound home, 长辈版');
    await shot(page, 'compound-home-360-elderly-lists');
    await context.close();
  });

  it('the meeting room on a desktop can be worked with the keyboard alone', async () => {
    const { context, page } = await signedIn(story.browser, story.server.url, 'resident2', { width: 1280, height: 900 });
    await enterMeeting(page, TITLE);
    await page.getByTestId('check-in').waitFor();
    // Tab until the check-in button has the focus, then press Enter.
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'check-in');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('checked-in').waitFor();
    await expectNoSeriousViolations(page, 'meeting room, desktop');
    await context.close();
  });

  it('after the access token has expired, a dropped connection comes back with a refreshed token and the room resumes', async () => {
    const signedInAt = Date.now();
    const { context, page } = await signedIn(story.browser, story.server.url, 'resident3', PHONE);
    await enterMeeting(page, TITLE);
    await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
    // Wait until the token the page holds has expired for certain.
    await page.waitForTimeout(Math.max(0, signedInAt + 32_000 - Date.now()));
    await context.setOffline(true);
    await page.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    await context.setOffline(false);
    await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: 20_000 });
    // The room is live again without a reload: a message sent by someone else arrives.
    const other = await participant('chair', story.server.url, (await signIn(story.server.url, 'chair')).accessToken, meetingId);
    await other.send('chat:send', { meetingId, clientMessageId: randomUUID(), body: '请大家注意会场秩序' });
    other.close();
    await page.getByTestId('chat-log').filter({ hasText: '请大家注意会场秩序' }).waitFor();
    await context.close();
  });
});
