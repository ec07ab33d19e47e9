/**
 * `npm run doc:check -- <proposalId>`: loads a document's stored updates the way the server does
 * (in a bounded worker) and, if some keep it from loading, moves them to doc_quarantine with an
 * audit entry, as the server would on first use. Uses DATABASE_URL, or the embedded database
 * under DATA_DIR. Exit code 0: the document loads (after setting aside what it printed); 2: could
 * not check.
 */
import { DataSource } from 'typeorm';
import { resolveConfig } from '../infra/config/resolve-config';
import { validateEnv } from '../infra/config/config.schema';
import { DomainEvents } from '../infra/events/domain-events';
import { Metrics } from '../infra/metrics/metrics';
import { createLogger } from '../infra/logging/logger';
import { AuditService } from '../modules/audit/audit.service';
import { DocStore } from '../modules/documents/doc-store.service';
import { databaseUrl } from './cli-database';

async function main(): Promise<number> {
  const docId = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!docId || !/^[0-9a-f-]{36}$/i.test(docId)) {
    console.error('usage: npm run doc:check -- <proposalId>');
    return 2;
  }
  const { url, stop } = await databaseUrl();
  // No tokens are signed here: a placeholder secret keeps resolveConfig from creating one on disk.
  const env = validateEnv({
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'error',
    JWT_SECRET: 'doc-check-signs-no-tokens-doc-check-signs-no-tokens',
  });
  const config = resolveConfig(env, url, false);
  const db = new DataSource({ type: 'postgres', url });
  await db.initialize();
  const store = new DocStore(db, createLogger('error'), config, new AuditService(), new DomainEvents(), new Metrics());
  try {
    const removed = await store.check(docId);
    if (removed.length === 0) console.log(`${docId}: loads; nothing set aside`);
    else
      console.log(
        `${docId}: set aside ${removed.length} stored update(s) it could not be loaded with: ${removed.join(', ')} (see doc_quarantine and the audit log)`,
      );
    return 0;
  } finally {
    await store.onApplicationShutdown();
    await db.destroy();
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`doc:check could not check: ${(err as Error).message}`);
    process.exit(2);
  },
);
