// One client process of votes-bench.mjs (started with child_process.fork). It holds its share
// of the voters' Socket.IO connections: each follows the round, casts a ballot for every one of
// its households, then changes half of them, paced under the server's per-socket limit. Every
// ack is timed (send → ack) against the monotonic clock shared with the parent. Talks to the
// parent over IPC only.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { clock, Histogram, pool, require } from './harness.mjs';
import { send, serveParent } from './workers.mjs';

const { io } = require('socket.io-client');
const { SOCKET_PARSER } = require('@yishi/shared');

let now = () => performance.now();
const clients = [];
const ack = new Histogram();
const counts = { sent: 0, acked: 0, rateLimited: 0, retries: 0, errors: {}, disconnects: 0, exceptions: {}, tallies: 0 };
/** Every acknowledged cast: [ballotId, householdId, choice, ackedAt, receipt]. */
const acked = [];
let firstSendAt = Infinity;
let lastAckAt = -Infinity;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let cpuAtStart = null;

serveParent({
  init,
  start,
  'await-closed': awaitClosed,
  close() {
    for (const c of clients) c.socket.close();
    setTimeout(() => process.exit(0), 200).unref();
    send({ type: 'closed' });
  },
});

/** Emits with an ack; resolves with the ack, or rejects after `timeoutMs`. */
function call(socket, event, payload, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${event}: no ack in ${timeoutMs} ms`)), timeoutMs);
    socket.emit(event, payload, (res) => {
      clearTimeout(t);
      resolve(res);
    });
  });
}

async function connect(url, spec, roundId) {
  const socket = io(url, {
    parser: SOCKET_PARSER,
    transports: ['websocket'],
    auth: { token: spec.token },
    forceNew: true,
    reconnection: false,
  });
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`client ${spec.idx}: no connection in 30 s`)), 30_000);
    socket.once('connect', () => (clearTimeout(t), resolve()));
    socket.once('connect_error', (e) => (clearTimeout(t), reject(new Error(`client ${spec.idx}: connect_error ${e.message}`))));
  });
  const c = { spec, socket, closedAt: null, roundStatus: null };
  socket.on('disconnect', () => counts.disconnects++);
  // Nest reports an exception thrown before a handler runs as an 'exception' event, and never acks.
  socket.on('exception', (e) => {
    const k = String(e?.message ?? e?.status ?? 'exception').slice(0, 80);
    counts.exceptions[k] = (counts.exceptions[k] ?? 0) + 1;
  });
  socket.on('vote:round', (r) => {
    if (r.id === roundId && r.status === 'closed' && c.closedAt === null) {
      c.closedAt = now();
      c.result = r.result;
    }
  });
  socket.on('vote:tally', () => counts.tallies++);
  const t0 = now();
  const res = await call(socket, 'vote:follow', { roundId });
  if (!res?.ok) throw new Error(`client ${spec.idx}: vote:follow refused: ${JSON.stringify(res?.error)}`);
  if (res.mine.length !== spec.households.length)
    throw new Error(`client ${spec.idx}: vote:follow lists ${res.mine.length} households, expected ${spec.households.length}`);
  c.followMs = now() - t0;
  return c;
}

async function init({ url, base, specs, roundId, connectConcurrency }) {
  now = clock(base);
  const made = await pool(specs, connectConcurrency, (spec) => connect(url, spec, roundId));
  clients.push(...made);
  send({ type: 'ready', followMs: made.map((c) => c.followMs) });
}

/**
 * One client's casts: `jobs` in order, at most `inflight` unanswered and at most `rate` sends
 * a second (the server allows 20 a second per socket, bursts of 40). A RATE_LIMITED answer is
 * retried with the same ballot id after `retryMs`; any other refusal is counted and dropped.
 */
function runJobs(c, jobs, { rate, inflight, roundId, revisionId, retryMs, startAt }) {
  return new Promise((resolve) => {
    const period = 1000 / rate;
    let next = startAt;
    let outstanding = 0;
    let timer = null;
    const queue = [...jobs];
    const pump = () => {
      timer = null;
      while (queue.length && outstanding < inflight) {
        const t = now();
        if (t < next) {
          timer = setTimeout(pump, next - t);
          return;
        }
        next = Math.max(next, t) + period;
        const job = queue.shift();
        outstanding++;
        counts.sent++;
        if (t < firstSendAt) firstSendAt = t;
        c.socket.emit(
          'vote:cast',
          { roundId, ballotId: job.ballotId, householdId: job.householdId, revisionId, choice: job.choice },
          (res) => {
            const at = now();
            outstanding--;
            if (res?.ok) {
              ack.add(at - t);
              counts.acked++;
              acked.push([job.ballotId, job.householdId, job.choice, at, res.receipt, t]);
              if (at > lastAckAt) lastAckAt = at;
            } else {
              const code = res?.error?.code ?? 'NO_ACK';
              if (code === 'RATE_LIMITED') {
                counts.rateLimited++;
                counts.retries++;
                outstanding++; // held until the retry is queued, so the phase does not end early
                setTimeout(() => {
                  outstanding--;
                  queue.unshift(job);
                  if (!timer) pump();
                }, retryMs);
              } else counts.errors[code] = (counts.errors[code] ?? 0) + 1;
            }
            if (queue.length === 0 && outstanding === 0) resolve();
            else if (!timer) pump();
          },
        );
      }
      if (queue.length === 0 && outstanding === 0) resolve();
    };
    timer = setTimeout(pump, Math.max(0, startAt - now()));
  });
}

async function start({ startAt, rate, inflight, roundId, revisionId, retryMs, forShare }) {
  cpuAtStart = process.cpuUsage();
  loopDelay.enable();
  const progress = setInterval(() => send({ type: 'progress', counts }), 500);
  const period = 1000 / rate;
  await Promise.all(
    clients.map(async (c) => {
      const hs = c.spec.households;
      // Phase 1: a ballot for every household. Phase 2, once those are acknowledged: every
      // other household changes its mind (a new ballot id, the other choice).
      const first = hs.map((householdId) => ({
        ballotId: randomUUID(),
        householdId,
        choice: Math.random() < forShare ? 'for' : 'against',
      }));
      const opts = { rate, inflight, roundId, revisionId, retryMs };
      await runJobs(c, first, { ...opts, startAt: startAt + Math.random() * period });
      const changes = first
        .filter((_, j) => j % 2 === 1)
        .map((j) => ({ ballotId: randomUUID(), householdId: j.householdId, choice: j.choice === 'for' ? 'against' : 'for' }));
      await runJobs(c, changes, { ...opts, startAt: now() });
    }),
  );
  clearInterval(progress);
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuAtStart);
  send({
    type: 'done',
    ack: ack.toJSON(),
    counts,
    acked,
    firstSendAt,
    lastAckAt,
    cpuS: (cpu.user + cpu.system) / 1e6,
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  });
}

/** Waits until every client has had the round's `vote:round` with status closed. */
async function awaitClosed({ timeoutMs }) {
  const end = now() + timeoutMs;
  while (clients.some((c) => c.closedAt === null) && now() < end) await new Promise((r) => setTimeout(r, 2));
  const got = clients.filter((c) => c.closedAt !== null);
  send({
    type: 'closed-seen',
    missing: clients.length - got.length,
    firstAt: Math.min(...got.map((c) => c.closedAt)),
    lastAt: Math.max(...got.map((c) => c.closedAt)),
    result: got[0]?.result ?? null,
  });
}
