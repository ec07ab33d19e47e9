#!/usr/bin/env node
// `npm test`: lint and typecheck every project, check the formatting (Prettier) and that no source
// file is over 400 lines, then every project's tests through Nx (shared,
// server, then the end-to-end suite, which builds what it starts), then one closing line with the
// counts of all suites together. A failed lint or typecheck counts as a failure there, but the
// tests still run, so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = ['shared', 'server', 'test'].map((p) => join(root, p, '.jest-results.json'));
for (const f of results) rmSync(f, { force: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nx = (...args) =>
  spawnSync('npx', ['nx', 'run-many', ...args, '--outputStyle=stream', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });

const tool = (...cmd) => spawnSync(cmd[0], cmd.slice(1), { cwd: root, env, stdio: 'inherit' });
const checks = {
  lint: () => nx('-t', 'lint'),
  typecheck: () => nx('-t', 'typecheck'),
  format: () => tool('npx', 'prettier', '--check', '--log-level=warn', '.'),
  'file lengths': () => tool(process.execPath, join(root, 'scripts/check-file-lengths.mjs')),
};
const failedChecks = Object.entries(checks)
  .filter(([, check]) => check().status !== 0)
  .map(([name]) => name);
const run = nx('-t', 'test', '--parallel=1');

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
process.exit(failedChecks.length ? 1 : (run.status ?? 1));
