import { chat, type Participant, participant } from '../support/clients';
import { startRedis } from '../support/redis-process';
import { signIn } from '../support/server-process';
import { twoNodes } from '../support/two-nodes';

/**
 * Why the Redis Streams adapter: during a short Redis outage the nodes keep committing and
 * acknowledging commands; what they broadcast waits in the Redis client's queue and is delivered,
 * in order, to every node's clients when Redis is back. Nothing is dropped, and no client needs a
 * later event to notice a gap.
 */
describe('a short Redis outage under a two-node meeting', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const people: Participant[] = [];

  // The nodes' own Redis, to be stopped and started again.
  beforeAll(async () => {
    redis = await startRedis();
  });
  const nodes = twoNodes('redis-outage-secret-redis-outage-secret', {
    redisUrl: () => redis.url,
    beforeStop: () => people.forEach((p) => p.close()),
  });
  afterAll(() => redis?.stop());

  it('keeps both nodes serving, and delivers across nodes what was said while Redis was down', async () => {
    const chairToken = (await signIn(nodes.a.url, 'chair')).accessToken;
    const me = (await (await fetch(`${nodes.a.url}/api/me`, { headers: { authorization: `Bearer ${chairToken}` } })).json()) as {
      memberships: Array<{ compoundId: string }>;
    };
    const compoundId = me.memberships[0]?.compoundId;
    if (!compoundId) throw new Error('the chair is a member of no compound');
    const res = await fetch(`${nodes.a.url}/api/compounds/${compoundId}/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chairToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Redis 故障演练', scheduledAt: new Date().toISOString() }),
    });
    const meetingId = ((await res.json()) as { id: string }).id;
    const chair = await participant('chair@A', nodes.a.url, chairToken, meetingId);
    const zhao = await participant('resident2@B', nodes.b.url, (await signIn(nodes.b.url, 'resident2')).accessToken, meetingId);
    people.push(chair, zhao);
    await chair.send('meeting:open', { meetingId });
    await zhao.until((s) => s.meeting.status === 'live');

    await redis.stop();
    // The nodes go on serving: the command is committed and acknowledged, health says Redis is down.
    const ack = await chat(chair, meetingId, 'Redis 停了的时候说的话');
    expect(ack.message.body).toBe('Redis 停了的时候说的话');
    expect(await (await fetch(`${nodes.a.url}/api/health`)).json()).toEqual(expect.objectContaining({ database: 'up', redis: 'down' }));
    expect(await zhao.send('hand:raise', { meetingId })).toEqual(expect.objectContaining({ ok: true }));

    redis = await startRedis(redis.port);
    // Without any further event to reveal a gap, both messages reach every client, on both nodes.
    for (const p of [chair, zhao]) {
      await p.until((s) => s.chat.some((m) => m.body === 'Redis 停了的时候说的话') && s.speakers.queue.length === 1, 20_000);
    }
    expect((await fetch(`${nodes.a.url}/api/health`)).status).toBe(200);
  });
});
