import { inflateSync } from 'node:zlib';

/**
 * The ballot codes printed in a PDF, read the way a PDF reader does: inflate every content
 * stream and decode the hex strings drawn in the Latin font (the code is set in Courier).
 */
export function codesInPdf(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  const re = /stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const h of content.matchAll(/<([0-9a-f]+)>/g)) {
      const s = Buffer.from(h[1]!, 'hex').toString('latin1');
      if (/^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(s)) out.push(s);
    }
  }
  return out;
}
