import { Client } from 'pg';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { connect, send } from '../../testing/sockets';
import { NodeLifecycle } from './node-lifecycle';

/** Until `check` holds (polled), or fail naming `what`. */
async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('liveness, readiness and draining', () => {
  let t: TestApp;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'debug' }, { logTo: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  });
  afterAll(() => t.close());

  it('is live and ready with a database that writes', async () => {
    expect(await t.api('GET', '/api/health/live')).toEqual({ status: 200, body: { status: 'ok', uptimeS: expect.any(Number) } });
    expect(await t.api('GET', '/api/health/ready')).toEqual({
      status: 200,
      body: { ready: true, draining: false, database: 'up', writable: true },
    });
  });

  it('is not ready while the database answers but cannot write, says so in /api/health too, and is ready again after', async () => {
    // Another session holds the probe's table: every write waits, as on a full disk, and the
    // probe gives up at its statement timeout instead of hanging.
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE health_probe IN ACCESS EXCLUSIVE MODE');
    try {
      let stuck: { status: number; body: any; requestId: string | null } | undefined;
      // The last answer is reused for a second or two: ask until a fresh probe has run.
      let i = 0;
      await until(async () => {
        const res = await fetch(`${t.baseUrl}/api/health/ready`, { headers: { 'x-request-id': `probe-${i++}` } });
        if (res.status === 503) stuck = { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') };
        return !!stuck;
      }, 'readiness seeing the blocked write');
      if (!stuck) throw new Error('unreachable');
      expect(stuck.body).toEqual({ ready: false, draining: false, database: 'up', writable: false });
      expect((await t.api('GET', '/api/health')).body).toMatchObject({ status: 'degraded', database: 'up', writable: false });

      // Every line of that one request carries its id: the probe's warning and the request's own line.
      const mine = lines.filter((l) => l.requestId === stuck!.requestId);
      expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['the database answers but cannot write']));
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine.some((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 503)).toBe(true);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await until(async () => (await t.api('GET', '/api/health/ready')).status === 200, 'ready again');
  });

  it('drains: not ready at once, refuses new sockets and commands, answers what it accepted, then sends clients elsewhere', async () => {
    const { accessToken } = await t.signIn('resident1');
    const socket = await connect(t.baseUrl, accessToken);
    const events: string[] = [];
    socket.on('server:draining', () => events.push('draining'));
    const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
    const lifecycle = t.app.get(NodeLifecycle);
    // A commit still in flight when the signal comes.
    let finishCommit!: () => void;
    const commit = lifecycle.track(() => new Promise<string>((resolve) => (finishCommit = () => resolve('committed'))));
    const drained = lifecycle.drain(5000);

    expect(await t.api('GET', '/api/health/ready')).toMatchObject({ status: 503, body: { ready: false, draining: true } });
    await expect(connect(t.baseUrl, accessToken)).rejects.toMatchObject({ data: { code: 'UNAVAILABLE' } });
    expect(await send(socket, 'meeting:join', { meetingId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    expect(events).toEqual([]); // nobody is sent away while a commit is unanswered

    finishCommit();
    expect(await commit).toBe('committed');
    expect(await drained).toBe('drained');
    expect(await closed).toBe('transport close'); // Socket.IO reconnects by itself after this
    expect(events).toEqual(['draining']);
  });
});
