import { createHash } from 'node:crypto';
import { type CanonicalFunding, DOC_BODY_FIELD, type DiffLine, formatFen, FUNDING_SOURCES, fundingTotals } from '@yishi/shared';
import * as Y from 'yjs';

/**
 * Renders a proposal's body (the TipTap/ProseMirror document in the Y.XmlFragment `body`) as
 * HTML and as plain text. Only known nodes and marks are rendered, every text and attribute is
 * escaped, and link targets must be http(s) or mailto: what users typed never becomes markup.
 */

const BLOCKS: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  table: 'table',
  tableRow: 'tr',
  tableCell: 'td',
  tableHeader: 'th',
  codeBlock: 'pre',
};
const MARKS: Array<[string, string]> = [
  ['bold', 'strong'],
  ['italic', 'em'],
  ['underline', 'u'],
  ['strike', 's'],
  ['code', 'code'],
];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const safeHref = (href: unknown) => (typeof href === 'string' && /^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : null);

export function renderHtml(doc: Y.Doc): string {
  return doc.getXmlFragment(DOC_BODY_FIELD).toArray().map(nodeHtml).join('');
}

function nodeHtml(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) return textHtml(node);
  if (!(node instanceof Y.XmlElement)) return '';
  const inner = node.toArray().map(nodeHtml).join('');
  const name = node.nodeName;
  if (name === 'heading') {
    const level = Math.min(6, Math.max(1, Number(node.getAttribute('level')) || 2));
    return `<h${level}>${inner}</h${level}>`;
  }
  if (name === 'hardBreak') return '<br>';
  if (name === 'horizontalRule') return '<hr>';
  const tag = BLOCKS[name];
  return tag ? `<${tag}>${inner}</${tag}>` : inner;
}

function textHtml(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, any> }>)
    .map(({ insert, attributes = {} }) => {
      if (typeof insert !== 'string') return '';
      let out = escape(insert);
      for (const [mark, tag] of MARKS) if (attributes[mark]) out = `<${tag}>${out}</${tag}>`;
      const href = safeHref(attributes.link?.href);
      if (href) out = `<a href="${escape(href)}" rel="noopener noreferrer">${out}</a>`;
      return out;
    })
    .join('');
}

/** Plain text, one line per block, list items marked, table cells separated by " | ". */
export function renderText(doc: Y.Doc): string {
  const lines: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, prefix: string) => {
    if (!(node instanceof Y.XmlElement)) return;
    const name = node.nodeName;
    if (name === 'bulletList' || name === 'orderedList') {
      node.toArray().forEach((item, i) => walk(item, name === 'orderedList' ? `${i + 1}. ` : '• '));
    } else if (name === 'tableRow') {
      lines.push(node.toArray().map((cell) => inlineText(cell)).join(' | '));
    } else if (['table', 'listItem', 'blockquote'].includes(name)) {
      node.toArray().forEach((child, i) => walk(child, i === 0 ? prefix : prefix.replace(/./g, ' ')));
    } else {
      lines.push(prefix + inlineText(node));
    }
  };
  doc.getXmlFragment(DOC_BODY_FIELD).toArray().forEach((n) => walk(n, ''));
  return lines.join('\n');
}

function inlineText(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) return (node.toDelta() as Array<{ insert: unknown }>).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
  if (node instanceof Y.XmlElement) return node.nodeName === 'hardBreak' ? ' ' : node.toArray().map(inlineText).join(' ').trim();
  return '';
}

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
