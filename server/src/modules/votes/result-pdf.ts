import { existsSync } from 'node:fs';
import {
  type Check,
  type CheckId,
  formatPermille,
  type RollCallEntry,
  type RoundQuestion,
  type RoundView,
  type RuleId,
  RULES,
} from '@yishi/shared';
import type PDFKitModule from 'pdfkit';
import { AppError } from '../../infra/errors/app-error';

/** Where Debian's fonts-noto-cjk puts its fonts; PDF_FONT (a .ttf/.otf/.ttc path) overrides. */
const FONT_CANDIDATES = [
  process.env.PDF_FONT,
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
].filter((p): p is string => !!p);

/** The ideographic space (U+3000) Chinese typesetting separates fields with. */
const SP = '\u3000';

const CHOICE_ZH = { for: '赞成', against: '反对', abstain: '弃权' } as const;

/** What each threshold compares, in the words of the rule. */
const CHECK_ZH: Record<string, string> = {
  electorate: '有表决权户数',
  participation_area: '参与表决面积',
  participation_heads: '参与表决人数',
  area_for: '同意面积',
  heads_for: '同意人数',
  unanimous: '全票赞成',
  ballots: '赞成与反对票',
  majority: '多数',
};

/**
 * The factors of a share check `den × part op num × whole` under a rule (the thresholds of
 * docs/rules.md), so the printed line shows the formula and not only its two products.
 */
function factors(rule: RuleId, id: CheckId): { den: number; num: number } | null {
  switch (id) {
    case 'participation_area':
    case 'participation_heads':
      return { den: 3, num: 2 };
    case 'area_for':
    case 'heads_for':
      return rule === 'art278_special' ? { den: 4, num: 3 } : { den: 2, num: 1 };
    case 'majority':
      return rule === 'two_thirds' ? { den: 3, num: 2 } : { den: 2, num: 1 };
    default:
      return null;
  }
}

const OP = { '>=': '≥', '>': '>', '=': '=' } as const;

/** One threshold as printed, e.g. "同意面积：4 × 47656 ≥ 3 × 81213（面积以 0.01 m² 计）→ 达到". */
export function checkLine(rule: RuleId, c: Check): string {
  const f = factors(rule, c.id);
  const formula = f ? `${f.den} × ${c.left / f.den} ${OP[c.op]} ${f.num} × ${c.right / f.num}` : `${c.left} ${OP[c.op]} ${c.right}`;
  const unit = c.id === 'participation_area' || c.id === 'area_for' ? '（面积以 0.01 m² 计）' : '';
  return `${CHECK_ZH[c.id] ?? c.id}：${formula}${unit} → ${c.met ? '达到' : '未达到'}${c.vacuous ? '（无可计）' : ''}`;
}

/** The round's question as printed: the papers are Chinese documents, so the default question is worded as the zh-CN client words it. */
export function printedQuestion(q: RoundQuestion): string {
  return 'text' in q ? q.text : `是否同意《${q.params.title}》第 ${q.params.n} 版？`;
}

export interface PrintContext {
  compoundName: string;
  proposalTitle: string;
}

const area = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')} m²`;

let pdfkitLoaded: typeof PDFKitModule | undefined;
/** pdfkit (with fontkit and its decoders, several MB) is loaded for the first PDF, not when the node starts. */
function pdfkit(): typeof PDFKitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, synchronously
  return (pdfkitLoaded ??= require('pdfkit') as typeof PDFKitModule);
}

/**
 * An A4 pdfkit document with a CJK font registered as `cjk` and selected, and the promise of its
 * bytes once `doc.end()` is called. Chinese text needs a CJK font; without one it refuses clearly.
 */
