import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../support/server-process';

/**
 * `npm test` on a plain machine: scripts/test-services.mjs, run as a command, provides PostgreSQL
 * and Redis to the command it runs. TEST_SERVICES_IGNORE_DEFAULTS=1 makes the default addresses
 * ports nothing listens on, as on a machine with neither running (the real ones are shared here).
 */
const SCRIPT = join(REPO_ROOT, 'scripts/test-services.mjs');

// What the suite does with the services: make a database of its own, use Redis.
const PROBE = `
const { Client } = require('pg');
const Redis = require('ioredis');
(async () => {
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query('CREATE DATABASE probe_db');
  const { rows } = await admin.query("SELECT current_setting('server_version_num') AS v, current_setting('data_directory') AS dir");
  await admin.end();
  const redis = new Redis(process.env.TEST_REDIS_URL);
  await redis.set('probe', 'ok');
  const got = await redis.get('probe');
  redis.disconnect();
  console.log('PROBE ' + JSON.stringify({ version: Number(rows[0].v), dataDir: rows[0].dir, redis: got }));
})();`;

function runScript(env: Record<string, string | undefined>, args: string[], user?: { uid: number; gid: number }) {
  const { TEST_DATABASE_URL: _db, TEST_REDIS_URL: _redis, ...rest } = process.env;
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [SCRIPT, ...args], { cwd: REPO_ROOT, env: { ...rest, ...env }, ...user });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const refuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = new Socket();
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
    s.connect(port, '127.0.0.1');
  });

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('the services npm test provides on a plain machine', () => {
  it('with no PostgreSQL and no Redis running, starts an embedded PostgreSQL and a redis-server, and stops both after', async () => {
    const run = await runScript({ TEST_SERVICES_IGNORE_DEFAULTS: '1' }, [process.execPath, '-e', PROBE]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const pgPort = Number(/^PostgreSQL: embedded on 127\.0\.0\.1:(\d+) \(nothing usable at .*ECONNREFUSED\)$/m.exec(run.stdout)?.[1]);
    const redisPort = Number(/^Redis: started redis-server on 127\.0\.0\.1:(\d+), in memory/m.exec(run.stdout)?.[1]);
    expect(pgPort).toBeGreaterThan(0);
    expect(redisPort).toBeGreaterThan(0);
    const probeLine = /^PROBE (.*)$/m.exec(run.stdout)?.[1];
    expect(probeLine).toBeDefined();
    const probe = JSON.parse(probeLine!) as { version: number; dataDir: string; redis: string };
    // The embedded package's PostgreSQL (18), not the machine's.
    expect(probe.version).toBeGreaterThanOrEqual(180000);
    expect(probe.redis).toBe('ok');

    // Nothing left behind: both stopped, the temporary folder holding the database removed.
    expect(await refuses(pgPort)).toBe(true);
    expect(await refuses(redisPort)).toBe(true);
    expect(probe.dataDir).toMatch(/yishi-test-pg-[^/]+\/data$/);
    expect(existsSync(dirname(probe.dataDir))).toBe(false);
  });

  it('an explicit TEST_DATABASE_URL that cannot be used stops the run with one line naming it, running nothing', async () => {
    const url = `postgres://postgres@127.0.0.1:${await closedPort()}/test`;
    const run = await runScript({ TEST_DATABASE_URL: url }, [process.execPath, '-e', 'console.log("ran")']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('ran');
    expect(run.stderr).toBe(`!! PostgreSQL at TEST_DATABASE_URL=${url} cannot be used (ECONNREFUSED)\n`);
  });

  it('not root and missing Debian packages: one line naming the command that installs them', async () => {
    // Nothing on PATH, so redis-server, pdftotext, ps and fc-list are all missing. Run as nobody
    // when the suite runs as root, so the script does not install them.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    const run = await runScript({ PATH: '/nonexistent' }, [process.execPath, '-e', 'console.log("ran")'], user);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('ran');
    expect(run.stderr).toBe(
      '!! the suite needs Debian packages that are missing: run `sudo apt-get install -y redis-server fontconfig fonts-noto-cjk poppler-utils procps` first\n',
    );
  });
});
