import { formatPaperCode, paperQrText, RULES, type RoundView } from '@yishi/shared';
import QRCode from 'qrcode';
import { cjkDocument, printedQuestion } from './result-pdf';

/** One household's paper: what is printed on its page. */
export interface PaperPrint {
  householdId: string;
  label: string;
  areaCentiM2: number;
  /** Registered owners, printed so the person signing sees whose ballot it is. */
  owners: string[];
  code: string;
  issue: number;
}

const SP = '\u3000';
const area = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')} m²`;
const CHOICES = ['赞成', '反对', '弃权'];

/**
 * The ballot papers of a round, one A4 page per household, in large print for elderly owners:
 * the question, the frozen revision and its full hash, the rule, three boxes to tick, lines for
 * the signature and date, and the one-time code as text and as a QR code (drawn as vectors, so it
 * prints sharp). The code is set in Courier, a plain Latin font, so that nothing in the code can
 * be misread as a Chinese glyph.
 */
export function ballotPaperPdf(
  round: RoundView,
  ctx: { compoundName: string; proposalTitle: string },
  papers: PaperPrint[],
): Promise<Buffer> {
  const { doc, done } = cjkDocument(`${ctx.proposalTitle} 第${round.number}轮 纸质表决票`, 56);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  papers.forEach((p, i) => {
    if (i > 0) doc.addPage();
    doc.font('cjk').fillColor('#000');
    doc.fontSize(22).text(`${ctx.compoundName}${SP}表决票`, { align: 'center' });
    doc.moveDown(0.3).fontSize(16).text(`${ctx.proposalTitle}${SP}第 ${round.number} 轮表决`, { align: 'center' });
    doc.moveDown(0.8);

    doc.fontSize(18).text(`住户：${p.label}`);
    doc.fontSize(14).text(`专有面积：${area(p.areaCentiM2)}${p.owners.length ? `${SP}登记业主：${p.owners.join('、')}` : ''}`);
    doc.moveDown(0.6);
    doc.fontSize(18).text('表决事项：');
    doc.fontSize(18).text(printedQuestion(round.question), { indent: 18 });
    doc.moveDown(0.4);
    doc.fontSize(12).text(`表决规则：${RULES[round.rule].name.zh}${round.art278Item ? `（第${round.art278Item}项）` : ''}`);
    doc.text(`表决的定稿：第 ${round.revisionNumber} 版，内容哈希（可在平台上核对）：`);
    doc.fontSize(9).text(round.revisionHash, { characterSpacing: 0.3 });
    if (round.closesAt)
      doc.fontSize(12).text(`截止时间：${new Date(round.closesAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`);
    doc.moveDown(0.8);

    doc.fontSize(16).text('请在一个方框内打“√”：');
    doc.moveDown(0.4);
    const y = doc.y;
    const box = 30;
    const col = width / 3;
    CHOICES.forEach((c, k) => {
      const x = left + k * col + 10;
      doc.lineWidth(2).rect(x, y, box, box).stroke();
      doc.fontSize(22).text(c, x + box + 12, y + 2, { lineBreak: false });
    });
    doc.x = left;
    doc.y = y + box + 28;

    doc.fontSize(16);
    const sign = doc.y;
    doc.text('签字：', left, sign, { lineBreak: false });
    doc
      .lineWidth(1)
      .moveTo(left + 60, sign + 22)
      .lineTo(left + width / 2 - 10, sign + 22)
      .stroke();
    doc.text('日期：', left + width / 2 + 10, sign, { lineBreak: false });
    doc
      .moveTo(left + width / 2 + 70, sign + 22)
      .lineTo(left + width, sign + 22)
      .stroke();
    doc.x = left;
    doc.y = sign + 36;
    doc.fontSize(11).text('由业主本人签字；受托人签字时请附委托书。签字后交楼门组长或居委会，由其拍照录入。', { width });
    doc.moveDown(1);

    // The code: as text to type, and as a QR code to scan with a phone.
    const qr = QRCode.create(paperQrText(p.householdId, p.code), { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    const cell = 4;
    const qx = left + width - size * cell;
    const qy = doc.y;
    doc.rect(qx - 8, qy - 8, size * cell + 16, size * cell + 16).fill('#fff');
    doc.fillColor('#000');
    for (let r = 0; r < size; r++)
      for (let c = 0; c < size; c++) if (qr.modules.get(r, c)) doc.rect(qx + c * cell, qy + r * cell, cell, cell);
    doc.fill('#000');
    doc
      .font('cjk')
      .fontSize(14)
      .text('一次性录入码（录入后作废）：', left, qy, { width: width - size * cell - 24 });
    doc
      .font('Courier-Bold')
      .fontSize(30)
      .text(formatPaperCode(p.code), { width: width - size * cell - 24 });
    doc
      .font('cjk')
      .fontSize(10)
      .text(`第 ${p.issue} 次打印；重新打印后，之前打印的表决票作废。`, { width: width - size * cell - 24 });
    doc.x = left;
    doc.y = Math.max(doc.y, qy + size * cell) + 12;
  });
  doc.end();
  return done;
}
