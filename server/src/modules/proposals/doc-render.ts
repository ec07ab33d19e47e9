import { createHash } from 'node:crypto';
import { type CanonicalFunding, type DiffLine, formatFen, FUNDING_SOURCES, fundingTotals } from '@yishi/shared';

export { renderHtml, renderText } from './doc-html';

/**
 * The funding plan as lines of text (category, line, amount, who pays), for diffs between
 * revisions. Empty for a revision without a plan.
 */
export function renderFundingText(funding: CanonicalFunding | null): string[] {
  if (!funding) return [];
  const out: string[] = [];
  const byId = new Map(funding.lines.map((l) => [l.id, l]));
  const totals = fundingTotals(funding.lines);
  for (const c of totals.categories) {
    out.push(`【资金】${c.category || '未分类'} · 合计 ${formatFen(c.amountFen)} 元`);
    for (const id of c.lineIds) {
      const l = byId.get(id)!;
      const shares = FUNDING_SOURCES.filter((s) => l.splits[s.id]).map((s) => `${s.zh} ${formatFen(l.splits[s.id]!)}`);
      out.push(`【资金】${l.description} · ${formatFen(l.amountFen)} 元 · ${shares.join('，')}`);
    }
  }
  out.push(`【资金】总计 ${formatFen(totals.totalFen)} 元 · ${FUNDING_SOURCES.filter((s) => totals.bySource[s.id]).map((s) => `${s.zh} ${formatFen(totals.bySource[s.id])}`).join('，')}`);
  return out;
}

/**
 * The content hash of a revision: SHA-256 (hex) of `JSON.stringify({ v: 1, html, funding })`,
 * where funding is the plan's canonical form (`canonicalFunding` in shared) or null. Anyone can
 * recompute it from the revision's `html` and `funding` as the API returns them.
 */
export function contentHash(content: { html: string; funding: CanonicalFunding | null }): string {
  return createHash('sha256').update(JSON.stringify({ v: 1, html: content.html, funding: content.funding })).digest('hex');
}

/** A readable line diff (longest common subsequence over the plain-text lines). */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a ? a.split('\n') : [];
  const y = b ? b.split('\n') : [];
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      out.push({ op: 'same', text: x[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: 'removed', text: x[i++] });
    else out.push({ op: 'added', text: y[j++] });
  }
  while (i < x.length) out.push({ op: 'removed', text: x[i++] });
  while (j < y.length) out.push({ op: 'added', text: y[j++] });
  return out;
}
