import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';

/**
 * The ballot codes printed in a PDF, read the way a PDF reader does: inflate every content
 * stream and decode the hex strings drawn in the Latin font (the code is set in Courier).
 */
export function codesInPdf(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  const re = /stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, text.indexOf('endstream', start))).toString('latin1');
    } catch {
      continue;
    }
    for (const h of content.matchAll(/<([0-9a-f]+)>/g)) {
      const s = Buffer.from(h[1]!, 'hex').toString('latin1');
      if (/^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(s)) out.push(s);
    }
  }
  return out;
}

/** Opens the paper-ballot card of the vote panel (once) and chooses a household by its label. */
export async function choosePaperHousehold(page: Page, label: string): Promise<void> {
  const card = page.getByTestId('paper-ballot');
  if (!(await card.evaluate((d) => (d as HTMLDetailsElement).open))) await card.locator('summary').click();
  const option = page.getByTestId('paper-household').locator('option', { hasText: label });
  await option.waitFor({ state: 'attached' });
  await page.getByTestId('paper-household').selectOption(await option.getAttribute('value'));
}

/** Prints the chosen household's ballot paper through the UI and reads its code from the PDF downloaded. */
export async function printPaper(page: Page): Promise<{ code: string; pdf: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('paper-print-one').click()]);
  const pdf = await readFile((await download.path())!);
  const codes = codesInPdf(pdf);
  const [code] = codes;
  if (code === undefined || codes.length !== 1) throw new Error(`expected one code in the ballot paper, found ${codes.length}`);
  return { code, pdf };
}

/**
 * A gate leader or the chair enters a signed paper as a person would: choose the household,
 * print its paper, type the code printed on it, choose who signed, tick the choice, attach the photo.
 */
export async function enterPaperBallot(
  page: Page,
  label: string,
  choice: 'for' | 'against' | 'abstain',
  photo: { name: string; mimeType: string; buffer: Buffer },
  signer?: string,
): Promise<string> {
  await choosePaperHousehold(page, label);
  const { code } = await printPaper(page);
  await page.getByTestId('paper-code').fill(code);
  if (signer) await page.getByTestId('paper-signer').selectOption({ label: signer });
  else await page.getByTestId('paper-signer').selectOption({ index: 1 });
  await page.getByTestId(`paper-${choice}`).click();
  await page.getByTestId('paper-photo').setInputFiles(photo);
  await page.getByTestId('paper-submit').click();
  await page.getByTestId('paper-done').filter({ hasText: label }).waitFor();
  return code;
}