export function cjkDocument(title: string, margin = 48): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const font = FONT_CANDIDATES.find((p) => existsSync(p));
  if (!font) throw new AppError('UNAVAILABLE', { message: 'no CJK font for the PDF (install fonts-noto-cjk or set PDF_FONT)' });
  const doc = new (pdfkit())({ size: 'A4', margin, info: { Title: title, Producer: 'Yishi' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font.endsWith('.ttc')) doc.registerFont('cjk', font, font.includes('Noto') ? 'NotoSansCJKsc-Regular' : undefined);
  else doc.registerFont('cjk', font);
  doc.font('cjk');
  return { doc, done };
}

/**
 * A printable A4 record of a closed round: what was voted on (revision and its hash), the rule,
 * the count by households, area and heads, the verdict with every threshold compared, and the
 * named roll-call. Chinese text needs a CJK font; without one the export is refused clearly.
 */
export function resultPdf(round: RoundView, rows: RollCallEntry[], ctx: PrintContext): Promise<Buffer> {
  const result = round.result!;
  const { doc, done } = cjkDocument(`${ctx.proposalTitle} 第${round.number}轮表决结果`);

  doc.fontSize(18).text(`${ctx.compoundName}${SP}表决结果`, { align: 'center' });
  doc.moveDown(0.5).fontSize(14).text(`${ctx.proposalTitle}${SP}第 ${round.number} 轮`, { align: 'center' });
  doc.moveDown();
  doc.fontSize(11);
  const line = (label: string, value: string) => doc.text(`${label}：${value}`);
  line('表决事项', printedQuestion(round.question));
  line('表决规则', RULES[round.rule].name.zh + (round.art278Item ? `（第${round.art278Item}项）` : ''));
  line('表决版本', `第 ${round.revisionNumber} 版，内容哈希 ${round.revisionHash}`);
  line('开始时间', new Date(round.openedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }));
  line(
    '结束时间',
    `${new Date(round.closedAt!).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}（${round.closeReason === 'deadline' ? '到期自动结束' : '主持人结束'}）`,
  );
  doc.moveDown();

  doc.fontSize(14).text(result.decision.passed ? '结果：通过' : '结果：未通过');
  doc.fontSize(11);
  const t = result.tally;
  line('有表决权', `${result.totals.households} 户，${area(result.totals.areaCentiM2)}，${result.totals.heads} 人`);
  for (const k of ['for', 'against', 'abstain'] as const)
    line(CHOICE_ZH[k], `${t[k].households} 户，${area(t[k].areaCentiM2)}，${t[k].heads} 人`);
  line('未投票', `${t.notVoted.households} 户，${area(t.notVoted.areaCentiM2)}，${t.notVoted.heads} 人`);
  line('代录（纸质）', `${result.assisted} 票`);
  line(
    '赞成占全体',
    `户数 ${formatPermille(result.supportOfWhole.householdsPermille)}，面积 ${formatPermille(result.supportOfWhole.areaPermille)}，人数 ${formatPermille(result.supportOfWhole.headsPermille)}`,
  );
  doc.moveDown(0.5).text('各项门槛（整数比较）：');
  for (const c of result.decision.checks) doc.text(`${SP}${checkLine(round.rule, c)}`);
  line('审计哈希（结束记录）', result.closeHash);
  doc.moveDown();

  doc.fontSize(14).text('记名表决表');
  doc.fontSize(9);
  for (const r of rows) {
    const flags = [
      r.viaProxy ? '受托' : '',
      r.assisted ? `代录:${r.recordedByName ?? ''}` : '',
      r.paper ? `纸质票 签字人:${r.paper.signerName}` : r.hasPaper ? '有纸质凭证' : '',
    ]
      .filter(Boolean)
      .join(' ');
    doc.text(
      `${r.label}${SP}${area(r.areaCentiM2)}${SP}${r.choice ? CHOICE_ZH[r.choice] : '未投票'}${SP}${r.voterName ?? ''}${SP}${flags}${r.reason ? `${SP}理由：${r.reason}` : ''}`,
    );
  }
  doc.end();
  return done;
}
