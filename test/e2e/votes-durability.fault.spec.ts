import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { crashableServer } from '../support/fault-setup';
import { REPO_ROOT, signIn } from '../support/server-process';
import { call, castBallot, connectVoter, expectAckedCastsStored, openRound, type Voter, votingBuilding } from '../support/votes';

const verifyCli = (databaseUrl: string, roundId: string) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'server/dist/cli/verify.js'), roundId], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });

/** kill -9 of the server in the middle of a burst of ballots: every acknowledged ballot survives, none twice. */
describe('a crash during a burst of ballots', () => {
  const node = crashableServer('votes-durability-secret-votes-durability');

  it('keeps every acknowledged ballot after kill -9 and restart, and verify (the command) finds the chain intact, then catches tampering', async () => {
    const { db } = node;
    let server = node.server;
    const setup = await votingBuilding(db.url, server.url, 400, 20);
    const chair = (await signIn(server.url, 'chair')).accessToken;
    const round = await openRound(server.url, chair, setup.compoundId, [setup.buildingId]);
    const voters: Voter[] = await Promise.all(setup.voters.map((v) => connectVoter(server.url, v.token, v.households)));

    // Every voter casts all its households' ballots, then changes them, as fast as acks come back.
    const acked: Array<{ ballotId: string; householdId: string; choice: string; receipt: string }> = [];
    let refusedOrLost = 0;
    const burst = voters.map(async (v) => {
      for (const choice of ['for', 'against', 'abstain']) {
        for (const h of v.households) {
          const ack = await castBallot(v.socket, round, h, choice).catch(() => null);
          if (ack?.ok) acked.push(ack);
          else refusedOrLost++;
          if (!ack?.ok) return;
        }
      }
    });
    // Kill the node once a good part of the burst is in.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (acked.length >= 300) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    await server.stop('SIGKILL');
    await Promise.all(burst);
    for (const v of voters) v.close();
    expect(acked.length).toBeGreaterThanOrEqual(300);
    expect(acked.length).toBeLessThan(1200); // the crash really came mid-burst
    expect(refusedOrLost).toBeGreaterThan(0);

    server = await node.restart();
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await expectAckedCastsStored(pg, round.id, acked);

      // The round goes on after the restart.
      const [returning] = setup.voters;
      const household = returning?.households[0];
      if (!returning || !household) throw new Error('the building has no voter with a household');
      const voter = await connectVoter(server.url, (await signIn(server.url, returning.login)).accessToken, returning.households);
      expect((await castBallot(voter.socket, round, household, 'for')).ok).toBe(true);
      voter.close();
      const closed = await call(server.url, chair, 'POST', `/api/compounds/${setup.compoundId}/rounds/${round.id}/close`);
      const [{ n }] = (await pg.query(`SELECT count(*)::int AS n FROM ballot WHERE round_id = $1`, [round.id])).rows;
      expect(closed.result.ballots).toBe(n);
      expect(n).toBeGreaterThanOrEqual(new Set([...acked.map((a) => a.householdId), household]).size);

      const intact = verifyCli(db.url, round.id);
      expect(intact.stdout).toContain('INTACT');
      expect(intact.status).toBe(0);
      await pg.query(`UPDATE ballot SET choice = 'against' WHERE round_id = $1 AND household_id = $2 AND choice <> 'against'`, [
        round.id,
        household,
      ]);
      const tampered = verifyCli(db.url, round.id);
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toContain('TAMPERED');
      expect(tampered.stdout).toContain('BALLOT_ALTERED');
    } finally {
      await pg.end();
    }
  });
});
