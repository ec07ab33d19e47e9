// Loaded by the document workers too: it imports only Yjs and the field name, so a worker
// starts in tens of milliseconds rather than loading all of @yishi/shared.
import { DOC_BODY_FIELD } from '@yishi/shared/dist/protocol/doc-fields';
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
  return (text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> & { link?: { href?: unknown } } }>)
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
      lines.push(
        node
          .toArray()
          .map((cell) => inlineText(cell))
          .join(' | '),
      );
    } else if (['table', 'listItem', 'blockquote'].includes(name)) {
      node.toArray().forEach((child, i) => walk(child, i === 0 ? prefix : prefix.replace(/./g, ' ')));
    } else {
      lines.push(prefix + inlineText(node));
    }
  };
  doc
    .getXmlFragment(DOC_BODY_FIELD)
    .toArray()
    .forEach((n) => walk(n, ''));
  return lines.join('\n');
}

function inlineText(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText)
    return (node.toDelta() as Array<{ insert: unknown }>).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
  if (node instanceof Y.XmlElement) return node.nodeName === 'hardBreak' ? ' ' : node.toArray().map(inlineText).join(' ').trim();
  return '';
}
