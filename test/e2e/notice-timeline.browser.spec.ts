import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, RESULTS_DIR, SCREENSHOTS_DIR } from '../support/browser';
import { writeParagraph } from '../support/docs';
import { type Person, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';
import { call, connectVoter, emit } from '../support/votes';

const TITLE = '5号楼加装电梯方案';
const OBJECTIONS = ['一层住户采光受影响。', '费用分摊不公平。'];

/**
 * In a real browser, on 360 px phones: a proposal that failed twice and passed in round 3 shows
 * its whole path on one screen; the chair publishes it as a public notice (公示); a resident's
 * objection and the chair's answer reach the other's open page live; the public page, opened
 * without signing in, names nobody.
 */
describe('in a real browser: the process at a glance and the public notice', () => {
  const story = browserStory();
  let chair: Person;
  let resident: Person;
  let compoundId: string;
  let proposalId: string;
  let residentName: string;

  beforeAll(async () => {
    const pg = new Client({ connectionString: story.db.url });
    await pg.connect();
    const {
      rows: [row],
    } = await pg.query(
      `SELECT h.id AS household_id, h.compound_id, u.display_name FROM household h JOIN app_user u ON u.id = h.voter_user_id
        WHERE u.username = 'resident1' LIMIT 1`,
    );
    await pg.end();
    compoundId = row.compound_id;
    residentName = row.display_name;
    const base = `/api/compounds/${compoundId}`;
    const chairToken = (await signIn(story.server.url, 'chair')).accessToken;
    const meeting = await call(story.server.url, chairToken, 'POST', `${base}/meetings`, {
      title: '第4次议事会：加装电梯',
      scheduledAt: new Date(Date.now() - 86_400_000).toISOString(),
      agenda: [{ title: '加装电梯方案' }],
    });
    const p = await call(story.server.url, chairToken, 'POST', `${base}/proposals`, {
      title: TITLE,
      kind: 'renovation',
      agendaItemIds: [meeting.agenda[0].id],
    });
    proposalId = p.id;
    const voter = await connectVoter(story.server.url, (await signIn(story.server.url, 'resident1')).accessToken, [row.household_id]);
    try {
      // Two drafts fail with a reason against each; the third passes and, needing no sign-off, is adopted.
      for (const [i, reason] of [...OBJECTIONS, null].entries()) {
        await writeParagraph(story.server.url, chairToken, proposalId, `第${i + 1}稿：5号楼东侧加装电梯一部。`);
        const rev = await call(story.server.url, chairToken, 'POST', `${base}/proposals/${proposalId}/revisions`);
        const round = await call(story.server.url, chairToken, 'POST', `${base}/proposals/${proposalId}/rounds`, {
          revisionNumber: rev.number,
          question: '是否同意加装电梯？',
          rule: 'simple_majority',
        });
        const ack = await emit(voter.socket, 'vote:cast', {
          roundId: round.id,
          ballotId: randomUUID(),
          householdId: row.household_id,
          revisionId: rev.id,
          choice: reason ? 'against' : 'for',
          ...(reason ? { reason } : {}),
        });
        if (!ack.ok) throw new Error(JSON.stringify(ack));
        await call(story.server.url, chairToken, 'POST', `${base}/rounds/${round.id}/close`);
      }
    } finally {
      voter.close();
    }
    chair = await signedIn(story.browser, story.server.url, 'chair', { width: 360, height: 740 });
    resident = await signedIn(story.browser, story.server.url, 'resident1', { width: 360, height: 740 }, true);
  });

  it('shows three rounds with their objections on the proposal’s timeline, and the chair publishes it', async () => {
    const { page } = chair;
    await page.goto(`${story.server.url}/c/${compoundId}/p/${proposalId}/timeline`);
    await page.getByTestId('timeline-summary').filter({ hasText: '1 次会议，3 个定稿版本，3 轮表决。 第 3 轮表决通过。' }).waitFor();
    const entries = page.getByTestId('timeline-entry');
    const kinds = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['meeting', 'revision', 'round', 'revision', 'round', 'revision', 'round', 'adopted']);
    const rounds = entries.and(page.locator('[data-kind="round"]'));
    expect(await rounds.nth(0).innerText()).toContain('第 1 轮表决（第 1 版） · 未通过');
    expect(await rounds.nth(0).innerText()).toContain(`反对理由：${OBJECTIONS[0]}`);
    expect(await rounds.nth(1).innerText()).toContain(OBJECTIONS[1]);
    expect(await rounds.nth(2).innerText()).toContain('第 3 轮表决（第 3 版） · 通过');
    // Each revision's diff opens in place: the third draft added its paragraph to the second's.
    const third = entries.and(page.locator('[data-kind="revision"]')).nth(2);
    expect(await entries.and(page.locator('[data-kind="revision"]')).nth(0).getByTestId('timeline-diff').count()).toBe(0);
    await third.getByText('查看与上一版的差别').click();
    const diff = third.getByTestId('diff');
    await diff.locator('.diff-added').filter({ hasText: '第3稿：5号楼东侧加装电梯一部。' }).waitFor();
    expect(await diff.locator('.diff-same').allInnerTexts()).toEqual([
      expect.stringContaining('第1稿：5号楼东侧加装电梯一部。'),
      expect.stringContaining('第2稿：5号楼东侧加装电梯一部。'),
    ]);
    expect(await diff.locator('.diff-removed').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'proposal-timeline-360.png'), fullPage: true });

    await page.getByTestId('notice-days').fill('5');
    await page.getByTestId('notice-public').check();
    await page.getByTestId('publish-notice-submit').click();
    await page
      .getByTestId('notice-heading')
      .filter({ hasText: `公示：${TITLE}` })
      .waitFor();
    expect(await page.getByTestId('notice-state').getAttribute('data-state')).toBe('open');
    expect(await page.getByTestId('notice-round').count()).toBe(3);
    expect(await page.getByTestId('notice-text').innerText()).toContain('第3稿');
  });

  it('carries a resident’s objection and the chair’s answer live to the other’s open page', async () => {
    const noticePath = new URL(chair.page.url()).pathname;
    await resident.page.goto(`${story.server.url}${noticePath}`);
    await resident.page.getByTestId('no-objections').waitFor();
    await resident.page.getByTestId('objection-text').fill('施工期间电梯井噪音怎么控制？');
    await resident.page.getByTestId('objection-submit').click();
    // The chair did not reload: the objection arrives over the socket.
    const onChairs = chair.page.getByTestId('objection').filter({ hasText: '施工期间电梯井噪音怎么控制？' });
    await onChairs.waitFor();
    expect(await onChairs.innerText()).toContain(residentName);
    await onChairs.getByRole('textbox').fill('只在工作日白天施工，每天不超过6小时。');
    await onChairs.getByRole('button', { name: '答复' }).click();
    await resident.page.getByTestId('objection-answer').filter({ hasText: '只在工作日白天施工' }).waitFor();
    // The paper for the bulletin board: A4, the objection and its answer, nobody's name.
    const [download] = await Promise.all([resident.page.waitForEvent('download'), resident.page.getByTestId('notice-pdf').click()]);
    expect(download.suggestedFilename()).toBe(`公示：${TITLE}.pdf`);
    const file = join(RESULTS_DIR, 'notice.pdf');
    await download.saveAs(file);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const paper = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(paper).toContain(`公示：${TITLE}`);
    expect(paper).toContain('一位居民');
    expect(paper).toContain('施工期间电梯井噪音怎么控制？');
    expect(paper).toContain('主持人答复：只在工作日白天施工，每天不超过6小时。');
    expect(paper).not.toContain(residentName);
    expect(await resident.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // The resident reads in 长辈版: large text, high contrast, large targets.
    const m = await measureElderly(resident.page);
    expect({ smallText: m.smallText, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
      smallText: [],
      lowContrast: [],
      smallTargets: [],
    });
    expect(await seriousAxeViolations(resident.page)).toEqual([]);
    await resident.page.screenshot({ path: join(SCREENSHOTS_DIR, 'notice-elderly-360.png'), fullPage: true });
  });

  it('shows the public page without signing in, naming nobody', async () => {
    const href = await chair.page.getByTestId('notice-public-link').getAttribute('href');
    expect(href).toMatch(/^\/notice\//);
    const context = await story.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      await page.goto(`${story.server.url}${href}`);
      await page.getByTestId('public-notice').waitFor();
      await page.getByTestId('objection-answer').filter({ hasText: '只在工作日白天施工' }).waitFor();
      const text = await page.locator('body').innerText();
      expect(text).toContain('一位居民');
      expect(text).not.toContain(residentName);
      expect(text).not.toContain('主任');
      expect(await page.getByTestId('notice-print').isVisible()).toBe(true);
      expect(await seriousAxeViolations(page)).toEqual([]);
      // The printed notice: no buttons on the paper.
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('notice-print').isVisible()).toBe(false);
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: join(SCREENSHOTS_DIR, 'notice-printed-a4.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
