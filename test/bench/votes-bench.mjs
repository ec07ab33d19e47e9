#!/usr/bin/env node
// Voting benchmark: many voters casting and changing ballots into one round over Socket.IO, on
// a real server process (built server, fresh database, commit before ack). See
// test/bench/README.md and docs/benchmarks.md.
//
//   npm run bench:votes -- --households 5000 --clients 200
//
// Progress goes to stdout as it happens; the LAST stdout line is one JSON object with the
// results. Exit code 0 when nothing was lost or duplicated and verify is ok, 1 when not, 2 on
// failure or timeout.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchServer, stopBenchServer } from './lib/bench-server.mjs';
import { api, clock, freshDatabase, Histogram, median, phasePeaks, pool, procCpuS, round, signIn } from './lib/harness.mjs';
import { cpuWindow, waitForQuietMachine } from './lib/measure.mjs';
import { benchOptions, numberOption } from './lib/options.mjs';
import { ackByQuarterSecond, printAllocations, printPgTiming } from './lib/diagnostics.mjs';
import { formatSummary, summarize } from './lib/profile.mjs';
import { check, createElectorate, dbStats, expectedTally, writeText } from './lib/votes-db.mjs';
import { benchRun, forkWorker } from './lib/workers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const opt = benchOptions(
  {
    households: { type: 'string', default: '5000' },
    clients: { type: 'string', default: '200' },
    workers: { type: 'string', default: '2' }, // client processes
    rate: { type: 'string', default: '20' }, // casts per second per client (the server allows 20/s, bursts of 40)
    inflight: { type: 'string', default: '4' }, // unanswered casts per client at most
    'retry-ms': { type: 'string', default: '100' }, // wait before resending a RATE_LIMITED cast (same ballot id)
    'for-share': { type: 'string', default: '0.6' }, // share of first ballots that are 'for'
    rule: { type: 'string', default: 'art278_ordinary' },
    'art278-item': { type: 'string', default: '5' },
    'per-building': { type: 'string', default: '100' }, // households per bench building (2 gates)
    'pool-size': { type: 'string', default: '20' }, // the server's DATABASE_POOL_SIZE
    'connect-concurrency': { type: 'string', default: '10' }, // per worker
    'cpu-prof': { type: 'boolean', default: false }, // run the server with --cpu-prof and summarise the casting window
    'pg-timing': { type: 'boolean', default: false }, // time the server's queries and transactions in the casting window (lib/pg-timing.cjs)
    'alloc-prof': { type: 'boolean', default: false }, // what the server's main thread allocates in the casting window (lib/alloc-sampling.cjs)
    'max-seconds': { type: 'string', default: '300' },
    'wait-idle': { type: 'string', default: '30' },
    'server-main': { type: 'string' },
    'server-log': { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] }, // passed to the server's node, e.g. --node-arg=--trace-gc
  },
  'usage: npm run bench:votes -- [--households 5000] [--clients 200] [--workers 2] [--rate 20] [--inflight 4] [--retry-ms 100]\n' +
    '         [--rule art278_ordinary] [--art278-item 5] [--per-building 100] [--pool-size 20] [--cpu-prof] [--pg-timing | --alloc-prof] [--env KEY=VALUE ...]\n' +
    '         [--wait-idle 30] [--server-main PATH] [--server-log FILE] [--node-arg=--trace-gc ...] [--max-seconds 300]',
);
const num = (k, min) => numberOption(opt, k, min);
const H = Math.floor(num('households', 1));
const C = Math.floor(num('clients', 1));
const WORKERS = Math.min(Math.floor(num('workers', 1)), C);
const RATE = num('rate', 0.1);
const INFLIGHT = Math.floor(num('inflight', 1));
const RETRY_MS = num('retry-ms', 0);
const FOR_SHARE = num('for-share', 0);
const PER_BUILDING = Math.max(2, Math.floor(num('per-building', 2)), Math.ceil(H / 200)); // a round takes at most 200 buildingIds
const POOL_SIZE = String(Math.floor(num('pool-size', 1)));
const MAX_SECONDS = num('max-seconds', 10);
if (C > H) {
  console.error('--clients must not exceed --households (each client votes for at least one)');
  process.exit(2);
}

