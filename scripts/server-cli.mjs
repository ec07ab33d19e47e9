#!/usr/bin/env node
// `node scripts/server-cli.mjs <tool> [args]`: builds the server if needed (Nx cache), then runs one
// of its operators' tools, server/src/cli/<tool>.ts, with the arguments. `npm run verify -- <roundId>`
// (a round's audit chain and count against the database) and `npm run doc:check -- <proposalId>`
// (the document loads, setting aside stored updates that keep it from loading) come here.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOLS = ['verify', 'doc-check'];
const [tool, ...args] = process.argv.slice(2);
if (!TOOLS.includes(tool)) {
  console.error(`usage: node scripts/server-cli.mjs <${TOOLS.join('|')}> [args]`);
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--projects=@yishi/shared,@yishi/server', '--outputStyle=static'], {
  cwd: root,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) process.exit(2);
const run = spawnSync(process.execPath, [join(root, `server/dist/cli/${tool}.js`), ...args], {
  cwd: root,
  env: process.env,
  stdio: 'inherit',
});
process.exit(run.status ?? 2);
