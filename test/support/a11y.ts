import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  // Evaluated through the DevTools protocol, not as a <script> tag: the app's CSP allows no inline script.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

export interface ElderlyMeasure {
  /** Visible text elements whose computed font size is below the minimum. */
  smallText: Array<{ text: string; fontPx: number }>;
  /** Visible text whose line height is below 1.3 × its font size. */
  tightLines: Array<{ text: string; ratio: number }>;
  /** Visible text whose contrast against its background is below 4.5:1. */
  lowContrast: Array<{ text: string; ratio: number; fg: string; bg: string }>;
  /** Visible controls (their clickable box: a wrapping label counts) smaller than the minimum. */
  smallTargets: Array<{ what: string; width: number; height: number }>;
  /** How many of each were measured, so an empty page cannot pass by measuring nothing. */
  counted: { text: number; targets: number };
}

/**
 * Measures, in the browser, what the 2021 elderly-friendly specification asks of the page:
 * computed font sizes, line heights, contrast of computed colours, and target boxes.
 */
export function measureElderly(page: Page, minFontPx = 24, minTargetPx = 60): Promise<ElderlyMeasure> {
  return page.evaluate(
    ({ minFontPx, minTargetPx }) => {
      type Rgba = [number, number, number, number];
      const parse = (c: string): Rgba => {
        const inner = c.match(/rgba?\(([^)]+)\)/)?.[1];
        if (inner === undefined) return [0, 0, 0, 1];
        const [r = NaN, g = NaN, b = NaN, a = 1] = inner
          .split(/[ ,/]+/)
          .filter(Boolean)
          .map(Number);
        return [r, g, b, a];
      };
      const lum = ([r, g, b]: Rgba) => {
        const f = (v: number) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (el: Element): Rgba => {
        for (let e: Element | null = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c[3] > 0.5) return c;
        }
        return [255, 255, 255, 1];
      };
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return (
          r.width > 2 &&
          r.height > 2 &&
          s.visibility !== 'hidden' &&
          s.display !== 'none' &&
          r.bottom > -5000 &&
          r.right > 0 &&
          r.left < window.innerWidth + 1
        );
      };
      const disabled = (el: Element) => Boolean(el.closest('[disabled], [aria-disabled="true"]'));
      const textOf = (el: Element) => (el.textContent ?? '').trim().slice(0, 40);

      const out: ElderlyMeasure = { smallText: [], tightLines: [], lowContrast: [], smallTargets: [], counted: { text: 0, targets: 0 } };
      const main = document.querySelector('main') ?? document.body;
      const texts = Array.from(document.querySelectorAll('header *, main *')).filter(
        (el) =>
          Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim()) &&
          visible(el) &&
          !el.closest('.visually-hidden, .collaboration-carets__label'),
      );
      for (const el of texts) {
        const s = getComputedStyle(el);
        const font = parseFloat(s.fontSize);
        out.counted.text++;
        // Main text: everything in <main> except headings (larger anyway) and the carets' name tags.
        if (main.contains(el) && font < minFontPx - 0.01) out.smallText.push({ text: textOf(el), fontPx: font });
        const lh = s.lineHeight === 'normal' ? font * 1.2 : parseFloat(s.lineHeight);
        if (lh / font < 1.3 - 0.001 && !el.closest('button, a, select, option'))
          out.tightLines.push({ text: textOf(el), ratio: lh / font });
        if (disabled(el)) continue; // inactive controls are exempt (WCAG 1.4.3)
        const fg = parse(s.color);
        const bg = background(el);
        const a = lum(fg) + 0.05;
        const b = lum(bg) + 0.05;
        const ratio = Math.max(a, b) / Math.min(a, b);
        if (ratio < 4.5)
          out.lowContrast.push({
            text: textOf(el),
            ratio: Math.round(ratio * 100) / 100,
            fg: s.color,
            bg: `rgb(${bg.slice(0, 3).join(',')})`,
          });
      }
      const controls = Array.from(
        document.querySelectorAll('button, a[href], input, select, textarea, summary, [contenteditable="true"]'),
      ).filter((el) => visible(el) && !el.closest('.visually-hidden'));
      for (const el of controls) {
        const target = el.matches('input[type="checkbox"], input[type="radio"]') ? (el.closest('label') ?? el) : el;
        const r = target.getBoundingClientRect();
        out.counted.targets++;
        if (r.width < minTargetPx - 0.5 || r.height < minTargetPx - 0.5) {
          out.smallTargets.push({
            what: `${el.tagName.toLowerCase()} "${textOf(el) || el.getAttribute('aria-label') || ''}"`,
            width: Math.round(r.width),
            height: Math.round(r.height),
          });
        }
      }
      return out;
    },
    { minFontPx, minTargetPx },
  );
}
