import { MEETING_KIND_TABLE, type MeetingKind } from '@yishi/shared';

/** What the fixture needs of a database: a TypeORM DataSource, or a pg client wrapped to return rows (the browser spec). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

/**
 * A data set whose figures are known, in March 2021 (before anything the demo seeds), for the
 * statistics spec and the browser spec. Into the demo compound (36 households):
 * meetings: 3 deliberation (2 adjourned, 1 scheduled), 2 party lessons (adjourned), 1 cancelled
 * branch meeting, 1 deliberation in May (outside the range);
 * attendance of the 4 adjourned, against the invited: 6 + 4 households of 2 × 36 at the
 * deliberation meetings (a household checked in twice in one meeting counts once), and at the
 * party lessons 0 + 2 of the compound's 2 party members (the demo's chair and gate1; a resident
 * who is not one and 5 households registered there invite no one): 12 of 76;
 * rounds: 3 closed in March, 2 passed; 1 closed in May; 1 still open;
 * demands: 5 in March (new 2, done 2, declined 1; home visits 3, online 2), 1 in May;
 * whistles in March: 1 answered in time, 1 late, 1 with one of two targets unanswered;
 * projects: 2 done and 1 stopped in March, 1 done in May, 1 active.
 * Into another compound of the same community: 1 deliberation meeting and 1 demand (hotline)
 * in March; into a compound of another community: 4 meetings no figure may show.
 */
export const MARCH_2021 = { from: '2021-03-01', to: '2021-03-31' };

