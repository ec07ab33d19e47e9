import { formatAreaM2, formatFen, type NoticeRound, type NoticeView, RULES } from '@yishi/shared';
import { cjkDocument } from '../votes/result-pdf';

/** The ideographic space (U+3000) Chinese typesetting indents with. */
const SP = '\u3000';
const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
const STATE_ZH = { open: '公示中', ended: '公示期已满', withdrawn: '已撤回' } as const;

function roundLine(r: NoticeRound): string {
  const c = (k: 'for' | 'against' | 'abstain' | 'notVoted') => `${r[k].households} 户（${formatAreaM2(r[k].areaCentiM2)} m²）`;
  return (
    `第 ${r.number} 轮表决（第 ${r.revisionNumber} 版）：${r.passed ? '通过' : '未通过'}；规则：${RULES[r.rule].name.zh}；` +
    `赞成 ${c('for')}，反对 ${c('against')}，弃权 ${c('abstain')}，未投票 ${c('notVoted')}；${time(r.closedAt)}`
  );
}

/**
 * The notice as posted on the courtyard's bulletin board: A4, Chinese set in the result PDF's font,
 * the period, the decision with its vote record, and every objection with its answer. It is made
 * from the view without names (the public page's), because a paper on a wall is read by anyone:
 * the chair prints it whether or not the notice also has a public page.
 */
export function noticePdf(n: NoticeView): Promise<Buffer> {
  const title = `公示：${n.subject.title}`;
  const { doc, done } = cjkDocument(title, 56);
  const r = n.record;
  doc.fontSize(12).text(n.compoundName, { align: 'center' });
  doc.moveDown(0.3).fontSize(22).text(title, { align: 'center' });
  doc
    .moveDown(0.6)
    .fontSize(14)
    .text(`${STATE_ZH[n.state]}${SP}公示期：${time(n.publishedAt)} 至 ${time(n.endsAt)} 止`);
  if (n.withdrawReason) doc.text(`撤回原因：${n.withdrawReason}`);
  if (n.note) doc.moveDown(0.5).fontSize(13).text(n.note);

  doc
    .moveDown()
    .fontSize(16)
    .text(n.subject.kind === 'proposal' ? '决定内容' : '项目');
  doc.moveDown(0.3).fontSize(13);
  const lines = r.text.split('\n').filter((l) => l.trim() !== '');
  for (const l of lines.length ? lines : ['（空）']) doc.text(l, { paragraphGap: 4 });
  doc.fontSize(10);
  if (r.adoptedAt) doc.text(`通过生效：${time(r.adoptedAt)}`);
  if (r.revisionHash) doc.text(`定稿哈希：${r.revisionHash}`);

  if (r.rounds.length > 0 || r.signOffs.length > 0) {
    doc.moveDown().fontSize(16).text('表决记录');
    doc.moveDown(0.3).fontSize(11);
    for (const x of r.rounds) doc.text(roundLine(x), { paragraphGap: 3 });
    for (const s of r.signOffs)
      doc.text(
        `${s.organisationName}${s.decision === 'given' ? `签认出资 ${formatFen(s.amountFen)} 元` : '拒绝签认'}（${time(s.signedAt)}）`,
      );
  }
  if (r.acceptance)
    doc.moveDown(0.5).fontSize(13).text(`居民验收：满意 ${r.acceptance.satisfied} 人，不满意 ${r.acceptance.unsatisfied} 人`);

  doc.moveDown().fontSize(16).text(`异议与答复（${n.objections.length} 条）`);
  doc.moveDown(0.3).fontSize(12);
  if (n.objections.length === 0) doc.text('无');
  for (const o of n.objections) {
    doc.text(`一位居民（${time(o.raisedAt)}）：${o.body}`);
    doc.text(o.answer ? `${SP}主持人答复：${o.answer}` : `${SP}等待主持人答复`, { paragraphGap: 4 });
  }
  doc
    .moveDown()
    .fontSize(10)
    .text('公示期内如有异议，可在社区议事平台提出，主持人逐条答复并记录在案。为保护隐私，本公示不显示任何人的姓名。');
  doc.end();
  return done;
}
