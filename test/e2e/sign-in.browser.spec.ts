import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';

/** Computed font size in px of the first element matching the selector. */
const fontPx = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

describe('in a real browser: signing in to the demo compound', () => {
  const story = browserStory();

  it('a resident on a 360 px phone signs in, in Chinese, and sees their compound', async () => {
    const context = await story.browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(story.server.url);
    await page.getByLabel('手机号或用户名').fill('13800000003');
    await page.getByLabel('密码').fill('yishi2026');
    await page.getByRole('button', { name: '登录' }).click();
    await expectText(page, '[data-testid="compound-name"]', '霞光里35号院');
    await expectText(page, '[data-testid="my-household"]', '1号楼 1单元 201');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'compound-home-360.png'), fullPage: true });

    // 长辈版: larger text, measured in the browser, and remembered after a reload.
    const before = await fontPx(page, 'main p, main li, main dd');
    await page.getByRole('button', { name: '长辈版' }).click();
    const after = await fontPx(page, 'main p, main li, main dd');
    expect(after).toBeGreaterThanOrEqual(24);
    expect(after).toBeGreaterThan(before);
    await page.reload();
    await expectText(page, '[data-testid="compound-name"]', '霞光里35号院');
    expect(await fontPx(page, 'main p, main li, main dd')).toBeGreaterThanOrEqual(24);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'compound-home-360-elderly.png'), fullPage: true });
    await context.close();
  });

  it('a chair on a desktop switches to English, issues an invitation code and sees it', async () => {
    const context = await story.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(story.server.url);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Phone number or user name').fill('chair');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page, '[role="alert"]', 'Wrong phone number, user name or password');
    await page.getByLabel('Password').fill('yishi2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page, '[data-testid="compound-name"]', '霞光里35号院');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'compound-home-desktop-en.png'), fullPage: true });

    await page.getByTestId('nav-invitations').click();
    await page.getByTestId('invitation-role').selectOption('observer');
    await page.getByTestId('invitation-submit').click();
    const code = (await page.getByTestId('invitation-code').innerText()).replace(/[\s-]/g, '');
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'invitations-desktop-en.png'), fullPage: true });

    // Revoking asks in place, never in a pop-up dialog.
    page.on('dialog', (d) => {
      throw new Error(`unexpected dialog: ${d.message()}`);
    });
    await page.getByTestId('invitation-revoke').first().click();
    await page.getByTestId('invitation-revoke-confirm').click();
    await expectText(page, '[data-testid="invitations-table"]', 'Revoked');
    await context.close();
  });
});

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: 15_000 });
}
