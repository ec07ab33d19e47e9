import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type FreshDatabase, freshDatabase, type ServerProcess, startServer } from './server-process';

export const RESULTS_DIR = join(__dirname, '..', 'test-results');
export const SCREENSHOTS_DIR = join(RESULTS_DIR, 'screenshots');

/** Debian's Chromium, headless, with nothing that reaches for the network on its own. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What a browser spec runs against; read it in the spec's tests and hooks, once it has started. */
export interface BrowserStory {
  readonly db: FreshDatabase;
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** What the spec opened (browser contexts, sockets) and leaves to be closed before the rest. */
  closeFirst(...things: Closable[]): void;
}

interface Closable {
  close(): unknown;
}

/**
 * For a browser spec: the demo story's server (`SEED_DEMO`) on a fresh database, with `env` added,
 * and a Chromium, started before the spec's tests (so before any beforeAll declared after this
 * call) and closed after them, what the spec handed to `closeFirst` first.
 */
export function browserStory(env: Record<string, string> = {}): BrowserStory {
  let db: FreshDatabase | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const opened: Closable[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
    server = await startServer({ DATABASE_URL: db.url, SEED_DEMO: 'true', JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e', ...env });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const thing of opened) await thing.close();
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });
  return {
    get db() {
      return db!;
    },
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
    closeFirst: (...things) => opened.push(...things),
  };
}
