// One client process of yjs-bench.mjs (started with child_process.fork). It holds its share of
// the simulated editors, types for the writers, and measures delivery and acknowledgement
// latency against a monotonic clock shared with the parent (process.hrtime is CLOCK_MONOTONIC,
// the same for every process on the machine). Talks to the parent over IPC only.
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { bodyText, docClient, Y } from './doc-client.mjs';
import { clock, Histogram, pool, require } from './harness.mjs';
import { hocuspocusClient } from './hocuspocus-client.mjs';
import { send, serveParent } from './workers.mjs';

const decoding = require('lib0/decoding');

/** `${client}:${seq}:${typedAtMs};` — the receiver reads the time it was typed. */
const TOKEN = /(\d+):\d+:(\d+\.\d);/g;

let now = () => performance.now();
const clients = [];
const lat = new Histogram();
const ack = new Histogram();
const counts = {
  typed: 0,
  typedByDoc: {},
  typedUnsynced: 0,
  sent: 0,
  acked: 0,
  deliveries: 0,
  received: 0,
  disconnects: 0,
  ackErrors: {},
  clientErrors: {},
  exceptions: {},
};
let cpuAtStart = null;
let runStart = Infinity;
/** Per second of the run: the slowest delivery (to spot periodic stalls). */
const secondMax = new Float64Array(600);
/** How late this process's own event loop ran timers: the harness's share of the latency. */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let stopped = false;
let thin = false;

serveParent({
  init,
  start,
  check,
  // After a warm-up: what it measured is dropped, so the run's figures start from nothing.
  reset() {
    lat.clear();
    ack.clear();
    secondMax.fill(0);
    loopDelay.reset();
    for (const k of ['typed', 'typedUnsynced', 'sent', 'acked', 'deliveries', 'received', 'disconnects']) counts[k] = 0;
    for (const k of ['typedByDoc', 'ackErrors', 'clientErrors', 'exceptions']) counts[k] = {};
    send({ type: 'reset' });
  },
  report: () => send({ type: 'report', lat: lat.toJSON(), ack: ack.toJSON(), counts, clients: clients.length }),
  close() {
    stopped = true;
    for (const c of clients) c.client.close();
    setTimeout(() => process.exit(0), 200).unref();
    send({ type: 'closed' });
  },
});

/** Records the deliveries in `s`: every token in it (but `self`'s own), timed from when it was typed. */
function scan(s, t, self) {
  TOKEN.lastIndex = 0;
  let match;
  while ((match = TOKEN.exec(s))) {
    if (Number(match[1]) === self) continue;
    const ms = t - Number(match[2]);
    lat.add(ms);
    counts.deliveries++;
    const sec = Math.floor((t - runStart) / 1000);
    if (sec >= 0 && sec < secondMax.length && ms > secondMax[sec]) secondMax[sec] = ms;
  }
}

/**
 * A thin client keeps others' updates (y-protocols type 2) away from its provider: it reads the
 * tokens straight from the update's bytes (strings travel as UTF-8, whole) and keeps the bytes
 * for the convergence check, so the harness spends next to nothing per message. Everything
 * else (the sync step 1 after a join, acks, resync) goes to the provider as usual.
 */
function thinSocket(socket, received, self) {
  const on = socket.on.bind(socket);
  socket.on = (event, fn) => {
    if (event !== 'doc:sync') return on(event, fn);
    return on(event, (p) => {
      // (A server build that sends updates base64-encoded, as one text frame, is read too.)
      const msg = typeof p.message === 'string' ? Buffer.from(p.message, 'base64') : new Uint8Array(p.message);
      if (msg[0] !== 2) return fn(p);
      const t = now();
      // One message may hold several updates back to back (a busy document's, gathered).
      const d = decoding.createDecoder(msg);
      while (decoding.hasContent(d)) {
        decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        received.push(payload);
        scan(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1'), t, self);
      }
    });
  };
}

/**
 * Client `spec` of the run, with the provider of `kind`: 'yishi' (Socket.IO and the shared
 * SocketIOProvider) or 'hocuspocus' (the stock HocuspocusProvider on a stock Hocuspocus).
 */
function connect(kind, url, spec, awareness, received) {
  const name = `c${spec.idx}`;
  if (kind === 'hocuspocus') return hocuspocusClient(url, spec.docId, { awareness, name, now, onDocMessage: () => counts.received++ });
  return docClient(url, spec.token, spec.docId, {
    awareness,
    name,
    now,
    onError: (code) => (counts.clientErrors[code] = (counts.clientErrors[code] ?? 0) + 1),
    beforeProvider: (socket) => {
      socket.on('doc:sync', () => counts.received++);
      if (thin) thinSocket(socket, received, spec.idx);
    },
  });
}

async function init({ kind = 'yishi', url, base, specs, awareness, connectConcurrency, thin: thinMode }) {
  now = clock(base);
  thin = thinMode;
  const t0 = now();
  const made = await pool(specs, connectConcurrency, async (spec) => {
    const received = [];
    const client = await connect(kind, url, spec, awareness, received);
    return { spec, client, received };
  });
  for (const { spec, client, received } of made) {
    const text = client.text();
    if (!text) throw new Error(`client ${spec.idx}: the document has no paragraph`);
    const c = { spec, client, text, received, seq: 0, lastTyped: 0 };
    clients.push(c);
    client.onDisconnect(() => counts.disconnects++);
    // Nest reports an exception thrown before a handler runs (a guard) as an 'exception' event,
    // and then never calls the ack: count those, or edits would just stay pending.
    client.socket?.on('exception', (e) => {
      const k = String(e?.message ?? e?.status ?? 'exception').slice(0, 80);
      counts.exceptions[k] = (counts.exceptions[k] ?? 0) + 1;
    });
    // Others' edits, as a full client receives them: read from the structs the transaction
    // added (cost ∝ the update), not from the text event's delta (which walks the whole text).
    if (!thin) {
      client.doc.on('afterTransaction', (tr) => {
        if (tr.origin !== client.provider) return;
        const t = now();
        for (const [cid, after] of tr.afterState) {
          const before = tr.beforeState.get(cid) ?? 0;
          if (after <= before) continue;
          const structs = client.doc.store.clients.get(cid);
          // One client's characters have consecutive clocks: joined in clock order, a token
          // split over several items (or merged into an older one) reads whole again.
          let s = '';
          for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
            const str = structs[i].content?.str;
            if (typeof str === 'string') s += structs[i].id.clock < before ? str.slice(before - structs[i].id.clock) : str;
          }
          scan(s, t, -1);
        }
      });
    }
    if (spec.writer) timeAcks(c);
  }
  send({ type: 'ready', ms: now() - t0, syncMs: made.map((x) => x.client.timings.syncMs) });
}

