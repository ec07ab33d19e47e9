import { randomUUID } from 'node:crypto';
import { applyMeetingEvent, type MeetingEvent, type MeetingState } from '@yishi/shared';
import { type ClientSocket, connect, send, waitFor } from '../../testing/sockets';
import { emitAny } from '../../testing/hostile-input';
import { startTestApp, type TestApp } from '../../testing/test-app';

describe('live meetings over Socket.IO', () => {
  let t: TestApp;
  let chairToken: string;
  const sockets: ClientSocket[] = [];
  const open = async (token: string) => {
    const s = await connect(t.baseUrl, token);
    sockets.push(s);
    return s;
  };
  const tokenOf = async (login: string) => (await t.signIn(login)).accessToken;
  const schedule = async (body: object = {}) => {
    const res = await t.api('POST', `/api/compounds/${t.compoundId}/meetings`, {
      token: chairToken,
      body: {
        title: '平房改造方案第1次议事会',
        scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
        agenda: [{ title: '介绍方案' }, { title: '讨论资金' }],
        ...body,
      },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; agenda: Array<{ id: string }> };
  };
  const stateOf = async (s: ClientSocket, meetingId: string): Promise<MeetingState> => {
    const ack = await send(s, 'meeting:join', { meetingId });
    if (!ack.ok || !('state' in ack)) throw new Error(JSON.stringify(ack));
    return ack.state;
  };

  beforeAll(async () => {
    t = await startTestApp();
    chairToken = await tokenOf('chair');
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('runs the whole lifecycle: scheduled, rescheduled, live through the agenda, adjourned; another cancelled', async () => {
    const meeting = await schedule();
    const later = new Date(Date.now() + 7200_000).toISOString();
    const moved = await t.api('PATCH', `/api/compounds/${t.compoundId}/meetings/${meeting.id}`, {
      token: chairToken,
      body: { scheduledAt: later, place: '35号院活动室' },
    });
    expect(moved.body).toEqual(expect.objectContaining({ status: 'scheduled', place: '35号院活动室', scheduledAt: later }));

    const chair = await open(chairToken);
    const resident = await open(await tokenOf('resident1'));
    const before = await stateOf(resident, meeting.id);
    expect(before.meeting.status).toBe('scheduled');
    await stateOf(chair, meeting.id);

    const live = waitFor(resident, 'meeting:event', (e) => e.kind === 'meeting' && e.meeting.status === 'live');
    expect(await send(chair, 'meeting:open', { meetingId: meeting.id })).toEqual({ ok: true, seq: before.seq + 1, meetingId: meeting.id });
    const opened = await live;
    expect(opened.kind === 'meeting' && opened.meeting.currentAgendaItemId).toBe(meeting.agenda[0]!.id);

    const next = waitFor(resident, 'meeting:event', (e) => e.kind === 'meeting' && e.meeting.currentAgendaItemId === meeting.agenda[1]!.id);
    expect((await send(chair, 'agenda:set-current', { meetingId: meeting.id, agendaItemId: meeting.agenda[1]!.id })).ok).toBe(true);
    const moved2 = await next;
    expect(moved2.kind === 'meeting' && moved2.meeting.agenda.map((a) => a.status)).toEqual(['done', 'current']);

    const ended = waitFor(resident, 'meeting:event', (e) => e.kind === 'meeting' && e.meeting.status === 'adjourned');
    expect((await send(chair, 'meeting:adjourn', { meetingId: meeting.id })).ok).toBe(true);
    await ended;
    const again = await send(chair, 'meeting:open', { meetingId: meeting.id });
    expect(again).toEqual({ ok: false, error: expect.objectContaining({ code: 'MEETING_NOT_SCHEDULED' }) });
    expect((await t.api('GET', `/api/compounds/${t.compoundId}/meetings/${meeting.id}`, { token: chairToken })).body.status).toBe(
      'adjourned',
    );

    const other = await schedule({ title: '取消的会' });
    const cancelled = await t.api('POST', `/api/compounds/${t.compoundId}/meetings/${other.id}/cancel`, { token: chairToken });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await send(chair, 'meeting:open', { meetingId: other.id })).ok).toBe(false);
    const list = (await t.api('GET', `/api/compounds/${t.compoundId}/meetings`, { token: await tokenOf('observer') })).body;
    expect(list.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([meeting.id, other.id]));
  });

  it('shows the presence of 50 people, each once however many devices', async () => {
    const meeting = await schedule();
    const people = await t.residents(50, 'p');
    const chair = await open(chairToken);
    await stateOf(chair, meeting.id);
    const all = waitFor(chair, 'meeting:presence', (p) => p.presence.length === 51, 15_000);
    const joined = await Promise.all(
      people.map(async (p) => {
        const s = await open(p.token);
        await stateOf(s, meeting.id);
        return s;
      }),
    );
    const presence = (await all).presence;
    expect(new Set(presence.map((p) => p.userId)).size).toBe(51);
    expect(presence.find((p) => p.roles.includes('chair'))?.displayName).toBe('张主任（居委会）');
    expect(presence.find((p) => p.userId === people[0]!.userId)?.householdLabels).toHaveLength(1);

    // A second device of the same person changes nothing; leaving takes the person out.
    const twin = await open(people[1]!.token);
    await stateOf(twin, meeting.id);
    const fewer = waitFor(chair, 'meeting:presence', (p) => p.presence.length === 50);
    joined[0]!.close();
    expect((await fewer).presence.some((p) => p.userId === people[0]!.userId)).toBe(false);
  });

  it('checks people in and counts the quorum by households, floor area and owners by head', async () => {
    const meeting = await schedule();
    const chair = await open(chairToken);
    const s1 = await open(await tokenOf('resident1'));
    const s2 = await open(await tokenOf('resident2'));
    const before = await stateOf(chair, meeting.id);
    expect(before.quorum).toEqual(
      expect.objectContaining({ rule: null, present: { households: 0, areaCentiM2: 0, heads: 0 }, met: false }),
    );
    expect(before.quorum.eligible.households).toBe(36);
    // 36 units: one owner holds two, and two developer units count as one owner → 34 heads.
    expect(before.quorum.eligible.heads).toBe(34);
    await stateOf(s1, meeting.id);
    await stateOf(s2, meeting.id);
    await send(chair, 'meeting:open', { meetingId: meeting.id });

    const seen = waitFor(chair, 'meeting:event', (e) => e.kind === 'attendance' && e.attendance.length === 1);
    expect((await send(s1, 'attendance:check-in', { meetingId: meeting.id, onSite: true })).ok).toBe(true);
    const first = await seen;
    if (first.kind !== 'attendance') throw new Error();
    expect(first.attendance[0]).toEqual(
      expect.objectContaining({ displayName: '王大爷', method: 'on_site', householdLabels: ['1号楼 1单元 201'] }),
    );
    expect(first.quorum.present.households).toBe(1);

    // Checking in twice changes nothing.
    const twice = await send(s1, 'attendance:check-in', { meetingId: meeting.id });
    expect(twice.ok && 'seq' in twice && twice.seq).toBe(first.seq);

    const households = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: chairToken })).body as Array<{
      id: string;
      label: string;
      areaCentiM2: number;
    }>;
    const paper = households.find((h) => h.label === '5号楼 2单元 302')!;
    await send(s2, 'attendance:check-in', { meetingId: meeting.id });
    const reg = waitFor(s1, 'meeting:event', (e) => e.kind === 'attendance' && e.attendance.length === 3);
    expect((await send(chair, 'attendance:register', { meetingId: meeting.id, householdId: paper.id })).ok).toBe(true);
    const third = await reg;
    if (third.kind !== 'attendance') throw new Error();
    const expectedArea = households
      .filter((h) => ['1号楼 1单元 201', '1号楼 1单元 301', '5号楼 2单元 302'].includes(h.label))
      .reduce((a, h) => a + h.areaCentiM2, 0);
    expect(third.quorum.present).toEqual({ households: 3, areaCentiM2: expectedArea, heads: 3 });
    expect(third.attendance[2]).toEqual(expect.objectContaining({ method: 'registered', userId: null, displayName: '5号楼 2单元 302' }));
  });

  it('runs the speakers list: hands, order, the floor with a server-side time limit that ends the turn', async () => {
    const meeting = await schedule();
    const chair = await open(chairToken);
    const a = await open(await tokenOf('resident1'));
    const b = await open(await tokenOf('resident2'));
    const c = await open(await tokenOf('property'));
    for (const s of [chair, a, b, c]) await stateOf(s, meeting.id);
    await send(chair, 'meeting:open', { meetingId: meeting.id });

    const ha = await send(a, 'hand:raise', { meetingId: meeting.id });
    const hb = await send(b, 'hand:raise', { meetingId: meeting.id });
    const hc = await send(c, 'hand:raise', { meetingId: meeting.id });
    if (!ha.ok || !hb.ok || !hc.ok) throw new Error('raise failed');
    const again = await send(a, 'hand:raise', { meetingId: meeting.id });
    expect(again.ok && again.speakerId).toBe(ha.speakerId);

    const reordered = waitFor(a, 'meeting:event', (e) => e.kind === 'speakers' && e.speakers.queue[0]?.id === hc.speakerId);
    expect((await send(chair, 'speakers:reorder', { meetingId: meeting.id, order: [hc.speakerId, ha.speakerId, hb.speakerId] })).ok).toBe(
      true,
    );
    await reordered;
    const bad = await send(chair, 'speakers:reorder', { meetingId: meeting.id, order: [ha.speakerId] });
    expect(bad.ok || bad.error.code).toBe('VALIDATION_FAILED');

    const lowered = waitFor(chair, 'meeting:event', (e) => e.kind === 'speakers' && e.speakers.queue.length === 2);
    await send(b, 'hand:lower', { meetingId: meeting.id });
    await lowered;

    const floor = waitFor(a, 'meeting:event', (e) => e.kind === 'speakers' && e.speakers.floor?.displayName === '刘经理（物业）');
    expect((await send(chair, 'floor:give', { meetingId: meeting.id, timeLimitS: 120 })).ok).toBe(true);
    const given = await floor;
    if (given.kind !== 'speakers') throw new Error();
    const f = given.speakers.floor!;
    expect(Date.parse(f.endsAt!) - Date.parse(f.startedAt)).toBe(120_000);
    expect(given.speakers.queue.map((q) => q.displayName)).toEqual(['王大爷']);

    // Time runs out (moved forward in the database rather than waited for): the server ends the turn.
    const up = waitFor(b, 'meeting:event', (e) => e.kind === 'speakers' && e.reason === 'time_up');
    await t.db.query(`UPDATE speaker SET ends_at = now() WHERE id = $1`, [f.turnId]);
    const timeUp = await up;
    expect(timeUp.kind === 'speakers' && timeUp.speakers.floor).toBeNull();
    const [turn] = await t.db.query(`SELECT status, end_reason FROM speaker WHERE id = $1`, [f.turnId]);
    expect(turn).toEqual({ status: 'done', end_reason: 'time_up' });

    await send(chair, 'floor:give', { meetingId: meeting.id, speakerId: ha.speakerId });
    const ended = waitFor(c, 'meeting:event', (e) => e.kind === 'speakers' && e.speakers.floor === null);
    await send(chair, 'floor:end', { meetingId: meeting.id });
    await ended;
    expect(await send(chair, 'floor:give', { meetingId: meeting.id })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'NO_SPEAKER_WAITING' }),
    });
    const [{ turns }] = await t.db.query(`SELECT count(*)::int AS turns FROM speaker WHERE meeting_id = $1 AND started_at IS NOT NULL`, [
      meeting.id,
    ]);
    expect(turns).toBe(2);
  });

  it('keeps the chat, stores a resent message once, and lets the chair hide one while keeping it in the record', async () => {
    const meeting = await schedule();
    const chair = await open(chairToken);
    const a = await open(await tokenOf('resident1'));
    for (const s of [chair, a]) await stateOf(s, meeting.id);
    await send(chair, 'meeting:open', { meetingId: meeting.id });

    const clientMessageId = randomUUID();
    const arrived = waitFor(chair, 'meeting:event', (e) => e.kind === 'chat');
    const sent = await send(a, 'chat:send', { meetingId: meeting.id, clientMessageId, body: '  <b>资金</b>从哪里来？ ' });
    if (!sent.ok) throw new Error(JSON.stringify(sent));
    expect(sent.message.body).toBe('<b>资金</b>从哪里来？');
    expect((await arrived).kind).toBe('chat');
    const resent = await send(a, 'chat:send', { meetingId: meeting.id, clientMessageId, body: '<b>资金</b>从哪里来？' });
    expect(resent.ok && resent.message.id).toBe(sent.message.id);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM chat_message WHERE meeting_id = $1`, [meeting.id]);
    expect(n).toBe(1);

    const hidden = waitFor(a, 'meeting:event', (e) => e.kind === 'chat-hidden');
    expect((await send(chair, 'chat:hide', { meetingId: meeting.id, messageId: sent.message.id })).ok).toBe(true);
    await hidden;
    const late = await open(await tokenOf('resident2'));
    expect((await stateOf(late, meeting.id)).chat).toEqual([expect.objectContaining({ id: sent.message.id, hidden: true, body: null })]);
    expect((await stateOf(chair, meeting.id)).chat[0]).toEqual(expect.objectContaining({ hidden: true, body: '<b>资金</b>从哪里来？' }));
  });

  it('refuses every command a role may not give, and the refusal changes nothing', async () => {
    const meeting = await schedule();
    const chair = await open(chairToken);
    await stateOf(chair, meeting.id);
    await send(chair, 'meeting:open', { meetingId: meeting.id });
    const resident = await open(await tokenOf('resident1'));
    const observer = await open(await tokenOf('observer'));
    const before = (await stateOf(chair, meeting.id)).seq;
    const m = { meetingId: meeting.id };
    const chairOnly = [
      ['meeting:open', m],
      ['meeting:adjourn', m],
      ['agenda:set-current', { ...m, agendaItemId: meeting.agenda[1]!.id }],
      ['attendance:register', { ...m, householdId: randomUUID() }],
      ['floor:give', m],
      ['floor:end', m],
      ['speakers:reorder', { ...m, order: [] }],
      ['chat:hide', { ...m, messageId: randomUUID() }],
    ] as const;
    for (const [name, payload] of chairOnly) {
      for (const s of [resident, observer]) {
        const ack = await send(s, name, payload);
        expect(`${name}: ${ack.ok ? 'ok' : ack.error.code}`).toBe(`${name}: FORBIDDEN`);
      }
    }
    for (const [name, payload] of [
      ['hand:raise', m],
      ['chat:send', { ...m, clientMessageId: randomUUID(), body: 'hi' }],
    ] as const) {
      const ack = await send(observer, name, payload);
      expect(`${name}: ${ack.ok ? 'ok' : ack.error.code}`).toBe(`${name}: FORBIDDEN`);
    }
    expect((await stateOf(chair, meeting.id)).seq).toBe(before);
  });

  it('refuses bad payloads with the failing fields, and unknown meetings as not found', async () => {
    const meeting = await schedule();
    const s = await open(await tokenOf('resident1'));
    const cases: Array<[string, unknown, string[]]> = [
      ['meeting:join', { meetingId: 42 }, ['meetingId']],
      ['meeting:join', undefined, ['meetingId']],
      ['chat:send', { meetingId: meeting.id, body: 'x'.repeat(5000) }, ['body', 'clientMessageId']],
      ['floor:give', { meetingId: meeting.id, timeLimitS: 'long' }, ['timeLimitS']],
      ['attendance:check-in', { meetingId: meeting.id, onSite: 'yes' }, ['onSite']],
    ];
    for (const [name, payload, fields] of cases) {
      const ack = await send(s, name as 'meeting:join', payload);
      if (ack.ok) throw new Error(`${name} accepted ${JSON.stringify(payload)}`);
      expect(ack.error.code).toBe('VALIDATION_FAILED');
      expect(ack.error.fields!.map((f) => f.path).sort()).toEqual(fields);
    }
    const unknown = await send(s, 'meeting:join', { meetingId: randomUUID() });
    expect(unknown.ok || unknown.error.code).toBe('NOT_FOUND');
    // Still connected and served.
    expect((await send(s, 'meeting:join', { meetingId: meeting.id })).ok).toBe(true);
    // A message over the size limit closes that connection, and only that one.
    const other = await open(await tokenOf('resident2'));
    const closed = new Promise((resolve) => s.once('disconnect', resolve));
    (s as unknown as { emit(n: string, p: unknown): void }).emit('chat:send', { meetingId: meeting.id, body: 'x'.repeat(1_100_000) });
    await closed;
    expect((await send(other, 'meeting:join', { meetingId: meeting.id })).ok).toBe(true);
  });

  it('a client that drops and reconnects gets what it missed and ends with the same state as everyone', async () => {
    const meeting = await schedule();
    const chair = await open(chairToken);
    await stateOf(chair, meeting.id);
    await send(chair, 'meeting:open', { meetingId: meeting.id });
    const token = await tokenOf('resident1');
    const s = await open(token);
    let mine = await stateOf(s, meeting.id);
    s.on('meeting:event', (e: MeetingEvent) => {
      if (e.seq === mine.seq + 1) mine = applyMeetingEvent(mine, e);
    });
    await send(chair, 'chat:send', { meetingId: meeting.id, clientMessageId: randomUUID(), body: '第一条' });
    s.disconnect();
    // While it is away: chat, hands, the agenda.
    const other = await open(await tokenOf('resident2'));
    await stateOf(other, meeting.id);
    await send(other, 'hand:raise', { meetingId: meeting.id });
    await send(chair, 'chat:send', { meetingId: meeting.id, clientMessageId: randomUUID(), body: '第二条' });
    await send(chair, 'agenda:set-current', { meetingId: meeting.id, agendaItemId: meeting.agenda[1]!.id });

    const back = await open(token);
    const ack = await send(back, 'meeting:join', { meetingId: meeting.id, sinceSeq: mine.seq });
    if (!ack.ok || !('events' in ack)) throw new Error(JSON.stringify(ack));
    for (const e of ack.events) mine = applyMeetingEvent(mine, e);
    const fresh = await stateOf(chair, meeting.id);
    const comparable = (x: MeetingState) => ({ ...x, serverTime: '', presence: [] });
    expect(comparable(mine)).toEqual(comparable(fresh));
    expect(mine.chat.map((c) => c.body)).toEqual(['第一条', '第二条']);
  });

  it('throttles a chat flood on that socket only', async () => {
    const meeting = await schedule();
    const chair = await open(chairToken);
    await stateOf(chair, meeting.id);
    await send(chair, 'meeting:open', { meetingId: meeting.id });
    const flooder = await open(await tokenOf('resident1'));
    const acks = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        send(flooder, 'chat:send', { meetingId: meeting.id, clientMessageId: randomUUID(), body: `刷屏${i}` }),
      ),
    );
    const limited = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(limited).toBeGreaterThanOrEqual(20);
    const calm = await open(await tokenOf('resident2'));
    expect((await send(calm, 'chat:send', { meetingId: meeting.id, clientMessageId: randomUUID(), body: '我正常发言' })).ok).toBe(true);
  });

  it('answers a made-up command NOT_FOUND, and a flood of them slows that socket only', async () => {
    const meeting = await schedule();
    const flooder = await open(await tokenOf('resident1'));
    const made = await emitAny(flooder, 'meeting:delete-everything', { meetingId: meeting.id });
    expect(made).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The allowance is 40 at once: made-up names use it up like real commands do.
    const acks = await Promise.all(Array.from({ length: 60 }, (_, i) => emitAny(flooder, `no-such-command-${i}`, {})));
    expect(acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(15);
    expect(await emitAny(flooder, 'meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    const calm = await open(await tokenOf('resident2'));
    expect((await send(calm, 'meeting:join', { meetingId: meeting.id })).ok).toBe(true);
  });

  it('refuses a bad token or a foreign origin at the handshake, and ends sockets on sign-out or loss of membership', async () => {
    await expect(connect(t.baseUrl, 'not-a-token')).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    await expect(connect(t.baseUrl, undefined)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    await expect(connect(t.baseUrl, chairToken, { origin: 'https://evil.example' })).rejects.toBeTruthy();

    const meeting = await schedule();
    const session = await t.signIn('resident2');
    const s = await open(session.accessToken);
    await stateOf(s, meeting.id);
    const ended = waitFor(s, 'session:ended');
    const gone = new Promise((resolve) => s.once('disconnect', resolve));
    expect((await t.api('POST', '/api/auth/sign-out', { token: session.accessToken })).status).toBe(204);
    await ended;
    await gone;

    const [newcomer] = await t.residents(1, 'gone');
    if (!newcomer) throw new Error('t.residents(1) made no resident');
    const ns = await open(newcomer.token);
    await stateOf(ns, meeting.id);
    const members = (await t.api('GET', `/api/compounds/${t.compoundId}/members`, { token: chairToken })).body as Array<{
      membershipId: string;
      user: { id: string };
    }>;
    const removed = waitFor(ns, 'meeting:removed');
    await t.api('DELETE', `/api/compounds/${t.compoundId}/members/${members.find((x) => x.user.id === newcomer.userId)!.membershipId}`, {
      token: chairToken,
    });
    expect(await removed).toEqual({ meetingId: meeting.id, code: 'NOT_FOUND' });
    expect((await send(ns, 'hand:raise', { meetingId: meeting.id })).ok).toBe(false);
  });
});
