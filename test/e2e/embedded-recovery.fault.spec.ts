import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServerToExit, signIn, startServer } from '../support/server-process';

/** The pid PostgreSQL wrote into its lock file: the running postmaster. */
const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

/** Gone, or a zombie nobody reaps: either way no longer serving. */
function running(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The chair's compound and a way to list and make invitations in it: a write the user sees. */
async function asChair(url: string) {
  const { accessToken } = await signIn(url, 'chair');
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const me = (await (await fetch(`${url}/api/me`, { headers })).json()) as { memberships: [{ compoundId: string }] };
  const invitations = `${url}/api/compounds/${me.memberships[0].compoundId}/invitations`;
  return {
    invite: async () => {
      const res = await fetch(invitations, { method: 'POST', headers, body: JSON.stringify({ role: 'observer' }) });
      return { status: res.status, code: ((await res.json()) as { code: string }).code };
    },
    codes: async () => ((await (await fetch(invitations, { headers })).json()) as Array<{ code: string }>).map((i) => i.code),
  };
}

/** Issue 17: a node killed with -9 starts again by itself, and its database comes back if it dies. */
describe('the embedded PostgreSQL under kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'yishi-e2e-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second node on the same DATA_DIR, and after kill -9 of the node stops the orphan and starts with the data', async () => {
    const first = await startServer({ DATA_DIR: dataDir });
    const { status, code } = await (await asChair(first.url)).invite();
    expect(status).toBe(201);
    const orphan = postmasterPid(dataDir);

    // Another node on the same DATA_DIR while the first runs: refused, naming the database's process.
    const rival = await runServerToExit({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    expect(rival.code).toBe(1);
    expect(rival.output).toContain(`Yishi failed to start: the embedded database in ${join(dataDir, 'pg')} is in use by process ${orphan}`);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);

    await first.stop('SIGKILL');
    // The situation of the issue: the node is gone, its PostgreSQL is not.
    expect(running(orphan)).toBe(true);

    const second = await startServer({ DATA_DIR: dataDir });
    try {
      expect(second.output()).toContain(`the embedded PostgreSQL (pid ${orphan}) outlived its node (pid ${first.pid})`);
      expect(running(orphan)).toBe(false);
      expect(second.output()).not.toContain('seeded just now');
      expect(await (await asChair(second.url)).codes()).toContain(code);
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  });

  it('restarts PostgreSQL killed under a running node, and the node serves again', async () => {
    let restarted: () => void;
    const back = new Promise<void>((resolve) => (restarted = resolve));
    const node = await startServer(
      { DATA_DIR: dataDir },
      { onLine: (line) => line.includes('the embedded PostgreSQL is running again') && restarted() },
    );
    try {
      const chair = await asChair(node.url);
      const before = postmasterPid(dataDir);
      process.kill(before, 'SIGKILL');
      const t0 = Date.now();
      await back;
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(postmasterPid(dataDir)).not.toBe(before);
      expect(node.output()).toContain('the embedded PostgreSQL stopped unexpectedly (exit code null, signal SIGKILL)');

      const health = await fetch(`${node.url}/api/health`);
      expect(await health.json()).toEqual(expect.objectContaining({ status: 'ok', database: 'up' }));
      const { status, code } = await chair.invite();
      expect(status).toBe(201);
      expect(await chair.codes()).toContain(code);
    } finally {
      expect(await node.stop('SIGTERM')).toBe(0);
    }
    expect(() => postmasterPid(dataDir)).toThrow(/ENOENT/);
    // Stopping the node stops PostgreSQL on purpose: not taken for a second crash.
    expect(node.output().split('stopped unexpectedly').length).toBe(2);
  });

  it('gives up after a bounded number of restarts and exits, and the next start recovers', async () => {
    const node = await startServer({ DATA_DIR: dataDir }, { exitExpected: true });
    const exited = new Promise<number | null>((resolve) => node.proc.once('exit', resolve));
    // PostgreSQL reads its configuration at start only: every restart attempt will now fail.
    const conf = join(dataDir, 'pg', 'postgresql.conf');
    const good = readFileSync(conf, 'utf8');
    appendFileSync(conf, '\nnot_a_setting = on\n');
    process.kill(postmasterPid(dataDir), 'SIGKILL');

    expect(await exited).toBe(1);
    // Each attempt says why, in PostgreSQL's own words.
    expect(node.output()).toMatch(/restart attempt 5 of the embedded PostgreSQL failed: .*postgresql\.conf.* contains errors/);
    expect(node.output()).toContain('the embedded PostgreSQL could not be restarted after 5 attempts: giving up');

    writeFileSync(conf, good);
    const again = await startServer({ DATA_DIR: dataDir });
    try {
      expect((await fetch(`${again.url}/api/health`)).status).toBe(200);
    } finally {
      expect(await again.stop('SIGTERM')).toBe(0);
    }
  });
});
