import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../infra/config/resolve-config';
import { startEmbeddedPostgres } from '../infra/database/embedded-postgres';

/**
 * The database a command-line tool works on: DATABASE_URL, or the embedded one under DATA_DIR
 * (the running one, or started for the command and stopped again).
 */
export async function databaseUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const dataDir = resolve(process.env.DATA_DIR ?? join(REPO_ROOT, '.data'));
  const pid = join(dataDir, 'pg', 'postmaster.pid');
  const password = existsSync(join(dataDir, 'pg-password')) ? readFileSync(join(dataDir, 'pg-password'), 'utf8').trim() : null;
  if (!password) throw new Error(`no DATABASE_URL and no embedded database under ${dataDir}`);
  if (existsSync(pid)) {
    // postmaster.pid: line 1 the pid, line 4 the port.
    const lines = readFileSync(pid, 'utf8').split('\n');
    let alive: boolean;
    try {
      process.kill(Number(lines[0]), 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (alive)
      return {
        url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${Number(lines[3])}/yishi`,
        stop: async () => undefined,
      };
  }
  const say = (m: string) => console.error(m);
  const db = await startEmbeddedPostgres(dataDir, { info: say, warn: say, error: say });
  return { url: db.url, stop: () => db.stop() };
}
