import { randomUUID } from 'node:crypto';
import { MEETING_COMMAND_ACTIONS, type MeetingCommand, type MeetingState, type RoundView } from '@yishi/shared';
import { writeDoc } from '../../testing/docs';
import { type ClientSocket, connect, send, waitFor } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

const raw = (s: ClientSocket) => s.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };

/**
 * A community meeting hosted by 35号院 (A) that takes up an item of 36号院 (B): B's members join it
 * live as guests; a compound with no item on it (C) does not learn that it exists.
 */
describe('meetings wider than one compound, live (issue 16)', () => {
  let t: TestApp;
  let chairA: string;
  let residentA: string;
  const b = { id: '', household: '', resident: '', chair: '' };
  const c = { id: '', chair: '' };
  let meeting: { id: string; agenda: Array<{ id: string; title: string }> };
  const sockets: ClientSocket[] = [];
  const open = async (token: string) => {
    const s = await connect(t.baseUrl, token);
    sockets.push(s);
    return s;
  };
  const api = (method: string, compoundId: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${compoundId}${path}`, { token, body });

  /** A new user holding `role` in the compound (standing for the household, if given), signed in. */
  const member = async (compoundId: string, login: string, role: string, householdId: string | null = null) => {
    const [u] = await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT $1, $1, password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
      [login],
    );
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role, household_id) VALUES ($1, $2, $3, $4)`, [
      u.id,
      compoundId,
      role,
      householdId,
    ]);
    if (householdId) await t.db.query(`UPDATE household SET voter_user_id = $1 WHERE id = $2`, [u.id, householdId]);
    return (await t.signIn(login)).accessToken;
  };
  const compound = async (name: string): Promise<string> =>
    (
      await t.db.query(
        `INSERT INTO compound (community_id, name, address) SELECT community_id, $1, $1 FROM compound WHERE id = $2 RETURNING id`,
        [name, t.compoundId],
      )
    )[0].id;
  const join = async (s: ClientSocket): Promise<MeetingState> => {
    const ack = await send(s, 'meeting:join', { meetingId: meeting.id });
    if (!ack.ok || !('state' in ack)) throw new Error(JSON.stringify(ack));
    return ack.state;
  };
  /** A proposal of the compound answering the agenda item, frozen, and a round on it in the meeting. */
  const roundOn = async (compoundId: string, chair: string, agendaItemId: string): Promise<RoundView> => {
    const p = await api('POST', compoundId, '/proposals', chair, { title: '停车治理方案', kind: 'other', agendaItemIds: [agendaItemId] });
    expect(p.status).toBe(201);
    await writeDoc(t.baseUrl, chair, p.body.id, { lines: [] });
    expect((await api('POST', compoundId, `/proposals/${p.body.id}/revisions`, chair)).status).toBe(201);
    const r = await api('POST', compoundId, `/proposals/${p.body.id}/rounds`, chair, {
      revisionNumber: 1,
      question: '同意吗？',
      rule: 'simple_majority',
      meetingId: meeting.id,
    });
    expect(r.status).toBe(201);
    return r.body;
  };

  beforeAll(async () => {
    t = await startTestApp();
    chairA = (await t.signIn('chair')).accessToken;
    residentA = (await t.signIn('resident1')).accessToken;
    b.id = await compound('霞光里36号院');
    const [building] = await t.db.query(`INSERT INTO building (compound_id, name, sort) VALUES ($1, '1号楼', 1) RETURNING id`, [b.id]);
    const [h] = await t.db.query(
      `INSERT INTO household (compound_id, building_id, unit, area_centi_m2, developer_held) VALUES ($1, $2, '101', 8000, false) RETURNING id`,
      [b.id, building.id],
    );
    b.household = h.id;
    b.resident = await member(b.id, 'r36', 'resident', h.id);
    b.chair = await member(b.id, 'c36', 'chair');
    c.id = await compound('霞光里37号院');
    c.chair = await member(c.id, 'c37', 'chair');
    const res = await api('POST', t.compoundId, '/meetings', chairA, {
      title: '社区议事协商会',
      scope: 'community',
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      agenda: [{ title: '35号院加装电梯' }, { title: '36号院停车治理', compoundId: b.id }],
    });
    expect(res.status).toBe(201);
    meeting = res.body;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('lists the compounds within each scope for the chair scheduling, and to nobody else', async () => {
    const names = async (scope: string) =>
      (await api('GET', t.compoundId, `/meetings/compounds-in-scope?scope=${scope}`, chairA)).body.map((x: { name: string }) => x.name);
    expect(await names('compound')).toEqual(['霞光里35号院']);
    expect(await names('community')).toEqual(['霞光里35号院', '霞光里36号院', '霞光里37号院']);
    expect(await names('street')).toEqual(['霞光里35号院', '霞光里36号院', '霞光里37号院']);
    expect((await api('GET', t.compoundId, '/meetings/compounds-in-scope?scope=district', chairA)).status).toBe(400);
    expect((await api('GET', t.compoundId, '/meetings/compounds-in-scope?scope=community', residentA)).status).toBe(403);
    expect((await api('GET', t.compoundId, '/meetings/compounds-in-scope?scope=community', b.chair)).status).toBe(404);
  });

  it("lets B's resident join live, see only B's item, check in as B's household, speak and chat; the host's quorum is the host's", async () => {
    const guest = await open(b.resident);
    const state = await join(guest);
    expect(state.meeting.agenda.map((a) => a.title)).toEqual(['36号院停车治理']);
    const host = await open(residentA);
    expect((await join(host)).meeting.agenda.map((a) => a.title)).toEqual(['35号院加装电梯', '36号院停车治理']);

    const checkedIn = waitFor(host, 'meeting:event', (e) => e.kind === 'attendance' && e.attendance.some((x) => x.displayName === 'r36'));
    expect((await send(guest, 'attendance:check-in', { meetingId: meeting.id })).ok).toBe(true);
    const att = await checkedIn;
    if (att.kind !== 'attendance') throw new Error('not attendance');
    expect(att.attendance.find((x) => x.displayName === 'r36')!.householdIds).toEqual([b.household]);
    expect(att.quorum.present.households).toBe(0);

    // The host opens the meeting: the guest hears of it with B's item only.
    const live = waitFor(guest, 'meeting:event', (e) => e.kind === 'meeting' && e.meeting.status === 'live');
    expect((await send(await open(chairA), 'meeting:open', { meetingId: meeting.id })).ok).toBe(true);
    const opened = await live;
    expect(opened.kind === 'meeting' && opened.meeting.agenda.map((a) => a.title)).toEqual(['36号院停车治理']);
    expect(await send(guest, 'hand:raise', { meetingId: meeting.id })).toMatchObject({ ok: true });
    expect(
      await send(guest, 'chat:send', { meetingId: meeting.id, clientMessageId: randomUUID(), body: '36号院的车位怎么划？' }),
    ).toMatchObject({
      ok: true,
    });
    // Catching up by replay filters the same way.
    const replay = await send(guest, 'meeting:sync', { meetingId: meeting.id, sinceSeq: 0 });
    if (!replay.ok || !('events' in replay)) throw new Error(JSON.stringify(replay));
    for (const e of replay.events) if (e.kind === 'meeting') expect(e.meeting.agenda.map((a) => a.title)).toEqual(['36号院停车治理']);
  });

  it("refuses B's chair every command that runs the meeting", async () => {
    const s = await open(b.chair);
    await join(s);
    const [itemA] = meeting.agenda;
    for (const [name, payload] of [
      ['meeting:open', {}],
      ['meeting:adjourn', {}],
      ['agenda:set-current', { agendaItemId: itemA!.id }],
      ['attendance:register', { householdId: b.household }],
      ['floor:give', {}],
      ['floor:end', {}],
      ['speakers:reorder', { order: [] }],
      ['chat:hide', { messageId: randomUUID() }],
    ] as const) {
      const ack = await send(s, name, { meetingId: meeting.id, ...payload });
      expect({ name, ack }).toEqual({ name, ack: { ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) } });
    }
  });

  it("lets B's resident vote in B's round only, counted over B's households", async () => {
    const [itemA, itemB] = meeting.agenda;
    const guest = await open(b.resident);
    await join(guest);
    // The host's round opens first; the first round the guest hears of is B's (events keep their order).
    const heard = waitFor(guest, 'vote:round');
    const roundA = await roundOn(t.compoundId, chairA, itemA!.id);
    const roundB = await roundOn(b.id, b.chair, itemB!.id);
    expect((await heard).id).toBe(roundB.id);
    const listed = await raw(guest).emitWithAck('vote:rounds', { meetingId: meeting.id });
    expect(listed.rounds.map((r: RoundView) => r.id)).toEqual([roundB.id]);
    expect((await raw(await open(chairA)).emitWithAck('vote:rounds', { meetingId: meeting.id })).rounds).toHaveLength(2);

    const followed = await raw(guest).emitWithAck('vote:follow', { roundId: roundB.id });
    expect(followed.ok).toBe(true);
    const counted = waitFor(guest, 'vote:tally', (x) => x.roundId === roundB.id && x.supportOfWhole.householdsPermille > 0);
    const ballot = { ballotId: randomUUID(), householdId: b.household, choice: 'for' };
    expect(await raw(guest).emitWithAck('vote:cast', { ...ballot, roundId: roundB.id, revisionId: roundB.revisionId })).toMatchObject({
      ok: true,
    });
    // B has one household: one ballot for is all of B, whatever A's 36 households do.
    expect((await counted).supportOfWhole.householdsPermille).toBe(1000);

    const intoA = { ...ballot, ballotId: randomUUID(), roundId: roundA.id, revisionId: roundA.revisionId };
    expect((await raw(guest).emitWithAck('vote:follow', { roundId: roundA.id })).error.code).toBe('NOT_FOUND');
    expect((await raw(guest).emitWithAck('vote:cast', intoA)).error.code).toBe('NOT_FOUND');
  });

  it('answers a member of a compound with no item on the meeting, even its chair, with 404 everywhere', async () => {
    for (const via of [c.id, t.compoundId]) {
      const base = `/meetings/${meeting.id}`;
      for (const [method, path] of [
        ['GET', base],
        ['PATCH', base],
        ['POST', `${base}/cancel`],
        ['GET', `${base}/minutes`],
        ['GET', `${base}/minutes/minutes.md`],
        ['PUT', `${base}/minutes/recorder`],
        ['POST', `${base}/minutes/close`],
        ['GET', `${base}/projector-link`],
        ['POST', `${base}/projector-link`],
      ] as const) {
        const res = await api(method, via, path, c.chair, method === 'GET' ? undefined : method === 'PUT' ? { userId: randomUUID() } : {});
        expect({ via, method, path, status: res.status }).toEqual({ via, method, path, status: 404 });
      }
    }
    expect((await api('GET', c.id, '/meetings', c.chair)).body).toEqual([]);

    const s = await open(c.chair);
    const payloads: Partial<Record<MeetingCommand, object>> = {
      'meeting:sync': { sinceSeq: 0 },
      'agenda:set-current': { agendaItemId: meeting.agenda[0]!.id },
      'attendance:register': { householdId: randomUUID() },
      'speakers:reorder': { order: [] },
      'chat:send': { clientMessageId: randomUUID(), body: '你好' },
      'chat:hide': { messageId: randomUUID() },
    };
    for (const name of Object.keys(MEETING_COMMAND_ACTIONS) as MeetingCommand[]) {
      const ack = await send(s, name, { meetingId: meeting.id, ...payloads[name] });
      expect({ name, ack }).toEqual({ name, ack: { ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) } });
    }
    expect((await raw(s).emitWithAck('vote:rounds', { meetingId: meeting.id })).error.code).toBe('NOT_FOUND');
  });
});
