// The one way the end-to-end tests and the benchmarks start the built server (server/dist/main.js)
// and give it a fresh database. Plain CommonJS, so that Jest (through server-process.ts) and the
// benchmarks (plain `node`, ES modules) load the same file without compiling it; the types are in
// built-server.d.cts.
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, loaded as is */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { join } = require('node:path');
const { Client } = require('pg');

const REPO_ROOT = join(__dirname, '../..');
const SERVER_MAIN = join(REPO_ROOT, 'server/dist/main.js');
/** The node flags the server always runs with (see server/README.md). */
const SERVER_NODE_ARGS = require('../../server/node-args.json');
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Starts the built server and waits until it prints where it listens. PORT defaults to 0 (any
 * free port); the banner says which one it took.
 */
async function startServer(
  env,
  { nodeArgs = [], timeoutMs = 60_000, onLine, main = SERVER_MAIN, keepChars = Infinity, exitExpected = false } = {},
) {
  const proc = spawn(process.execPath, [...SERVER_NODE_ARGS, ...nodeArgs, main], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d) => {
    const s = String(d);
    out += s;
    if (out.length > keepChars) out = out.slice(-keepChars);
    if (onLine) for (const line of s.split('\n')) if (line.trim()) onLine(line);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  // A server that dies by itself (a crash, not a test's stop() or kill -9) says why on the test's
  // stderr: on a CI machine its output is otherwise lost with the test process.
  let stopping = exitExpected;
  proc.once('exit', (code, signal) => {
    if (stopping || (code === 0 && !signal)) return;
    process.stderr.write(
      `\n[server pid ${proc.pid} exited by itself: ${signal ?? `code ${code}`}; its last output:]\n${out.slice(-6000)}\n`,
    );
  });

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = () => {
      const m = /is running: http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    proc.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code ?? proc.signalCode} before it started:\n${out}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: proc.pid,
    proc,
    output: () => out,
    stop: (signal, graceMs) => {
      stopping = true;
      return stopper(proc, exited)(signal, graceMs);
    },
  };
}

/**
 * The `stop(signal, graceMs)` of a child process `proc` whose exit code `exited` resolves to:
 * sends the signal, SIGKILL after `graceMs` if given, and resolves to the exit code.
 */
function stopper(proc, exited) {
  return async (signal = 'SIGINT', graceMs) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    proc.kill(signal);
    const t = graceMs === undefined ? undefined : setTimeout(() => proc.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(t);
    return code;
  };
}

/** Runs the server expecting it to refuse to start; resolves to its exit code and output. */
function runServerToExit(env) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [...SERVER_NODE_ARGS, SERVER_MAIN], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    proc.on('exit', (code) => resolve({ code, output }));
  });
}

/** A fresh database on the local PostgreSQL, named `<prefix>_<random>`; drop() removes it (once). */
async function freshDatabase(prefix = 'yishi_e2e') {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      const a = new Client({ connectionString: TEST_DATABASE_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

module.exports = { REPO_ROOT, SERVER_MAIN, TEST_DATABASE_URL, startServer, stopper, runServerToExit, freshDatabase };
