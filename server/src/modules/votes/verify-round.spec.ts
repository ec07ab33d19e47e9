import { randomUUID } from 'node:crypto';
import type { RoundView } from '@yishi/shared';
import { writeDoc } from '../../testing/docs';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { BallotBatcher } from './ballot-batcher';

// Verify reads the chain in pages of 1,000 entries: these rounds have more than one page.
describe('verifying a round whose audit chain is longer than one read', () => {
  let t: TestApp;
  let chair: string;
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });

  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
  });
  afterAll(() => t.close());

  it('checks every entry of a chain of over 1,300 entries, counts each household’s last ballot, and finds an area altered in the stored electorate and an entry removed from the chain’s middle', async () => {
    // Ten voters of the first units in order (building, gate, unit): none of them is one owner's
    // second unit or the developer's, which would have to vote alike.
    const residents = await t.residents(36, 'pv');
    const order: Array<{ id: string }> = await t.db.query(
      `SELECT h.id FROM household h JOIN building b ON b.id = h.building_id LEFT JOIN building_gate g ON g.id = h.gate_id WHERE h.compound_id = $1 ORDER BY b.sort, b.name, g.sort, h.unit`,
      [t.compoundId],
    );
    const place = new Map(order.map((h, i) => [h.id, i]));
    const users = residents.sort((a, b) => place.get(a.householdId)! - place.get(b.householdId)!).slice(0, 10);
    for (const u of users) await t.db.query(`UPDATE household SET voter_user_id = $1 WHERE id = $2`, [u.userId, u.householdId]);
    const p = await api('POST', '/proposals', chair, { title: '长链核验', kind: 'renovation' });
    await writeDoc(t.baseUrl, chair, p.body.id, {});
    const rev = await api('POST', `/proposals/${p.body.id}/revisions`, chair);
    const opened = await api('POST', `/proposals/${p.body.id}/rounds`, chair, {
      revisionNumber: rev.body.number,
      question: '是否同意？',
      rule: 'simple_majority',
    });
    expect(opened.status).toBe(201);
    const round = opened.body as RoundView;

    // 131 casts per voter, each changing its household's choice; the last one is 'for' for the
    // first 7 voters and 'against' for the other 3. Straight into the batcher: the per-socket
    // limit would make this take over a minute.
    const batcher = t.app.get(BallotBatcher);
    const CASTS = 131;
    for (let k = 0; k < CASTS; k++) {
      await Promise.all(
        users.map((u, i) =>
          batcher.cast({
            roundId: round.id,
            ballotId: randomUUID(),
            householdId: u.householdId,
            revisionId: round.revisionId,
            choice: (k % 2 === 0) === i < 7 ? 'for' : 'against',
            voterUserId: u.userId,
            recordedBy: u.userId,
            viaProxy: false,
            assisted: false,
          }),
        ),
      );
    }
    expect((await api('POST', `/rounds/${round.id}/close`, chair)).status).toBe(200);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE chain_id = $1`, [p.body.id]);
    expect(n).toBeGreaterThan(1300);

    const clean = await api('GET', `/rounds/${round.id}/verify`, chair);
    expect(clean.body).toMatchObject({ ok: true, entriesChecked: n, ballotsCounted: 10, passed: true, problems: [] });
    expect(clean.body.tally.for.households).toBe(7);
    expect(clean.body.tally.against.households).toBe(3);

    // Someone with database access changes one household's area in the stored electorate.
    await t.db.query(
      `UPDATE vote_round SET electorate = jsonb_set(electorate, '{3,areaCentiM2}', to_jsonb((electorate -> 3 ->> 'areaCentiM2')::bigint + 1)) WHERE id = $1`,
      [round.id],
    );
    const altered = await api('GET', `/rounds/${round.id}/verify`, chair);
    expect(altered.body.ok).toBe(false);
    expect(altered.body.problems).toEqual([expect.objectContaining({ code: 'ELECTORATE_ALTERED' })]);
    await t.db.query(
      `UPDATE vote_round SET electorate = jsonb_set(electorate, '{3,areaCentiM2}', to_jsonb((electorate -> 3 ->> 'areaCentiM2')::bigint - 1)) WHERE id = $1`,
      [round.id],
    );
    expect((await api('GET', `/rounds/${round.id}/verify`, chair)).body).toMatchObject({ ok: true, problems: [] });

    // Someone with database access removes one ballot entry from the second page, and re-links
    // nothing: the gap and the broken link after it are reported where they are.
    await t.db.query(`DELETE FROM audit_entry WHERE chain_id = $1 AND seq = 1234`, [p.body.id]);
    const gap = await api('GET', `/rounds/${round.id}/verify`, chair);
    expect(gap.body.ok).toBe(false);
    expect(gap.body.entriesChecked).toBe(n - 1);
    expect(gap.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'CHAIN_GAP', seq: 1235 }),
        expect.objectContaining({ code: 'CHAIN_BROKEN', seq: 1235 }),
        expect.objectContaining({ code: 'HEAD_MISMATCH' }),
      ]),
    );
  });
});
