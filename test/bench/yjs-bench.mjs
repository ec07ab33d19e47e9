#!/usr/bin/env node
// Co-editing benchmark: many Socket.IO + Yjs clients typing into proposals' bodies on a real
// server process (built server, fresh database, commit-before-ack). See test/bench/README.md.
// With --against hocuspocus, the same workload also runs on a stock Hocuspocus, interleaved
// (and with --against hocuspocus,socketio-relay also on lib/socketio-relay-server.mjs, the least
// a Socket.IO server of our protocol can do: what the transport costs).
//
//   npm run bench:yjs -- --clients 50 --docs 1 --writers 50 --rate 5 --seconds 20
//   npm run bench:yjs -- --against hocuspocus --repeats 2
//
// Progress goes to stdout as it happens; the LAST stdout line is one JSON object with the
// results. Exit code 0 when every client converged to the stored document, 1 when not, 2 on
// failure or timeout.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopBenchServer } from './lib/bench-server.mjs';
import { bodyText } from './lib/doc-client.mjs';
import { clock, median, procCpuS, procMemMb, round } from './lib/harness.mjs';
import { cpuWindow, waitForQuietMachine } from './lib/measure.mjs';
import { benchOptions, numberOption } from './lib/options.mjs';
import { benchRun, forkWorker } from './lib/workers.mjs';
import { sideBySide } from './lib/side-by-side.mjs';
import { lateJoin10k } from './lib/yjs-checks.mjs';
import { mergeReports, runFigures, summarizeProfiles } from './lib/yjs-report.mjs';
import { hocuspocusTarget, socketIORelayTarget, yishiTarget } from './lib/yjs-targets.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const opt = benchOptions(
  {
    clients: { type: 'string', default: '50' },
    docs: { type: 'string', default: '1' },
    writers: { type: 'string', default: '50' },
    rate: { type: 'string', default: '5' }, // edits per second per writer
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '0' }, // seconds of the same typing before the measured window (figures dropped)
    workers: { type: 'string', default: '2' }, // client processes
    at: { type: 'string', default: 'cursor' }, // where writers insert: cursor (type on at own cursor) | random | end
    awareness: { type: 'boolean', default: false }, // clients publish awareness (cursor per edit)
    thin: { type: 'boolean', default: false }, // clients read others' updates without applying them (a lean harness)
    against: { type: 'string' }, // hocuspocus[,socketio-relay]: also run those, interleaved with Yishi
    repeats: { type: 'string', default: '1' }, // with --against: runs of each server
    users: { type: 'string' }, // distinct resident accounts; default one per client; 0 = share the demo accounts
    'join-edits': { type: 'string', default: '10000' },
    'join-batch': { type: 'string', default: '25' }, // edits per message for the 10k document
    'join-at': { type: 'string', default: 'random' }, // where its edits go: random | cursor | end
    'join-repeats': { type: 'string', default: '3' },
    'connect-concurrency': { type: 'string', default: '10' }, // per worker
    'cpu-prof': { type: 'boolean', default: false }, // run the server with --cpu-prof and summarise
    'worker-prof': { type: 'boolean', default: false }, // also profile the client workers (the harness)
    'server-metrics': { type: 'boolean', default: false }, // print the server's document histograms after the run
    'max-seconds': { type: 'string' }, // hard limit for the whole run
    'wait-idle': { type: 'string', default: '60' }, // wait up to this long for other load on the machine to stop
    'server-main': { type: 'string' }, // another build of the server to run (default server/dist/main.js)
    'server-log': { type: 'string' }, // write the server's output to this file
  },
  'usage: npm run bench:yjs -- [--clients 50] [--docs 1] [--writers 50] [--rate 5] [--seconds 20] [--workers 2]\n' +
    '         [--warmup S] [--at cursor|random|end] [--awareness] [--thin] [--against hocuspocus[,socketio-relay]] [--repeats N] [--users N] [--join-edits 10000] [--join-batch 25] [--join-at random|cursor|end] [--cpu-prof] [--worker-prof] [--server-metrics] [--env KEY=VALUE ...] [--wait-idle 60] [--server-main PATH] [--server-log FILE] [--max-seconds S]',
);
const int = (k, min) => numberOption(opt, k, min);
const N = int('clients', 1);
const D = int('docs', 1);
const W = int('writers', 0);
const RATE = int('rate', 0.01);
const SECONDS = int('seconds', 1);
const WARMUP = int('warmup', 0);
const WORKERS = Math.min(int('workers', 1), N);
const USERS = opt.users === undefined ? N : int('users', 0);
const JOIN_EDITS = int('join-edits', 0);
const JOIN_BATCH = int('join-batch', 1);
const JOIN_REPEATS = int('join-repeats', 1);
const CONNECT_CONCURRENCY = int('connect-concurrency', 1);
const AGAINST = opt.against;
// The other servers, in the order they run after Yishi in each round.
const OTHERS = AGAINST === undefined ? [] : AGAINST.split(',');
const REPEATS = AGAINST ? int('repeats', 1) : 1;
const RUNS = (1 + OTHERS.length) * REPEATS;
const MAX_SECONDS = opt['max-seconds']
  ? int('max-seconds', 10)
  : RUNS * (240 + 2 * (SECONDS + WARMUP) + Math.ceil(N / 5) + Number(opt['wait-idle']));
