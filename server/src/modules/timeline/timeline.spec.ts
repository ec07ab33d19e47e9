import type { ProposalTimeline } from '@yishi/shared';
import { adoptThroughTwoRounds, TWO_ROUNDS } from '../../testing/adopted-proposal';
import { startTestApp, type TestApp } from '../../testing/test-app';

/** The process at a glance, assembled by the real server from what the proposal went through. */
describe('a proposal’s timeline', () => {
  let t: TestApp;
  let chair: string;
  let resident: string;
  let proposalId: string;
  let meetingIds: string[];

  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
    resident = (await t.signIn('resident2')).accessToken;
    ({ proposalId, meetingIds } = await adoptThroughTwoRounds(t, chair));
    await t.api('POST', `/api/compounds/${t.compoundId}/notices`, { token: chair, body: { proposalId } });
  }, 120_000);
  afterAll(() => t.close());

  it('reads two meetings, two revisions, a failed round with its answered objection, the passing round, adoption and the notice, in order', async () => {
    const res = await t.api('GET', `/api/compounds/${t.compoundId}/proposals/${proposalId}/timeline`, { token: resident });
    expect(res.status).toBe(200);
    const tl = res.body as ProposalTimeline;
    expect(tl.summary).toEqual({ demands: 0, meetings: 2, revisions: 2, rounds: 2, passedRound: 2, objections: 1 });
    expect(tl.entries.map((e) => e.kind)).toEqual(['meeting', 'meeting', 'revision', 'round', 'revision', 'round', 'adopted', 'notice']);
    const rounds = tl.entries.filter((e) => e.kind === 'round');
    expect(rounds.map((r) => [r.number, r.revisionNumber, r.passed, r.against?.households, r.for?.households])).toEqual([
      [1, 1, false, 1, 0],
      [2, 2, true, 0, 1],
    ]);
    expect(rounds[0]!.objections).toEqual([expect.objectContaining({ choice: 'against', body: TWO_ROUNDS.objection, answered: true })]);
    expect(tl.entries.filter((e) => e.kind === 'meeting').map((m) => m.n)).toEqual([1, 2]);
  });

  it('adds the demand it answers and the project that carries it out, and shows them only to those who may see the lists', async () => {
    const [chairRow] = await t.db.query(`SELECT id FROM app_user WHERE username = 'chair'`);
    const [d] = await t.db.query(
      `INSERT INTO demand (compound_id, category, channel, title, entered_by, status, created_at)
       VALUES ($1, 'infrastructure', 'home_visit', '3号楼顶层漏雨', $2, 'in_deliberation', now() - interval '40 days') RETURNING id`,
      [t.compoundId, chairRow.id],
    );
    const project = await t.api('POST', `/api/compounds/${t.compoundId}/projects`, {
      token: chair,
      body: { title: '3号楼屋顶防水施工', demandIds: [d.id], adoptedProposalId: proposalId },
    });
    expect(project.status).toBe(201);
    const path = `/api/compounds/${t.compoundId}/proposals/${proposalId}/timeline`;
    const tl = (await t.api('GET', path, { token: resident })).body as ProposalTimeline;
    expect(tl.entries[0]).toMatchObject({ kind: 'demand', title: '3号楼顶层漏雨' });
    expect(tl.entries.at(-1)).toMatchObject({ kind: 'project', title: '3号楼屋顶防水施工', status: 'active' });
    expect(tl.summary.demands).toBe(1);
    // A street department sees the proposal's path, but not the compound's demand and project lists.
    const street = (await t.signIn('street1')).accessToken;
    const theirs = (await t.api('GET', path, { token: street })).body as ProposalTimeline;
    expect(theirs.entries.map((e) => e.kind)).not.toContain('demand');
    expect(theirs.entries.map((e) => e.kind)).not.toContain('project');
    expect(theirs.summary.rounds).toBe(2);
  });

  it('hides the proposal of one compound from another', async () => {
    const [other] = await t.db.query(
      `INSERT INTO compound (community_id, name) SELECT community_id, '霞光里36号院' FROM compound WHERE id = $1 RETURNING id`,
      [t.compoundId],
    );
    const res = await t.api('GET', `/api/compounds/${other.id}/proposals/${proposalId}/timeline`, { token: chair });
    expect(res.status).toBe(404);
  });

  it('shows on a project’s page the meetings that discussed it and the adopted proposal with its funding sign-offs', async () => {
    const [chairRow] = await t.db.query(`SELECT id FROM app_user WHERE username = 'chair'`);
    const [d] = await t.db.query(
      `INSERT INTO demand (compound_id, category, channel, title, entered_by, status) VALUES ($1, 'infrastructure', 'meeting', '平房排水沟改造', $2, 'in_deliberation') RETURNING id`,
      [t.compoundId, chairRow.id],
    );
    // The rights unit's funding commitment on the adopted revision, as the funding module records it.
    const [rights] = await t.db.query(`SELECT id FROM organisation WHERE kind = 'property_rights_unit' LIMIT 1`);
    const [signer] = await t.db.query(`SELECT id FROM app_user WHERE username = 'rights'`);
    await t.db.query(
      `INSERT INTO sign_off (proposal_id, revision_id, organisation_id, decision, amount_fen, signed_by, audit_hash)
       SELECT $1, id, $2, 'given', 12345600, $3, 'test' FROM revision WHERE proposal_id = $1 ORDER BY number DESC LIMIT 1`,
      [proposalId, rights.id, signer.id],
    );
    const created = await t.api('POST', `/api/compounds/${t.compoundId}/projects`, {
      token: chair,
      body: { title: '平房排水沟改造', demandIds: [d.id], adoptedProposalId: proposalId, meetingIds },
    });
    expect(created.status).toBe(201);
    const seen = await t.api('GET', `/api/compounds/${t.compoundId}/projects/${created.body.id}`, { token: resident });
    expect(seen.body.meetings.map((m: { id: string }) => m.id).sort()).toEqual([...meetingIds].sort());
    expect(seen.body.proposal).toMatchObject({ id: proposalId, status: 'adopted' });
    expect(seen.body.proposal.signOffs).toEqual([expect.objectContaining({ decision: 'given', amountFen: 12_345_600 })]);
    // A meeting of another compound cannot be linked.
    const [other] = await t.db.query(
      `INSERT INTO compound (community_id, name) SELECT community_id, '霞光里37号院' FROM compound WHERE id = $1 RETURNING id`,
      [t.compoundId],
    );
    const [theirs] = await t.db.query(
      `INSERT INTO meeting (compound_id, title, kind, scheduled_at, rule, created_by)
       SELECT $1, '别院的会', kind, scheduled_at, rule, created_by FROM meeting WHERE id = $2 RETURNING id`,
      [other.id, meetingIds[0]],
    );
    const refused = await t.api('PATCH', `/api/compounds/${t.compoundId}/projects/${created.body.id}`, {
      token: chair,
      body: { meetingIds: [theirs.id] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].path).toBe('meetingIds.0');
  });
});
