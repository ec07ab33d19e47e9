#!/usr/bin/env node
// `npm test`: first the services the suite needs (scripts/test-services.mjs: PostgreSQL, Redis,
// Chromium and a few Debian packages, started or installed when missing, so a plain machine needs
// nothing else), then lint and typecheck every project, check the formatting (Prettier) and that
// no source file is over 400 lines, then every project's tests through Nx (shared, server, then
// the end-to-end suite, which builds what it starts), then one closing line with the counts of
// all suites together. A failed lint or typecheck counts as a failure there, but the tests still
// run, so one run shows everything that is wrong. What was started for the run is stopped at the end.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingService, provideTestServices } from './test-services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = ['shared', 'server', 'test'].map((p) => join(root, p, '.jest-results.json'));
for (const f of results) rmSync(f, { force: true });

// Asynchronous, so that the embedded PostgreSQL's output keeps being read while the tests run.
// Each tool runs in a process group of its own, so that a signal reaches all of it (npx alone
// does not pass it on); a signal to us (Ctrl-C included) ends it, then what we started.
let current;
let stopping = false;
const tool = (...cmd) =>
  new Promise((resolve) => {
    if (stopping) return;
    current = spawn(cmd[0], cmd.slice(1), { cwd: root, env, stdio: 'inherit', detached: true });
    current.once('error', () => resolve(127));
    current.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

const providing = provideTestServices();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    if (current?.exitCode === null) {
      const exited = new Promise((resolve) => current.once('exit', resolve));
      process.kill(-current.pid, signal);
      await exited;
    }
    // A signal while the services start: let them finish starting, then stop them.
    const services = await providing.catch(() => undefined);
    await services?.stop();
    process.exit(128 + os.constants.signals[signal]);
  });

let services;
try {
  services = await providing;
} catch (err) {
  if (!(err instanceof MissingService)) throw err;
  console.error(`\n!! ${err.message}`);
  process.exit(1);
}
const env = { ...process.env, ...services.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

const nx = (...args) => tool('npx', 'nx', 'run-many', ...args, '--outputStyle=stream', ...process.argv.slice(2));

const checks = {
  lint: () => nx('-t', 'lint'),
  typecheck: () => nx('-t', 'typecheck'),
  format: () => tool('npx', 'prettier', '--check', '--log-level=warn', '.'),
  'file lengths': () => tool(process.execPath, join(root, 'scripts/check-file-lengths.mjs')),
};
const failedChecks = [];
for (const [name, check] of Object.entries(checks)) if ((await check()) !== 0) failedChecks.push(name);
const status = await nx('-t', 'test', '--parallel=1');
await services.stop();

let passed = 0;
let failed = failedChecks.length;
for (const f of results) {
  if (!existsSync(f)) continue;
  const r = JSON.parse(readFileSync(f, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
}
if (failedChecks.length) console.log(`\nfailed: ${failedChecks.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedChecks.length ? 1 : status);