if (AGAINST !== undefined && (OTHERS[0] !== 'hocuspocus' || OTHERS.slice(1).some((k) => k !== 'socketio-relay'))) {
  console.error('--against takes hocuspocus or hocuspocus,socketio-relay');
  process.exit(2);
}
if (AGAINST && opt.thin) {
  console.error('--against compares full clients; --thin is a diagnostic of our server alone');
  process.exit(2);
}
if (W > N || D > N) {
  console.error('--writers and --docs must not exceed --clients');
  process.exit(2);
}
if (!['cursor', 'random', 'end'].includes(opt['join-at'])) {
  console.error('--join-at is random, cursor or end');
  process.exit(2);
}
if (!['cursor', 'random', 'end'].includes(opt.at)) {
  console.error('--at is cursor, random or end');
  process.exit(2);
}

const BASE = process.hrtime.bigint();
const now = clock(BASE.toString());
const log = (msg) => console.log(`[bench ${(now() / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ----- what has to be undone, whatever happens -----
let db;
let server;
const workers = [];
let serverLines = 0;
const run = benchRun(MAX_SECONDS, () => ({ db, server, workers }));

// ----- workers (client processes) -----

let workerProfDir;
function startWorker(i) {
  return forkWorker(join(HERE, 'lib/worker.mjs'), i, {
    execArgv: workerProfDir ? ['--cpu-prof', `--cpu-prof-dir=${workerProfDir}`] : [],
    onFatal: (why) => {
      console.error(why);
      run.abort();
    },
    stopping: run.stopping,
  });
}

// ----- the run -----

const LOAD = {
  clients: N,
  docs: D,
  writers: W,
  rate: RATE,
  seconds: SECONDS,
  warmupS: WARMUP,
  workers: WORKERS,
  at: opt.at,
  awareness: opt.awareness,
  clientMode: opt.thin ? 'thin' : 'full',
};

/** One run on a fresh server of `kind` (yishi | hocuspocus): its result, and its latency and ack histograms. */
async function runOnce(kind) {
  const result = { ...LOAD, server: kind };
  result.loadAvg1Before = round(loadavg()[0], 2);
  result.machineBusyBefore = round(await waitForQuietMachine(Number(opt['wait-idle']), now, log), 2);

  let profDir;
  const nodeArgs = [];
  if (opt['cpu-prof'] && kind === 'yishi') {
    profDir = join(HERE, 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
    mkdirSync(profDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profDir}`);
  }
  if (opt['worker-prof']) {
    workerProfDir = join(HERE, 'profiles', `workers-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(workerProfDir, { recursive: true });
  }
  serverLines = 0;
  const hold = (r) => ({ db, server } = { db: undefined, server: undefined, ...r });
  const target =
    kind === 'hocuspocus'
      ? await hocuspocusTarget({ docs: D, hold, log })
      : kind === 'socketio-relay'
        ? await socketIORelayTarget({ docs: D, hold, log })
        : await yishiTarget({ opt, docs: D, users: USERS, nodeArgs, onLine: () => serverLines++, hold, log });
  const { docIds, joinDocId, tokens } = target;
  log(`${D} document(s), ${tokens.length} account(s); starting ${WORKERS} worker(s) for ${N} clients`);

  // Clients: client i edits document i mod D; each document's clients spread over the workers.
  for (let i = 0; i < WORKERS; i++) workers.push(startWorker(i));
  const specs = workers.map(() => []);
  for (let i = 0; i < N; i++) {
    specs[Math.floor(i / D) % WORKERS].push({
      idx: i,
      docIdx: i % D,
      docId: docIds[i % D],
      token: tokens[i % tokens.length],
      writer: i < W,
    });
  }
  const ready = await Promise.all(
    workers.map((w) =>
      w.ask(
        {
          type: 'init',
          kind,
          url: server.url,
          base: BASE.toString(),
          specs: specs[w.i],
          awareness: opt.awareness,
          thin: opt.thin,
          connectConcurrency: CONNECT_CONCURRENCY,
        },
        'ready',
        60_000 + 500 * specs[w.i].length,
      ),
    ),
  );
  const syncs = ready.flatMap((r) => r.syncMs);
  result.connectSyncMs = { p50: round(median(syncs)), max: round(Math.max(...syncs)) };
  log(`all ${N} clients connected and synced (join p50 ${result.connectSyncMs.p50} ms, max ${result.connectSyncMs.max} ms)`);
  await sleep(1000); // let the connection burst settle before measuring

  // ----- warm-up: the same typing, not measured (a fresh server compiles its hot code meanwhile) -----
  if (WARMUP > 0) {
    const warmAt = now() + 300;
    await Promise.all(
      workers.map((w) =>
        w.ask({ type: 'start', startAt: warmAt, seconds: WARMUP, rate: RATE, at: opt.at }, 'drained', (WARMUP + 90) * 1000),
      ),
    );
    await Promise.all(workers.map((w) => w.ask({ type: 'reset' }, 'reset', 10_000)));
    log(`warmed up: ${WARMUP} s of the same typing, not measured`);
    await sleep(1000);
  }

  // ----- measured window: from the first edit until everything typed is acknowledged -----
  const cpuUse = await cpuWindow(server.pid, db);
  const startAt = now() + 300;
  const drained = Promise.all(
    workers.map((w) => w.ask({ type: 'start', startAt, seconds: SECONDS, rate: RATE, at: opt.at }, 'drained', (SECONDS + 90) * 1000)),
  );
  let lastCpu = cpuUse.serverCpuS;
  let lastT = now();
  let peakRss = 0;
  const rssPoll = setInterval(() => (peakRss = Math.max(peakRss, procMemMb(server.pid).rss)), 250);
  const progress = setInterval(() => {
    const c = { typed: 0, sent: 0, acked: 0, deliveries: 0 };
    for (const w of workers) for (const k of Object.keys(c)) c[k] += w.last?.[k] ?? 0;
    const cpu = procCpuS(server.pid);
    const t = now();
    const pct = (100 * (cpu - lastCpu)) / ((t - lastT) / 1000);
    [lastCpu, lastT] = [cpu, t];
    log(
      `t=${((t - startAt) / 1000).toFixed(0)}s typed ${c.typed} acked ${c.acked}/${c.sent} deliveries ${c.deliveries}  server cpu ${pct.toFixed(0)} % rss ${procMemMb(server.pid).rss.toFixed(0)} MB`,
    );
  }, 2000);
  const drainedReplies = await drained;
  const endAt = now();
  clearInterval(progress);
  clearInterval(rssPoll);
  const windowS = (endAt - startAt) / 1000;
  const cpu = await cpuUse.end();
  const { serverCpuS } = cpu;
  result.runWindowS = round(windowS, 2);
  result.drainMs = round(Math.max(...drainedReplies.map((r) => r.drainMs)));
  if (drainedReplies.some((r) => r.timedOut))
    log(`WARNING: some updates were never acknowledged (pending ${drainedReplies.reduce((s, r) => s + r.pending, 0)})`);
  log(`writers stopped and drained in ${result.drainMs} ms; window ${windowS.toFixed(1)} s, server cpu ${serverCpuS.toFixed(2)} s`);
  if (opt['server-metrics'] && kind === 'yishi') {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    console.error(
      text
        .split('\n')
        .filter((l) => /^yishi_doc_(update_commit_seconds|worker_op_seconds|commit_batch)/.test(l))
        .join('\n'),
    );
  }
  const perSecond = drainedReplies[0].secondMax.map((_, k) => Math.max(...drainedReplies.map((r) => r.secondMax[k])));
  log(`slowest delivery per second of the run (ms): ${perSecond.map((x) => Math.round(x)).join(' ')}`);

  // ----- converged: every client's text equals the stored document -----
  const stored = await target.stored(docIds);
  const expected = stored.map((s) => ({ length: s.length, hash: s.hash }));
  const checks = await Promise.all(workers.map((w) => w.ask({ type: 'check', expected, timeoutMs: 20_000 }, 'checked', 40_000)));
  const mismatched = checks.reduce((s, c) => s + c.mismatchedCount, 0);
  if (mismatched)
    log(
      `NOT converged: ${mismatched} client(s) differ from the stored document, e.g. ${JSON.stringify(checks.flatMap((c) => c.mismatched).slice(0, 3))}`,
    );

  // ----- late join: a new client joins document 0, which holds all of the run's edits -----
  const late = [];
  const lateConnect = [];
  let lateMatches = true;
  for (let k = 0; k < JOIN_REPEATS; k++) {
    const c = await target.join(docIds[0], { now });
    late.push(c.timings.syncMs);
    lateConnect.push(c.timings.connectMs);
    lateMatches &&= bodyText(c.doc) === stored[0].text;
    c.close();
    await sleep(100);
  }
  result.lateJoinMs = round(median(late));
  result.lateJoinRunsMs = late.map((x) => round(x));
  result.lateJoinConnectMs = round(median(lateConnect));
  result.docBytes = stored[0].bytes;
  result.docChars = stored[0].length;
  log(`late join of document 0 (${stored[0].length} chars, ${stored[0].bytes} bytes stored): ${result.lateJoinRunsMs.join(', ')} ms`);

  // ----- collect the workers' figures, then let them go -----
  const reports = await Promise.all(workers.map((w) => w.ask({ type: 'report' }, 'report', 30_000)));
  const merged = mergeReports(reports, { docs: D, clients: N });
  const { totals } = merged;
  await Promise.all(
    workers.map((w) => {
      w.closing = true;
      return w.ask({ type: 'close' }, 'closed', 10_000).catch(() => undefined);
    }),
  );
  await Promise.all(workers.map((w) => (w.proc.exitCode === null ? new Promise((r) => w.proc.once('exit', r)) : undefined)));
  workers.length = 0;

  // ----- a document of 10,000 small edits by one client, then a new client joins it -----
  if (JOIN_EDITS > 0 && kind === 'yishi' && !AGAINST) {
    const t = await lateJoin10k(server.url, tokens[0], joinDocId, {
      edits: JOIN_EDITS,
      batch: JOIN_BATCH,
      at: opt['join-at'],
      repeats: JOIN_REPEATS,
      now,
      log,
    });
    Object.assign(result, t);
    log(
      `10k document: ${t.joinDocEdits} edits in ${t.joinDocMessages} messages, ${t.joinDocBytes} bytes; joins ${t.lateJoin10kRunsMs.join(', ')} ms`,
    );
  }

  const hwm = procMemMb(server.pid).hwm;
  const converged = checks.every((c) => c.ok) && lateMatches && totals.acked === totals.sent && !drainedReplies.some((r) => r.timedOut);

  Object.assign(result, runFigures({ merged, clients: N, windowS, cpu, drainedReplies, hwm, peakRss, serverLines, converged }));

  // ----- stop the server (its profile is written as it exits) -----
  const code = await stopBenchServer(server);
  if (code !== 0) log(`server exited with ${code}`);
  summarizeProfiles({ profDir, workerProfDir, fromUs: (Number(BASE) + startAt * 1e6) / 1e3, toUs: (Number(BASE) + endAt * 1e6) / 1e3 });
  if (profDir) result.profileDir = profDir;
  if (workerProfDir) result.workerProfileDir = workerProfDir;
  await db?.drop();
  hold({});
  return { result, lat: merged.lat, ack: merged.ack };
}

async function main() {
  if (!AGAINST) return (await runOnce('yishi')).result;
  // Interleaved, so that whatever else the machine is doing weighs on both alike.
  const runs = [];
  for (let r = 1; r <= REPEATS; r++)
    for (const kind of ['yishi', ...OTHERS]) {
      log(`----- run ${r} of ${REPEATS}: ${kind} -----`);
      runs.push({ kind, ...(await runOnce(kind)) });
    }
  return sideBySide(runs, { ...LOAD, repeats: REPEATS });
}

await run.finish(main, (result) => (result.converged ? 0 : 1));
