import 'reflect-metadata';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from './create-app';
import { ConfigError, validateEnv } from './infra/config/config.schema';
import { resolveConfig, REPO_ROOT } from './infra/config/resolve-config';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './infra/database/embedded-postgres';
import { NodeLifecycle } from './infra/health/node-lifecycle';
import { createLogger } from './infra/logging/logger';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './seed/demo-seed';
import { seedStory } from './seed/demo-story';

/**
 * How far V8 lets the old generation grow past what the last full collection kept before it
 * collects again. Left to itself, on a host with gigabytes of memory, V8 allows up to 4× the live
 * heap: a node with 40 MB live grew to 160 MB of mostly dead objects under a vote (casts, acks and
 * tallies in flight survive a scavenge or two, so they die in the old generation) before its first
 * full collection, and the RSS never came back down (docs/benchmarks.md, "Votes"). 1.5× costs a
 * few more incremental full collections under load (tens of ms each at this heap size). The flag
 * is read whenever V8 sets the next limit, so setting it here covers every way the node is
 * started; a --heap-growing-percent on the command line takes precedence.
 */
const HEAP_GROWING_PERCENT = 50;

async function main(): Promise<void> {
  if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent')))
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
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
  // What is running, so that Ctrl-C or a failed start stops all of it, the database last.
  const running: { app?: NestExpressApplication; embedded?: EmbeddedDatabase; stopping?: boolean } = {};
  const stop = async (code: number) => {
    if (running.stopping) return;
    running.stopping = true;
    log.info('stopping');
    // Draining gets most of the bound, closing (pools, the embedded database) the rest; the
    // process exits at the bound whatever still hangs.
    const bound = env.SHUTDOWN_TIMEOUT_MS;
    setTimeout(() => {
      log.error({ boundMs: bound }, 'shutdown reached SHUTDOWN_TIMEOUT_MS: exiting now');
      process.exit(code || 1);
    }, bound).unref();
    if (running.app) {
      const t0 = Date.now();
      const outcome = await running.app.get(NodeLifecycle).drain(Math.floor(bound * 0.8));
      log.info({ ms: Date.now() - t0, outcome }, 'drained');
    }
    await running.app?.close().catch((err: unknown) => log.error({ err }, 'error while closing'));
    await running.embedded?.stop().catch((err: unknown) => log.error({ err }, 'error while stopping the embedded database'));
    process.exit(code);
  };
  // A library's stray rejection (a Redis command cut off by an outage) is logged, not fatal:
  // the node goes on serving everyone else.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // The terminal went away: the same orderly stop (no library stops the embedded database for us).
  process.on('SIGHUP', () => void stop(0));

  try {
    const dataDir = resolve(env.DATA_DIR ?? join(REPO_ROOT, '.data'));
    // A database that cannot be brought back leaves the node useless: exit, so a supervisor starts it again.
    if (!env.DATABASE_URL) running.embedded = await startEmbeddedPostgres(dataDir, log, () => void stop(1));
    const config = resolveConfig(env, env.DATABASE_URL ?? running.embedded!.url, !!running.embedded);
    const app = (running.app = await createApp(config, log));
    const seeded = config.seedDemo ? await seedDemo(app.get(DataSource), config.PASSWORD_HASH_COST) : false;
    if (seeded) {
      // The story goes through the services, which need the application initialised.
      await app.init();
      const t0 = Date.now();
      await seedStory(app);
      log.info({ ms: Date.now() - t0 }, 'demo story seeded');
    }
    await app.listen(config.PORT, config.HOST);
    const port = (app.getHttpServer().address() as { port: number }).port;
    printWelcome(port, config.embeddedDatabase ? dataDir : null, seeded, config.seedDemo);
  } catch (err) {
    console.error(`Yishi failed to start: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
  }
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
    dataDir
      ? `  embedded PostgreSQL:  ${dataDir}/pg${seeded ? ' (demo compound seeded just now)' : ''}`
      : '  database:             DATABASE_URL',
  ];
  if (demo) {
    lines.push('', `  Demo sign-in (user name or phone, password ${DEMO_PASSWORD}), compound 霞光里35号院:`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.login.padEnd(10)} ${a.phone}  ${a.role.padEnd(21)} ${a.name}`);
  }
  lines.push('', '  Ctrl-C stops the server' + (dataDir ? ' and the database.' : '.'), '');
  console.log(lines.join('\n'));
}

void main();
