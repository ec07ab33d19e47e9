/**
 * `node server/dist/cli/migrate.js`: brings the database schema up to date and
 * exits, so an upgrade can migrate once (a compose one-off service, a Kubernetes Job) before the
 * new nodes roll out. Nodes also migrate at start under the same advisory lock, so this step is
 * an ordering, not a requirement. Uses DATABASE_URL, or the embedded database under DATA_DIR.
 * Exit code 0: up to date; 1: a migration failed (nothing of it is kept: each runs in its own transaction).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../infra/database/data-source-options';
import { migrate } from '../infra/database/migrate';
import { databaseUrl } from './cli-database';

async function main(): Promise<number> {
  const { url, stop } = await databaseUrl();
  // Two connections: migrate() holds the lock on one while the migrations run on another.
  const ds = new DataSource(dataSourceOptions(url, 2));
  try {
    await ds.initialize();
    const applied = await migrate(ds);
    console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema up to date: no migration to apply');
    return 0;
  } finally {
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`migrate failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
