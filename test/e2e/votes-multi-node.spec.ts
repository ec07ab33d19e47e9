import type { RoundView, TallyView } from '@yishi/shared';
import { Client } from 'pg';
import { signIn } from '../support/server-process';
import { twoNodes } from '../support/two-nodes';
import { call, castBallot, connectVoter, emit, openRound, type Voter, votingBuilding } from '../support/votes';

const HOUSEHOLDS = 1000;
const VOTERS = 50;

/** Resolves with the first event of that name on the socket that satisfies the predicate. */
function next<T>(v: Voter, event: string, predicate: (x: T) => boolean, ms = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${event} in ${ms} ms`)), ms);
    const on = (x: T) => {
      if (!predicate(x)) return;
      clearTimeout(timer);
      v.socket.off(event, on);
      resolve(x);
    };
    v.socket.on(event, on);
  });
}

/** 1,000 households voting at once from 50 sockets spread over two nodes sharing PostgreSQL and Redis. */
describe('a vote served by two nodes', () => {
  let chair: string;
  let setup: Awaited<ReturnType<typeof votingBuilding>>;
  const voters: Voter[] = [];

  const nodes = twoNodes('votes-multi-node-secret-votes-multi-node', {
    env: { RATE_LIMIT_PER_MIN: '100000' },
    beforeStop: () => voters.forEach((v) => v.close()),
  });

  beforeAll(async () => {
    chair = (await signIn(nodes.a.url, 'chair')).accessToken;
    setup = await votingBuilding(nodes.db.url, nodes.a.url, HOUSEHOLDS, VOTERS);
    for (const [i, v] of setup.voters.entries()) voters.push(await connectVoter(i % 2 ? nodes.b.url : nodes.a.url, v.token, v.households));
  });

  it('counts exactly: every ballot once, changes included, and every client on either node sees the same result', async () => {
    const round: RoundView = await openRound(nodes.a.url, chair, setup.compoundId, [setup.buildingId]);
    expect(round.totals.households).toBe(HOUSEHOLDS);
    for (const v of voters) expect((await emit(v.socket, 'vote:follow', { roundId: round.id })).ok).toBe(true);

    // What each household votes, then 100 of them change their minds.
    const want = new Map<string, string>();
    const choiceOf = (i: number) => (i % 10 < 6 ? 'for' : i % 10 < 9 ? 'against' : 'abstain');
    setup.households.forEach((h, i) => want.set(h, choiceOf(i)));
    const castAll = (households: (v: Voter) => string[]) =>
      Promise.all(
        voters.map(async (v) => {
          const acks = [];
          // A few in flight per socket, as a phone would with a shaky connection.
          for (let k = 0; k < households(v).length; k += 4)
            acks.push(
              ...(await Promise.all(
                households(v)
                  .slice(k, k + 4)
                  .map((h) => castBallot(v.socket, round, h, want.get(h)!)),
              )),
            );
          return acks;
        }),
      ).then((x) => x.flat());
    const first = await castAll((v) => v.households);
    expect(first.filter((x) => !x.ok)).toEqual([]);
    const changing = new Set(setup.households.filter((_, i) => i % 10 === 3));
    for (const h of changing) want.set(h, 'abstain');
    const expected = { for: 0, against: 0, abstain: 0 };
    for (const c of want.values()) expected[c as keyof typeof expected]++;
    expect(expected).toEqual({ for: 500, against: 300, abstain: 200 });
    // The live tally reaches followers on both nodes with the exact count.
    const exact = (t: TallyView) =>
      t.tally.for.households === expected.for &&
      t.tally.against.households === expected.against &&
      t.tally.abstain.households === expected.abstain;
    const live = [next(voters[0]!, 'vote:tally', exact), next(voters[1]!, 'vote:tally', exact)];
    const second = await castAll((v) => v.households.filter((h) => changing.has(h)));
    expect(second.filter((x) => !x.ok)).toEqual([]);
    expect(second.every((x) => x.changed)).toBe(true);

    await Promise.all(live);

    const results = voters.map((v) => next<RoundView>(v, 'vote:round', (r) => r.id === round.id && r.status === 'closed'));
    const closed: RoundView = await call(nodes.b.url, chair, 'POST', `/api/compounds/${setup.compoundId}/rounds/${round.id}/close`);
    const told = await Promise.all(results);
    for (const r of told) expect(r.result!.tally).toEqual(closed.result!.tally);
    expect(closed.result!.ballots).toBe(HOUSEHOLDS);
    expect([closed.result!.tally.for.households, closed.result!.tally.against.households, closed.result!.tally.abstain.households]).toEqual(
      [500, 300, 200],
    );
    expect(closed.result!.decision.passed).toBe(true);

    const pg = new Client({ connectionString: nodes.db.url });
    await pg.connect();
    const [{ rows, casts, entries }] = (
      await pg.query(
        `SELECT (SELECT count(*)::int FROM ballot WHERE round_id = $1) AS rows, (SELECT count(*)::int FROM ballot_cast WHERE round_id = $1) AS casts,
                (SELECT count(*)::int FROM audit_entry WHERE round_id = $1 AND kind LIKE 'ballot.%') AS entries`,
        [round.id],
      )
    ).rows;
    await pg.end();
    expect({ rows, casts, entries }).toEqual({ rows: HOUSEHOLDS, casts: HOUSEHOLDS + changing.size, entries: HOUSEHOLDS + changing.size });
    const report = await call(nodes.a.url, chair, 'GET', `/api/compounds/${setup.compoundId}/rounds/${round.id}/verify`);
    expect(report).toMatchObject({ ok: true, ballotsCounted: HOUSEHOLDS, problems: [] });
  });

  it('refuses every ballot that loses the race with the close, counts every one that wins it, and tells everyone the same count', async () => {
    const round: RoundView = await openRound(nodes.a.url, chair, setup.compoundId, [setup.buildingId]);
    for (const v of voters) await emit(v.socket, 'vote:follow', { roundId: round.id });
    const results = voters.map((v) => next<RoundView>(v, 'vote:round', (r) => r.id === round.id && r.status === 'closed'));

    // Every socket, on both nodes, casts for its households one after another (under its 20 casts
    // a second) until a cast is refused; the chair closes on node A in the middle of it.
    const acks: Array<Awaited<ReturnType<typeof castBallot>> & { sentAt: number; at: number }> = [];
    const casting = voters.map(async (v) => {
      for (let n = 0; ; n++) {
        const sentAt = Date.now();
        const ack = await castBallot(v.socket, round, v.households[n % v.households.length]!, 'for');
        acks.push({ ...ack, sentAt, at: Date.now() });
        if (!ack.ok) return;
        await new Promise((r) => setTimeout(r, 60));
      }
    });
    while (acks.length < 200) await new Promise((r) => setTimeout(r, 5));
    const closeSentAt = Date.now();
    const closed = await call<RoundView>(nodes.a.url, chair, 'POST', `/api/compounds/${setup.compoundId}/rounds/${round.id}/close`);
    const closeAnsweredAt = Date.now();
    await Promise.all(casting);

    const accepted = acks.filter((x) => x.ok);
    const refused = acks.filter((x) => !x.ok);
    // The race happened: casts were on their way while the close was (accepted though answered
    // after it was sent, or refused though sent before it was answered), and every socket's last
    // cast was refused.
    const wonRace = accepted.filter((x) => x.at > closeSentAt).length;
    const lostRace = refused.filter((x) => x.sentAt < closeAnsweredAt).length;
    console.log(
      `vote-versus-close: ${accepted.length} accepted (${wonRace} answered after the close was sent), ${refused.length} refused (${lostRace} sent before it was answered)`,
    );
    expect(wonRace + lostRace).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThanOrEqual(200);
    expect(refused.map((x) => x.error.code)).toEqual(voters.map(() => 'ROUND_CLOSED'));
    const households = new Set(accepted.map((x) => x.householdId)).size;
    expect(closed.result!.ballots).toBe(households);
    expect(closed.result!.tally.for.households).toBe(households);
    const told = await Promise.all(results);
    for (const r of told) expect(r.result!.ballots).toBe(households);

    // Each accepted receipt is a counted ballot; nothing was written after the close.
    const rollCall = await call(nodes.a.url, chair, 'GET', `/api/compounds/${setup.compoundId}/rounds/${round.id}/roll-call`);
    const counted = new Set(rollCall.filter((r: { receipt: string | null }) => r.receipt).map((r: { receipt: string }) => r.receipt));
    const lastReceipt = new Map(accepted.map((x) => [x.householdId, x.receipt]));
    expect(counted).toEqual(new Set(lastReceipt.values()));
    expect((await call(nodes.a.url, chair, 'GET', `/api/compounds/${setup.compoundId}/rounds/${round.id}/verify`)).ok).toBe(true);
  });
});
