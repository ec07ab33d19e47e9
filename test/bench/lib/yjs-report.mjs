// The yjs-bench's result: the workers' reports merged into one set of figures, and the summaries of
// the CPU profiles (--cpu-prof, --worker-prof) for the measured window.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram, round } from './harness.mjs';
import { formatSummary, summarize } from './profile.mjs';

/** Adds up the workers' reports; `docs` and `clients` give the deliveries to expect (each edit to every other client of its document). */
export function mergeReports(reports, { docs: D, clients: N }) {
  const lat = new Histogram();
  const ack = new Histogram();
  const totals = {
    typed: 0,
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
  const typedByDoc = new Array(D).fill(0);
  for (const r of reports) {
    lat.merge(Histogram.from(r.lat));
    ack.merge(Histogram.from(r.ack));
    for (const k of ['typed', 'typedUnsynced', 'sent', 'acked', 'deliveries', 'received', 'disconnects']) totals[k] += r.counts[k];
    for (const k of ['ackErrors', 'clientErrors', 'exceptions'])
      for (const [code, n] of Object.entries(r.counts[k])) totals[k][code] = (totals[k][code] ?? 0) + n;
    for (const [d, n] of Object.entries(r.counts.typedByDoc)) typedByDoc[d] += n;
  }
  const clientsPerDoc = new Array(D).fill(0);
  for (let i = 0; i < N; i++) clientsPerDoc[i % D]++;
  const expectedDeliveries = typedByDoc.reduce((s, n, d) => s + n * (clientsPerDoc[d] - 1), 0);
  return { lat, ack, totals, expectedDeliveries };
}

/** The figures of the run for the JSON result, from the merged reports and the CPU accounting of the window. */
export function runFigures({ merged, clients: N, windowS, cpu, drainedReplies, hwm, peakRss, serverLines, converged }) {
  const { lat, ack, totals, expectedDeliveries } = merged;
  const { serverCpuS, serverThreads, selfCpuS, machineS, machineKinds, pgCpuS } = cpu;
  return {
    updatesTyped: totals.typed,
    updatesSent: totals.sent,
    updatesAcked: totals.acked,
    ackErrors: totals.ackErrors,
    deliveries: totals.deliveries,
    expectedDeliveries,
    // doc:sync messages the server sent per client per second: its fan-out rate after merging.
    broadcastsPerClientPerS: round(totals.received / N / windowS, 1),
    socketExceptions: totals.exceptions,
    latencyMs: {
      p50: round(lat.quantile(0.5)),
      p95: round(lat.quantile(0.95)),
      p99: round(lat.quantile(0.99)),
      max: round(lat.max),
      mean: round(lat.n ? lat.sum / lat.n : null),
    },
    ackMs: { p50: round(ack.quantile(0.5)), p95: round(ack.quantile(0.95)), p99: round(ack.quantile(0.99)), max: round(ack.max) },
    serverCpuS: round(serverCpuS, 2),
    serverCpuPct: round((100 * serverCpuS) / windowS, 0),
    // The server's CPU (every thread) for each edit typed and each time one reached a client.
    serverCpuUsPerEdit: totals.typed ? round((1e6 * serverCpuS) / totals.typed, 1) : null,
    serverCpuUsPerDelivery: totals.deliveries ? round((1e6 * serverCpuS) / totals.deliveries, 2) : null,
    serverThreadsCpuS: serverThreads,
    serverPeakRssMb: round(Math.max(hwm, peakRss), 0),
    serverRunPeakRssMb: round(peakRss, 0),
    postgresCpuS: round(pgCpuS, 2),
    workersCpuS: drainedReplies.map((r) => round(r.cpuS, 2)),
    // Timer lateness in each worker (5 ms probe): what the harness itself adds to latencies.
    workersLoopDelayMs: drainedReplies.map((r) => ({
      p50: round(r.loopDelayMs.p50),
      p99: round(r.loopDelayMs.p99),
      max: round(r.loopDelayMs.max),
    })),
    harnessParentCpuS: round(selfCpuS, 2),
    // Busy CPU of the whole machine in the window, and what of it none of the above explains
    // (other programs, the kernel's network work outside those processes): should be small.
    machineCpuS: round(machineS, 2),
    machineCpuKindsS: machineKinds,
    otherCpuS: round(machineS - serverCpuS - pgCpuS - drainedReplies.reduce((s, r) => s + r.cpuS, 0) - selfCpuS, 2),
    serverLogLines: serverLines,
    disconnects: totals.disconnects,
    clientErrors: totals.clientErrors,
    typedWhileUnsynced: totals.typedUnsynced,
    converged,
  };
}

/** Prints the summaries of the server's (and the client workers') CPU profiles, limited to the measured window. */
export function summarizeProfiles({ profDir, workerProfDir, fromUs, toUs }) {
  if (profDir) {
    writeFileSync(join(profDir, 'window.json'), JSON.stringify({ fromUs, toUs }));
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread, the others
    // are worker threads (the update validator).
    const thread = (f) => Number(f.split('.')[4]);
    const files = readdirSync(profDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort((a, b) => thread(a) - thread(b));
    for (const f of files) {
      const main = thread(f) === 0;
      const s = summarize(join(profDir, f), {
        fromUs,
        toUs,
        top: main ? 25 : 8,
      });
      console.log(formatSummary(s, `server profile ${main ? '(main thread)' : '(worker thread)'} ${f}, measured window only`));
    }
  }
  if (workerProfDir) {
    writeFileSync(join(workerProfDir, 'window.json'), JSON.stringify({ fromUs, toUs }));
    const f = readdirSync(workerProfDir).find((x) => x.endsWith('.cpuprofile'));
    if (f)
      console.log(
        formatSummary(
          summarize(join(workerProfDir, f), {
            fromUs,
            toUs,
            top: 20,
          }),
          `client worker profile ${f}, measured window only`,
        ),
      );
  }
}
