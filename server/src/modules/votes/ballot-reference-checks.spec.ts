import { randomUUID } from 'node:crypto';
import type { RoundView } from '@yishi/shared';
import { Client } from 'pg';
import { writeDoc } from '../../testing/docs';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { BallotBatcher } from './ballot-batcher';

// The references of ballots, casts and audit entries are checked once per statement by triggers
// (migration 1766200000000), not by foreign keys: the database must still refuse what a foreign
// key refused, and delete what it deleted.
describe('the references of ballots, casts and audit entries', () => {
  let t: TestApp;
  let chair: string;
  let round: RoundView;
  let proposalId: string;
  let voters: Array<{ userId: string; householdId: string }>;
  /** A household no one is a member of, with no ballot yet. */
  let spare: string;
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  const violation = { code: '23503' };

  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
    voters = (await t.residents(3, 'ref')).slice(0, 3);
    for (const u of voters) await t.db.query(`UPDATE household SET voter_user_id = $1 WHERE id = $2`, [u.userId, u.householdId]);
    [{ id: spare }] = await t.db.query(
      `INSERT INTO household (compound_id, building_id, unit, area_centi_m2) SELECT compound_id, building_id, 'REF-1', 1000 FROM household WHERE id = $1 RETURNING id`,
      [voters[0]!.householdId],
    );
    const p = await api('POST', '/proposals', chair, { title: '引用检查', kind: 'renovation' });
    proposalId = p.body.id;
    await writeDoc(t.baseUrl, chair, proposalId, {});
    const rev = await api('POST', `/proposals/${proposalId}/revisions`, chair);
    const opened = await api('POST', `/proposals/${proposalId}/rounds`, chair, {
      revisionNumber: rev.body.number,
      question: '是否同意？',
      rule: 'simple_majority',
    });
    expect(opened.status).toBe(201);
    round = opened.body;
    const batcher = t.app.get(BallotBatcher);
    await Promise.all(
      voters.map((u) =>
        batcher.cast({
          roundId: round.id,
          ballotId: randomUUID(),
          householdId: u.householdId,
          revisionId: round.revisionId,
          choice: 'for',
          voterUserId: u.userId,
          recordedBy: u.userId,
          viaProxy: false,
          assisted: false,
        }),
      ),
    );
  });
  afterAll(() => t.close());

  const ballotRow = (over: Record<string, unknown>) => {
    const row = {
      round_id: round.id,
      household_id: voters[0]!.householdId,
      ballot_id: randomUUID(),
      choice: 'against',
      voter_user_id: voters[0]!.userId,
      recorded_by: voters[0]!.userId,
      cast_at: new Date(),
      receipt: 'r',
      seq: 999,
      ...over,
    };
    const cols = Object.keys(row);
    return t.db.query(
      `INSERT INTO ballot (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (round_id, household_id) DO UPDATE SET voter_user_id = excluded.voter_user_id, recorded_by = excluded.recorded_by, choice = excluded.choice`,
      Object.values(row),
    );
  };

  it('refuses a ballot, cast or entry that names a round, household, user or chain that does not exist, and writes none of the statement', async () => {
    const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM ballot`);
    const others = { household_id: randomUUID() }; // a new row, so the insert path is taken
    await expect(ballotRow({ ...others, round_id: randomUUID() })).rejects.toMatchObject(violation);
    await expect(ballotRow(others)).rejects.toMatchObject(violation);
    await expect(ballotRow({ household_id: voters[1]!.householdId, round_id: randomUUID() })).rejects.toMatchObject(violation);
    // Changing a counted ballot to name a user who does not exist, as voter or as recorder.
    await expect(ballotRow({ voter_user_id: randomUUID() })).rejects.toMatchObject(violation);
    await expect(ballotRow({ recorded_by: randomUUID() })).rejects.toMatchObject(violation);
    await expect(
      t.db.query(`INSERT INTO ballot_cast (ballot_id, round_id, household_id, seq, receipt, cast_at) VALUES ($1, $2, $3, 1, 'r', now())`, [
        randomUUID(),
        randomUUID(),
        voters[0]!.householdId,
      ]),
    ).rejects.toMatchObject(violation);
    await expect(
      t.db.query(`UPDATE ballot_cast SET round_id = $2 WHERE ballot_id = (SELECT ballot_id FROM ballot WHERE round_id = $1 LIMIT 1)`, [
        round.id,
        randomUUID(),
      ]),
    ).rejects.toMatchObject(violation);
    await expect(
      t.db.query(`INSERT INTO audit_entry (chain_id, seq, kind, body, prev_hash, hash) VALUES ($1, 1, 'x', '{}', 'p', $2)`, [
        randomUUID(),
        randomUUID(),
      ]),
    ).rejects.toMatchObject(violation);
    // One bad row among good ones: the whole statement is refused.
    await expect(
      t.db.query(
        `INSERT INTO ballot (round_id, household_id, ballot_id, choice, voter_user_id, recorded_by, cast_at, receipt, seq)
         SELECT $1, h, gen_random_uuid(), 'for', $3, $3, now(), 'r', 1 FROM unnest($2::uuid[]) h`,
        [round.id, [spare, randomUUID()], voters[1]!.userId],
      ),
    ).rejects.toMatchObject(violation);
    const [{ n: after }] = await t.db.query(`SELECT count(*)::int AS n FROM ballot`);
    expect(after).toBe(before);

    // What does exist passes, on insert and on update.
    await ballotRow({ household_id: spare, voter_user_id: null });
    await ballotRow({ voter_user_id: voters[0]!.userId });
    const [{ choice }] = await t.db.query(`SELECT choice FROM ballot WHERE round_id = $1 AND household_id = $2`, [
      round.id,
      voters[0]!.householdId,
    ]);
    expect(choice).toBe('against');
  });

  it('makes a delete of a household wait for a ballot being written for it, and then refuses it', async () => {
    const [{ id: household }] = await t.db.query(
      `INSERT INTO household (compound_id, building_id, unit, area_centi_m2) SELECT compound_id, building_id, 'REF-2', 1000 FROM household WHERE id = $1 RETURNING id`,
      [voters[0]!.householdId],
    );
    const writer = new Client({ connectionString: t.databaseUrl });
    const deleter = new Client({ connectionString: t.databaseUrl });
    await Promise.all([writer.connect(), deleter.connect()]);
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO ballot (round_id, household_id, ballot_id, choice, recorded_by, cast_at, receipt, seq) VALUES ($1, $2, gen_random_uuid(), 'for', $3, now(), 'r', 1)`,
        [round.id, household, voters[0]!.userId],
      );
      // Not yet committed: the delete cannot see the ballot, so it must wait for the writer.
      await deleter.query(`SET lock_timeout = '300ms'`);
      await expect(deleter.query(`DELETE FROM household WHERE id = $1`, [household])).rejects.toMatchObject({ code: '55P03' });
      await writer.query('COMMIT');
      await expect(deleter.query(`DELETE FROM household WHERE id = $1`, [household])).rejects.toMatchObject(violation);
    } finally {
      await Promise.all([writer.end(), deleter.end()]);
    }
  });

  it('keeps a household or user that a ballot names, and a deleted round or chain takes its ballots, casts and entries with it', async () => {
    await expect(t.db.query(`DELETE FROM household WHERE id = $1`, [voters[1]!.householdId])).rejects.toMatchObject(violation);
    await expect(t.db.query(`DELETE FROM app_user WHERE id = $1`, [voters[1]!.userId])).rejects.toMatchObject(violation);
    const count = async () =>
      (
        await t.db.query(
          `SELECT (SELECT count(*) FROM ballot WHERE round_id = $1)::int AS ballots, (SELECT count(*) FROM ballot_cast WHERE round_id = $1)::int AS casts,
                  (SELECT count(*) FROM audit_entry WHERE chain_id = $2)::int AS entries`,
          [round.id, proposalId],
        )
      )[0];
    expect(await count()).toMatchObject({ ballots: 5, casts: 3 });
    expect((await count()).entries).toBeGreaterThan(3);

    await t.db.query(`DELETE FROM vote_round WHERE id = $1`, [round.id]);
    expect(await count()).toMatchObject({ ballots: 0, casts: 0 });
    await t.db.query(`DELETE FROM audit_chain WHERE chain_id = $1`, [proposalId]);
    expect(await count()).toEqual({ ballots: 0, casts: 0, entries: 0 });
    // Its ballot went with the round: nothing names the spare household any more, and it can go.
    await t.db.query(`DELETE FROM household WHERE id = $1`, [spare]);
    expect(await t.db.query(`SELECT id FROM household WHERE id = $1`, [spare])).toEqual([]);
  });
});
