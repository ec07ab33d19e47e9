import { randomUUID } from 'node:crypto';
import { writeDoc } from './docs';
import { connect } from './sockets';
import type { TestApp } from './test-app';

export const TWO_ROUNDS = {
  title: '3号楼屋顶防水改造',
  firstDraft: '3号楼屋顶重新做防水层。',
  secondDraft: '【第二稿】施工避开雨季，费用由维修资金列支。',
  objection: '雨季施工会漏水，请改期。',
  answer: '第二稿已改为避开雨季施工。',
} as const;

/**
 * An adopted proposal that took two rounds, through the real API: on the agenda of two
 * meetings; round 1 on revision 1 fails with the voter's vote against and its reason (an
 * objection), which the chair answers; revision 2 passes in round 2 and, needing no sign-off,
 * is adopted at once.
 */
export async function adoptThroughTwoRounds(t: TestApp, chair: string, voterLogin = 'resident1') {
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  const ok = <T>(r: { status: number; body: T }, what: string): T => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const meetings = [];
  for (const [i, daysAgo] of [20, 10].entries()) {
    const m = ok(
      await api('POST', '/meetings', chair, {
        title: `第${i + 1}次议事会：屋顶防水`,
        scheduledAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
        agenda: [{ title: '屋顶防水方案' }],
      }),
      'schedule a meeting',
    ) as { id: string; agenda: Array<{ id: string }> };
    meetings.push(m);
  }
  const p = ok(
    await api('POST', '/proposals', chair, {
      title: TWO_ROUNDS.title,
      kind: 'renovation',
      agendaItemIds: meetings.map((m) => m.agenda[0]!.id),
    }),
    'create the proposal',
  ) as { id: string };
  const [{ id: householdId }] = await t.db.query(
    `SELECT id FROM household WHERE compound_id = $1 AND voter_user_id = (SELECT id FROM app_user WHERE username = $2) LIMIT 1`,
    [t.compoundId, voterLogin],
  );
  const socket = await connect(t.baseUrl, (await t.signIn(voterLogin)).accessToken);
  const cast = async (roundId: string, revisionId: string, choice: 'for' | 'against', reason?: string) => {
    const ack = await (socket.timeout(10_000) as unknown as { emitWithAck(n: string, p: unknown): Promise<{ ok: boolean }> }).emitWithAck(
      'vote:cast',
      { roundId, ballotId: randomUUID(), householdId, revisionId, choice, reason },
    );
    if (!ack.ok) throw new Error(`cast refused: ${JSON.stringify(ack)}`);
  };
  const round = async (paragraph: string, choice: 'for' | 'against', reason?: string) => {
    await writeDoc(t.baseUrl, chair, p.id, { paragraphs: [paragraph] });
    const rev = ok(await api('POST', `/proposals/${p.id}/revisions`, chair), 'freeze') as { id: string; number: number };
    const r = ok(
      await api('POST', `/proposals/${p.id}/rounds`, chair, {
        revisionNumber: rev.number,
        question: '是否同意？',
        rule: 'simple_majority',
      }),
      'open a round',
    ) as { id: string };
    await cast(r.id, rev.id, choice, reason);
    return ok(await api('POST', `/rounds/${r.id}/close`, chair), 'close the round') as { id: string; proposalStatus: string };
  };
  try {
    const first = await round(TWO_ROUNDS.firstDraft, 'against', TWO_ROUNDS.objection);
    const [thread] = await t.db.query(`SELECT id FROM comment WHERE proposal_id = $1 AND objection IS NOT NULL`, [p.id]);
    ok(await api('POST', `/proposals/${p.id}/comments/${thread.id}/replies`, chair, { body: TWO_ROUNDS.answer }), 'answer the objection');
    const second = await round(TWO_ROUNDS.secondDraft, 'for');
    if (second.proposalStatus !== 'adopted') throw new Error(`round 2 left the proposal ${second.proposalStatus}`);
    return { proposalId: p.id, meetingIds: meetings.map((m) => m.id), roundIds: [first.id, second.id] };
  } finally {
    socket.close();
  }
}