/** Times each update the provider sends from when its edit was typed until the server's ack. */
function timeAcks(c) {
  c.client.timeAcks(() => {
    const typedAt = c.lastTyped;
    counts.sent++;
    return (ok, code) => {
      if (ok) {
        counts.acked++;
        ack.add(now() - typedAt);
      } else counts.ackErrors[code] = (counts.ackErrors[code] ?? 0) + 1;
    };
  });
}

function type(c, at) {
  const t = now();
  const token = `${c.spec.idx}:${c.seq++}:${t.toFixed(1)};`;
  const len = c.text.length;
  let pos;
  if (at === 'end') pos = len;
  else if (at === 'random') pos = Math.floor(Math.random() * (len + 1));
  else {
    // 'cursor': typing on from where this writer's cursor is; a random place to begin with,
    // and a jump elsewhere now and then (1 edit in 50), as someone editing a text does.
    if (c.cursor === undefined || Math.random() < 0.02) c.cursor = Math.floor(Math.random() * (len + 1));
    pos = Math.min(c.cursor, len);
    c.cursor = pos + token.length;
  }
  c.lastTyped = t;
  if (!c.client.synced()) counts.typedUnsynced++;
  c.text.insert(pos, token);
  c.client.awareness?.setLocalStateField('cursor', { index: pos + token.length });
  counts.typed++;
  counts.typedByDoc[c.spec.docIdx] = (counts.typedByDoc[c.spec.docIdx] ?? 0) + 1;
}

async function start({ startAt, seconds, rate, at }) {
  cpuAtStart = process.cpuUsage();
  counts.received = 0; // from here on: the run's broadcasts only
  runStart = startAt;
  loopDelay.enable();
  const endAt = startAt + seconds * 1000;
  const period = 1000 / rate;
  const writers = clients.filter((c) => c.spec.writer);
  const progress = setInterval(() => send({ type: 'progress', counts }), 1000);
  await Promise.all(
    writers.map(
      (c) =>
        new Promise((resolve) => {
          // Jittered: each writer starts somewhere in the first period and wobbles ±10 %.
          const offset = Math.random() * period;
          let k = 0;
          const tick = () => {
            const t = now();
            if (stopped || t >= endAt) return resolve();
            type(c, at);
            k++;
            const next = startAt + offset + k * period + (Math.random() - 0.5) * 0.2 * period;
            setTimeout(tick, Math.max(0, next - now()));
          };
          setTimeout(tick, Math.max(0, startAt + offset - now()));
        }),
    ),
  );
  // Quiescence, part one: everything typed here is committed.
  const t0 = now();
  let timer;
  const timedOut = await Promise.race([
    Promise.all(writers.map((c) => c.client.whenAcknowledged())).then(() => false),
    new Promise((r) => (timer = setTimeout(() => r(true), 60_000))),
  ]);
  clearTimeout(timer);
  clearInterval(progress);
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuAtStart);
  send({
    type: 'drained',
    drainMs: now() - t0,
    timedOut,
    pending: writers.reduce((s, c) => s + c.client.pending(), 0),
    cpuS: (cpu.user + cpu.system) / 1e6,
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    secondMax: Array.from(secondMax.subarray(0, Math.ceil(seconds) + 2)),
    counts,
  });
}

/** Waits until every client's text is the expected one (per document: length and SHA-1). */
async function check({ expected, timeoutMs }) {
  const end = now() + timeoutMs;
  const hashOf = (s) => createHash('sha1').update(s).digest('hex');
  let bad = clients;
  while (true) {
    // A thin client catches up now on everything it was sent (as the provider would have).
    if (thin)
      for (const c of bad) if (c.received.length) Y.applyUpdate(c.client.doc, Y.mergeUpdates(c.received.splice(0)), c.client.provider);
    bad = bad.filter((c) => {
      const want = expected[c.spec.docIdx];
      if (c.text.length !== want.length) return true;
      return hashOf(bodyText(c.client.doc)) !== want.hash;
    });
    if (bad.length === 0 || now() > end) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  send({
    type: 'checked',
    ok: bad.length === 0,
    mismatched: bad
      .slice(0, 5)
      .map((c) => ({ idx: c.spec.idx, docIdx: c.spec.docIdx, length: c.text.length, expected: expected[c.spec.docIdx].length })),
    mismatchedCount: bad.length,
  });
}
