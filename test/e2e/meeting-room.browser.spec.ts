import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { enterMeeting, type Person, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { enterPaperBallot } from '../support/paper';

const TITLE = '第18次议事会：平房改造';
/** A 1 × 1 PNG: the "photo" of a paper ballot. */
const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const editor = (page: Page) => page.getByTestId('proposal-editor');
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });

async function typeAtEnd(page: Page, text: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

describe('in real browsers: a chair and two residents hold a meeting', () => {
  const story = browserStory();
  let chair: Person;
  let wang: Person; // 王大爷, resident1, on a 360 px phone in 长辈版
  let zhao: Person; // 赵阿姨, resident2, on a 360 px phone

  beforeAll(async () => {
    await scheduleDemoMeeting(story.server.url, TITLE);
    [chair, wang, zhao] = await Promise.all([
      signedIn(story.browser, story.server.url, 'chair', { width: 1280, height: 900 }),
      signedIn(story.browser, story.server.url, 'resident1', { width: 360, height: 740 }, true),
      signedIn(story.browser, story.server.url, 'resident2', { width: 360, height: 740 }),
    ]);
  });

  it('everyone enters, the chair opens the meeting, residents check in and see each other', async () => {
    await Promise.all([enterMeeting(chair.page, TITLE), enterMeeting(wang.page, TITLE), enterMeeting(zhao.page, TITLE)]);
    await chair.page.getByTestId('meeting-open').click();
    for (const p of [chair, wang, zhao]) await p.page.locator('[data-testid="meeting-status"][data-status="live"]').waitFor();
    await wang.page.getByTestId('check-in').click();
    await zhao.page.getByTestId('check-in').click();
    await wang.page.getByTestId('checked-in').waitFor();
    await chair.page.getByTestId('presence').filter({ hasText: '王大爷' }).filter({ hasText: '赵阿姨' }).waitFor();
    await chair.page.getByTestId('quorum').filter({ hasText: '2 / 36' }).waitFor();
    for (const p of [chair, wang, zhao]) await p.page.getByTestId('connection-state').filter({ hasText: '已连接' }).waitFor();
  });

  it('a resident raises her hand, the chair gives her the floor with a time limit, everyone sees the countdown', async () => {
    await zhao.page.getByTestId('hand-raise').click();
    await chair.page.getByTestId('speaker-queue').filter({ hasText: '赵阿姨' }).waitFor();
    await chair.page.getByTestId('time-limit').selectOption('120');
    await chair.page.getByTestId('floor-give-next').click();
    for (const p of [chair, wang, zhao])
      await p.page
        .getByTestId('floor')
        .filter({ hasText: '赵阿姨' })
        .filter({ hasText: /剩余 [12]:\d\d/ })
        .waitFor();
    await chair.page.getByTestId('floor-end').click();
    await wang.page.getByText('现在没有人发言。').waitFor();
  });

  it('two residents type into the proposal and each sees the other’s text, with names on the carets', async () => {
    await typeAtEnd(wang.page, '一、拆除670平方米危旧平房。');
    await zhao.page.getByTestId('proposal-editor').filter({ hasText: '一、拆除670平方米危旧平房。' }).waitFor();
    await typeAtEnd(zhao.page, '二、原址建设社区活动用房。');
    await wang.page.getByTestId('proposal-editor').filter({ hasText: '二、原址建设社区活动用房。' }).waitFor();
    await chair.page.getByTestId('proposal-editor').filter({ hasText: '二、原址建设社区活动用房。' }).waitFor();
    await wang.page.locator('.collaboration-carets__label', { hasText: '赵阿姨' }).waitFor();
    for (const p of [wang, zhao]) await p.page.locator('[data-testid="doc-status"][data-pending="0"][data-synced="true"]').waitFor();
  });

  it('a comment is anchored to a selection, answered by the chair, and the answer reaches its author', async () => {
    const words = '原址建设社区活动用房';
    // Select the words by their position in the text, as a finger dragging over them would.
    await editor(zhao.page).evaluate((el, w) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent!.indexOf(w);
        if (i < 0) continue;
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + w.length);
        const sel = window.getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
        return;
      }
      throw new Error('words not found');
    }, words);
    await zhao.page.waitForTimeout(100);
    await zhao.page.getByTestId('comment-start').click();
    await zhao.page.getByTestId('comment-input').fill('活动用房的面积是多少？');
    await zhao.page.getByTestId('comment-submit').click();

    const thread = chair.page.getByTestId('comment-thread').filter({ hasText: '活动用房的面积是多少？' });
    await thread.filter({ hasText: words }).waitFor();
    // The commented words are highlighted in the text, on the other side too.
    await chair.page.locator('[data-testid="proposal-editor"] .comment-anchor', { hasText: words }).waitFor();
    await thread.getByTestId('reply-input').fill('约300平方米，图纸附后。');
    await thread.getByTestId('reply-submit').click();
    await zhao.page.getByTestId('comment-reply').filter({ hasText: '约300平方米' }).waitFor();
    await wang.page.getByTestId('comment-thread').filter({ hasText: words }).waitFor();
  });

  it('a resident loses the network, keeps typing, and the edit arrives when the network is back', async () => {
    await wang.context.setOffline(true);
    await wang.page.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    await typeAtEnd(wang.page, '三、离线时补充：保留院内两棵老槐树。');
    await wang.page.getByTestId('proposal-editor').filter({ hasText: '老槐树' }).waitFor();
    await shot(wang.page, 'meeting-room-360-elderly-offline');
    // Zhao, online, types after him: once her words reach the chair, an edit of his that had
    // got out before them would have too.
    await typeAtEnd(zhao.page, '四、在线补充：增设休息座椅。');
    await chair.page.getByTestId('proposal-editor').filter({ hasText: '增设休息座椅' }).waitFor();
    expect(await editor(chair.page).innerText()).not.toContain('老槐树');

    await wang.context.setOffline(false);
    await wang.page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: 20_000 });
    await chair.page.getByTestId('proposal-editor').filter({ hasText: '保留院内两棵老槐树' }).waitFor({ timeout: 20_000 });
    await zhao.page.getByTestId('proposal-editor').filter({ hasText: '保留院内两棵老槐树' }).waitFor();
    // The meeting state resumed too, without a reload: the chat still works both ways.
    await wang.page.getByTestId('chat-input').fill('我回来了');
    await wang.page.getByTestId('chat-send').click();
    await chair.page.getByTestId('chat-log').filter({ hasText: '我回来了' }).waitFor();
  });

  it('a resident adds a funding line and splits it; the plan and its totals change live for everyone', async () => {
    await wang.page.getByTestId('funding').getByText('添加一项').click();
    await wang.page.getByTestId('funding-description').fill('危旧平房拆除');
    await wang.page.getByTestId('funding-amount').fill('53,600');
    await wang.page.getByTestId('funding-add').click();
    const line = (p: Person) => p.page.getByTestId('funding-line').filter({ hasText: '危旧平房拆除' });
    await line(chair).filter({ hasText: '¥53,600.00' }).getByTestId('funding-unbalanced').waitFor();
    await line(wang).getByText('修改分摊').click();
    await line(wang).getByTestId('split-source').selectOption('property_rights_unit');
    await line(wang).getByTestId('split-amount').fill('53600');
    await line(wang).getByTestId('split-apply').click();
    for (const p of [chair, wang, zhao]) await p.page.getByTestId('funding-balance').filter({ hasText: '每一项都已分摊完毕' }).waitFor();
    await chair.page.getByTestId('funding-totals').filter({ hasText: '产权单位' }).filter({ hasText: '¥53,600.00' }).waitFor();
    // A part paid by residents: the chart shows who pays what, and each household's share adds up to it exactly.
    // (The form to add a line is still open from the first one.)
    await wang.page.getByTestId('funding-description').fill('楼道照明');
    await wang.page.getByTestId('funding-amount').fill('360');
    await wang.page.getByTestId('funding-add').click();
    const lampLine = wang.page.getByTestId('funding-line').filter({ hasText: '楼道照明' });
    await lampLine.getByText('修改分摊').click();
    await lampLine.getByTestId('split-source').selectOption('residents');
    await lampLine.getByTestId('split-amount').fill('360');
    await lampLine.getByTestId('split-apply').click();
    const chart = chair.page.getByTestId('funding-chart');
    await chart.filter({ hasText: '产权单位：¥53,600.00（99.3%）' }).filter({ hasText: '居民分摊：¥360.00（0.6%）' }).waitFor();
    const shares = zhao.page.getByTestId('household-shares');
    await shares.locator('summary').click();
    await shares.getByText('按专有部分面积分摊').waitFor();
    const rows = await shares.locator('li').allInnerTexts();
    expect(rows).toHaveLength(36);
    const fen = rows.map((r) => Math.round(Number(/¥([\d,]+\.\d\d)/.exec(r)![1]!.replace(/,/g, '')) * 100));
    expect(fen.reduce((a, b) => a + b, 0)).toBe(36000);
    for (const p of [chair, wang, zhao]) await p.page.getByTestId('funding-balance').filter({ hasText: '每一项都已分摊完毕' }).waitFor();
    // A question about one line of the plan, rather than about a range of the text.
    await line(zhao).getByTestId('funding-comment').click();
    await zhao.page.getByTestId('comment-input').fill('拆除费是否包含渣土清运？');
    await zhao.page.getByTestId('comment-submit').click();
    await chair.page
      .getByTestId('comment-thread')
      .filter({ hasText: '拆除费是否包含渣土清运' })
      .getByTestId('comment-funding-line')
      .filter({ hasText: '危旧平房拆除' })
      .waitFor();
    await zhao.page.getByTestId('funding').screenshot({ path: join(SCREENSHOTS_DIR, 'funding-360.png') });
  });

  it('the chair freezes a revision and opens a round; residents vote in two taps; the live count reaches everyone', async () => {
    await chair.page.getByTestId('freeze-revision').click();
    await chair.page.getByTestId('frozen').filter({ hasText: '第 1 版' }).waitFor();
    await chair.page.getByTestId('round-rule').selectOption('simple_majority');
    await chair.page.getByTestId('round-open').click();
    for (const p of [chair, wang, zhao]) await p.page.locator('[data-testid="round-status"][data-status="open"]').waitFor();
    await wang.page.getByTestId('round-question').filter({ hasText: '危旧平房改造方案' }).waitFor();

    // 王大爷 is in 长辈版: the ballot, measured in his browser, and checked by axe.
    await wang.page.getByTestId('choose-for').waitFor();
    const m = await measureElderly(wang.page);
    expect({ smallText: m.smallText, tightLines: m.tightLines, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
      smallText: [],
      tightLines: [],
      lowContrast: [],
      smallTargets: [],
    });
    expect(await seriousAxeViolations(wang.page)).toEqual([]);

    // Two taps: the choice, then the confirmation.
    await wang.page.getByTestId('choose-for').click();
    await wang.page.getByTestId('ballot-confirm').click();
    await zhao.page.getByTestId('choose-for').click();
    await zhao.page.getByTestId('ballot-confirm').click();
    await wang.page.getByTestId('ballot-cast').filter({ hasText: '赞成' }).waitFor();
    for (const p of [chair, wang, zhao]) await p.page.getByTestId('tally-counted').filter({ hasText: '已投票 2 / 36 户' }).waitFor();
    await zhao.page.getByTestId('check-majority').filter({ hasText: '已达到' }).waitFor();

    // The receipt is the ballot's audit entry, shown short (its first 8 hex digits), and the voter can check it counts.
    expect(await wang.page.getByTestId('receipt').innerText()).toMatch(/^[0-9A-F]{4}·[0-9A-F]{4}$/);
    await wang.page.getByTestId('check-receipt').click();
    await wang.page.getByText('回执已在表决记录中，并且计入结果').waitFor();
    await shot(wang.page, 'vote-360-elderly');

    // The building-gate leader may enter paper ballots, for the households of his own gate only.
    const gate = await signedIn(story.browser, story.server.url, 'gate1', { width: 360, height: 740 });
    await enterMeeting(gate.page, TITLE);
    await gate.page.getByTestId('paper-ballot').locator('summary').click();
    await gate.page.locator('[data-testid="paper-household"] option', { hasText: '1号楼 1单元 301' }).waitFor({ state: 'attached' });
    const options = await gate.page.getByTestId('paper-household').locator('option').allInnerTexts();
    expect(options.slice(1).every((o) => o.startsWith('1号楼 1单元'))).toBe(true);
    expect(await gate.page.getByTestId('paper-photo').getAttribute('capture')).toBe('environment');
    await gate.page.getByTestId('paper-ballot').screenshot({ path: join(SCREENSHOTS_DIR, 'assisted-ballot-360-gate-leader.png') });
    await gate.context.close();
    await wang.page.getByTestId('vote-panel').screenshot({ path: join(SCREENSHOTS_DIR, 'vote-panel-360-elderly.png') });
  });

  it('the chair enters a paper ballot with its photo, closes the round, and the result appears in every context', async () => {
    // From the paper printed for the household, with the code on it typed in.
    await enterPaperBallot(chair.page, '2号楼 1单元 101', 'against', { name: 'ballot.png', mimeType: 'image/png', buffer: PNG_1PX });
    for (const p of [chair, wang, zhao]) await p.page.getByTestId('tally-counted').filter({ hasText: '已投票 3 / 36 户' }).waitFor();

    await chair.page.getByTestId('round-close').click();
    for (const p of [chair, wang, zhao])
      await p.page.locator('[data-testid="result-banner"][data-passed="true"]').filter({ hasText: '表决通过' }).waitFor();
    // Passed: no further round; the text no longer changes while the sign-off is awaited.
    await chair.page.getByTestId('round-final').waitFor();
    // Passed, but not adopted until the property-rights unit commits its share.
    await wang.page.getByTestId('result-banner').filter({ hasText: '待签认' }).waitFor();
  });

  it("the property-rights unit's representative commits the funding, and the proposal is adopted in every context", async () => {
    const rights = await signedIn(story.browser, story.server.url, 'rights', { width: 1280, height: 900 });
    await enterMeeting(rights.page, TITLE);
    const signOff = rights.page.getByTestId('sign-off').filter({ hasText: '35号院产权单位' });
    await signOff.filter({ hasText: '¥53,600.00' }).waitFor();
    await signOff.getByTestId('sign-off-give').click();
    await rights.page.locator('[data-testid="sign-off"][data-state="given"]').waitFor();
    await rights.page.getByTestId('proposal-panel').screenshot({ path: join(SCREENSHOTS_DIR, 'sign-off-desktop-rights-unit.png') });
    await rights.context.close();
    for (const p of [chair, wang, zhao])
      await p.page.getByTestId('result-banner').filter({ hasText: '方案状态：已通过' }).filter({ hasNotText: '待签认' }).waitFor();
    await shot(chair.page, 'meeting-room-desktop-chair');
    await shot(zhao.page, 'meeting-room-360');
    await zhao.page.getByTestId('vote-panel').screenshot({ path: join(SCREENSHOTS_DIR, 'vote-result-360.png') });
    await zhao.page.screenshot({ path: join(SCREENSHOTS_DIR, 'meeting-room-360-first-screen.png') });
    await shot(wang.page, 'meeting-room-360-elderly');
  });

  it('the proposal history shows the revision and the round with its roll-call', async () => {
    await zhao.page.getByTestId('proposal-history-link').click();
    await zhao.page.getByTestId('revision').filter({ hasText: '第 1 版' }).waitFor();
    const round = zhao.page.getByTestId('history-round').first();
    await round.filter({ hasText: '表决通过' }).waitFor();
    const rows = round.getByTestId('roll-call').locator('tbody tr');
    await rows.filter({ hasText: '1号楼 1单元 201' }).filter({ hasText: '赞成' }).filter({ hasText: '王大爷' }).waitFor();
    await rows.filter({ hasText: '2号楼 1单元 101' }).filter({ hasText: '反对' }).filter({ hasText: '纸质票：陈先生签字' }).waitFor();
    await shot(zhao.page, 'proposal-history-360');
  });

  it('an adopted plan is changed only by an amendment, started from the proposal page', async () => {
    const lifecycle = zhao.page.getByTestId('lifecycle');
    await lifecycle.filter({ hasText: '如需修改，请发起修正案' }).waitFor();
    // Adopted is read-only for everyone, and the page says so.
    await zhao.page.locator('[data-testid="edit-rights-mine"][data-can-edit="false"]').waitFor();
    await zhao.page.getByTestId('start-amendment').click();
    // The amendment's own page: drafting, linked to the adopted plan, no revisions or rounds yet.
    await zhao.page.getByTestId('amends').waitFor();
    await zhao.page.getByTestId('proposal-status').filter({ hasText: '起草中' }).waitFor();
    await zhao.page.getByText('还没有定稿的版本。').waitFor();
    await zhao.page.locator('[data-testid="edit-rights-mine"][data-can-edit="true"]').filter({ hasText: '您可以编辑本方案' }).waitFor();
    await zhao.page.getByTestId('amends').getByRole('link').click();
    await zhao.page.getByTestId('amended-by').waitFor();
    await shot(zhao.page, 'proposal-amended-360');
  });
});
