import type { MeetingState } from '@yishi/shared';
import { Client } from 'pg';
import { chat, type Participant, participant } from '../support/clients';
import { signIn } from '../support/server-process';
import { twoNodes } from '../support/two-nodes';

const comparable = (s: MeetingState) => ({ ...s, serverTime: '', presence: [] });

/** Two server nodes sharing PostgreSQL and Redis serve one meeting; one dies and nothing is lost. */
describe('one meeting served by two nodes', () => {
  const people: Participant[] = [];

  const nodes = twoNodes('multi-node-secret-multi-node-secret-42', { beforeStop: () => people.forEach((p) => p.close()) });

  it('shares presence, hands, chat and the floor across nodes, and survives kill -9 of a node', async () => {
    const chairToken = (await signIn(nodes.a.url, 'chair')).accessToken;
    const res = await fetch(`${nodes.a.url}/api/compounds/${await compoundId(nodes.a.url, chairToken)}/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chairToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: '两个节点的议事会', scheduledAt: new Date().toISOString(), agenda: [{ title: '平房改造' }] }),
    });
    const meetingId = ((await res.json()) as { id: string }).id;

    const chair = await participant('chair@A', nodes.a.url, chairToken, meetingId);
    const wang = await participant('resident1@A', nodes.a.url, (await signIn(nodes.a.url, 'resident1')).accessToken, meetingId);
    const zhao = await participant('resident2@B', nodes.b.url, (await signIn(nodes.b.url, 'resident2')).accessToken, meetingId);
    const liu = await participant('property@B', nodes.b.url, (await signIn(nodes.b.url, 'property')).accessToken, meetingId);
    people.push(chair, wang, zhao, liu);

    // Presence: everyone, whichever node they are on.
    await chair.until((s) => s.presence.length === 4);
    await zhao.until((s) => s.presence.length === 4);

    await chair.send('meeting:open', { meetingId });
    await zhao.until((s) => s.meeting.status === 'live');
    await zhao.send('hand:raise', { meetingId });
    await chair.until((s) => s.speakers.queue.some((q) => q.displayName === '赵阿姨'));
    await chat(wang, meetingId, '从A节点发的消息');
    await liu.until((s) => s.chat.some((m) => m.body === '从A节点发的消息'));
    await zhao.send('attendance:check-in', { meetingId });
    await wang.until((s) => s.quorum.present.households === 1);

    // The chair on A gives the floor with a time limit; then node A dies.
    await chair.send('floor:give', { meetingId, timeLimitS: 600 });
    await liu.until((s) => s.speakers.floor?.displayName === '赵阿姨');
    expect(await nodes.a.stop('SIGKILL')).toBeNull();

    // While A's people are away, B's people go on.
    await chat(liu, meetingId, 'A节点挂了，我们继续');
    await liu.send('hand:raise', { meetingId });

    // A's people reconnect to B and catch up from where they were.
    await chair.moveTo(nodes.b.url);
    await wang.moveTo(nodes.b.url);
    await chair.until((s) => s.chat.some((m) => m.body === 'A节点挂了，我们继续') && s.speakers.queue.length === 1);

    // The speaking time given on A runs out on B (moved forward in the database, not waited for).
    const pg = new Client({ connectionString: nodes.db.url });
    await pg.connect();
    await pg.query(`UPDATE speaker SET ends_at = now() WHERE status = 'speaking'`);
    await pg.end();
    for (const p of people) await p.until((s) => s.speakers.floor === null);

    // Everyone ends with the same state, and it is the stored one.
    await chat(wang, meetingId, '最后一条');
    const finals = await Promise.all(people.map((p) => p.until((s) => s.chat.some((m) => m.body === '最后一条'))));
    const fresh = await participant('late@B', nodes.b.url, (await signIn(nodes.b.url, 'observer')).accessToken, meetingId);
    people.push(fresh);
    for (const s of finals) expect(comparable(s)).toEqual(comparable(fresh.session.state!));
    expect(fresh.session.state!.chat.map((m) => m.body)).toEqual(['从A节点发的消息', 'A节点挂了，我们继续', '最后一条']);
    await fresh.until((s) => s.presence.length === 5);
  });
});

async function compoundId(url: string, token: string): Promise<string> {
  const me = (await (await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    memberships: Array<{ compoundId: string }>;
  };
  const compound = me.memberships[0]?.compoundId;
  if (!compound) throw new Error('this account is a member of no compound');
  return compound;
}
