import { join } from 'node:path';
import { paperQrText } from '@yishi/shared';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { enterMeeting, type Person, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { choosePaperHousehold, printPaper } from '../support/paper';

const TITLE = '第19次议事会：加装电梯';

/** A phone photo of a signed paper: a white sheet with the ticked box, the signature, and the paper's QR code. */
async function photoOfPaper(qrText: string | null, signature: string): Promise<Buffer> {
  const layers: sharp.OverlayOptions[] = [
    {
      input: Buffer.from(
        `<svg width="1800" height="2400"><rect x="200" y="600" width="90" height="90" fill="none" stroke="black" stroke-width="8"/><text x="215" y="680" font-size="90">√</text><text x="320" y="680" font-size="80">赞成</text><text x="200" y="1000" font-size="70">签字：${signature}</text></svg>`,
      ),
      top: 0,
      left: 0,
    },
  ];
  if (qrText)
    layers.push({ input: await QRCode.toBuffer(qrText, { errorCorrectionLevel: 'M', scale: 12, margin: 4 }), top: 1500, left: 1000 });
  return sharp({ create: { width: 1800, height: 2400, channels: 3, background: '#fbfaf5' } })
    .composite(layers)
    .jpeg({ quality: 85 })
    .toBuffer();
}

describe('in a real browser: a gate leader enters paper ballots from the papers printed for them', () => {
  const story = browserStory();
  let chair: Person;
  let gate: Person; // 李组长, gate1, on a 360 px phone

  beforeAll(async () => {
    await scheduleDemoMeeting(story.server.url, TITLE);
    [chair, gate] = await Promise.all([
      signedIn(story.browser, story.server.url, 'chair', { width: 1280, height: 900 }),
      signedIn(story.browser, story.server.url, 'gate1', { width: 360, height: 740 }),
    ]);
    // The chair writes the proposal, freezes it and opens a round, as in a meeting.
    await enterMeeting(chair.page, TITLE);
    // Typed only once the editor is editable: an empty body is not frozen.
    await chair.page.locator('[data-testid="proposal-editor"][contenteditable="true"]').waitFor();
    await chair.page.getByTestId('proposal-editor').click();
    await chair.page.keyboard.type('一、1号楼1单元加装电梯一部。');
    await chair.page.getByTestId('proposal-editor').filter({ hasText: '加装电梯' }).waitFor();
    await chair.page.locator('[data-testid="doc-status"][data-pending="0"][data-synced="true"]').waitFor();
    await chair.page.getByTestId('freeze-revision').click();
    await chair.page.getByTestId('frozen').filter({ hasText: '第 1 版' }).waitFor();
    await chair.page.getByTestId('round-rule').selectOption('simple_majority');
    await chair.page.getByTestId('round-open').click();
    await chair.page.locator('[data-testid="round-status"][data-status="open"]').waitFor();
    await enterMeeting(gate.page, TITLE);
  });

  const paperRows = (page: Page) => page.getByTestId('history-round').first().getByTestId('roll-call-row');

  it('prints the household’s paper, refuses a mistyped code, takes the printed code typed in with a photo, and the roll-call shows a paper ballot', async () => {
    const page = gate.page;
    await page.locator('[data-testid="round-status"][data-status="open"]').waitFor();
    await choosePaperHousehold(page, '1号楼 1单元 301');
    const { code, pdf } = await printPaper(page);
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // A code mistyped by one character is refused, and nothing is counted.
    const wrong = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
    await page.getByTestId('paper-code').fill(wrong);
    await page.getByTestId('paper-signer').selectOption({ label: '赵阿姨（登记业主）' });
    await page.getByTestId('paper-for').click();
    await page
      .getByTestId('paper-photo')
      .setInputFiles({ name: 'paper.jpg', mimeType: 'image/jpeg', buffer: await photoOfPaper(null, '赵阿姨') });
    await page.getByTestId('paper-submit').click();
    await page.getByRole('alert').filter({ hasText: '选票码不对' }).waitFor();
    await page.getByTestId('tally-counted').filter({ hasText: '已投票 0 / 36 户' }).waitFor();

    // The code as printed on the paper, typed in lower case with the dash: it is accepted once.
    await page.getByTestId('paper-code').fill(code.toLowerCase());
    await page.getByTestId('paper-submit').click();
    await page.getByTestId('paper-done').filter({ hasText: '1号楼 1单元 301' }).filter({ hasText: '赞成' }).waitFor();
    for (const p of [chair, gate]) await p.page.getByTestId('tally-counted').filter({ hasText: '已投票 1 / 36 户' }).waitFor();
    await page.getByTestId('paper-ballot').screenshot({ path: join(SCREENSHOTS_DIR, 'paper-ballot-360-gate-leader.png') });

    // The chair's roll-call marks it as a paper ballot, names the signer and who entered it, and shows the photo beside it.
    await chair.page.getByTestId('proposal-history-link').click();
    const row = paperRows(chair.page).filter({ hasText: '1号楼 1单元 301' });
    await row.filter({ hasText: '赞成' }).getByTestId('roll-call-paper').filter({ hasText: '纸质票：赵阿姨签字，李组长录入' }).waitFor();
    expect(await row.getAttribute('data-paper')).toBe('true');
    await row.getByTestId('paper-photo-show').click();
    const img = row.getByTestId('paper-photo-img');
    await img.waitFor();
    await expect(
      img.evaluate((el) =>
        (el as HTMLImageElement).decode().then(() => [(el as HTMLImageElement).naturalWidth, (el as HTMLImageElement).naturalHeight]),
      ),
    ).resolves.toEqual([1200, 1600]);
    await chair.page
      .getByTestId('history-round')
      .first()
      .screenshot({ path: join(SCREENSHOTS_DIR, 'roll-call-paper-desktop-chair.png') });
    await chair.page.goBack();
    await chair.page.getByTestId('vote-panel').waitFor();
  });

  it('reads the household and code from a photo of the paper’s QR code taken with the phone camera', async () => {
    const page = gate.page;
    await choosePaperHousehold(page, '1号楼 1单元 201');
    const { code } = await printPaper(page);
    // Start from nothing chosen: the scan fills in the household and the code.
    await page.getByTestId('paper-household').selectOption('');
    const [household] = await page
      .getByTestId('paper-household')
      .locator('option', { hasText: '1号楼 1单元 201' })
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    if (household === undefined) throw new Error('no household option for 1号楼 1单元 201');
    await page.getByTestId('paper-scan').setInputFiles({
      name: 'qr.jpg',
      mimeType: 'image/jpeg',
      buffer: await photoOfPaper(paperQrText(household, code.replace('-', '')), '王大爷'),
    });
    await page.getByTestId('paper-scan-result').filter({ hasText: '已识别：1号楼 1单元 201' }).waitFor();
    expect(await page.getByTestId('paper-household').inputValue()).toBe(household);
    expect(await page.getByTestId('paper-code').inputValue()).toBe(code.replace('-', ''));
    await page.getByTestId('paper-signer').selectOption({ label: '王大爷（登记业主）' });
    await page.getByTestId('paper-against').click();
    await page.getByTestId('paper-photo').setInputFiles({
      name: 'paper.jpg',
      mimeType: 'image/jpeg',
      buffer: await photoOfPaper(paperQrText(household, code.replace('-', '')), '王大爷'),
    });
    await page.getByTestId('paper-submit').click();
    await page.getByTestId('paper-done').filter({ hasText: '1号楼 1单元 201' }).filter({ hasText: '反对' }).waitFor();
    await chair.page.getByTestId('tally-counted').filter({ hasText: '已投票 2 / 36 户' }).waitFor();

    // The same paper cannot be entered twice.
    await choosePaperHousehold(page, '1号楼 1单元 201');
    await page.getByTestId('paper-code').fill(code);
    await page.getByTestId('paper-signer').selectOption({ label: '王大爷（登记业主）' });
    await page.getByTestId('paper-for').click();
    await page
      .getByTestId('paper-photo')
      .setInputFiles({ name: 'paper.jpg', mimeType: 'image/jpeg', buffer: await photoOfPaper(null, '王大爷') });
    await page.getByTestId('paper-submit').click();
    await page.getByRole('alert').filter({ hasText: '已经用过' }).waitFor();
  });
});
