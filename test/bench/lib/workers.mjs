// The IPC between a benchmark and its client processes (lib/worker.mjs, lib/vote-worker.mjs),
// both ends: the parent forks and asks, the worker answers. Kept in one place so that every
// benchmark fails the same way when a worker does: loudly, and at once, rather than waiting
// for a reply that will never come.
import { fork } from 'node:child_process';
import { stopBenchServer } from './bench-server.mjs';

/**
 * Forks the worker script at `path` as worker `i`. `onFatal(why)` is called when the worker
 * reports a failure, or exits non-zero unless `w.closing` was set or `stopping()` says the
 * benchmark is already tearing down (then the SIGKILL is ours). `execArgv`, when given,
 * replaces the parent's node options for the worker (e.g. to profile it).
 *
 * The returned `w` has `proc`, `last` (the counts of its latest 'progress' message), and
 * `ask(msg, reply, timeoutMs)`: sends `msg` and resolves with the worker's next message of
 * type `reply`, or rejects after `timeoutMs`. One question per reply type at a time.
 */
export function forkWorker(path, i, { execArgv, onFatal, stopping }) {
  const proc = fork(path, [], {
    ...(execArgv ? { execArgv } : {}),
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const w = { i, proc, waiting: new Map(), last: null };
  proc.on('message', (m) => {
    if (m.type === 'progress') return void (w.last = m.counts);
    if (m.type === 'fatal') return void onFatal(`worker ${i} failed: ${m.error}`);
    const waiter = w.waiting.get(m.type);
    if (waiter) {
      w.waiting.delete(m.type);
      waiter(m);
    }
  });
  proc.on('exit', (code) => {
    if (code && !stopping() && !w.closing) onFatal(`worker ${i} exited with ${code}`);
  });
  w.ask = (msg, reply, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`worker ${i}: no '${reply}' in ${timeoutMs} ms`)), timeoutMs);
      w.waiting.set(reply, (m) => (clearTimeout(t), resolve(m)));
      proc.send(msg);
    });
  return w;
}

/** To the parent; a no-op when the script runs on its own (no IPC channel). */
export const send = (m) => process.send?.(m);

/**
 * The worker's side: each message from the parent goes to `handlers[m.type](m)`; a type with no
 * handler is ignored. Any failure in a handler, or anywhere else in the process, is reported as
 * a 'fatal' message before exiting 1, so the parent can say what went wrong instead of only
 * that the worker died.
 */
export function serveParent(handlers) {
  const fatal = (e) => {
    send({ type: 'fatal', error: String(e?.stack ?? e) });
    process.exit(1);
  };
  // Without a parent nobody would ever stop us, or read what we measure.
  process.on('disconnect', () => process.exit(1));
  process.on('uncaughtException', fatal);
  process.on('message', (m) => {
    // async, so that a handler's synchronous throw is reported like a rejection.
    (async () => (Object.hasOwn(handlers, m.type) ? handlers[m.type](m) : undefined))().catch(fatal);
  });
}

/**
 * What a benchmark run must undo whatever happens: its worker processes, its server and its
 * database (`resources()` says which exist by now), on success, on failure, when the watchdog
 * fires after `maxSeconds`, or on Ctrl-C. `finish(main, exitCodeOf)` runs the benchmark and
 * prints its result as the last stdout line.
 */
export function benchRun(maxSeconds, resources) {
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      const { db, server, workers } = resources();
      for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
      if (server) await stopBenchServer(server).catch(() => undefined);
      if (db) await db.drop().catch((e) => console.error(`could not drop ${db.name}: ${e.message}`));
    })());
  const abort = () => void cleanup().finally(() => process.exit(2));
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${maxSeconds} s, giving up`);
    abort();
  }, maxSeconds * 1000);
  watchdog.unref();
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, abort);

  return {
    cleanup,
    abort,
    stopping: () => cleaning !== undefined,
    async finish(main, exitCodeOf) {
      let exitCode = 2;
      try {
        const result = await main();
        exitCode = exitCodeOf(result);
        clearTimeout(watchdog);
        console.log(JSON.stringify(result));
      } catch (e) {
        console.error(`bench failed: ${e?.stack ?? e}`);
        const { server } = resources();
        if (server) console.error(`server output (tail):\n${server.output().slice(-3000)}`);
      } finally {
        await cleanup();
      }
      process.exit(exitCode);
    },
  };
}
