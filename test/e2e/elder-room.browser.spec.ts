import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { participant } from '../support/clients';
import { writeParagraph } from '../support/docs';
import { enterMeeting, type Person, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';
import { call } from '../support/votes';

const TITLE = '第20次议事会：长辈版会场';
const PHONE = { width: 360, height: 740 };

/**
 * How many lines an element's text takes: the boxes of its text (not its padding), grouped by
 * line (glyphs from another font on the same line may sit a few pixels higher).
 */
function linesOf(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const half = parseFloat(getComputedStyle(node).fontSize) / 2;
    const tops = Array.from(range.getClientRects())
      .filter((r) => r.width > 0)
      .map((r) => r.top)
      .sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top - tops[i - 1]! > half).length;
  });
}

/** The element's box, with the page scrolled to the very top (the first screen, as it opens). */
async function boxOnFirstScreen(page: Page, el: Locator) {
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const box = await el.boundingBox();
  if (!box) throw new Error('not on screen');
  return box;
}

/** The SVG path the client draws for a QR code of `text` (4 modules of quiet zone), as the client draws it. */
function qrPath(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) if (modules.get(x, y)) d += `M${x + 4} ${y + 4}h1v1h-1z`;
  return d;
}

describe('in a real browser at 360 × 740 in 长辈版: the meeting room puts what to do now on the first screen', () => {
  const story = browserStory();
  let wang: Person;
  let meeting: Awaited<ReturnType<typeof scheduleDemoMeeting>>;

  beforeAll(async () => {
    meeting = await scheduleDemoMeeting(story.server.url, TITLE);
    const chair = await participant('chair', story.server.url, (await signIn(story.server.url, 'chair')).accessToken, meeting.meetingId);
    await chair.send('meeting:open', { meetingId: meeting.meetingId });
    chair.close();
    wang = await signedIn(story.browser, story.server.url, 'resident1', PHONE, true);
  });

  it('the header is one short row with a menu, and the check-in button is on the first screen', async () => {
    const { page } = wang;
    await enterMeeting(page, TITLE);
    await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
    const header = await page.locator('header.app-header').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(120);
    // The settings are behind the menu, and still work from there.
    expect(await page.getByTestId('elderly-toggle').isVisible()).toBe(false);
    await page.getByTestId('menu-button').click();
    expect(await page.getByTestId('menu-button').getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('elderly-toggle').waitFor();
    expect(await page.getByTestId('elderly-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('sign-out').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'elder-room-menu-open.png') });
    await page.getByTestId('menu-button').click();
    await page.getByTestId('elderly-toggle').waitFor({ state: 'hidden' });

    await page.locator('[data-testid="now"][data-now="check-in"]').waitFor();
    const checkIn = page.getByTestId('check-in');
    const checkInBox = await boxOnFirstScreen(page, checkIn);
    expect(checkInBox.y + checkInBox.height).toBeLessThanOrEqual(PHONE.height);
    expect(await linesOf(checkIn)).toBe(1);
    expect(await page.getByTestId('check-in').count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'elder-room-check-in-first-screen.png') });

    await checkIn.click();
    await page.locator('[data-testid="now"][data-now="live"]').waitFor();
    await page.getByTestId('checked-in').waitFor();
  });

  it('entering the room while a vote is open: the ballot is on the first screen, every label on one line', async () => {
    const chair = (await signIn(story.server.url, 'chair')).accessToken;
    await writeParagraph(story.server.url, chair, meeting.proposalId, '拆除危旧平房，原址建设社区活动用房。');
    const rev = await call(
      story.server.url,
      chair,
      'POST',
      `/api/compounds/${meeting.compoundId}/proposals/${meeting.proposalId}/revisions`,
    );
    await call(story.server.url, chair, 'POST', `/api/compounds/${meeting.compoundId}/proposals/${meeting.proposalId}/rounds`, {
      revisionNumber: rev.number,
      question: '是否同意危旧平房改造方案？',
      rule: 'simple_majority',
      meetingId: meeting.meetingId,
    });
    const { page } = wang;
    // Leave and come back in, as someone arriving during the vote would.
    await page.getByRole('link', { name: /回到小区首页/ }).click();
    await page.getByTestId('compound-name').waitFor();
    await enterMeeting(page, TITLE);
    const now = page.locator('[data-testid="now"][data-now="vote"]');
    await now.filter({ hasText: '正在表决《危旧平房改造方案》' }).waitFor();
    await page.getByTestId('now-question').filter({ hasText: '是否同意危旧平房改造方案？' }).waitFor();

    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'elder-room-ballot-first-screen.png') });
    // One ballot on the page, at the top, and all three choices on the first screen.
    expect(await page.getByTestId('ballot').count()).toBe(1);
    expect(await now.getByTestId('ballot').count()).toBe(1);
    for (const c of ['for', 'against', 'abstain']) {
      const button = page.getByTestId(`choose-${c}`);
      const box = await boxOnFirstScreen(page, button);
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
      expect(await linesOf(button.locator('.choice-label'))).toBe(1);
    }
    expect(await page.getByTestId('choose-for').locator('.choice-label').innerText()).toBe('赞成');
    // In English the longer words stack the three choices, each still on one line.
    await page.getByTestId('menu-button').click();
    await page.getByTestId('language-switch').click();
    await page.getByTestId('choose-against').locator('.choice-label').filter({ hasText: 'Against' }).waitFor();
    for (const c of ['for', 'against', 'abstain']) expect(await linesOf(page.getByTestId(`choose-${c}`).locator('.choice-label'))).toBe(1);
    await page.getByTestId('language-switch').click();
    await page.getByTestId('menu-button').click();
    await page.getByTestId('choose-against').locator('.choice-label').filter({ hasText: '反对' }).waitFor();
    const m = await measureElderly(page);
    expect({ smallText: m.smallText, tightLines: m.tightLines, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
      smallText: [],
      tightLines: [],
      lowContrast: [],
      smallTargets: [],
    });
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByTestId('choose-against').click();
    const confirm = page.getByTestId('ballot-confirm');
    expect(await confirm.innerText()).toBe('确认：反对');
    expect(await linesOf(confirm)).toBe(1);
    const box = await confirm.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await confirm.click();

    // Counted: the short receipt, its QR code and link, and the full hash one tap away.
    await page.locator('[data-testid="now"][data-now="voted"]').filter({ hasText: '您的选票已计入' }).waitFor();
    await page.getByTestId('ballot-cast').filter({ hasText: '反对' }).waitFor();
    const short = await page.getByTestId('receipt').innerText();
    expect(short).toMatch(/^[0-9A-F]{4}·[0-9A-F]{4}$/);
    expect(await linesOf(page.getByTestId('receipt'))).toBe(1);
    expect(await page.getByTestId('receipt-full').isVisible()).toBe(false);
    await page.getByText('显示完整回执').click();
    const full = await page.getByTestId('receipt-full').innerText();
    expect(full).toMatch(/^[0-9a-f]{64}$/);
    expect(full.slice(0, 8).toUpperCase()).toBe(short.replace('·', ''));
    const link = page.getByTestId('receipt-link');
    const href = await link.getAttribute('href');
    expect(href).toContain(`/receipt/${full}`);
    // The QR code is the check page's full address, drawn module by module.
    expect(await link.locator('svg path').getAttribute('d')).toBe(qrPath(`${story.server.url}${href}`));
    await page.getByTestId('vote-panel').getByTestId('tally-counted').filter({ hasText: '已投票 1 / 36 户' }).waitFor();
    await page.getByTestId('now').screenshot({ path: join(SCREENSHOTS_DIR, 'elder-room-receipt.png') });

    await link.click();
    await page.getByTestId('receipt-result').filter({ hasText: '回执已在表决记录中，并且计入结果' }).waitFor();
    await page.getByTestId('receipt-household').filter({ hasText: '1号楼 1单元 201' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'elder-receipt-check.png'), fullPage: true });
  });

  it('the chair, who has no ballot, sees that a vote is open; the round controls stay in the vote panel', async () => {
    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE);
    await enterMeeting(chair.page, TITLE);
    // Without a ballot, checking in comes first; then the open vote, to follow.
    await chair.page.locator('[data-testid="now"][data-now="check-in"]').getByTestId('check-in').click();
    await chair.page.locator('[data-testid="now"][data-now="watch-vote"]').filter({ hasText: '正在表决《危旧平房改造方案》' }).waitFor();
    expect(await chair.page.getByTestId('ballot').count()).toBe(0);
    await chair.page.getByTestId('vote-panel').getByTestId('round-close').waitFor();
    expect(await chair.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await chair.context.close();
  });

  it('a receipt that is not in the round is refused in words, not a crash', async () => {
    const { page } = wang;
    const round = new URL(page.url()).pathname.replace(/\/receipt\/[0-9a-f]+$/, '');
    await page.goto(`${story.server.url}${round}/receipt/${'0'.repeat(64)}`);
    await page.getByTestId('receipt-result').filter({ hasText: '没有找到这张回执' }).waitFor();
  });
});
