import { adoptThroughTwoRounds } from '../../testing/adopted-proposal';
import { connect, send } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { isPrivateAddress } from './metrics.controller';

const TOKEN = 'metrics-token-for-the-test-0123456789';

/** The value of one sample of the Prometheus text (`name{labels} value`); undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  let t: TestApp;
  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
    const res = await fetch(`${t.baseUrl}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('moves with edits, ballots, refusals and sockets, and shows the pool and the process', async () => {
    const before = (await scrape()).text;
    expect(sample(before, 'yishi_doc_update_commit_seconds_count')).toBe(0);
    expect(sample(before, 'yishi_ballot_commit_seconds_count')).toBe(0);

    const chair = (await t.signIn('chair')).accessToken;
    // Two drafts written through Yjs over Socket.IO, two rounds with a ballot each.
    const { meetingIds } = await adoptThroughTwoRounds(t, chair);
    const socket = await connect(t.baseUrl, chair);
    expect((await send(socket, 'meeting:join', { meetingId: meetingIds[0] })).ok).toBe(true);
    expect((await send(socket, 'meeting:open', { meetingId: meetingIds[0] })).ok).toBe(true);
    expect((await send(socket, 'meeting:join', { meetingId: 'not-a-uuid' })).ok).toBe(false);

    const res = await scrape();
    socket.close();
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = res.text;
    expect(sample(m, 'yishi_doc_update_commit_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(sample(m, 'yishi_doc_update_commit_seconds_sum')).toBeGreaterThan(0);
    expect(sample(m, 'yishi_doc_commit_batch_updates_count')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'yishi_ballot_commit_seconds_count')).toBe(2);
    expect(sample(m, 'yishi_ballot_commit_batch_casts_sum')).toBe(2);
    expect(sample(m, 'yishi_doc_worker_op_seconds_count', 'op="apply"')).toBeGreaterThanOrEqual(2);
    expect(sample(m, 'yishi_errors_total', 'code="VALIDATION_FAILED",via="socket"')).toBe(1);
    expect(sample(m, 'yishi_sockets_connected')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'yishi_meetings_live')).toBe(1);
    expect(sample(m, 'yishi_documents_loaded')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'yishi_doc_workers_running')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'yishi_pg_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'yishi_pg_pool_waiting')).toBe(0);
    expect(sample(m, 'yishi_redis_adapter_up')).toBeUndefined();
    expect(sample(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // No label names a document, a user or a socket: the series stay few whatever the traffic.
    expect(m).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('counts HTTP refusals by code', async () => {
    const before = sample((await scrape()).text, 'yishi_errors_total', 'code="UNAUTHENTICATED",via="http"') ?? 0;
    expect((await t.api('GET', '/api/me')).status).toBe(401);
    expect(sample((await scrape()).text, 'yishi_errors_total', 'code="UNAUTHENTICATED",via="http"')).toBe(before + 1);
  });

  it('refuses a scraper without the token, or with a wrong one, and is not under /api', async () => {
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await t.api('GET', '/api/metrics')).status).toBe(404);
  });
});

describe('GET /metrics without METRICS_TOKEN, with Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind a proxy on this host: the client's address comes from X-Forwarded-For.
    t = await startTestApp({ TRUST_PROXY: 'loopback', REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
  });
  afterAll(() => t.close());

  it('answers private addresses only', async () => {
    const from = (ip: string) => fetch(`${t.baseUrl}/metrics`, { headers: { 'x-forwarded-for': ip } }).then((r) => r.status);
    expect(await from('10.1.2.3')).toBe(200);
    expect(await from('203.0.113.5')).toBe(403);
    expect(await from('2001:db8::1')).toBe(403);
    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(sample(await res.text(), 'yishi_redis_adapter_up')).toBe(1);
  });

  it('knows which addresses are private', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:192.168.1.9', '172.31.0.1', 'fd00::5'])
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, true]);
    for (const ip of ['8.8.8.8', '172.32.0.1', '::ffff:1.2.3.4', '2001:db8::1', undefined])
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, false]);
  });
});
