import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSY_MACHINE_WORK_MS, type DocClient, docClient, proposalWithParagraph } from '../support/docs';
import { type ServerProcess, signIn, startServer } from '../support/server-process';
import { call, castBallot, connectVoter, openRound, type Voter } from '../support/votes';

/**
 * The embedded database's disk is a tmpfs of the test's own (mounting one needs root, as `.ci/run`
 * runs): PostgreSQL gets a real ENOSPC, as on a full disk, not the EFBIG a file-size limit gives.
 */
function tinyDisk(): string {
  if (process.getuid?.() !== 0) throw new Error('the disk-full spec mounts a tmpfs: run the suite as root (as .ci/run does)');
  const dir = mkdtempSync(join(tmpdir(), 'yishi-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200m,mode=0755', 'tmpfs', dir]);
  return dir;
}

/** Writes zeros until the disk refuses with ENOSPC: nothing is left for PostgreSQL. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

const ready = async (url: string) => {
  const res = await fetch(`${url}/api/health/ready`);
  return { status: res.status, body: (await res.json()) as { writable: boolean; database: string } };
};

/** Readiness, polled until it answers `status` (or 10 s have passed): what it said last. */
async function readyUntil(url: string, status: number) {
  const end = Date.now() + 10_000;
  for (;;) {
    const r = await ready(url);
    if (r.status === status || Date.now() > end) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Issue 17: health sees a full disk; writes are refused clearly, nothing is corrupted, and all resumes when space returns. */
describe('the embedded database runs out of disk', () => {
  const disk = tinyDisk();
  const dataDir = join(disk, 'data');
  const filler = join(disk, 'filler');
  let server: ServerProcess | undefined;
  const clients: Array<Voter | DocClient> = [];
  const start = () =>
    startServer({
      DATA_DIR: dataDir,
      JWT_SECRET: 'disk-full-secret-disk-full-secret-disk-full',
      PASSWORD_HASH_COST: '10',
      DOC_WORK_TIMEOUT_MS: BUSY_MACHINE_WORK_MS,
    });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop('SIGTERM', 10_000);
    // Should the node have died, its PostgreSQL must not keep the disk busy.
    const pid = join(dataDir, 'pg', 'postmaster.pid');
    if (existsSync(pid)) process.kill(Number(readFileSync(pid, 'utf8').split('\n')[0]), 'SIGKILL');
    execFileSync('umount', ['-l', disk]);
    rmSync(disk, { recursive: true, force: true });
  });

  it('refuses ballots, edits and API writes as UNAVAILABLE at once, says not ready, and after space returns keeps every acknowledged write, intact', async () => {
    server = await start();
    const url = server.url;
    const chair = (await signIn(url, 'chair')).accessToken;
    const resident = (await signIn(url, 'resident1')).accessToken;
    const me = await call(url, resident, 'GET', '/api/me');
    const compoundId: string = me.memberships[0].compoundId;
    const household: string = me.memberships[0].householdId;
    const round = await openRound(url, chair, compoundId, []);
    const voter = await connectVoter(url, resident, [household]);
    const docId = await proposalWithParagraph(url, chair);
    const writer = await docClient(url, (await signIn(url, 'resident2')).accessToken, docId);
    clients.push(voter, writer);
    const invite = () =>
      fetch(`${url}/api/compounds/${compoundId}/invitations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${chair}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'observer' }),
      });

    const receipts: string[] = [];
    const first = await castBallot(voter.socket, round, household, 'for');
    expect(first.ok).toBe(true);
    receipts.push(first.receipt);
    writer.text().insert(0, '[before]');
    await writer.provider.whenAcknowledged();
    expect((await ready(url)).status).toBe(200);

    fillUp(filler);
    // Readiness sees it (its answer is cached 1.5 s).
    const probe = await readyUntil(url, 503);
    expect(probe).toEqual({ status: 503, body: expect.objectContaining({ database: 'up', writable: false }) });

    // Ballot changes until the database needs a new page: refused as UNAVAILABLE, each answered quickly.
    const refusals: string[] = [];
    let slowest = 0;
    for (let n = 0; n < 400 && refusals.length === 0; n++) {
      const sentAt = Date.now();
      const ack = await castBallot(voter.socket, round, household, ['against', 'abstain', 'for'][n % 3]!);
      slowest = Math.max(slowest, Date.now() - sentAt);
      if (ack.ok) receipts.push(ack.receipt);
      else refusals.push(ack.error.code);
      await new Promise((r) => setTimeout(r, 60)); // under the socket's 20 casts a second
    }
    expect(refusals).toEqual(['UNAVAILABLE']);
    expect(slowest).toBeLessThan(5000);

    // Typing: refused as UNAVAILABLE and not shown as saved; the provider keeps it and retries.
    const typed: string[] = [];
    const editRefused = () => writer.refusals.some((r) => r.event === 'doc:sync');
    for (let n = 0; n < 400 && !editRefused(); n++) {
      // A sentence at a time, long enough that the stored updates soon need a new page.
      typed.push(`[full${n}]${'保留院内老槐树'.repeat(20)}`);
      writer.text().insert(writer.text().length, typed.at(-1)!);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(editRefused()).toBe(true);
    expect(writer.provider.pending).toBeGreaterThan(0);
    expect(new Set(writer.refusals.map((r) => r.code))).toEqual(new Set(['UNAVAILABLE']));

    // The API: a 503 naming UNAVAILABLE, never a 500.
    let refused: Response | undefined;
    for (let n = 0; n < 400 && !refused; n++) {
      const res = await invite();
      if (res.status !== 201) refused = res;
    }
    expect(refused?.status).toBe(503);
    expect(((await refused!.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    expect(server.output()).not.toContain('PANIC');

    // Space returns: ready again, the kept edits are saved, ballots and the API write again.
    unlinkSync(filler);
    expect((await readyUntil(url, 200)).body).toEqual(expect.objectContaining({ writable: true }));
    await writer.provider.whenAcknowledged();
    const last = await castBallot(voter.socket, round, household, 'against');
    expect(last.ok).toBe(true);
    receipts.push(last.receipt);
    expect((await invite()).status).toBe(201);

    // Nothing corrupted, also after a restart: the audit chain verifies, every acknowledged ballot
    // is in it, the counted one is the last acknowledged, and the document loads with every edit.
    await server.stop('SIGTERM');
    server = await start();
    const chair2 = (await signIn(server.url, 'chair')).accessToken;
    const base = `/api/compounds/${compoundId}/rounds/${round.id}`;
    expect(await call(server.url, chair2, 'GET', `${base}/verify`)).toMatchObject({ ok: true, problems: [] });
    const rollCall: Array<{ householdId: string; receipt: string | null }> = await call(server.url, chair2, 'GET', `${base}/roll-call`);
    expect(rollCall.find((r) => r.householdId === household)?.receipt).toBe(last.receipt);
    for (const r of receipts) expect((await call(server.url, chair2, 'GET', `${base}/receipts/${r}`)).receipt).toBe(r);
    const reader = await docClient(server.url, chair2, docId);
    clients.push(reader);
    const body = reader.text().toString();
    expect(['[before]', ...typed].filter((w) => !body.includes(w))).toEqual([]);
  });
});
