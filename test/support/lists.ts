import type { Page } from 'playwright-core';
import { measureElderly, seriousAxeViolations } from './a11y';

/** Calls the API as a signed-in person; throws on a refusal, naming the call. */
export async function api<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every measurement of 长辈版 and axe's serious findings, on what the page shows now, on a phone of `width` px. */
export async function expectElderlyFriendly(page: Page, where: string, width = 360): Promise<void> {
  const m = await measureElderly(page);
  expect(m.counted.text).toBeGreaterThan(5);
  const problems = { smallText: m.smallText, tightLines: m.tightLines, lowContrast: m.lowContrast, smallTargets: m.smallTargets };
  if (Object.values(problems).some((l) => l.length > 0)) throw new Error(`长辈版 on ${where}:\n${JSON.stringify(problems, null, 2)}`);
  const axe = await seriousAxeViolations(page);
  if (axe.length) throw new Error(`axe on ${where}:\n${JSON.stringify(axe, null, 2)}`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}
