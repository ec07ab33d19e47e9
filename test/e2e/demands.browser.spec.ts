import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { type Person, signedIn } from '../support/meeting-setup';

const PHONE = { width: 360, height: 740 };
const DEMANDS_POST = /\/api\/compounds\/[^/]+\/demands$/;

/** The tags of one group of the counts, as the page shows them. */
const countTags = (page: Page, group: string) => page.getByTestId(`demand-counts-${group}`).locator('.tag').allInnerTexts();

describe('in a real browser: the demand list (需求清单) on a 360 px phone in 长辈版', () => {
  const story = browserStory();

  it('shows the seeded ledger’s counts on the compound page, by channel and status, and pages the list', async () => {
    const { page, context } = await signedIn(story.browser, story.server.url, 'resident1', PHONE, true);
    await page.getByTestId('demand-total').filter({ hasText: '共 38 条需求' }).waitFor();
    // The story's ledger: 36 demands (nine of them carried on by its projects), 2 more behind its whistles.
    expect(await countTags(page, 'channel')).toEqual(['入户走访 15', '12345热线 9', '座谈会 5', '议事会 5', '网上提交 4']);
    const statuses = await countTags(page, 'status');
    expect(statuses).toEqual(
      expect.arrayContaining(['新登记 9', '社区自办 5', '待吹哨 6', '协商中 5', '已立项 2', '已办结 10', '已婉拒 1']),
    );
    expect(statuses.length).toBe(7);
    expect(await countTags(page, 'building')).toEqual(expect.arrayContaining(['不分楼栋 20', '1号楼 3', '6号楼 3']));
    // The project list's figures beside them, as the seed story has them.
    await page.getByTestId('projects-summary').filter({ hasText: '9 个项目，6 个已完成' }).waitFor();
    // And the resource list's: the seed story's ledger, its party service funds and the partner unit's gift.
    await page.getByTestId('resources-summary').filter({ hasText: '共 12 项 · 资金合计 70,000.00 元' }).waitFor();
    // The newest first, twenty to a page, then the rest on request.
    expect(await page.getByTestId('demand-item').count()).toBe(20);
    expect(await page.getByTestId('demand-title').first().innerText()).toBe('老人需要助浴服务');
    await page.getByTestId('demand-more').click();
    await page.getByTestId('demand-item').nth(37).waitFor();
    expect(await page.getByTestId('demand-more').count()).toBe(0);
    // A name the person did not agree to show is not shown to another resident.
    const hidden = page.getByTestId('demand-item').filter({ hasText: '3号楼雨水管漏水' });
    expect(await hidden.innerText()).toContain('提出人未公开姓名');
    expect(await hidden.innerText()).not.toContain('周阿姨');

    // The same page in English, the second language: the same figures, worded, still 360 px wide.
    await page.getByTestId('menu-button').click();
    await page.getByTestId('language-switch').click();
    await page.getByTestId('menu-button').click();
    await page.getByTestId('demand-total').filter({ hasText: '38 demands in all' }).waitFor();
    expect(await countTags(page, 'channel')).toEqual(['Home visit: 15', '12345 hotline: 9', 'Forum: 5', 'Meeting: 5', 'Online: 4']);
    await page.getByTestId('projects-summary').filter({ hasText: '9 projects, 6 done' }).waitFor();
    await page.getByTestId('resources-summary').filter({ hasText: '12 in all · Funds in all: 70,000.00 yuan' }).waitFor();
    expect(await hidden.innerText()).toContain('Raised by someone who chose not to be named');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });

  it('keeps a demand a gate leader entered without signal across a reload, and sends it once back online', async () => {
    const gate: Person = await signedIn(story.browser, story.server.url, 'gate1', PHONE, true);
    const { page, context } = gate;
    await page.getByTestId('demand-total').filter({ hasText: '共 38 条需求' }).waitFor();
    await page.getByTestId('demand-form-open').click();

    await context.setOffline(true);
    const form = page.getByTestId('demand-form');
    await form.getByLabel('需求是什么').fill('5号楼楼道窗户玻璃碎了');
    await form.getByLabel('类别').selectOption({ label: '安全隐患' });
    await form.getByLabel('地点').selectOption({ label: '5号楼' });
    await form.getByLabel('详细情况（可不填）').fill('三层窗户玻璃碎了一块，风大时往下掉碎渣。');
    await form.getByLabel('居民姓名（可不填）').fill('冯奶奶');
    await form.getByLabel('本人同意公开姓名').check();
    // A photo taken on the visit waits on the phone with the text.
    const photo = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#7a8' } })
      .jpeg()
      .toBuffer();
    await form.locator('#demand-photos').setInputFiles({ name: 'window.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('demand-submit').click();
    await page.getByTestId('outbox-pending').filter({ hasText: '1 条待发送' }).waitFor();
    expect(await page.getByTestId('demand-form-notice').innerText()).toBe('已保存在本机，联网后会自动发送。');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'demand-form-offline-elderly.png'), fullPage: true });

    // The form, measured as 长辈版 asks, and axe finds nothing serious.
    const m = await measureElderly(page);
    expect(m.counted.targets).toBeGreaterThan(5);
    expect({ smallText: m.smallText, tightLines: m.tightLines, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
      smallText: [],
      tightLines: [],
      lowContrast: [],
      smallTargets: [],
    });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Reloaded while the server still cannot be reached for it: the entry is still waiting.
    let refused = 0;
    await page.route(DEMANDS_POST, (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      refused++;
      return route.abort('internetdisconnected');
    });
    await context.setOffline(false);
    await page.reload();
    await page.getByTestId('outbox-pending').filter({ hasText: '1 条待发送' }).waitFor();
    await page.getByTestId('demand-total').filter({ hasText: '共 38 条需求' }).waitFor();
    expect(refused).toBeGreaterThanOrEqual(1);

    // Back online: it is sent by itself, once, and shows in the list and the counts.
    await page.unroute(DEMANDS_POST);
    await context.setOffline(true);
    await context.setOffline(false);
    await page.getByTestId('demand-total').filter({ hasText: '共 39 条需求' }).waitFor({ timeout: 30_000 });
    // The text is in (the list heard of it live); the entry leaves the outbox once its photo is in too.
    await page.getByTestId('outbox-pending').waitFor({ state: 'detached', timeout: 30_000 });
    const item = page.getByTestId('demand-item').filter({ hasText: '5号楼楼道窗户玻璃碎了' });
    // The photo's count comes with the list's next live reload, which may follow the outbox's
    // last answer by a moment.
    await item.filter({ hasText: '1 张照片' }).waitFor();
    expect(await item.innerText()).toContain('提出人：冯奶奶');
    expect(await item.innerText()).toContain('楼门组长代为登记');
    expect(await item.innerText()).toContain('1 张照片');
    expect(await item.getByTestId('demand-status').innerText()).toBe('新登记');
    await context.close();

    // Another resident sees it too, named as she agreed.
    const other = await signedIn(story.browser, story.server.url, 'resident2', PHONE, true);
    await other.page.getByTestId('demand-total').filter({ hasText: '共 39 条需求' }).waitFor();
    const seen = other.page.getByTestId('demand-item').filter({ hasText: '5号楼楼道窗户玻璃碎了' });
    expect(await seen.innerText()).toContain('提出人：冯奶奶');
    // She seconds it and agrees to be named as a seconder; its page names her, and shows the photo.
    await seen.getByTestId('demand-second-named').check();
    await seen.getByTestId('demand-second').click();
    await seen.getByTestId('demand-seconds').filter({ hasText: '1 人附议' }).waitFor();
    await seen.getByTestId('demand-title').click();
    await other.page.getByText('附议人：赵阿姨').waitFor();
    await other.page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="list-photo"]')).some((i) => i.naturalWidth > 0),
    );
    await other.context.close();
  });
});
