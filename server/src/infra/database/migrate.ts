import type { DataSource } from 'typeorm';

/** Any fixed number: the key of the advisory lock that serialises migrations across nodes. */
const MIGRATION_LOCK = 7_3551_0001;

/** Runs pending migrations while holding a cluster-wide lock, so two nodes starting together don't race. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
