#!/usr/bin/env node
// `npm test`: every project's tests through Nx (shared, server, then the end-to-end suite, which
// builds what it starts), then one closing line with the counts of all suites together.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = ['shared', 'server', 'test'].map((p) => join(root, p, '.jest-results.json'));
for (const f of results) rmSync(f, { force: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const run = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--parallel=1', '--outputStyle=stream', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });

let passed = 0;
let failed = 0;
for (const f of results) {
  if (!existsSync(f)) continue;
  const r = JSON.parse(readFileSync(f, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(run.status ?? 1);
