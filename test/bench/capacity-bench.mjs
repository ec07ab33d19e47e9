#!/usr/bin/env node
// One node driven to saturation, for docs/capacity.md: co-editing at rising edit rates (200
// clients over 10 proposals, the thin harness) until an edit no longer reaches everyone within the
// target or is not acknowledged, then ballots at the votes bench's defaults (which offer more
// than a node takes), then the memory a connected client costs. Each part is the benchmark of its
// own (yjs-bench, votes-bench, memory-bench) run as a child process; this script only steps the
// load and reads their last lines.
//
//   npm run bench:capacity -- [--rates 250,500,750,1000,1500] [--seconds 15] [--p99-ms 250] [--skip-votes] [--skip-memory]
//
// The LAST stdout line is one JSON object: { editSteps, sustainedEditsPerS, ballotsPerS, ... }.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions, numberOption } from './lib/options.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const opt = benchOptions(
  {
    rates: { type: 'string', default: '250,500,750,1000,1500' }, // edits per second offered, per step
    clients: { type: 'string', default: '200' },
    docs: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '15' },
    'p99-ms': { type: 'string', default: '250' }, // a step is sustained when latency p99 stays under this
    'skip-votes': { type: 'boolean', default: false },
    'skip-memory': { type: 'boolean', default: false },
  },
  'usage: npm run bench:capacity -- [--rates 250,500,750,1000,1500] [--clients 200] [--docs 10] [--seconds 15] [--p99-ms 250] [--skip-votes] [--skip-memory]',
);
const CLIENTS = Math.floor(numberOption(opt, 'clients', 2));
const DOCS = Math.floor(numberOption(opt, 'docs', 1));
const P99 = numberOption(opt, 'p99-ms', 1);
const rates = opt.rates.split(',').map(Number);
if (rates.some((r) => !(r > 0))) {
  console.error('--rates takes positive numbers, comma-separated');
  process.exit(2);
}

/** Runs one benchmark to its end and returns its last stdout line, parsed (null if it failed). */
function run(script, args) {
  console.log(`> node ${script} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [join(HERE, script), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    console.log(`  failed (exit ${r.status}): ${(r.stderr || last).slice(-400)}`);
    return null;
  }
}

const editSteps = [];
for (const offered of rates) {
  // Every client writes: the offered rate is spread over all of them.
  const perWriter = offered / CLIENTS;
  const r = run('yjs-bench.mjs', [
    '--thin',
    ...['--clients', String(CLIENTS), '--docs', String(DOCS), '--writers', String(CLIENTS)],
    ...['--rate', String(perWriter), '--seconds', opt.seconds, '--join-edits', '0', '--wait-idle', '0'],
  ]);
  if (!r) break;
  const acked = r.updatesAcked / r.runWindowS;
  const step = {
    offeredPerS: offered,
    ackedPerS: Math.round(acked),
    latencyMs: r.latencyMs,
    ackP99Ms: r.ackMs.p99,
    refusals: Object.values(r.ackErrors).reduce((a, b) => a + b, 0),
    converged: r.converged,
    serverCpuMsPerEdit: Math.round((r.serverCpuS * 1e5) / r.updatesAcked) / 100,
    postgresCpuMsPerEdit: Math.round((r.postgresCpuS * 1e5) / r.updatesAcked) / 100,
    deliveriesPerS: Math.round(r.deliveries / r.runWindowS),
    serverPeakRssMb: r.serverPeakRssMb,
    otherCpuS: r.otherCpuS,
  };
  step.sustained = step.converged && step.refusals === 0 && r.latencyMs.p99 <= P99;
  editSteps.push(step);
  console.log(`  ${JSON.stringify(step)}`);
  if (!step.sustained) break;
}
const sustained = editSteps.filter((s) => s.sustained).pop();

let votes = null;
if (!opt['skip-votes']) {
  const r = run('votes-bench.mjs', ['--wait-idle', '0']);
  if (r)
    votes = {
      ballotsPerS: r.ballotsPerSec,
      ackMs: r.ackMs,
      ballotsPerCommit: r.ballots / Math.max(1, r.dbCommits),
      lost: r.lost,
      duplicated: r.duplicated,
      serverPeakRssMb: r.serverPeakRssMb,
    };
}

let memory = null;
if (!opt['skip-memory']) {
  const r = run('memory-bench.mjs', []);
  if (r) memory = { restMb: r.restMb, clients: r.clients, perClientKb: r.perClientKb, peakMb: r.peakMb };
}

console.log(
  JSON.stringify({
    clients: CLIENTS,
    docs: DOCS,
    p99TargetMs: P99,
    editSteps,
    sustainedEditsPerS: sustained?.ackedPerS ?? 0,
    serverCpuMsPerEdit: sustained?.serverCpuMsPerEdit ?? null,
    postgresCpuMsPerEdit: sustained?.postgresCpuMsPerEdit ?? null,
    votes,
    memory,
  }),
);
