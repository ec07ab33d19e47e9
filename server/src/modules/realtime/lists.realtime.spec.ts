import { type ListsChangedEvent, sendCommand } from '@yishi/shared';
import { type ClientSocket, connect, waitFor } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

/**
 * Live lists over real Socket.IO connections: members following a compound's lists hear of each
 * committed demand and project change; another compound's member, a department (which reads no
 * demand list) and a socket that stopped following hear nothing.
 */
describe('lists:changed', () => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  const sockets: ClientSocket[] = [];
  let otherCompoundId: string;
  const post = (who: string, path: string, body: unknown) =>
    t.api<any>('POST', `/api/compounds/${t.compoundId}${path}`, { token: tok[who], body });
  const open = async (who: string) => {
    const s = await connect(t.baseUrl, tok[who]!);
    sockets.push(s);
    return s;
  };
  const follow = (s: ClientSocket, compoundId = t.compoundId) => sendCommand(s, 'lists:follow', { compoundId });
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: { code: string }) => e.code,
    );
  /** Every lists:changed a socket receives. */
  const heard = (s: ClientSocket) => {
    const seen: ListsChangedEvent[] = [];
    s.on('lists:changed', (e) => seen.push(e));
    return seen;
  };
  /** A round trip on the socket (any ack, a refusal too): whatever the server sent it before has arrived by then. */
  const settle = (s: ClientSocket) => refusal(sendCommand(s, 'lists:unfollow', { compoundId: t.compoundId }));
  const change = (s: ClientSocket, kind: ListsChangedEvent['kind'], id?: string) =>
    waitFor(s, 'lists:changed', (e) => e.kind === kind && (id === undefined || e.id === id));

  beforeAll(async () => {
    t = await startTestApp();
    for (const login of ['chair', 'resident1', 'resident2', 'observer', 'street1']) tok[login] = (await t.signIn(login)).accessToken;
    const [community] = await t.db.query(`INSERT INTO community (name, street) VALUES ('别的社区', '别的街道') RETURNING id`);
    const [compound] = await t.db.query(`INSERT INTO compound (community_id, name, address) VALUES ($1, '别的院', '别处') RETURNING id`, [
      community.id,
    ]);
    otherCompoundId = compound.id;
    const [u] = await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'otherchair', '别院主任', password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
    );
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role) VALUES ($1, $2, 'chair')`, [u.id, otherCompoundId]);
    tok.outsider = (await t.signIn('otherchair')).accessToken;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('follows only a compound whose lists the caller may read', async () => {
    expect(await refusal(follow(await open('resident1')))).toBe('accepted');
    expect(await refusal(follow(await open('observer')))).toBe('accepted');
    // Not a member: the compound does not exist for them. A department reads only what was escalated to it.
    expect(await refusal(follow(await open('outsider')))).toBe('NOT_FOUND');
    expect(await refusal(follow(await open('street1')))).toBe('FORBIDDEN');
    expect(await refusal(sendCommand(await open('resident1'), 'lists:follow', { compoundId: 'x' } as never))).toBe('VALIDATION_FAILED');
  });

  it("tells followers of a demand recorded, seconded and moved, and a project started from it; another compound's member hears nothing", async () => {
    const resident = await open('resident1');
    const observer = await open('observer');
    const outsider = await open('outsider');
    const idle = await open('resident2');
    await Promise.all([follow(resident), follow(observer), follow(outsider, otherCompoundId)]);
    const outsiderHeard = heard(outsider);
    const idleHeard = heard(idle);

    const recorded = change(observer, 'demand');
    const d = await post('resident2', '/demands', { title: '2号楼楼道灯不亮', category: 'infrastructure', channel: 'online' });
    expect(d.status).toBe(201);
    expect(await recorded).toEqual({ compoundId: t.compoundId, kind: 'demand', id: d.body.id });

    const seconded = change(resident, 'demand', d.body.id);
    expect((await post('observer', `/demands/${d.body.id}/seconds`, {})).status).toBe(403);
    expect((await post('resident1', `/demands/${d.body.id}/seconds`, {})).status).toBe(200);
    await seconded;

    const moved = change(observer, 'demand', d.body.id);
    expect((await post('chair', `/demands/${d.body.id}/status`, { to: 'in_deliberation' })).status).toBe(200);
    await moved;

    const projectHeard = change(resident, 'project');
    const demandMoved = change(resident, 'demand', d.body.id);
    const p = await post('chair', '/projects', { title: '楼道照明改造', demandIds: [d.body.id] });
    expect(p.status).toBe(201);
    expect((await projectHeard).id).toBe(p.body.id);
    await demandMoved;

    const progress = change(observer, 'project', p.body.id);
    expect((await post('chair', `/projects/${p.body.id}/updates`, { note: '灯具已采购' })).status).toBe(201);
    await progress;

    // A refused change is not announced: the next event the follower hears is the next real change.
    expect((await post('chair', `/demands/${d.body.id}/status`, { to: 'new' })).status).toBe(409);
    const ended = change(resident, 'project');
    expect((await post('chair', `/projects/${p.body.id}/end`, { to: 'done' })).status).toBe(200);
    expect((await ended).id).toBe(p.body.id);

    await Promise.all([settle(outsider), settle(idle)]);
    expect(outsiderHeard).toEqual([]);
    expect(idleHeard).toEqual([]);
  });

  it('stops telling a socket that unfollowed', async () => {
    const leaving = await open('resident1');
    const staying = await open('observer');
    await Promise.all([follow(leaving), follow(staying)]);
    await sendCommand(leaving, 'lists:unfollow', { compoundId: t.compoundId });
    const leavingHeard = heard(leaving);
    const arrived = change(staying, 'demand');
    expect((await post('resident2', '/demands', { title: '垃圾桶满溢', category: 'environment', channel: 'online' })).status).toBe(201);
    await arrived;
    await settle(leaving);
    expect(leavingHeard).toEqual([]);
  });
});
