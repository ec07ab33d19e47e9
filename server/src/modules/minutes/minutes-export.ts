import { formatAreaM2, type MeetingRecord, type MinutesView, RULES } from '@yishi/shared';
import { cjkDocument, printedQuestion } from '../votes/result-pdf';

/** One section of the printed minutes: a heading and its lines. */
interface Section {
  heading: string;
  lines: string[];
}

/** The ideographic space (U+3000) Chinese typesetting indents and separates with. */
const SP = '\u3000';
const STATUS_ZH = { pending: '未议', current: '进行中', done: '已议' } as const;
const STANCE_ZH = { against: '反对', abstain: '弃权' } as const;
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
const minutesOf = (s: number) => `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
const counts = (c: { households: number; areaCentiM2: number; heads: number }) =>
  `${c.households} 户，${formatAreaM2(c.areaCentiM2)} m²，${c.heads} 人`;

/**
 * The automatic record as printed sections, in Chinese (the papers are Chinese documents, like the
 * result PDF): Markdown and the PDF are both made from these, so the two never say different things.
 */
export function recordSections(r: MeetingRecord): Section[] {
  const none = (lines: string[]) => (lines.length ? lines : ['无']);
  return [
    {
      heading: '出席情况',
      lines: [
        `签到 ${r.attendance.people} 人（线上 ${r.attendance.online}，现场 ${r.attendance.onSite}，代为登记 ${r.attendance.registered}）`,
        `到会：${counts(r.attendance.present)}`,
        `有表决权：${counts(r.attendance.eligible)}`,
        ...(r.attendance.names.length ? [`名单：${r.attendance.names.join('、')}`] : []),
      ],
    },
    { heading: '议程', lines: none(r.agenda.map((a) => `${a.position}. ${a.title}（${STATUS_ZH[a.status]}）`)) },
    { heading: '发言', lines: none(r.speakers.map((s) => `${s.name}：${s.turns} 次，共 ${minutesOf(s.seconds)}`)) },
    {
      heading: '表决',
      lines: none(
        r.rounds.map(
          (v) =>
            `《${v.proposalTitle}》第 ${v.number} 轮（第 ${v.revisionNumber} 版）：${printedQuestion(v.question)} 规则：${RULES[v.rule].name.zh}` +
            `${v.art278Item ? `（第${v.art278Item}项）` : ''}；赞成 ${v.for} 户，反对 ${v.against} 户，弃权 ${v.abstain} 户，未投 ${v.notVoted} 户；` +
            `${v.passed === null ? '进行中' : v.passed ? '通过' : '未通过'}`,
        ),
      ),
    },
    {
      heading: '决定',
      lines: none(r.decisions.map((d) => `《${d.proposalTitle}》第 ${d.roundNumber} 轮表决通过（${RULES[d.rule].name.zh}）`)),
    },
    {
      heading: '意见与答复',
      lines: none(
        r.objections.flatMap((o) => [
          `${o.author}（${STANCE_ZH[o.stance]}，《${o.proposalTitle}》第 ${o.roundNumber} 轮）：${o.body}`,
          ...o.answers.map((a) => `${SP}答复（${a.author}）：${a.body}`),
        ]),
      ),
    },
    {
      heading: '吹哨',
      lines: none(r.whistles.map((w) => `${time(w.at)} ${w.question} → ${w.targets.join('、') || '—'}，期限 ${time(w.deadline)}`)),
    },
  ];
}

function header(v: MinutesView): string[] {
  const m = v.record.meeting;
  return [
    `时间：${time(m.openedAt ?? m.scheduledAt)} 至 ${time(m.adjournedAt)}`,
    `地点：${m.place || '—'}`,
    `记录人：${v.recorder?.name ?? '—'}`,
    v.closed ? `定稿：${time(v.closed.at)}，${v.closed.byName}，哈希 ${v.closed.hash}` : '状态：未定稿',
  ];
}

/** Markdown-significant characters in user text are escaped, so a name or a line cannot become a link or a heading. */
const md = (s: string) => s.replace(/([\\`*_[\]<>|~#])/g, '\\$1').replace(/^([-+=]|\d+\.)/, '\\$1');

/** The minutes and the automatic record as Markdown. */
export function minutesMarkdown(v: MinutesView, text: string): string {
  const out = [`# ${md(v.meetingTitle)} 会议纪要`, '', ...header(v).map((l) => `- ${md(l)}`), '', '## 纪要', ''];
  const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
  out.push(...(paragraphs.length ? paragraphs.flatMap((p) => [md(p), '']) : ['（空）', '']));
  out.push('## 自动记录', '');
  for (const s of recordSections(v.record)) out.push(`### ${s.heading}`, '', ...s.lines.map((l) => `- ${md(l)}`), '');
  return out.join('\n');
}

/** The minutes and the automatic record as an A4 PDF, Chinese set in the CJK font the result PDF uses. */
export function minutesPdf(v: MinutesView, text: string): Promise<Buffer> {
  const { doc, done } = cjkDocument(`${v.meetingTitle} 会议纪要`);
  doc.fontSize(18).text(`${v.meetingTitle}${SP}会议纪要`, { align: 'center' });
  doc.moveDown().fontSize(10);
  for (const l of header(v)) doc.text(l);
  doc.moveDown().fontSize(14).text('纪要');
  doc.moveDown(0.3).fontSize(11);
  const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
  for (const p of paragraphs.length ? paragraphs : ['（空）']) doc.text(p, { paragraphGap: 4 });
  doc.moveDown().fontSize(14).text('自动记录');
  for (const s of recordSections(v.record)) {
    doc.moveDown(0.5).fontSize(12).text(s.heading);
    doc.fontSize(10);
    for (const l of s.lines) doc.text(l);
  }
  doc.end();
  return done;
}
