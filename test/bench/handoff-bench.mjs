#!/usr/bin/env node
// What handing work to another thread costs on this machine: the CPU (all threads) of one round
// trip to a worker thread that sleeps between messages, of one to a worker kept awake, and of
// one 1 ms timer wake-up of an otherwise idle event loop. On a VM each wake-up of a sleeping
// thread can cost tens of µs; the document workers' batching is sized by it (docs/benchmarks.md).
//
//   npm run bench:handoff -- [--trips 20000]
//
// The LAST stdout line is one JSON object with the figures in µs.
import { Worker } from 'node:worker_threads';
import { benchOptions, numberOption } from './lib/options.mjs';

const opt = benchOptions({ trips: { type: 'string', default: '20000' } }, 'usage: npm run bench:handoff -- [--trips 20000]');
const N = Math.floor(numberOption(opt, 'trips', 1));
const cpuUs = (from) => {
  const c = process.cpuUsage(from);
  return c.user + c.system;
};
const echo = `const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m.id));`;
const request = (id) => ({ id, op: 'apply', docId: 'd', update: new Uint8Array(60) });

/** N round trips, the next sent when the answer is read (`gapMs` later when given). */
async function roundTrips(gapMs) {
  const w = new Worker(echo, { eval: true });
  await new Promise((r) => w.once('online', r));
  const n = gapMs ? Math.ceil(N / 10) : N;
  const from = process.cpuUsage();
  const started = performance.now();
  await new Promise((done) => {
    let i = 0;
    const next = () => (++i > n ? done() : w.postMessage(request(i)));
    w.on('message', () => (gapMs ? setTimeout(next, gapMs) : next()));
    next();
  });
  const result = { cpuUs: cpuUs(from) / n, wallUs: ((performance.now() - started) * 1000) / n };
  await w.terminate();
  return result;
}

async function timerWakeUps() {
  const n = Math.ceil(N / 10);
  const from = process.cpuUsage();
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 1));
  return { cpuUs: cpuUs(from) / n };
}

const back = await roundTrips(0);
const spaced = await roundTrips(1);
const timer = await timerWakeUps();
const round = (x) => Math.round(x * 10) / 10;
console.log(`round trip, back to back: ${round(back.cpuUs)} µs CPU, ${round(back.wallUs)} µs wall`);
console.log(
  `round trip 1 ms apart (both threads asleep between): ${round(spaced.cpuUs)} µs CPU, of which a timer wake-up alone ${round(timer.cpuUs)}`,
);
console.log(
  JSON.stringify({
    trips: N,
    roundTripCpuUs: round(back.cpuUs),
    roundTripWallUs: round(back.wallUs),
    spacedRoundTripCpuUs: round(spaced.cpuUs),
    timerWakeCpuUs: round(timer.cpuUs),
  }),
);