const BASE = process.hrtime.bigint();
const now = clock(BASE.toString());
const log = (msg) => console.log(`[votes ${(now() / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ----- what has to be undone, whatever happens -----
let db;
let server;
const workers = [];
const run = benchRun(MAX_SECONDS, () => ({ db, server, workers }));

function startWorker(i) {
  return forkWorker(join(HERE, 'lib/vote-worker.mjs'), i, {
    onFatal: (why) => {
      console.error(why);
      run.abort();
    },
    stopping: run.stopping,
  });
}

async function main() {
  const result = {
    households: H,
    clients: C,
    workers: WORKERS,
    ratePerClient: RATE,
    inflightPerClient: INFLIGHT,
    rule: opt.rule,
    poolSize: Number(POOL_SIZE),
  };
  result.loadAvg1Before = round(loadavg()[0], 2);
  result.machineBusyBefore = round(await waitForQuietMachine(Number(opt['wait-idle']), now, log), 2);

  db = await freshDatabase();
  let profDir;
  const nodeArgs = [...opt['node-arg']];
  if (opt['cpu-prof']) {
    profDir = join(HERE, 'profiles', `votes-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(profDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profDir}`);
  }
  let pgTimingFile;
  if (opt['pg-timing']) {
    mkdirSync(join(HERE, 'profiles'), { recursive: true });
    pgTimingFile = join(HERE, 'profiles', `pg-timing-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    nodeArgs.push('--require', join(HERE, 'lib/pg-timing.cjs'));
  }
  let allocFile;
  if (opt['alloc-prof']) {
    if (pgTimingFile) throw new Error('--pg-timing and --alloc-prof both frame their window with SIGUSR2: use one at a time');
    mkdirSync(join(HERE, 'profiles'), { recursive: true });
    allocFile = join(HERE, 'profiles', `alloc-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    nodeArgs.push('--require', join(HERE, 'lib/alloc-sampling.cjs'));
  }
  server = await startBenchServer(db, opt, {
    nodeArgs,
    env: {
      DATABASE_POOL_SIZE: POOL_SIZE,
      ...(pgTimingFile ? { PG_TIMING_FILE: pgTimingFile } : {}),
      ...(allocFile ? { ALLOC_PROF_FILE: allocFile } : {}),
    },
  });
  log(`server pid ${server.pid} (${opt['server-main'] ?? 'server/dist/main.js'}) on ${server.url}, database ${db.name}, pool ${POOL_SIZE}`);
  // The server's peak RSS phase by phase: where the run's peak is.
  const mem = phasePeaks(server.pid);
  const memMark = (phase) => {
    const m = mem.mark(phase);
    log(`server RSS in ${phase}: peak ${m.peakMb} MB, ${m.endMb} MB at its end`);
  };
  memMark('startup');

  const chair = await signIn(server.url, 'chair');
  const me = await api(server.url, 'GET', '/api/me', { token: chair });
  const compoundId = me.memberships[0].compoundId;
  const t0 = now();
  const electorate = await createElectorate(db.url, compoundId, { households: H, voters: C, perBuilding: PER_BUILDING });
  const areaOf = new Map(electorate.households.map((h) => [h.id, h.area]));
  log(`${H} households in ${electorate.buildingIds.length} buildings and ${C} voters created in ${((now() - t0) / 1000).toFixed(1)} s`);
  const t1 = now();
  const tokens = await pool(electorate.users, 4, (u) => signIn(server.url, u.username));
  log(`${C} voters signed in in ${((now() - t1) / 1000).toFixed(1)} s`);

  const base = `/api/compounds/${compoundId}`;
  const proposal = await api(server.url, 'POST', `${base}/proposals`, {
    token: chair,
    body: { title: '压测：使用维修资金更换电梯', kind: 'renovation' },
  });
  await writeText(db.url, proposal.id, '使用维修资金更换1号楼电梯。');
  const revision = await api(server.url, 'POST', `${base}/proposals/${proposal.id}/revisions`, { token: chair });
  const openT = now();
  const roundView = await api(server.url, 'POST', `${base}/proposals/${proposal.id}/rounds`, {
    token: chair,
    body: {
      revisionNumber: revision.number,
      question: '是否同意使用维修资金更换电梯？',
      rule: opt.rule,
      art278Item: opt.rule.startsWith('art278') ? Number(opt['art278-item']) : null,
      buildingIds: electorate.buildingIds,
    },
  });
  result.openRoundMs = round(now() - openT);
  if (roundView.totals.households !== H)
    throw new Error(`the round's electorate has ${roundView.totals.households} households, expected ${H}`);
  log(
    `round ${roundView.id} open (${opt.rule}, revision ${revision.number}, electorate ${roundView.totals.households} households, ${result.openRoundMs} ms)`,
  );
  memMark('signInAndOpen');

  // ----- clients: user i on worker i mod W -----
  for (let i = 0; i < WORKERS; i++) workers.push(startWorker(i));
  const specs = workers.map(() => []);
  electorate.users.forEach((u, i) => specs[i % WORKERS].push({ idx: i, token: tokens[i], households: u.households }));
  const ready = await Promise.all(
    workers.map((w) =>
      w.ask(
        {
          type: 'init',
          url: server.url,
          base: BASE.toString(),
          specs: specs[w.i],
          roundId: roundView.id,
          connectConcurrency: Number(opt['connect-concurrency']),
        },
        'ready',
        60_000 + 500 * specs[w.i].length,
      ),
    ),
  );
  const follows = ready.flatMap((r) => r.followMs);
  result.followMs = { p50: round(median(follows)), max: round(Math.max(...follows)) };
  log(`${C} clients connected and following (vote:follow p50 ${result.followMs.p50} ms, max ${result.followMs.max} ms)`);
  await sleep(1000);
  memMark('connect');

  // ----- casting: every household's ballot, then half of them changed -----
  const cpuUse = await cpuWindow(server.pid, db);
  const db0 = await dbStats(db.url, db.name);
  if (pgTimingFile || allocFile) server.proc.kill('SIGUSR2'); // pg timing or allocation sampling: start the window
  const startAt = now() + 200;
  const done = Promise.all(
    workers.map((w) =>
      w.ask(
        {
          type: 'start',
          startAt,
          rate: RATE,
          inflight: INFLIGHT,
          roundId: roundView.id,
          revisionId: roundView.revisionId,
          retryMs: RETRY_MS,
          forShare: FOR_SHARE,
        },
        'done',
        (MAX_SECONDS - 10) * 1000,
      ),
    ),
  );
  let last = { t: now(), acked: 0, cpu: cpuUse.serverCpuS };
  const progress = setInterval(() => {
    const c = { sent: 0, acked: 0, rateLimited: 0 };
    for (const w of workers) for (const k of Object.keys(c)) c[k] += w.last?.[k] ?? 0;
    const t = now();
    const cpu = procCpuS(server.pid);
    const dt = (t - last.t) / 1000;
    log(
      `sent ${c.sent} acked ${c.acked} (${Math.round((c.acked - last.acked) / dt)}/s) rate-limited ${c.rateLimited}  server cpu ${Math.round((100 * (cpu - last.cpu)) / dt)} %`,
    );
    last = { t, acked: c.acked, cpu };
  }, 1000);
  const replies = await done;
  const endAt = now();
  clearInterval(progress);
  if (pgTimingFile || allocFile) server.proc.kill('SIGUSR2'); // pg timing or allocation sampling: end the window, write it
  const { serverCpuS, serverThreads, selfCpuS, machineS, machineKinds, pgCpuS } = await cpuUse.end();
  memMark('cast');
  const db1 = await dbStats(db.url, db.name);

  const ack = new Histogram();
  const totals = { sent: 0, acked: 0, rateLimited: 0, retries: 0, errors: {}, disconnects: 0, exceptions: {}, tallies: 0 };
  const ackedList = [];
  for (const r of replies) {
    ack.merge(Histogram.from(r.ack));
    for (const k of ['sent', 'acked', 'rateLimited', 'retries', 'disconnects', 'tallies']) totals[k] += r.counts[k];
    for (const k of ['errors', 'exceptions'])
      for (const [code, n] of Object.entries(r.counts[k])) totals[k][code] = (totals[k][code] ?? 0) + n;
    for (const a of r.acked) ackedList.push(a);
  }
  const firstSend = Math.min(...replies.map((r) => r.firstSendAt));
  const lastAck = Math.max(...replies.map((r) => r.lastAckAt));
  const castWallS = (lastAck - firstSend) / 1000;
  const ackByQuarter = ackByQuarterSecond(ackedList, firstSend);
  log(`ack p99 ms (casts sent) by quarter second of the window: ${ackByQuarter.map((b) => `${b.p99} (${b.n})`).join('  ')}`);
  log(
    `casting done: ${totals.acked} acked of ${totals.sent} sent in ${castWallS.toFixed(2)} s (${Math.round(totals.acked / castWallS)}/s), ack p99 ${round(ack.quantile(0.99))} ms`,
  );

  // ----- close: until every follower has the closed round -----
  const closeT = now();
  const closed = await api(server.url, 'POST', `${base}/rounds/${roundView.id}/close`, { token: chair });
  const closeHttpMs = now() - closeT;
  const seen = await Promise.all(workers.map((w) => w.ask({ type: 'await-closed', timeoutMs: 10_000 }, 'closed-seen', 20_000)));
  const missingClosed = seen.reduce((s, x) => s + x.missing, 0);
  const closeToResultMs = missingClosed ? null : Math.max(...seen.map((x) => x.lastAt)) - closeT;
  memMark('close');
  log(
    `closed: HTTP ${round(closeHttpMs)} ms, every client had the result after ${round(closeToResultMs)} ms${missingClosed ? ` (${missingClosed} never got it)` : ''}`,
  );

  // ----- verify -----
  const vT = now();
  const verify = await api(server.url, 'GET', `${base}/rounds/${roundView.id}/verify`, { token: chair });
  const verifyMs = now() - vT;
  memMark('verify');
  log(
    `verify: ok ${verify.ok}, ${verify.entriesChecked} entries, ${verify.ballotsCounted} ballots, ${round(verifyMs)} ms (server ${verify.ms} ms)${verify.ok ? '' : ` problems ${JSON.stringify(verify.problems.slice(0, 5))}`}`,
  );

  // ----- lost, duplicated, tally -----
  const chk = await check(db.url, roundView.id, ackedList);
  const want = expectedTally(chk.lastOf, areaOf);
  const got = closed.result?.tally;
  const tallyMatches =
    !!got &&
    ['for', 'against', 'abstain'].every(
      (k) => got[k].households === want[k].households && got[k].areaCentiM2 === want[k].areaCentiM2 && got[k].heads === want[k].households,
    );
  const pushedMatches = seen.every((s) => JSON.stringify(s.result?.tally) === JSON.stringify(got));
  log(
    `lost ${chk.lost} (acked but not stored ${chk.ackedMissing}, counted ballot not the last acked ${chk.countedNotLastAcked}), duplicated ${chk.duplicated}; tally ${tallyMatches ? 'matches' : 'DIFFERS'} (for ${got?.for.households}/${want.for.households}, against ${got?.against.households}/${want.against.households})`,
  );

  const hwm = Math.max(...Object.values(mem.phases).map((p) => p.peakMb));
  const workersCpu = replies.reduce((s, r) => s + r.cpuS, 0);
  Object.assign(result, {
    ballots: totals.acked,
    ballotsSent: totals.sent,
    firstBallots: chk.householdsVoted,
    changes: totals.acked - chk.householdsVoted,
    castWallS: round(castWallS, 2),
    ballotsPerSec: round(totals.acked / castWallS, 0),
    ackMs: {
      p50: round(ack.quantile(0.5)),
      p95: round(ack.quantile(0.95)),
      p99: round(ack.quantile(0.99)),
      max: round(ack.max),
      mean: round(ack.n ? ack.sum / ack.n : null),
    },
    ackP99MsByQuarterSecond: ackByQuarter.map((b) => b.p99),
    closeHttpMs: round(closeHttpMs),
    closeToResultMs: round(closeToResultMs),
    closeMissing: missingClosed,
    verifyMs: round(verifyMs),
    verifyServerMs: verify.ms,
    verifyOk: verify.ok,
    verifyEntries: verify.entriesChecked,
    lost: chk.lost,
    duplicated: chk.duplicated,
    ackedMissing: chk.ackedMissing,
    countedNotLastAcked: chk.countedNotLastAcked,
    auditBallotEntries: chk.auditBallotEntries,
    ballotCastRows: chk.ballotCastRows,
    ballotRows: chk.ballotRows,
    tallyMatches,
    pushedResultMatches: pushedMatches,
    tally: got ? { for: got.for, against: got.against, notVoted: got.notVoted } : null,
    passed: closed.result?.decision?.passed ?? null,
    rateLimited: totals.rateLimited,
    retries: totals.retries,
    castErrors: totals.errors,
    socketExceptions: totals.exceptions,
    disconnects: totals.disconnects,
    tallyEventsReceived: totals.tallies,
    // Group commit: one batch per distinct cast_at. dbCommits: transactions committed in the casting
    // window, where every statement outside a transaction counts as one.
    batches: chk.batches.n,
    batchSize: { p50: chk.batches.p50, max: chk.batches.max, mean: round(chk.ballotCastRows / chk.batches.n, 1) },
    dbCommits: db1.commits - db0.commits,
    dbRollbacks: db1.rollbacks - db0.rollbacks,
    serverCpuS: round(serverCpuS, 2),
    serverCpuPct: round((100 * serverCpuS) / castWallS, 0),
    serverThreadsCpuS: serverThreads,
    serverPeakRssMb: round(hwm, 0),
    serverRssMbByPhase: mem.resets ? mem.phases : null,
    postgresCpuS: round(pgCpuS, 2),
    harnessCpuS: { workers: replies.map((r) => round(r.cpuS, 2)), parent: round(selfCpuS, 2) },
    workersLoopDelayMs: replies.map((r) => ({
      p50: round(r.loopDelayMs.p50),
      p99: round(r.loopDelayMs.p99),
      max: round(r.loopDelayMs.max),
    })),
    machineCpuS: round(machineS, 2),
    machineCpuKindsS: machineKinds,
    otherCpuS: round(machineS - serverCpuS - pgCpuS - workersCpu - selfCpuS, 2),
  });

  await Promise.all(
    workers.map((w) => {
      w.closing = true;
      return w.ask({ type: 'close' }, 'closed', 10_000).catch(() => undefined);
    }),
  );
  const code = await stopBenchServer(server);
  if (code !== 0) log(`server exited with ${code}`);
  if (pgTimingFile) result.pgTiming = printPgTiming(pgTimingFile);
  if (allocFile) result.allocMb = printAllocations(allocFile);
  if (profDir) {
    const window = { fromUs: (Number(BASE) + startAt * 1e6) / 1e3, toUs: (Number(BASE) + endAt * 1e6) / 1e3 };
    writeFileSync(join(profDir, 'window.json'), JSON.stringify(window));
    const thread = (f) => Number(f.split('.')[4]);
    for (const f of readdirSync(profDir).filter((x) => x.endsWith('.cpuprofile') && thread(x) === 0)) {
      console.log(
        formatSummary(summarize(join(profDir, f), { ...window, top: 30 }), `server profile (main thread) ${f}, casting window only`),
      );
    }
    result.profileDir = profDir;
  }
  return result;
}

await run.finish(main, (result) =>
  result.lost === 0 && result.duplicated === 0 && result.verifyOk && result.tallyMatches && result.closeMissing === 0 ? 0 : 1,
);
