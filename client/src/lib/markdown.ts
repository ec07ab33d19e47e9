/**
 * The little Markdown docs/rules.md is written in, parsed into blocks of plain text that React
 * renders as text nodes: headings, paragraphs, bullet lists and `code`. Nothing in the file is
 * ever inserted as HTML, so the page cannot carry markup of its own.
 */
export type Inline = { code: boolean; text: string };
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; id: string }
  | { kind: 'paragraph'; lines: Inline[][] }
  | { kind: 'list'; items: Inline[][][] };

/** Splits a line at backticks: odd parts are code. */
export function inline(text: string): Inline[] {
  return text
    .split('`')
    .map((part, i) => ({ code: i % 2 === 1, text: part }))
    .filter((p) => p.text.length > 0);
}

/** An anchor for a heading: "## 2. 同一业主一个意见 · One owner" → "2". */
function anchor(text: string, used: Set<string>): string {
  const base = /^(\d+)\./.exec(text)?.[1] ?? `s${used.size + 1}`;
  used.add(base);
  return base;
}

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const used = new Set<string>();
  let paragraph: Inline[][] | null = null;
  let list: Inline[][][] | null = null;
  const end = () => {
    paragraph = null;
    list = null;
  };
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const [, hashes, title] = /^(#{1,3}) (.+)$/.exec(line) ?? [];
    if (hashes && title) {
      end();
      blocks.push({ kind: 'heading', level: hashes.length as 1 | 2 | 3, text: title, id: anchor(title, used) });
    } else if (line.trim() === '') {
      end();
    } else if (/^- /.test(line)) {
      paragraph = null;
      if (!list) {
        list = [];
        blocks.push({ kind: 'list', items: list });
      }
      list.push([inline(line.slice(2))]);
    } else if (list && /^\s+\S/.test(line)) {
      // A continuation of the last bullet (the English under the Chinese).
      list.at(-1)?.push(inline(line.trim()));
    } else {
      list = null;
      if (!paragraph) {
        paragraph = [];
        blocks.push({ kind: 'paragraph', lines: paragraph });
      }
      paragraph.push(inline(line));
    }
  }
  return blocks;
}
