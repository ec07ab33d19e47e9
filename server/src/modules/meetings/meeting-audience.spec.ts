import { connect, send, type ClientSocket } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

/**
 * Issue 16, "the kind decides who is invited": the audience a meeting stores (its kind's default,
 * or the chair's choice), the party members the chair marks, and taking part refused to anyone
 * the meeting does not invite, who may still follow it.
 */
describe('who a meeting invites (issue 16)', () => {
  let t: TestApp;
  let chair: string;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  const schedule = (body: Record<string, unknown>) =>
    api('POST', '/meetings', chair, { title: '会议', scheduledAt: '2026-12-20T10:00:00+08:00', ...body });
  const userId = async (login: string): Promise<string> => (await t.db.query(`SELECT id FROM app_user WHERE username = $1`, [login]))[0].id;
  const socketOf = async (login: string): Promise<ClientSocket> => {
    const s = await connect(t.baseUrl, (await t.signIn(login)).accessToken);
    sockets.push(s);
    return s;
  };

  it("stores each kind's default audience, or the chair's choice, and keeps it through an edit", async () => {
    const expected = {
      deliberation: 'everyone',
      discussion: 'everyone',
      topic: 'everyone',
      advice: 'everyone',
      party_branch: 'party_members',
      party_lesson: 'party_members',
      organisational_life: 'party_members',
      assembly: 'residents',
    };
    for (const [kind, audience] of Object.entries(expected)) {
      const m = await schedule({ title: kind, kind });
      expect(m.status).toBe(201);
      expect(m.body.audience).toBe(audience);
    }
    // The chair opens a branch meeting to everyone (a 党员议事 open to the courtyard), stored as chosen.
    const open = await schedule({ title: '党支部扩大会议', kind: 'party_branch', audience: 'everyone' });
    expect(open.body).toMatchObject({ kind: 'party_branch', audience: 'everyone' });
    expect((await api('GET', `/meetings/${open.body.id}`, chair)).body.audience).toBe('everyone');
    expect((await schedule({ kind: 'party_lesson', audience: 'cadres' })).body.error.fields[0].path).toBe('audience');

    // An edit that changes the kind alone brings the new kind's default; with an audience, the chair's.
    const edited = await api('PATCH', `/meetings/${open.body.id}`, chair, { kind: 'assembly' });
    expect(edited.body).toMatchObject({ kind: 'assembly', audience: 'residents' });
    const chosen = await api('PATCH', `/meetings/${open.body.id}`, chair, { kind: 'party_lesson', audience: 'everyone' });
    expect(chosen.body).toMatchObject({ kind: 'party_lesson', audience: 'everyone' });
    // Only the chair schedules: a resident cannot change who is invited.
    const resident = (await t.signIn('resident1')).accessToken;
    expect((await api('PATCH', `/meetings/${open.body.id}`, resident, { audience: 'party_members' })).status).toBe(403);
    expect((await api('GET', `/meetings/${open.body.id}`, chair)).body.audience).toBe('everyone');
  });

  it('lets only the chair mark a party member, on every role the person holds, and shows the mark', async () => {
    const resident1 = await userId('resident1');
    const resident2 = (await t.signIn('resident2')).accessToken;
    const gate = (await t.signIn('gate1')).accessToken;
    // A resident, a gate leader (who may list members) and the property company cannot mark anyone, themselves included.
    for (const token of [resident2, gate, (await t.signIn('property')).accessToken]) {
      const refused = await api('PUT', `/members/${resident1}/party`, token, { partyMember: true });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    expect((await api('PUT', `/members/${await userId('resident2')}/party`, resident2, { partyMember: true })).status).toBe(403);
    const flags = async () =>
      (await t.db.query(`SELECT DISTINCT party_member FROM membership WHERE user_id = $1`, [resident1])).map(
        (r: { party_member: boolean }) => r.party_member,
      );
    expect(await flags()).toEqual([false]);

    // Bad input: field messages, nothing written; an unknown person is not found.
    const bad = await api('PUT', `/members/${resident1}/party`, chair, { partyMember: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['partyMember']);
    expect((await api('PUT', `/members/00000000-0000-4000-8000-000000000000/party`, chair, { partyMember: true })).status).toBe(404);
    expect(await flags()).toEqual([false]);

    // resident1 holds a second role (observer): the mark is the person's, on both rows.
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role) VALUES ($1, $2, 'observer')`, [resident1, t.compoundId]);
    expect((await api('PUT', `/members/${resident1}/party`, chair, { partyMember: true })).status).toBe(204);
    expect(await flags()).toEqual([true]);
    const members = (await api('GET', '/members', chair)).body as Array<{ user: { id: string }; role: string; partyMember: boolean }>;
    expect(members.filter((m) => m.user.id === resident1).map((m) => [m.role, m.partyMember])).toEqual([
      ['resident', true],
      ['observer', true],
    ]);
    const me = await t.api('GET', '/api/me', { token: (await t.signIn('resident1')).accessToken });
    expect(me.body.memberships.every((m: { partyMember: boolean }) => m.partyMember)).toBe(true);

    expect((await api('PUT', `/members/${resident1}/party`, chair, { partyMember: false })).status).toBe(204);
    expect(await flags()).toEqual([false]);
    await t.db.query(`DELETE FROM membership WHERE user_id = $1 AND role = 'observer'`, [resident1]);
  });

  it('refuses check-in, a raised hand and chat to a resident a party meeting does not invite; a party member and the chair take part', async () => {
    const lesson = await schedule({ title: '党课：基层党组织与居民自治', kind: 'party_lesson' });
    const meetingId = lesson.body.id;
    expect(lesson.body.audience).toBe('party_members');
    const chairSocket = await socketOf('chair');
    expect((await send(chairSocket, 'meeting:open', { meetingId })).ok).toBe(true);

    // resident2 is no party member: they may follow the meeting, but taking part is refused with the reason.
    const outsider = await socketOf('resident2');
    const joined = await send(outsider, 'meeting:join', { meetingId });
    expect(joined.ok).toBe(true);
    for (const [name, payload] of [
      ['attendance:check-in', { meetingId }],
      ['hand:raise', { meetingId }],
      ['chat:send', { meetingId, clientMessageId: '5f0c1b7e-1d2a-4c3b-9e8f-000000000001', body: '我也想听' }],
    ] as const) {
      const refused = await send(outsider, name, payload);
      expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_INVITED' } });
      if (!refused.ok) expect(refused.error.message).toContain('不在您的邀请范围');
    }
    const written = async () =>
      (
        await t.db.query(
          `SELECT (SELECT count(*)::int FROM attendance WHERE meeting_id = $1) AS a, (SELECT count(*)::int FROM speaker WHERE meeting_id = $1) AS s,
                  (SELECT count(*)::int FROM chat_message WHERE meeting_id = $1) AS c`,
          [meetingId],
        )
      )[0];
    expect(await written()).toEqual({ a: 0, s: 0, c: 0 });

    // gate1 is a party member (the demo's branch), and the chair runs the meeting: both check in.
    const member = await socketOf('gate1');
    expect((await send(member, 'attendance:check-in', { meetingId })).ok).toBe(true);
    expect((await send(member, 'hand:raise', { meetingId })).ok).toBe(true);
    expect((await send(chairSocket, 'attendance:check-in', { meetingId })).ok).toBe(true);
    expect(await written()).toEqual({ a: 2, s: 1, c: 0 });

    // Once the chair marks resident2 a party member, the next check-in is taken (no reconnect needed).
    expect((await api('PUT', `/members/${await userId('resident2')}/party`, chair, { partyMember: true })).status).toBe(204);
    expect((await send(outsider, 'attendance:check-in', { meetingId })).ok).toBe(true);
    expect((await written()).a).toBe(3);
    await api('PUT', `/members/${await userId('resident2')}/party`, chair, { partyMember: false });
  });

  it("refuses a residents' assembly's check-in to the property company, and lets a resident in", async () => {
    const assembly = await schedule({ title: '居民大会', kind: 'assembly' });
    const meetingId = assembly.body.id;
    await send(await socketOf('chair'), 'meeting:open', { meetingId });
    const property = await socketOf('property');
    expect(await send(property, 'attendance:check-in', { meetingId })).toMatchObject({ ok: false, error: { code: 'NOT_INVITED' } });
    expect((await send(await socketOf('resident3'), 'attendance:check-in', { meetingId })).ok).toBe(true);
    // The same kind opened to everyone by the chair: the property company checks in.
    const open = await schedule({ title: '居民大会（物业列席）', kind: 'assembly', audience: 'everyone' });
    await send(await socketOf('chair'), 'meeting:open', { meetingId: open.body.id });
    expect((await send(property, 'attendance:check-in', { meetingId: open.body.id })).ok).toBe(true);
  });
});
