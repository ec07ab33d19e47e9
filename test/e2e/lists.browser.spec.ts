import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { api, expectElderlyFriendly } from '../support/lists';
import { signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const QUESTION = '1号楼前大杨树遮挡窗户，请城管科安排修剪';
const BLOCKER = '加装电梯需占用楼前绿地，请社区建设科协调审批';

/** A photo shown on the page has loaded (it was fetched with the token and decoded). */
const photoLoaded = (page: Page) =>
  page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="list-photo"]')).some((i) => i.naturalWidth > 0),
  );

/**
 * The lists live, in real browsers: a resident on a phone in 长辈版 keeps a demand's page open
 * while the chair blows a whistle on it and the department reports; another keeps the compound
 * page open while the chair starts a project from a demand and reports progress with a photo.
 * Nobody reloads.
 */
describe('in a real browser: a demand’s page, whistles and projects, live', () => {
  const story = browserStory();
  let base: string;
  let chairToken: string;
  let compoundPath: string;
  const demandId = async (title: string) =>
    (await api<{ items: Array<{ id: string }> }>(story.server.url, chairToken, 'GET', `${base}/demands?q=${encodeURIComponent(title)}`))
      .items[0]!.id;
  const person = async (login: string, viewport = PHONE, elderly = true) => {
    const p = await signedIn(story.browser, story.server.url, login, viewport, elderly);
    story.closeFirst(p.context);
    return p.page;
  };

  beforeAll(async () => {
    chairToken = (await signIn(story.server.url, 'chair')).accessToken;
    const me = await api<{ memberships: Array<{ compoundId: string }> }>(story.server.url, chairToken, 'GET', '/me');
    base = `/compounds/${me.memberships[0]!.compoundId}`;
    compoundPath = `/c/${me.memberships[0]!.compoundId}`;
  });

  it('a seconder follows the whistle on her demand’s page as the chair blows it and the department reports', async () => {
    const page = await person('resident1');
    // Each demand of the list opens its own page.
    await page.getByTestId('demand-title').filter({ hasText: '老人需要助浴服务' }).click();
    await page.getByTestId('demand-page-title').filter({ hasText: '老人需要助浴服务' }).waitFor();

    const id = await demandId('树枝遮挡窗户');
    await page.goto(`${story.server.url}${compoundPath}/demands/${id}`);
    await page.getByTestId('demand-page-title').filter({ hasText: '树枝遮挡窗户' }).waitFor();
    const history = page.getByTestId('demand-history');
    expect(await history.innerText()).toMatch(/新登记[\s\S]*待吹哨/);
    expect(await page.getByTestId('demand-seconds').innerText()).toBe('1 人附议');
    expect(await page.getByTestId('demand-second').count()).toBe(0);
    expect(await page.getByTestId('blow-whistle').count()).toBe(0);
    expect(await page.getByTestId('demand-whistles').count()).toBe(0);
    await expectElderlyFriendly(page, 'a demand page');

    // The chair, on a desktop, blows the whistle from the same page.
    const chair = await person('chair', DESKTOP, false);
    await chair.goto(`${story.server.url}${compoundPath}/demands/${id}`);
    await chair.getByTestId('blow-whistle').locator('summary').click();
    await chair
      .getByTestId('blow-whistle')
      .getByLabel(/麦子店街道城市管理科/)
      .check();
    await chair.getByTestId('whistle-question-input').fill(QUESTION);
    await chair.getByTestId('whistle-submit').click();
    await chair.getByTestId('whistle-blown').waitFor();

    // The seconder's page shows it without a reload, then the department's report.
    const whistles = page.getByTestId('demand-whistles');
    await whistles.filter({ hasText: QUESTION }).waitFor({ timeout: 15_000 });
    await whistles.getByTestId('whistle-status').filter({ hasText: '待报到' }).waitFor();
    const [w] = await api<Array<{ id: string }>>(story.server.url, chairToken, 'GET', `${base}/whistles?demandId=${id}`);
    const streetToken = (await signIn(story.server.url, 'street1')).accessToken;
    await api(story.server.url, streetToken, 'POST', `${base}/whistles/${w!.id}/accept`, {});
    await whistles.getByTestId('whistle-status').filter({ hasText: '已报到' }).waitFor({ timeout: 15_000 });
    await whistles.getByTestId('whistle-target').filter({ hasText: '吴科长（城管科）' }).waitFor();
    await expectElderlyFriendly(page, 'a demand page with its whistle');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'demand-page-whistle-360-elderly.png'), fullPage: true });
  });

  it('the chair starts a project from a demand and reports progress with a photo; a resident’s compound page follows live', async () => {
    const page = await person('resident2');
    const summary = page.getByTestId('projects-summary');
    await summary.filter({ hasText: '9 个项目，6 个已完成' }).waitFor();
    await page.getByText('筛选').click();
    await page.getByLabel('搜索需求').fill('加装电梯');
    await page.getByTestId('demand-filter-apply').click();
    const item = page.getByTestId('demand-item').filter({ hasText: '希望加装电梯' });
    await item.getByTestId('demand-status').filter({ hasText: '协商中' }).waitFor();

    // 立项 from the demand's page: the form opens with that demand chosen.
    const chair = await person('chair', DESKTOP, false);
    await chair.goto(`${story.server.url}${compoundPath}/demands/${await demandId('希望加装电梯')}`);
    await chair.getByTestId('demand-start-project').click();
    const form = chair.getByTestId('create-project');
    await form.getByTestId('project-demand-choice').first().waitFor();
    expect(await form.getByLabel(/希望加装电梯/).isChecked()).toBe(true);
    // Without a name it is refused and says so, in Chinese; nothing is created.
    await chair.getByTestId('project-create-submit').click();
    await chair.getByTestId('form-error').waitFor();
    await form.getByText('请给项目起个名字').waitFor();
    await chair.getByTestId('project-title-input').fill('5号楼加装电梯');
    // The meeting that discussed it and a resource it will use.
    await form.getByLabel(/第1次议事会：征集危旧平房改造需求/).check();
    await form.getByLabel(/^活动室/).check();
    await chair.getByTestId('project-create-submit').click();
    await chair.getByTestId('project-title').filter({ hasText: '5号楼加装电梯' }).waitFor();
    const timeline = chair.getByTestId('project-timeline');
    expect(await chair.getByTestId('project-demands').innerText()).toContain('希望加装电梯');
    expect(await timeline.getByTestId('project-meetings').innerText()).toContain('第1次议事会：征集危旧平房改造需求');
    expect(await timeline.getByTestId('project-resources').innerText()).toContain('活动室');
    // Matched to one more resource once under way: the community's wheelchairs, to lend.
    const links = chair.getByTestId('project-links');
    await links.locator('summary').click();
    expect(await links.getByLabel(/^活动室/).isChecked()).toBe(true);
    await links.getByLabel(/^轮椅借用/).check();
    await links.getByTestId('project-links-save').click();
    await timeline.getByTestId('project-resources').filter({ hasText: '轮椅借用' }).waitFor();
    expect(await timeline.getByTestId('project-resources').innerText()).toContain('活动室');

    // The resident's compound page, untouched: the count, the demand's status and its project.
    await summary.filter({ hasText: '10 个项目，6 个已完成' }).waitFor({ timeout: 15_000 });
    await item.getByTestId('demand-status').filter({ hasText: '已立项' }).waitFor({ timeout: 15_000 });
    await item.getByTestId('demand-project').filter({ hasText: '5号楼加装电梯' }).waitFor();

    // Progress with a photo, through the same photo pipeline as demands'.
    const photo = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#c84' } })
      .png()
      .toBuffer();
    await chair.getByLabel('做了什么').fill('设计院已到现场踏勘');
    await chair.locator('#progress-photos').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: photo });
    await chair.getByRole('button', { name: '记录进展' }).click();
    await chair.getByTestId('project-updates').filter({ hasText: '设计院已到现场踏勘' }).waitFor();
    await photoLoaded(chair);

    // The resident follows the demand's project link and sees the photo.
    await item.getByTestId('demand-project').getByRole('link').click();
    await page.getByTestId('project-updates').filter({ hasText: '设计院已到现场踏勘' }).waitFor();
    await photoLoaded(page);
    await expectElderlyFriendly(page, 'a project page with a progress photo');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'project-progress-photo-360-elderly.png'), fullPage: true });

    // A blocker: the chair blows a whistle from the project's page; the resident, who seconded
    // the demand it grew from, sees it appear on the same page, untouched.
    expect(await page.getByTestId('blow-whistle').count()).toBe(0);
    await chair.getByTestId('blow-whistle').locator('summary').click();
    await chair
      .getByTestId('blow-whistle')
      .getByLabel(/麦子店街道社区建设科/)
      .check();
    await chair.getByTestId('whistle-question-input').fill(BLOCKER);
    await chair.getByTestId('whistle-submit').click();
    await chair.getByTestId('whistle-blown').waitFor();
    const whistles = page.getByTestId('demand-whistles');
    await whistles.filter({ hasText: BLOCKER }).waitFor({ timeout: 15_000 });
    await whistles.getByTestId('whistle-status').filter({ hasText: '待报到' }).waitFor();
    await expectElderlyFriendly(page, 'a project page with a whistle on its blocker');
  });
});
