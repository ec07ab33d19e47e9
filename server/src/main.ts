import 'reflect-metadata';
import { networkInterfaces } from 'node:os';
import { DataSource } from 'typeorm';
import { createApp } from './create-app';
import { ConfigError, validateEnv } from './infra/config/config.schema';
import { resolveConfig, REPO_ROOT } from './infra/config/resolve-config';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './infra/database/embedded-postgres';
import { createLogger } from './infra/logging/logger';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './seed/demo-seed';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  let env;
  try {
    env = validateEnv(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const log = createLogger(env.LOG_LEVEL);
  let embedded: EmbeddedDatabase | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping');
    await app?.close().catch((err: unknown) => log.error({ err }, 'error while closing'));
    await embedded?.stop().catch((err: unknown) => log.error({ err }, 'error while stopping the embedded database'));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const dataDir = resolve(env.DATA_DIR ?? join(REPO_ROOT, '.data'));
  if (!env.DATABASE_URL) embedded = await startEmbeddedPostgres(dataDir, (msg) => log.info(msg));
  const config = resolveConfig(env, env.DATABASE_URL ?? embedded!.url, embedded !== null);
  let app: Awaited<ReturnType<typeof createApp>> | undefined = await createApp(config, log);
  const seeded = config.seedDemo ? await seedDemo(app.get(DataSource), config.PASSWORD_HASH_COST) : false;
  await app.listen(config.PORT, config.HOST);
  const port = (app.getHttpServer().address() as { port: number }).port;
  printWelcome(port, config.embeddedDatabase ? dataDir : null, seeded, config.seedDemo);
}

function printWelcome(port: number, dataDir: string | null, seeded: boolean, demo: boolean): void {
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => `http://${i!.address}:${port}`);
  const lines = [
    '',
    `  议事 Yishi is running: http://localhost:${port}`,
    ...lan.map((u) => `  on your network:      ${u}`),
    `  API docs:             http://localhost:${port}/api/docs`,
    dataDir ? `  embedded PostgreSQL:  ${dataDir}/pg${seeded ? ' (demo compound seeded just now)' : ''}` : '  database:             DATABASE_URL',
  ];
  if (demo) {
    lines.push('', `  Demo sign-in (user name or phone, password ${DEMO_PASSWORD}), compound 霞光里35号院:`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.login.padEnd(10)} ${a.phone}  ${a.role.padEnd(21)} ${a.name}`);
  }
  lines.push('', '  Ctrl-C stops the server' + (dataDir ? ' and the database.' : '.'), '');
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error(`Yishi failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
