// What votes-bench prints from the server's diagnostic preloads (lib/pg-timing.cjs with
// --pg-timing, lib/alloc-sampling.cjs with --alloc-prof), what it keeps in its result, and
// when in the casting window the slow acknowledgements were sent.
import { readFileSync } from 'node:fs';

/** Prints the timed queries and transactions of the casting window; returns the transactions. */
export function printPgTiming(file) {
  const t = JSON.parse(readFileSync(file, 'utf8'));
  const line = (x) =>
    `  ${String(x.n).padStart(6)} × mean ${String(x.meanMs).padStart(6)} p99 ${String(x.p99Ms).padStart(6)} max ${String(x.maxMs).padStart(6)} total ${String(x.totalMs).padStart(6)} ms  ${x.sql}`;
  console.log(`server's pg queries in the casting window (call → result), by total time (${file}):`);
  for (const x of t.queries.slice(0, 20)) console.log(line(x));
  console.log('transactions (BEGIN → end of COMMIT), by first write:');
  for (const x of t.transactions.slice(0, 8)) console.log(line(x));
  return { file, transactions: t.transactions.map(({ sql, n, meanMs, p99Ms, maxMs }) => ({ sql, n, meanMs, p99Ms, maxMs })) };
}

/** Prints where the main thread allocated in the casting window; returns the total in MB. */
export function printAllocations(file) {
  const a = JSON.parse(readFileSync(file, 'utf8'));
  const line = (x) => `  ${String(x.share).padStart(6)} % ${String(x.mb).padStart(8)} MB  ${x.name}`;
  console.log(`server main thread allocations in the casting window: ${a.totalMb} MB (${file})`);
  console.log('  by package:');
  for (const x of a.byPackage.slice(0, 15)) console.log(line(x));
  console.log('  by function (self):');
  for (const x of a.byFunction.slice(0, 30)) console.log(line(x));
  return a.totalMb;
}

/**
 * Acknowledgement times by when the cast was sent (`acked` rows: [..., ackAt, receipt, sentAt]),
 * in quarter seconds from the first send: where in the window the tail comes from.
 */
export function ackByQuarterSecond(acked, firstSendAt) {
  const buckets = [];
  for (const a of acked) (buckets[Math.floor((a[5] - firstSendAt) / 250)] ??= []).push(a[3] - a[5]);
  return Array.from(buckets, (ms = []) => {
    ms.sort((x, y) => x - y);
    return { n: ms.length, p99: ms.length ? Math.round(ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))]) : null };
  });
}
