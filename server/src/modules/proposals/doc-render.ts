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
  out.push(
    `【资金】总计 ${formatFen(totals.totalFen)} 元 · ${FUNDING_SOURCES.filter((s) => totals.bySource[s.id])
      .map((s) => `${s.zh} ${formatFen(totals.bySource[s.id])}`)
      .join('，')}`,
  );
  return out;
}

/**
 * The content hash of a revision: SHA-256 (hex) of `JSON.stringify({ v: 1, html, funding })`,
 * where funding is the plan's canonical form (`canonicalFunding` in shared) or null. Anyone can
 * recompute it from the revision's `html` and `funding` as the API returns them.
 */
export function contentHash(content: { html: string; funding: CanonicalFunding | null }): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: 1, html: content.html, funding: content.funding }))
    .digest('hex');
}

/** A readable line diff (longest common subsequence over the plain-text lines). */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a ? a.split('\n') : [];
  const y = b ? b.split('\n') : [];
  // lcs[i][j]: the length of the longest common subsequence of x from i and y from j; 0 past either end.
  const lcs = x.map(() => new Array<number>(y.length).fill(0));
  const at = (i: number, j: number): number => lcs[i]?.[j] ?? 0;
  for (const [i, row] of [...lcs.entries()].reverse())
    for (let j = y.length - 1; j >= 0; j--) row[j] = x[i] === y[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (let a = x[i], b = y[j]; a !== undefined && b !== undefined; a = x[i], b = y[j]) {
    if (a === b) {
      out.push({ op: 'same', text: a });
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      out.push({ op: 'removed', text: a });
      i++;
    } else {
      out.push({ op: 'added', text: b });
      j++;
    }
  }
  for (const text of x.slice(i)) out.push({ op: 'removed', text });
  for (const text of y.slice(j)) out.push({ op: 'added', text });
  return out;
}
