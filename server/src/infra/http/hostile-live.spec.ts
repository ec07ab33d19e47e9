import { commandSchemas } from '@yishi/shared';
import fc from 'fast-check';
import { z, type ZodType } from 'zod';
import { writeDoc } from '../../testing/docs';
import { bodyFor, emitAny, SEED, sendHostile } from '../../testing/hostile-input';
import { type ClientSocket, connect, send } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

/**
 * Generated hostile input from inside a live meeting: the chair and a resident, both joined to an
 * open meeting and its proposal's document, with a vote round open. Half of the generated payloads
 * carry the real ids of that meeting, its agenda item, proposal, revision, round and the resident's
 * household, so they get past "not found" and into what each command does. Never an INTERNAL ack,
 * every refusal ours and clean, text the database cannot store refused, and the meeting still
 * serves everyone afterwards.
 */
const RUNS = 20;

describe('generated hostile input inside a live meeting', () => {
  let t: TestApp;
  const tokens: Record<'chair' | 'resident1', string> = { chair: '', resident1: '' };
  let live: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    for (const login of ['chair', 'resident1'] as const) tokens[login] = (await t.signIn(login)).accessToken;
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await t.api(method, `/api/compounds/${t.compoundId}${path}`, { token: tokens.chair, body });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as T;
    };
    const meeting = await api<{ id: string; agenda: Array<{ id: string }> }>('POST', '/meetings', {
      title: '议事会：车棚改造',
      scheduledAt: new Date().toISOString(),
      agenda: [{ title: '车棚改造方案' }],
    });
    const proposal = await api<{ id: string }>('POST', '/proposals', {
      title: '车棚改造',
      kind: 'renovation',
      agendaItemIds: [meeting.agenda[0]!.id],
    });
    await writeDoc(t.baseUrl, tokens.chair, proposal.id, { paragraphs: ['车棚加装充电桩。'] });
    const revision = await api<{ id: string; number: number }>('POST', `/proposals/${proposal.id}/revisions`);
    const round = await api<{ id: string }>('POST', `/proposals/${proposal.id}/rounds`, {
      revisionNumber: revision.number,
      question: '是否同意？',
      rule: 'simple_majority',
    });
    const [household] = await t.db.query(
      `SELECT h.id, h.voter_user_id FROM household h JOIN app_user u ON u.id = h.voter_user_id WHERE h.compound_id = $1 AND u.username = 'resident1' LIMIT 1`,
      [t.compoundId],
    );
    const chair = await connect(t.baseUrl, tokens.chair);
    const opened = await send(chair, 'meeting:open', { meetingId: meeting.id });
    chair.close();
    if (!opened.ok) throw new Error(`meeting:open: ${JSON.stringify(opened)}`);
    live = {
      compoundId: t.compoundId,
      meetingId: meeting.id,
      agendaItemId: meeting.agenda[0]!.id,
      currentAgendaItemId: meeting.agenda[0]!.id,
      proposalId: proposal.id,
      docId: proposal.id,
      revisionId: revision.id,
      roundId: round.id,
      householdId: household.id,
      userId: household.voter_user_id,
    };
  });
  afterAll(() => t.close());

  /** The payload with every id it names that the live meeting has replaced by the real one. */
  const withLiveIds = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(withLiveIds)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k in live ? live[k] : withLiveIds(x)]))
        : v;

  it('never answers INTERNAL, refuses cleanly and keeps serving the meeting', async () => {
    // Adjourning ends the meeting: it goes last, so the other commands meet it live.
    const names = (Object.keys(commandSchemas) as Array<keyof typeof commandSchemas>).sort(
      (a, b) => Number(a === 'meeting:adjourn') - Number(b === 'meeting:adjourn'),
    );
    let realIdCases = 0;
    const acceptedWithLiveIds = new Set<string>();
    let refusedBadText = 0;
    for (const name of names) {
      const schema = z.toJSONSchema(commandSchemas[name] as ZodType, { io: 'input', unrepresentable: 'any' }) as object;
      for (const role of ['chair', 'resident1'] as const) {
        // Inside the meeting and its document, as a participant would be.
        const socket: ClientSocket = await connect(t.baseUrl, tokens[role]);
        try {
          expect(await send(socket, 'meeting:join', { meetingId: live.meetingId })).toEqual(expect.objectContaining({ ok: true }));
          expect(await emitAny(socket, 'doc:join', { docId: live.docId })).toEqual(expect.objectContaining({ ok: true }));
          await fc.assert(
            fc.asyncProperty(fc.tuple(bodyFor(schema), fc.boolean()), async ([generated, real]) => {
              const payload = real ? withLiveIds(generated) : generated;
              if (real) realIdCases++;
              const { ack, badText } = await sendHostile(socket, role, name, payload);
              if (ack.ok && real) acceptedWithLiveIds.add(name);
              if (badText) refusedBadText++;
            }),
            { seed: SEED, numRuns: RUNS, endOnFailure: true },
          );
        } finally {
          socket.close();
        }
      }
    }
    expect(realIdCases).toBeGreaterThan(names.length * RUNS * 0.5);
    // The live ids got generated payloads past the lookups and into what the commands do.
    console.log(`accepted with the live meeting's ids: ${[...acceptedWithLiveIds].sort().join(', ')}`);
    expect(acceptedWithLiveIds.size).toBeGreaterThanOrEqual(8);
    expect(refusedBadText).toBeGreaterThan(names.length);
    // Still serving: the meeting's state and the round answer, and a newcomer joins the document.
    const state = await t.api('GET', `/api/compounds/${t.compoundId}/meetings/${live.meetingId}`, { token: tokens.resident1 });
    expect(state.status).toBe(200);
    const newcomer = await connect(t.baseUrl, tokens.resident1);
    try {
      expect(await emitAny(newcomer, 'doc:join', { docId: live.docId })).toEqual(expect.objectContaining({ ok: true }));
    } finally {
      newcomer.close();
    }
  }, 300_000);
});
