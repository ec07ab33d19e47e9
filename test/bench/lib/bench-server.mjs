// The server of a benchmark run: the built server (test/support/built-server.cjs, as the
// end-to-end tests start it) with the settings a load test needs.
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer } from '../../support/built-server.cjs';
import { freshDatabase } from './harness.mjs';
import { envOption } from './options.mjs';

/**
 * Starts the server on `db`: production mode, the demo seed, a random secret, HTTP rate limits
 * out of the way, LOG_LEVEL=warn, then `env` and the run's --env. `opt['server-main']` runs
 * another build; `opt['server-log']` gets every line it prints; lines at level error or worse
 * are passed on to stderr. `nodeArgs` go before the script (e.g. --cpu-prof).
 */
export function startBenchServer(db, opt, { env = {}, nodeArgs = [], onLine } = {}) {
  return startServer(
    {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      SEED_DEMO: 'true',
      JWT_SECRET: randomBytes(32).toString('hex'),
      PASSWORD_HASH_COST: '10',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MIN: '1000000',
      SIGN_IN_LIMIT_PER_MIN: '100000',
      ...env,
      ...envOption(opt),
    },
    {
      nodeArgs,
      keepChars: 200_000,
      main: opt['server-main'] ? resolve(opt['server-main']) : undefined,
      onLine: (l) => {
        onLine?.(l);
        if (opt['server-log']) appendFileSync(opt['server-log'], l + '\n');
        if (/"level":(50|60)/.test(l)) console.error(`server: ${l.slice(0, 500)}`);
      },
    },
  );
}

/** SIGINT (a clean shutdown, which also writes a --cpu-prof profile), SIGKILL after 15 s; resolves to the exit code or signal. */
export async function stopBenchServer(server) {
  const code = await server.stop('SIGINT', 15_000);
  return code ?? server.proc.signalCode;
}

/**
 * One HTTP benchmark's frame: a fresh database, the server on it, a hard limit of 20 minutes, and
 * everything undone whatever happens. `run(server, db)` returns true when the targets hold; the
 * exit code is then 0, 1 when they do not, 2 when the run failed.
 */
export async function runHttpBench(opt, log, run) {
  const db = await freshDatabase();
  let server;
  const deadline = setTimeout(() => {
    console.error('the benchmark took over 20 minutes; giving up');
    process.exit(2);
  }, 20 * 60_000);
  try {
    server = await startBenchServer(db, opt);
    log(`server on ${server.url}, database ${db.name}`);
    process.exitCode = (await run(server, db)) ? 0 : 1;
  } catch (e) {
    console.error(e);
    process.exitCode = 2;
  } finally {
    clearTimeout(deadline);
    if (server) await stopBenchServer(server);
    await db.drop();
  }
}
