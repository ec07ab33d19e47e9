import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { api, expectElderlyFriendly } from '../support/lists';
import { signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const QUESTION = '3号楼北侧雨水井盖松动，请城管科在期限内更换';
const ANSWER = '城管科已安排养护队，明天上午更换井盖';
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });

describe('in a real browser: 吹哨, 报到 (whistles to street departments)', () => {
  const story = browserStory();

  it('a department member on a phone in 长辈版 finds the whistle in the queue, reports and answers; the chair sees it answered live', async () => {
    const { accessToken: chairToken } = await signIn(story.server.url, 'chair');
    const me = await api<{ memberships: Array<{ compoundId: string }> }>(story.server.url, chairToken, 'GET', '/me');
    const compoundId = me.memberships[0]!.compoundId;
    const base = `/compounds/${compoundId}`;
    const compound = await api<{ organisations: Array<{ id: string; name: string }> }>(story.server.url, chairToken, 'GET', base);
    const urban = compound.organisations.find((o) => o.name === '麦子店街道城市管理科')!;
    // The seeded ledger: the chair's list flags the overdue whistle.
    const seeded = await api<Array<{ id: string; overdue: boolean; subject: { id: string; title: string } }>>(
      story.server.url,
      chairToken,
      'GET',
      `${base}/whistles`,
    );
    expect(seeded.filter((w) => w.overdue)).toHaveLength(1);
    const drain = seeded.find((w) => w.subject.title.startsWith('3号楼北侧雨水管'))!;
    const blown = await api<{ id: string }>(story.server.url, chairToken, 'POST', `${base}/whistles`, {
      demandId: drain.subject.id,
      question: QUESTION,
      deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      organisationIds: [urban.id],
    });

    // The chair keeps the whistle open on a desktop.
    const chair = await signedIn(story.browser, story.server.url, 'chair', DESKTOP);
    story.closeFirst(chair.context);
    await chair.page.getByTestId('nav-whistles').click();
    await chair.page
      .getByTestId('whistle-item')
      .filter({ has: chair.page.getByTestId('whistle-overdue') })
      .first()
      .waitFor();
    await chair.page.getByTestId('whistle-item').filter({ hasText: QUESTION }).getByTestId('whistle-open').click();
    await chair.page.getByTestId('whistle-status').filter({ hasText: '待报到' }).waitFor();

    // The city-management section's member, on a 360 px phone in 长辈版.
    const street = await signedIn(story.browser, story.server.url, 'street1', PHONE, true);
    story.closeFirst(street.context);
    const page = street.page;
    // The compound page holds no list for a department: what is escalated to it is in its queue.
    await page.getByTestId('my-roles').waitFor();
    expect(await page.getByTestId('three-lists').count()).toBe(0);
    await page.getByTestId('nav-whistles').click();
    const item = page.getByTestId('whistle-item').filter({ hasText: QUESTION });
    await item.waitFor();
    // Only what was blown to this section: not the one to the community-building section.
    expect(await page.getByTestId('whistle-item').filter({ hasText: '私搭乱建' }).count()).toBe(0);
    await expectElderlyFriendly(page, 'the queue');
    await shot(page, 'whistles-queue-360-elderly');

    await item.getByTestId('whistle-open').click();
    await page.getByTestId('whistle-question').filter({ hasText: QUESTION }).waitFor();
    await page.getByTestId('whistle-accept').click();
    await page.getByTestId('whistle-status').filter({ hasText: '已报到' }).waitFor();
    await chair.page.getByTestId('whistle-status').filter({ hasText: '已报到' }).waitFor({ timeout: 15_000 });

    await page.getByTestId('whistle-answer-text').fill(ANSWER);
    await expectElderlyFriendly(page, 'the whistle, answering');
    await page.getByTestId('whistle-answer-submit').click();
    await page.getByTestId('whistle-status').filter({ hasText: '已答复' }).waitFor();
    await page.getByTestId('whistle-history').filter({ hasText: '答复' }).waitFor();
    await shot(page, 'whistle-answered-360-elderly');

    // The chair's screen follows without a reload: answered, with the answer and who gave it.
    await chair.page.getByTestId('whistle-status').filter({ hasText: '已答复' }).waitFor({ timeout: 15_000 });
    await chair.page.getByTestId('whistle-answer').filter({ hasText: ANSWER }).waitFor();
    await chair.page.getByTestId('whistle-history').filter({ hasText: '吴科长（城管科）' }).waitFor();
    await shot(chair.page, 'whistle-answered-chair-desktop');
    const detail = await api<{ status: string }>(story.server.url, chairToken, 'GET', `${base}/whistles/${blown.id}`);
    expect(detail.status).toBe('answered');
  });

  it('the chair blows a whistle from the form: a missing choice is named, then the whistle is open, awaiting report', async () => {
    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE, true);
    story.closeFirst(chair.context);
    const page = chair.page;
    await page.getByTestId('nav-whistles').click();
    await page.getByTestId('whistle-filter-overdue').click();
    const overdue = page.getByTestId('whistle-item').filter({ hasText: '私搭乱建' });
    await overdue.getByTestId('whistle-overdue').waitFor();
    await overdue.getByTestId('whistle-open').click();
    await page.getByTestId('whistle-deadline').filter({ hasText: '答复期限' }).waitFor();
    await page.getByTestId('blow-whistle').locator('summary').click();
    await page.getByTestId('whistle-question-input').fill('请城管科依法拆除院内违建');
    await page.getByTestId('whistle-submit').click();
    await page.getByText('请至少选择一个部门或共建单位').first().waitFor();
    await page
      .getByTestId('blow-whistle')
      .getByLabel(/麦子店街道城市管理科/)
      .check();
    await expectElderlyFriendly(page, 'the whistle form');
    await page.getByTestId('whistle-submit').click();
    await page.getByTestId('whistle-blown').click();
    await page.getByTestId('whistle-question').filter({ hasText: '请城管科依法拆除院内违建' }).waitFor();
    await page.getByTestId('whistle-status').filter({ hasText: '待报到' }).waitFor();
    await shot(page, 'whistle-blown-360-elderly');
  });
});
