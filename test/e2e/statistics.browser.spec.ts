import { readFile } from 'node:fs/promises';
import { Client } from 'pg';
import { MARCH_2021, seedStatisticsFixture } from '../../server/src/testing/statistics-fixture';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory } from '../support/browser';
import { signedIn } from '../support/meeting-setup';

const PHONE = { width: 360, height: 740 };

describe('in a real browser: the statistics page', () => {
  const story = browserStory();
  let compoundId: string;

  beforeAll(async () => {
    const client = new Client({ connectionString: story.db.url });
    await client.connect();
    [{ id: compoundId }] = (await client.query(`SELECT id FROM compound WHERE name = '霞光里35号院'`)).rows;
    await seedStatisticsFixture({ query: async (sql, params) => (await client.query(sql, params)).rows }, compoundId);
    await client.end();
  });

  it('shows March 2021 of the known data set as figures and charts on a phone, ECharts loaded only with this page', async () => {
    const scripts: string[] = [];
    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE);
    story.closeFirst(chair.context);
    const { page } = chair;
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    // The home screen has not fetched the charts.
    await page.reload();
    await page.getByTestId('compound-name').waitFor();
    expect(scripts.some((u) => u.includes('echarts'))).toBe(false);

    await page.goto(`${story.server.url}/c/${compoundId}/statistics?from=${MARCH_2021.from}&to=${MARCH_2021.to}`);
    await expect(page.getByTestId('stat-range').textContent()).resolves.toContain('2021-03-01 至 2021-03-31');
    await expect(page.getByTestId('stat-meetings').textContent()).resolves.toBe('5');
    // Of the invited, 12 of 76 came (10 of 2 × 36 households, 2 of 2 party members at the party lessons);
    // 2 of 3 rounds passed; 1 of 3 whistles answered in time; 2 projects done.
    expect(await page.getByTestId('stat-attendance').textContent()).toBe('15.8%');
    expect(await page.getByTestId('stat-pass-rate').textContent()).toBe('66.7%');
    expect(await page.getByTestId('stat-whistles').textContent()).toBe('33.3%');
    expect(await page.getByTestId('stat-projects').textContent()).toBe('2');

    // The charts, drawn as SVG: their labels and values are text on the page.
    const meetings = page.getByTestId('chart-meetings').locator('svg');
    await meetings.waitFor();
    await expect(meetings.textContent()).resolves.toMatch(/议事协商会.*党课|党课.*议事协商会/);
    const bars = await page.getByTestId('chart-meetings').locator('svg text').allTextContents();
    expect(bars).toEqual(expect.arrayContaining(['议事协商会', '党课', '3', '2']));
    const status = await page.getByTestId('chart-demand-status').locator('svg text').allTextContents();
    expect(status).toEqual(expect.arrayContaining(['新登记', '已办结', '已婉拒', '2', '1']));
    const channels = await page.getByTestId('chart-demand-channel').locator('svg text').allTextContents();
    expect(channels).toEqual(expect.arrayContaining(['入户走访', '网上提交', '3']));
    expect(scripts.some((u) => u.includes('echarts'))).toBe(true);
    // Any range, picked with the same large selects as every date: 1 to 15 March holds 3 meetings.
    await page.getByTestId('stat-to-day').selectOption('15');
    await page.getByTestId('stat-range').filter({ hasText: '2021-03-01 至 2021-03-15' }).waitFor();
    await page.getByTestId('stat-meetings').filter({ hasText: /^3$/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('adds up the whole community for the chair, and exports what is shown as a CSV', async () => {
    const chair = await signedIn(story.browser, story.server.url, 'chair', PHONE);
    try {
      const { page } = chair;
      await page.goto(`${story.server.url}/c/${compoundId}/statistics?from=${MARCH_2021.from}&to=${MARCH_2021.to}`);
      await page.getByTestId('stat-meetings').filter({ hasText: /^5$/ }).waitFor();
      // The neighbouring compound of the data set adds one deliberation meeting in March.
      await page.getByLabel('统计范围').selectOption({ label: '全社区' });
      await page.getByTestId('stat-meetings').filter({ hasText: /^6$/ }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stat-csv').click()]);
      expect(download.suggestedFilename()).toBe('statistics-2021-03-01-2021-03-31.csv');
      const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
      expect(csv.startsWith('类别,项目,数值,分母\r\n')).toBe(true);
      expect(csv).toContain('会议,议事协商会,4,\r\n');
      expect(csv).toContain('会议,党课,2,\r\n');
    } finally {
      await chair.context.close();
    }
  });

  it('reads in 长辈版 (elder mode) on a phone: large text, high contrast, large targets', async () => {
    const elder = await signedIn(story.browser, story.server.url, 'chair', PHONE, true);
    try {
      await elder.page.goto(`${story.server.url}/c/${compoundId}/statistics?from=${MARCH_2021.from}&to=${MARCH_2021.to}`);
      await elder.page.getByTestId('chart-meetings').locator('svg').waitFor();
      const m = await measureElderly(elder.page);
      expect({ smallText: m.smallText, tightLines: m.tightLines, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
        smallText: [],
        tightLines: [],
        lowContrast: [],
        smallTargets: [],
      });
      expect(await elder.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await elder.context.close();
    }
  });
});
