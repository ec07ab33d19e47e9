import { randomUUID } from 'node:crypto';
import { type ProjectorEvent, type ProjectorState, SYNC_UPDATE } from '@yishi/shared';
import * as Y from 'yjs';
import { writeDoc } from '../../testing/docs';
import { type ClientSocket, connect, connectWith, send, waitFor } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { syncFrame } from './node-wire';

/** The socket without the meeting typing, for any command. */
const raw = (s: ClientSocket) => s.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };

describe('the projector link and its read-only socket', () => {
  let t: TestApp;
  let chair: string;
  const sockets: ClientSocket[] = [];
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  /** A projector's connection, resolved once admitted, or rejected with the refusal's code. */
  const projector = (auth: Record<string, unknown>): Promise<ClientSocket> =>
    connectWith(t.baseUrl, auth).then(
      (s) => (sockets.push(s), s),
      (err: Error & { data?: { code?: string } }) => Promise.reject(new Error(err.data?.code ?? err.message)),
    );
  const schedule = async () => {
    const res = await api('POST', '/meetings', chair, {
      title: '平房改造方案第5次议事会',
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      agenda: [{ title: '讨论改造方案' }],
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; agenda: Array<{ id: string }> };
  };
  const link = async (meetingId: string) => {
    const res = await api('POST', `/meetings/${meetingId}/projector-link`, chair);
    expect(res.status).toBe(201);
    return res.body as { token: string; link: { id: string } };
  };
  const joinScreen = async (s: ClientSocket): Promise<ProjectorState> => {
    const ack = await raw(s).emitWithAck('projector:join', {});
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    return ack.state;
  };

  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('is made, shown and revoked by the chair only; the token is stored as a hash and shown once', async () => {
    const meeting = await schedule();
    const resident = (await t.signIn('resident1')).accessToken;
    expect((await api('POST', `/meetings/${meeting.id}/projector-link`, resident)).status).toBe(403);
    expect((await api('GET', `/meetings/${meeting.id}/projector-link`, chair)).body).toEqual({ link: null });
    expect((await api('POST', `/meetings/${randomUUID()}/projector-link`, chair)).status).toBe(404);
    // Another compound's meeting, through this compound's address: as if it did not exist.
    const [elsewhere] = await t.db.query(
      `WITH c AS (INSERT INTO compound (community_id, name) SELECT community_id, '霞光里37号院' FROM compound WHERE id = $1 RETURNING id)
       INSERT INTO meeting (compound_id, title, scheduled_at, created_by) SELECT c.id, '别院的会', now(), u.id FROM c, app_user u WHERE u.username = 'chair'
       RETURNING id`,
      [t.compoundId],
    );
    for (const method of ['GET', 'POST', 'DELETE'])
      expect([method, (await api(method, `/meetings/${elsewhere.id}/projector-link`, chair)).status]).toEqual([method, 404]);
    expect(await t.db.query(`SELECT 1 FROM projector_link WHERE meeting_id = $1`, [elsewhere.id])).toEqual([]);

    const made = await link(meeting.id);
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await t.db.query(`SELECT to_jsonb(l)::text AS row FROM projector_link l WHERE id = $1`, [made.link.id]);
    expect(row.row).not.toContain(made.token);
    const shown = (await api('GET', `/meetings/${meeting.id}/projector-link`, chair)).body;
    expect(shown).toEqual({ link: expect.objectContaining({ id: made.link.id }) });
    expect(JSON.stringify(shown)).not.toContain(made.token);

    // A new link replaces the old one: the old token opens nothing any more.
    const second = await link(meeting.id);
    await expect(projector({ projectorToken: made.token, meetingId: meeting.id })).rejects.toThrow('UNAUTHENTICATED');
    await joinScreen(await projector({ projectorToken: second.token, meetingId: meeting.id }));
  });

  it('refuses a wrong token, a revoked one, and a good one with another meeting id', async () => {
    const meeting = await schedule();
    const other = await schedule();
    const { token } = await link(meeting.id);
    await link(other.id);
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    await expect(projector({ projectorToken: wrong, meetingId: meeting.id })).rejects.toThrow('UNAUTHENTICATED');
    await expect(projector({ projectorToken: token, meetingId: other.id })).rejects.toThrow('UNAUTHENTICATED');
    await expect(projector({ projectorToken: token })).rejects.toThrow('UNAUTHENTICATED');
    await expect(projector({ projectorToken: 'x'.repeat(5000), meetingId: meeting.id })).rejects.toThrow('UNAUTHENTICATED');

    // Revoking cuts off the screen that is showing, and the token opens nothing afterwards.
    const screen = await projector({ projectorToken: token, meetingId: meeting.id });
    await joinScreen(screen);
    const ended = waitFor(screen, 'projector:ended');
    const gone = new Promise((resolve) => screen.once('disconnect', resolve));
    expect((await api('DELETE', `/meetings/${meeting.id}/projector-link`, chair)).body).toEqual({ link: null });
    expect(await ended).toEqual({ code: 'UNAUTHENTICATED' });
    await gone;
    await expect(projector({ projectorToken: token, meetingId: meeting.id })).rejects.toThrow('UNAUTHENTICATED');
  });

  it('may send no command but its own, and reads its meeting’s proposal without editing it', async () => {
    const meeting = await schedule();
    const other = await schedule();
    const { token } = await link(meeting.id);
    const ours = (
      await api('POST', '/proposals', chair, { title: '平房改造方案', kind: 'renovation', agendaItemIds: [meeting.agenda[0]!.id] })
    ).body.id as string;
    const theirs = (await api('POST', '/proposals', chair, { title: '别的方案', kind: 'renovation', agendaItemIds: [other.agenda[0]!.id] }))
      .body.id as string;
    await writeDoc(t.baseUrl, chair, ours, { paragraphs: ['拆除危旧平房，原址翻建。'] });
    const screen = await projector({ projectorToken: token, meetingId: meeting.id });
    const state = await joinScreen(screen);
    expect(state.proposals.map((p) => p.id)).toEqual([ours]);

    const attempts: Array<[string, unknown]> = [
      ['meeting:join', { meetingId: meeting.id }],
      ['meeting:open', { meetingId: meeting.id }],
      ['agenda:set-current', { meetingId: meeting.id, agendaItemId: meeting.agenda[0]!.id }],
      ['hand:raise', { meetingId: meeting.id }],
      ['floor:end', { meetingId: meeting.id }],
      ['chat:send', { meetingId: meeting.id, clientMessageId: randomUUID(), body: '你好' }],
      ['attendance:check-in', { meetingId: meeting.id }],
      ['vote:rounds', { meetingId: meeting.id }],
      ['vote:follow', { roundId: randomUUID() }],
      ['vote:cast', { roundId: randomUUID(), ballotId: randomUUID(), householdId: randomUUID(), revisionId: randomUUID(), choice: 'for' }],
      ['doc:awareness', { docId: ours, message: new Uint8Array([0]) }],
    ];
    for (const [name, payload] of attempts)
      expect([name, await raw(screen).emitWithAck(name, payload)]).toEqual([
        name,
        { ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) },
      ]);
    expect((await api('GET', `/meetings/${meeting.id}`, chair)).body.status).toBe('scheduled');

    expect(await raw(screen).emitWithAck('doc:join', { docId: theirs })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'NOT_FOUND' }),
    });
    expect(await raw(screen).emitWithAck('doc:join', { docId: ours })).toEqual({ ok: true, canEdit: false });
    const doc = new Y.Doc();
    doc.getText('x').insert(0, '改掉它');
    const edit = await raw(screen).emitWithAck('doc:sync', { docId: ours, message: syncFrame(SYNC_UPDATE, Y.encodeStateAsUpdate(doc)) });
    expect(edit).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });

    // A person's socket cannot pass for a projector.
    const person = await connect(t.baseUrl, chair);
    sockets.push(person);
    expect(await raw(person).emitWithAck('projector:join', {})).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'FORBIDDEN' }),
    });
  });

  it('follows the meeting’s public changes: the floor, the quorum, never the chat or who checked in', async () => {
    const meeting = await schedule();
    const { token } = await link(meeting.id);
    const screen = await projector({ projectorToken: token, meetingId: meeting.id });
    const state = await joinScreen(screen);
    expect(Object.keys(state).sort()).toEqual(['meeting', 'proposals', 'quorum', 'round', 'seq', 'serverTime', 'speakers', 'tally']);
    const heard: unknown[] = [];
    screen.onAny((name, payload) => heard.push([name, payload]));

    const c = await connect(t.baseUrl, chair);
    const r = await connect(t.baseUrl, (await t.signIn('resident1')).accessToken);
    sockets.push(c, r);
    await send(c, 'meeting:join', { meetingId: meeting.id });
    await send(r, 'meeting:join', { meetingId: meeting.id });
    expect((await send(c, 'meeting:open', { meetingId: meeting.id })).ok).toBe(true);
    await send(r, 'attendance:check-in', { meetingId: meeting.id, onSite: true });
    await send(r, 'chat:send', { meetingId: meeting.id, clientMessageId: randomUUID(), body: '秘密的悄悄话' });
    const raised = await send(r, 'hand:raise', { meetingId: meeting.id });
    const floor = waitFor(screen, 'projector:event', (e: ProjectorEvent) => e.kind === 'speakers' && e.speakers.floor !== null);
    expect((await send(c, 'floor:give', { meetingId: meeting.id, timeLimitS: 120 })).ok).toBe(raised.ok);
    const given = await floor;
    expect(given.kind === 'speakers' && given.speakers.floor).toEqual(
      expect.objectContaining({ timeLimitS: 120, endsAt: expect.any(String) }),
    );

    const kinds = heard.map(([name, e]: any) => `${name}:${e.kind ?? ''}`);
    expect(kinds).toEqual(['projector:event:meeting', 'projector:event:quorum', 'projector:event:speakers', 'projector:event:speakers']);
    const quorum = heard.find(([, e]: any) => e.kind === 'quorum') as [string, any];
    expect(quorum[1].quorum.present.households).toBeGreaterThan(0);
    expect(JSON.stringify(heard)).not.toContain('秘密的悄悄话');
    expect(JSON.stringify(heard)).not.toContain('householdLabels');
  });
});