export async function seedStatisticsFixture(db: Queryable, compoundId: string): Promise<{ neighbourId: string; strangerId: string }> {
  const [{ id: chair }] = await db.query(`SELECT id FROM app_user WHERE username = 'chair'`);
  const households: string[] = (await db.query(`SELECT id FROM household WHERE compound_id = $1 ORDER BY id`, [compoundId])).map(
    (r: { id: string }) => r.id,
  );
  const [{ community_id: communityId }] = await db.query(`SELECT community_id FROM compound WHERE id = $1`, [compoundId]);
  const [{ id: neighbourId }] = await db.query(
    `INSERT INTO compound (community_id, name, address) VALUES ($1, '霞光里36号院', '霞光里36号') RETURNING id`,
    [communityId],
  );
  const [other] = await db.query(`INSERT INTO community (name, street) VALUES ('亮马桥社区', '麦子店街道') RETURNING id`);
  const [{ id: strangerId }] = await db.query(
    `INSERT INTO compound (community_id, name, address) VALUES ($1, '亮马桥1号院', '亮马桥1号') RETURNING id`,
    [other.id],
  );

  const meeting = async (compound: string, kind: MeetingKind, status: string, at: string): Promise<string> => {
    const [row] = await db.query(
      `INSERT INTO meeting (compound_id, title, kind, audience, scheduled_at, place, online, status, building_ids, seq, created_by)
       VALUES ($1, $2, $3, $4, $5, '活动室', false, $6, '{}', 0, $7) RETURNING id`,
      [compound, `${kind} ${at}`, kind, MEETING_KIND_TABLE[kind].audience, at, status, chair],
    );
    return row.id;
  };
  const present = async (meetingId: string, groups: string[][]) => {
    for (const [i, ids] of groups.entries())
      await db.query(
        `INSERT INTO attendance (meeting_id, display_name, household_ids, method, registered_by) VALUES ($1, $2, $3, 'registered', $4)`,
        [meetingId, `到会${i}`, ids, chair],
      );
  };
  const h = (from: number, to: number) => households.slice(from, to).map((id) => [id]);
  const a = await meeting(compoundId, 'deliberation', 'adjourned', '2021-03-02T10:00:00+08:00');
  await present(a, h(0, 6));
  // The same household once more in the same meeting, by a person who checked in for it and another.
  await db.query(
    `INSERT INTO attendance (meeting_id, user_id, display_name, household_ids, method) VALUES ($1, $2, '张主任', $3, 'online')`,
    [a, chair, [households[0], households[1]]],
  );
  const b = await meeting(compoundId, 'deliberation', 'adjourned', '2021-03-09T10:00:00+08:00');
  await present(b, h(10, 14));
  await meeting(compoundId, 'deliberation', 'scheduled', '2021-03-31T23:30:00+08:00');
  await meeting(compoundId, 'party_lesson', 'adjourned', '2021-03-01T00:00:00+08:00');
  const d = await meeting(compoundId, 'party_lesson', 'adjourned', '2021-03-20T19:00:00+08:00');
  await present(d, h(20, 25));
  for (const login of ['chair', 'gate1', 'resident1'])
    await db.query(
      `INSERT INTO attendance (meeting_id, user_id, display_name, household_ids, method)
       SELECT $1, id, display_name, '{}', 'online' FROM app_user WHERE username = $2`,
      [d, login],
    );
  await meeting(compoundId, 'party_branch', 'cancelled', '2021-03-21T19:00:00+08:00');
  await meeting(compoundId, 'deliberation', 'adjourned', '2021-04-01T00:00:00+08:00');
  await meeting(neighbourId, 'deliberation', 'adjourned', '2021-03-15T10:00:00+08:00');
  for (const kind of ['deliberation', 'party_lesson', 'assembly', 'topic'] as const)
    await meeting(strangerId, kind, 'adjourned', '2021-03-15T10:00:00+08:00');

  const [proposal] = await db.query(
    `INSERT INTO proposal (compound_id, title, kind, owner_id) VALUES ($1, '统计用方案', 'other', $2) RETURNING id`,
    [compoundId, chair],
  );
  const round = async (n: number, status: string, closedAt: string | null, passed: boolean | null) => {
    const [rev] = await db.query(
      `INSERT INTO revision (proposal_id, number, doc_state, html, text, hash, frozen_by) VALUES ($1, $2, '\\x00', '<p>x</p>', 'x', 'h', $3) RETURNING id`,
      [proposal.id, n, chair],
    );
    await db.query(
      `INSERT INTO vote_round (compound_id, proposal_id, number, revision_id, revision_number, question, rule, status, electorate, totals, opened_by, closed_at, passed)
       VALUES ($1, $2, $3, $4, $3, '?', 'simple_majority', $5, '[]', '{}', $6, $7, $8)`,
      [compoundId, proposal.id, n, rev.id, status, chair, closedAt, passed],
    );
  };
  await round(1, 'closed', '2021-03-03T12:00:00+08:00', false);
  await round(2, 'closed', '2021-03-10T12:00:00+08:00', true);
  await round(3, 'closed', '2021-03-31T23:59:00+08:00', true);
  await round(4, 'closed', '2021-04-01T00:00:00+08:00', true);
  await round(5, 'open', null, null);

  const demand = async (compound: string, channel: string, status: string, at: string): Promise<string> => {
    const [row] = await db.query(
      `INSERT INTO demand (compound_id, category, channel, title, entered_by, status, decline_reason, created_at, updated_at)
       VALUES ($1, 'other', $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
      [compound, channel, `需求 ${at}`, chair, status, status === 'declined' ? '不属于社区事务' : null, at],
    );
    return row.id;
  };
  const escalated = await demand(compoundId, 'home_visit', 'new', '2021-03-01T08:00:00+08:00');
  await demand(compoundId, 'home_visit', 'new', '2021-03-05T08:00:00+08:00');
  await demand(compoundId, 'home_visit', 'done', '2021-03-06T08:00:00+08:00');
  await demand(compoundId, 'online', 'done', '2021-03-07T08:00:00+08:00');
  await demand(compoundId, 'online', 'declined', '2021-03-08T08:00:00+08:00');
  await demand(compoundId, 'online', 'new', '2021-04-02T08:00:00+08:00');
  await demand(neighbourId, 'hotline_12345', 'new', '2021-03-08T08:00:00+08:00');
  await demand(strangerId, 'forum', 'new', '2021-03-08T08:00:00+08:00');

  const orgs: string[] = (await db.query(`SELECT id FROM organisation WHERE kind = 'street_department' ORDER BY name`)).map(
    (r: { id: string }) => r.id,
  );
  const whistle = async (at: string, deadline: string, answers: Array<string | null>) => {
    const [w] = await db.query(
      `INSERT INTO whistle (compound_id, demand_id, question, deadline, created_by, created_at, updated_at) VALUES ($1, $2, '请协调', $3, $4, $5, $5) RETURNING id`,
      [compoundId, escalated, deadline, chair, at],
    );
    for (const [i, answeredAt] of answers.entries())
      await db.query(
        `INSERT INTO whistle_target (whistle_id, organisation_id, accepted_at, accepted_by, answered_at, answered_by, answer)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [w.id, orgs[i], at, chair, answeredAt, answeredAt && chair, answeredAt && '已处理'],
      );
  };
  await whistle('2021-03-02T09:00:00+08:00', '2021-03-09T09:00:00+08:00', ['2021-03-08T09:00:00+08:00']);
  await whistle('2021-03-02T09:00:00+08:00', '2021-03-09T09:00:00+08:00', ['2021-03-10T09:00:00+08:00']);
  await whistle('2021-03-02T09:00:00+08:00', '2021-03-09T09:00:00+08:00', ['2021-03-03T09:00:00+08:00', null]);

  const project = async (status: string, endedAt: string | null) =>
    db.query(
      `INSERT INTO project (compound_id, title, status, stop_reason, owner_id, created_by, created_at, updated_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $5, '2021-01-01', coalesce($6::timestamptz, '2021-01-01'), $6)`,
      [compoundId, `项目 ${status} ${endedAt}`, status, status === 'stopped' ? '资金未落实' : null, chair, endedAt],
    );
  await project('done', '2021-03-05T10:00:00+08:00');
  await project('done', '2021-03-25T10:00:00+08:00');
  await project('stopped', '2021-03-26T10:00:00+08:00');
  await project('done', '2021-05-01T10:00:00+08:00');
  await project('active', null);
  return { neighbourId, strangerId };
}
