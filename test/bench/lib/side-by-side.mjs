// The result of `yjs-bench --against hocuspocus`: the interleaved runs of both servers pooled
// per server, and Yishi's figures as a ratio of Hocuspocus's (below 1: Yishi is faster/leaner).
import { Histogram, round } from './harness.mjs';

const PERCENTILES = { p50: 0.5, p95: 0.95, p99: 0.99 };

/** Latency figures of a histogram, as runFigures gives them. */
function figures(h) {
  const out = Object.fromEntries(Object.entries(PERCENTILES).map(([k, q]) => [k, round(h.quantile(q))]));
  return { ...out, max: round(h.max), mean: round(h.n ? h.sum / h.n : null) };
}

const sum = (xs) => xs.reduce((s, x) => s + x, 0);
const mean = (xs) => round(sum(xs) / xs.length, 2);

/** One server's runs: latencies pooled over all of them (every sample counts once), costs per run. */
function pooled(runs) {
  const lat = new Histogram();
  const ack = new Histogram();
  for (const r of runs) {
    lat.merge(r.lat);
    ack.merge(r.ack);
  }
  const results = runs.map((r) => r.result);
  const field = (k) => results.map((x) => x[k]);
  return {
    runs: results.length,
    latencyMs: figures(lat),
    ackMs: figures(ack),
    serverCpuS: mean(field('serverCpuS')),
    serverCpuSRuns: field('serverCpuS'),
    // The server's CPU over all runs ÷ edits typed and ÷ deliveries (each edit reaching one other client).
    serverCpuUsPerEdit: round((1e6 * sum(field('serverCpuS'))) / sum(field('updatesTyped')), 1),
    serverCpuUsPerDelivery: round((1e6 * sum(field('serverCpuS'))) / sum(field('deliveries')), 2),
    serverPeakRssMb: Math.max(...field('serverPeakRssMb')),
    postgresCpuS: mean(field('postgresCpuS')),
    // Fewer than the other server's: the client workers could not keep the rate (see their loop delay).
    updatesTyped: field('updatesTyped').reduce((s, x) => s + x, 0),
    deliveries: field('deliveries').reduce((s, x) => s + x, 0),
    expectedDeliveries: field('expectedDeliveries').reduce((s, x) => s + x, 0),
    disconnects: field('disconnects').reduce((s, x) => s + x, 0),
    converged: results.every((x) => x.converged),
    otherCpuSRuns: field('otherCpuS'),
    loadAvg1BeforeRuns: field('loadAvg1Before'),
    workersLoopDelayP99MsRuns: results.map((x) => Math.max(...x.workersLoopDelayMs.map((w) => w.p99))),
  };
}

const ratio = (a, b) => (a === null || b === null || b === 0 ? null : round(a / b, 2));

/** Server `a`'s latency ÷ server `b`'s, per percentile and for the maximum. */
const latencyRatios = (a, b) => Object.fromEntries(['p50', 'p95', 'p99', 'max'].map((k) => [k, ratio(a.latencyMs[k], b.latencyMs[k])]));

/**
 * The side-by-side result. `runs` are { kind, result, lat, ack } in the order they ran; `load`
 * the run's parameters.
 */
export function sideBySide(runs, load) {
  const yishi = pooled(runs.filter((r) => r.kind === 'yishi'));
  const hocuspocus = pooled(runs.filter((r) => r.kind === 'hocuspocus'));
  const relayRuns = runs.filter((r) => r.kind === 'socketio-relay');
  const relay = relayRuns.length ? pooled(relayRuns) : undefined;
  return {
    ...load,
    against: relay ? 'hocuspocus,socketio-relay' : 'hocuspocus',
    order: runs.map((r) => r.kind),
    yishi,
    hocuspocus,
    ...(relay && {
      socketIORelay: relay,
      // The relay ÷ Hocuspocus: how far the transport alone is from the other server.
      relayRatio: {
        ...latencyRatios(relay, hocuspocus),
        serverCpuPerDelivery: ratio(relay.serverCpuUsPerDelivery, hocuspocus.serverCpuUsPerDelivery),
      },
    }),
    // Yishi ÷ Hocuspocus: latency per percentile, then server CPU (per run and per delivery) and peak RSS.
    ratio: {
      ...latencyRatios(yishi, hocuspocus),
      serverCpu: ratio(yishi.serverCpuS, hocuspocus.serverCpuS),
      serverCpuPerDelivery: ratio(yishi.serverCpuUsPerDelivery, hocuspocus.serverCpuUsPerDelivery),
      peakRss: ratio(yishi.serverPeakRssMb, hocuspocus.serverPeakRssMb),
    },
    converged: yishi.converged && hocuspocus.converged && (relay?.converged ?? true),
    notes: [
      'latency: typed → applied at every other client of the document, both servers with the same client workers, documents, writers, rate and edit tokens; percentiles pooled over the repeats',
      'Yishi acknowledges an update after it is committed to PostgreSQL; Hocuspocus (3.4.4, stock, no extensions) persists nothing before it answers (its SyncStatus comes as soon as the update is applied in memory)',
      'ackMs: typed → the server says it has the update (Yishi: the ack after commit; Hocuspocus: its SyncStatus)',
      'Hocuspocus documents are held open by a direct connection in its own process (nothing stored: an unloaded document would be lost)',
      ...(relay
        ? [
            "socketIORelay: Yishi's protocol and clients over the same Socket.IO, to a relay that applies each update in memory on its main thread, sends it on at once and answers at once (no checks, no worker, no database): the floor of the transport",
          ]
        : []),
    ],
    runs: runs.map((r) => ({ kind: r.kind, ...r.result })),
  };
}
