// The other servers of `yjs-bench --against`: starts lib/hocuspocus-server.mjs (or
// lib/socketio-relay-server.mjs) as its own process, on 127.0.0.1 and a free port, with the same
// handle as the built server's (url, pid, proc, output(), stop()), so the run's accounting and
// clean-up treat them alike. Both keep their documents in memory and answer the same IPC.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopper } from '../../support/built-server.cjs';

const HERE = dirname(fileURLToPath(import.meta.url));

export const startHocuspocus = (options) => startInMemory('hocuspocus-server.mjs', 'ws', options);
export const startSocketIORelay = (options) => startInMemory('socketio-relay-server.mjs', 'http', options);

async function startInMemory(script, scheme, { timeoutMs = 30_000 } = {}) {
  const proc = fork(join(HERE, script), [], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  const keep = (d) => (out = (out + d).slice(-20_000));
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    proc.once('message', (m) => (clearTimeout(timer), resolve(m.port)));
    void exited.then((code) => (clearTimeout(timer), reject(new Error(`${script} exited with ${code}:\n${out}`))));
  });
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    pid: proc.pid,
    proc,
    output: () => out,
    /** Opens the documents `names`, each with one empty paragraph in the body's `field`, and keeps them open. */
    open(names, field) {
      return new Promise((resolve) => {
        proc.once('message', resolve);
        proc.send({ type: 'open', names, field });
      });
    },
    /** The documents `names` as the server holds them in memory: one Yjs update each (null: not loaded). */
    states(names) {
      return new Promise((resolve) => {
        proc.once('message', (m) => resolve(m.states.map((s) => s && new Uint8Array(s))));
        proc.send({ type: 'state', names });
      });
    },
    stop: stopper(proc, exited),
  };
}
