#!/usr/bin/env node
// `npm start`: build what changed (Nx caches the rest, so a second start is quick), then run
// the server in the foreground. Ctrl-C reaches the server, which stops its embedded database.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

const build = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'build', '--projects=@yishi/shared,@yishi/server,@yishi/client', '--outputStyle=static'],
  {
    cwd: root,
    env,
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

// The node flags the server always runs with (see server/README.md).
const nodeArgs = JSON.parse(readFileSync(join(root, 'server/node-args.json'), 'utf8'));
const server = spawn(process.execPath, [...nodeArgs, join(root, 'server/dist/main.js')], { cwd: root, env: process.env, stdio: 'inherit' });
// The terminal sends Ctrl-C to the server too; this process only waits for it to finish.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
