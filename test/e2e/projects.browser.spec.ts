import { join } from 'node:path';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { type Person, signedIn } from '../support/meeting-setup';

/**
 * In a real browser, on a 360 px phone in 长辈版: a resident opens the project list from its
 * address, sees "9 个项目，6 个已完成", opens a finished project, reads its timeline (the demand it
 * answered, its milestones and progress), and gives the satisfaction check once.
 */
describe('in a real browser: a project page and the residents’ acceptance', () => {
  const story = browserStory();
  let wang: Person;

  beforeAll(async () => {
    wang = await signedIn(story.browser, story.server.url, 'resident1', { width: 360, height: 740 }, true);
  });

  it('shows the timeline of a finished project and takes one resident’s satisfaction answer', async () => {
    const { page } = wang;
    const compoundPath = new URL(page.url()).pathname.match(/^\/c\/[^/]+/)?.[0];
    expect(compoundPath).toBeDefined();
    await page.goto(`${story.server.url}${compoundPath}/projects`);
    await page.getByTestId('projects-summary').filter({ hasText: '9 个项目，6 个已完成' }).waitFor();

    await page.getByTestId('project-link').filter({ hasText: '楼道照明改造' }).click();
    await page.getByTestId('project-title').filter({ hasText: '楼道照明改造' }).waitFor();
    expect(await page.getByTestId('project-status').innerText()).toBe('已完成');
    const timeline = page.getByTestId('project-timeline');
    await timeline.getByTestId('project-demands').filter({ hasText: '1号楼楼道灯不亮' }).waitFor();
    expect(await timeline.getByTestId('project-demands').innerText()).toContain('已办结');
    expect(await timeline.getByTestId('project-milestones').innerText()).toContain('更换声控灯');
    expect(await timeline.getByTestId('project-updates').innerText()).toContain('声控灯全部换好');
    expect(await page.getByTestId('project-history').innerText()).toContain('项目完成');
    await page.getByTestId('acceptance-tally').filter({ hasText: '满意 3 · 不满意 0' }).waitFor();

    // Usable on the phone in 长辈版: nothing wider than the screen, large text and targets, axe clean.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const m = await measureElderly(page);
    expect(m.counted.targets).toBeGreaterThan(2);
    expect({ smallText: m.smallText, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
      smallText: [],
      lowContrast: [],
      smallTargets: [],
    });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The answer: sending needs a choice; once sent it is counted and cannot be given again.
    expect(await page.getByTestId('acceptance-submit').isDisabled()).toBe(true);
    await page.getByTestId('acceptance-yes').click();
    expect(await page.getByTestId('acceptance-yes').getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('想说的话（可不填）').fill('灯亮了，谢谢');
    await page.getByTestId('acceptance-submit').click();
    await page.getByTestId('acceptance-mine').filter({ hasText: '您的评价：满意' }).waitFor();
    await page.getByTestId('acceptance-tally').filter({ hasText: '满意 4 · 不满意 0' }).waitFor();
    expect(await page.getByTestId('acceptance-form').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'project-page-elderly-360.png'), fullPage: true });

    // After a reload the answer is still there, and the form does not come back.
    await page.reload();
    await page.getByTestId('acceptance-mine').filter({ hasText: '您的评价：满意' }).waitFor();
    expect(await page.getByTestId('acceptance-form').count()).toBe(0);
    expect(await page.getByText('灯亮了，谢谢').count()).toBe(1);
  });

  it('shows the resource list and the responsibility zones on the phone, filtered by kind', async () => {
    const { page } = wang;
    const compoundPath = new URL(page.url()).pathname.match(/^\/c\/[^/]+/)?.[0];
    await page.goto(`${story.server.url}${compoundPath}/resources`);
    const list = page.getByTestId('resource-list');
    await list.getByTestId('resource-item').filter({ hasText: '活动室' }).first().waitFor();
    await page.getByTestId('zone-list').filter({ hasText: '中心花坛' }).waitFor();
    expect(await page.getByTestId('zone-list').innerText()).toContain('绿化志愿服务队');
    // A resident reads it; only the chair adds to it.
    expect(await page.getByTestId('resource-add').count()).toBe(0);

    await page.getByLabel('类别').selectOption('fund');
    await list.getByText('资金合计 70,000.00 元').waitFor();
    expect(await list.getByTestId('resource-item').count()).toBe(2);
    expect(await list.innerText()).toContain('50,000.00 元');

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const m = await measureElderly(page);
    expect({ smallText: m.smallText, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
      smallText: [],
      lowContrast: [],
      smallTargets: [],
    });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
