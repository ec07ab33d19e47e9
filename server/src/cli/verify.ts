/**
 * `npm run verify -- <roundId> [--json]`: recomputes a round's audit chain and count straight
 * from the database, without the server, and says whether anything was tampered with. Uses
 * DATABASE_URL, or the embedded database under DATA_DIR (the running one, or started for the
 * check and stopped again). Exit code 0: intact; 1: problems found; 2: could not check.
 */
import { Client } from 'pg';
import { formatPermille } from '@yishi/shared';
import { verifyRound } from '../modules/votes/verify-round';
import { databaseUrl } from './cli-database';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const roundId = args.find((a) => !a.startsWith('--'));
  if (!roundId || !/^[0-9a-f-]{36}$/i.test(roundId)) {
    console.error('usage: npm run verify -- <roundId> [--json]');
    return 2;
  }
  const { url, stop } = await databaseUrl();
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    // One snapshot: the chain is read in pages, and the head must be the one those pages end at.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyRound(async (sql, params) => (await client.query(sql, params)).rows, roundId);
    await client.query('COMMIT');
    if (args.includes('--json')) console.log(JSON.stringify(report));
    else {
      console.log(
        `round ${roundId}: ${report.ok ? 'INTACT' : 'TAMPERED'} — ${report.entriesChecked} audit entries checked, ${report.ballotsCounted} ballots counted, in ${report.ms} ms`,
      );
      if (report.tally) {
        const t = report.tally;
        const whole = t.participating.households + t.notVoted.households;
        console.log(
          `  for ${t.for.households}, against ${t.against.households}, abstain ${t.abstain.households}, not voted ${t.notVoted.households} (support ${formatPermille(whole ? Math.floor((1000 * t.for.households) / whole) : 0)} of households); ${report.passed ? 'passes' : 'does not pass'}`,
        );
      }
      console.log(`  chain head ${report.headHash}`);
      for (const p of report.problems) console.log(`  ✗ ${p.code}: ${p.message}`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await client.end().catch(() => undefined);
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`verify failed: ${(err as Error).message}`);
    process.exit(2);
  },
);
