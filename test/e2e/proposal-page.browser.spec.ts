import { join } from 'node:path';
import { DOC_BODY_FIELD, SOCKET_PARSER } from '@yishi/shared';
import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import * as Y from 'yjs';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { storedDoc } from '../support/docs';
import { type Person, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';

const PHONE = { width: 360, height: 740 };
const TITLE = '楼道加装扶手方案';
const WORDS = '每个楼门一层到六层加装扶手。';
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
const editor = (page: Page) => page.getByTestId('proposal-editor');
const noSideScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

/** What 长辈版 asks of the page (text ≥ 24 px, targets ≥ 60 px, contrast ≥ 4.5:1), measured in the story.browser, and axe clean. */
async function expectElderlyFriendly(page: Page): Promise<void> {
  const m = await measureElderly(page);
  expect(m.counted.targets).toBeGreaterThan(3);
  expect({ smallText: m.smallText, tightLines: m.tightLines, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
    smallText: [],
    tightLines: [],
    lowContrast: [],
    smallTargets: [],
  });
  expect(await seriousAxeViolations(page)).toEqual([]);
}

/** From the compound's home screen to a proposal's page, by tapping its "打开方案" link, as a person would. */
async function openProposal(page: Page, title: string): Promise<void> {
  await page.getByTestId('proposal-item').filter({ hasText: title }).getByTestId('proposal-open').click();
  await page.getByTestId('proposal-heading').filter({ hasText: title }).waitFor();
}

async function api<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'zh-CN' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('in real browsers: every proposal has its own page, with its editor', () => {
  const story = browserStory();
  let wang: Person; // 王大爷, resident1, 360 px, 长辈版
  let zhao: Person; // 赵阿姨, resident2, 360 px
  let compoundId: string;
  let proposalId: string;

  beforeAll(async () => {
    [wang, zhao] = await Promise.all([
      signedIn(story.browser, story.server.url, 'resident1', PHONE, true),
      signedIn(story.browser, story.server.url, 'resident2', PHONE),
    ]);
  });

  it('a resident starts a draft on no agenda, opens it from the compound page and types; a second resident sees the text live', async () => {
    // A new draft, on no meeting's agenda: before, its only link led to its (empty) history.
    await wang.page.locator('summary', { hasText: '新建方案' }).click();
    await wang.page.getByTestId('proposal-title').fill(TITLE);
    await wang.page.getByTestId('proposal-submit').click();
    const item = wang.page.getByTestId('proposal-item').filter({ hasText: TITLE });
    await item.getByTestId('proposal-status').filter({ hasText: '起草中' }).waitFor();
    await openProposal(wang.page, TITLE);
    proposalId = wang.page.url().split('/p/')[1]!.split(/[/?#]/)[0]!;
    compoundId = wang.page.url().split('/c/')[1]!.split('/')[0]!;
    expect(await wang.page.getByTestId('proposal-tab-text').getAttribute('aria-current')).toBe('page');

    // Open to edit for a resident, with no meeting anywhere near it.
    await wang.page.locator('[data-testid="proposal-editor"][contenteditable="true"]').waitFor({ timeout: 30_000 });
    await editor(wang.page).click();
    await wang.page.keyboard.type(WORDS);
    await wang.page.getByTestId('doc-status').filter({ hasText: '已保存' }).waitFor({ timeout: 30_000 });

    await zhao.page.reload();
    await openProposal(zhao.page, TITLE);
    await editor(zhao.page).filter({ hasText: WORDS }).waitFor({ timeout: 30_000 });
    // And live: a second line from 王大爷 reaches her without a reload.
    await editor(wang.page).click();
    await wang.page.keyboard.press('Control+End');
    await wang.page.keyboard.type('扶手高度九十厘米。');
    await editor(zhao.page).filter({ hasText: '扶手高度九十厘米。' }).waitFor({ timeout: 30_000 });

    await noSideScroll(wang.page);
    await expectElderlyFriendly(wang.page);
    await shot(wang.page, 'proposal-page-360-elderly');

    // Its history is one tap away, on the same page.
    await wang.page.getByTestId('proposal-tab-history').click();
    await wang.page.getByText('还没有定稿的版本。').waitFor();
    expect(await wang.page.getByTestId('proposal-tab-history').getAttribute('aria-current')).toBe('page');
    await noSideScroll(wang.page);
  });

  it('the observer reads it read-only; an edit sent over the socket anyway is refused and never stored', async () => {
    const observer = await signedIn(story.browser, story.server.url, 'observer', PHONE, true);
    try {
      await openProposal(observer.page, TITLE);
      await editor(observer.page).filter({ hasText: WORDS }).waitFor({ timeout: 30_000 });
      await observer.page.getByTestId('read-only-note').waitFor();
      expect(await editor(observer.page).getAttribute('contenteditable')).toBe('false');
      await expectElderlyFriendly(observer.page);

      // Past the page: the observer's own token, a real socket, an edit of the document.
      const { accessToken } = await signIn(story.server.url, 'observer');
      const socket = io(story.server.url, {
        parser: SOCKET_PARSER,
        transports: ['websocket'],
        auth: { token: accessToken },
        forceNew: true,
      });
      try {
        const joined = await socket.timeout(20_000).emitWithAck('doc:join', { docId: proposalId });
        expect(joined).toMatchObject({ ok: true, canEdit: false });
        const d = new Y.Doc();
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText('列席者偷偷修改。')]);
        d.getXmlFragment(DOC_BODY_FIELD).insert(0, [p]);
        const update = Y.encodeStateAsUpdate(d);
        // A y-protocols update message: type 2, then the update with its varUint length.
        const message = Buffer.concat([Buffer.from([2]), varUint(update.length), Buffer.from(update)]);
        const refused = await socket.timeout(20_000).emitWithAck('doc:sync', { docId: proposalId, message });
        expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      } finally {
        socket.close();
      }
      const stored = await storedDoc(story.db.url, proposalId);
      expect(stored.getXmlFragment(DOC_BODY_FIELD).toString()).toContain(WORDS);
      expect(stored.getXmlFragment(DOC_BODY_FIELD).toString()).not.toContain('列席者偷偷修改');
    } finally {
      await observer.context.close();
    }
  });

  it('the chair schedules a meeting with a date and a 24-hour time: 年/月/日, hours 00–23, no AM/PM, nothing clipped at 360 px in 长辈版', async () => {
    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE, true);
    try {
      await chair.page.locator('summary', { hasText: '安排议事会' }).click();
      const field = chair.page.getByTestId('schedule-at');
      await field.waitFor();
      for (const label of ['年', '月', '日', '时', '分']) await field.getByLabel(label, { exact: true }).waitFor();
      const hours = await chair.page.getByTestId('schedule-at-hour').locator('option').allInnerTexts();
      expect(hours).toEqual(Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')));
      const minutes = await chair.page.getByTestId('schedule-at-minute').locator('option').allInnerTexts();
      expect(minutes).toEqual(['00', '05', '10', '15', '20', '25', '30', '35', '40', '45', '50', '55']);
      expect(await field.innerText()).not.toMatch(/AM|PM|上午|下午|mm|dd|yyyy|--/i);

      // Nothing clipped: every select shows its whole value inside the screen.
      for (const part of ['year', 'month', 'day', 'hour', 'minute']) {
        const select = chair.page.getByTestId(`schedule-at-${part}`);
        const box = (await select.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(360);
        expect(box.height).toBeGreaterThanOrEqual(60);
        expect(await select.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      }
      await noSideScroll(chair.page);

      const year = Number(await chair.page.getByTestId('schedule-at-year').inputValue()) + 1;
      await chair.page.getByTestId('schedule-at-year').selectOption(String(year));
      await chair.page.getByTestId('schedule-at-month').selectOption('3');
      await chair.page.getByTestId('schedule-at-day').selectOption('9');
      await chair.page.getByTestId('schedule-at-hour').selectOption('19');
      await chair.page.getByTestId('schedule-at-minute').selectOption('05');
      await chair.page.getByTestId('schedule-title').fill('扶手方案征求意见会');
      await expectElderlyFriendly(chair.page);
      await field.screenshot({ path: join(SCREENSHOTS_DIR, 'date-time-field-360-elderly.png') });
      await chair.page.getByTestId('schedule-submit').click();
      // Listed as scheduled: that day, 19:05 on a 24-hour clock.
      const meeting = chair.page.getByTestId('meeting-item').filter({ hasText: '扶手方案征求意见会' });
      await meeting
        .filter({ hasText: `${year}年3月9日` })
        .filter({ hasText: '19:05' })
        .waitFor();
      const stored = await api<Array<{ title: string; scheduledAt: string }>>(
        story.server.url,
        (await signIn(story.server.url, 'chair')).accessToken,
        'GET',
        `/compounds/${compoundId}/meetings`,
      );
      // The browser's zone is the server's here: what the chair picked is what is stored.
      const at = new Date(stored.find((m) => m.title === '扶手方案征求意见会')!.scheduledAt);
      expect([at.getFullYear(), at.getMonth() + 1, at.getDate(), at.getHours(), at.getMinutes()]).toEqual([year, 3, 9, 19, 5]);
    } finally {
      await chair.context.close();
    }
  });

  it('a round opened by a zh-CN chair with the default question reads in English for an English reader, in Chinese for a Chinese one', async () => {
    const chair = (await signIn(story.server.url, 'chair')).accessToken;
    await api(story.server.url, chair, 'POST', `/compounds/${compoundId}/proposals/${proposalId}/revisions`);
    // What the chair's form sends with the question left empty: no text, the default.
    await api(story.server.url, chair, 'POST', `/compounds/${compoundId}/proposals/${proposalId}/rounds`, {
      revisionNumber: 1,
      question: null,
      rule: 'simple_majority',
    });

    await zhao.page.getByTestId('language-switch').click();
    await zhao.page.getByTestId('proposal-tab-history').click();
    const question = zhao.page.getByTestId('history-round').first().getByTestId('history-question');
    await question.filter({ hasText: 'Do you agree to' }).waitFor();
    expect(await question.innerText()).toBe(`Do you agree to “${TITLE}”, revision 1?`);
    await shot(zhao.page, 'proposal-history-360-en');

    await wang.page.reload();
    await wang.page
      .getByTestId('history-round')
      .first()
      .getByTestId('history-question')
      .filter({ hasText: `是否同意《${TITLE}》第 1 版？` })
      .waitFor();
    await noSideScroll(wang.page);
  });
});

/** lib0's varUint: 7 bits a byte, the high bit set on all but the last. */
function varUint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
