#!/usr/bin/env node
// `npm run doc:check -- <proposalId>`: builds the server if needed (Nx cache), then checks that the document loads, setting aside stored updates that keep it from loading
// (server/src/cli/doc-check.ts).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--projects=@yishi/shared,@yishi/server', '--outputStyle=static'], {
  cwd: root,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) process.exit(2);
const run = spawnSync(process.execPath, [join(root, 'server/dist/cli/doc-check.js'), ...process.argv.slice(2)], {
  cwd: root,
  env: process.env,
  stdio: 'inherit',
});
process.exit(run.status ?? 2);
