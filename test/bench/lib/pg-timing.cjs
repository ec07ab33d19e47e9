// Loaded into the server with `node --require` by votes-bench --pg-timing: a poor man's
// pg_stat_statements from the client side. Times every query the server sends through `pg`
// (call → result, so it includes the round trip and the server's event-loop delay in reading
// the answer), grouped by statement, and every transaction from BEGIN to the end of COMMIT,
// grouped by the first statement after BEGIN that writes. Each SIGUSR2 writes what was timed
// since the one before to PG_TIMING_FILE (JSON) and starts again, so two signals frame a window.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload (node --require) */
const { writeFileSync } = require('node:fs');
const { Client } = require('pg');

const file = process.env.PG_TIMING_FILE;
const stats = new Map();
const txs = new Map();
const open = new WeakMap();
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
let from = 0;

const add = (map, key, ms) => {
  let s = map.get(key);
  if (!s) map.set(key, (s = { n: 0, totalMs: 0, maxMs: 0, all: [] }));
  s.n++;
  s.totalMs += ms;
  s.maxMs = Math.max(s.maxMs, ms);
  if (s.all.length < 20000) s.all.push(ms);
};

const orig = Client.prototype.query;
Client.prototype.query = function (config) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text !== 'string') return orig.apply(this, arguments);
  const t0 = nowMs();
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 110);
  const upper = key.toUpperCase();
  if (upper.startsWith('START TRANSACTION') || upper.startsWith('BEGIN')) open.set(this, { t0, kind: null });
  const tx = open.get(this);
  if (tx && !tx.kind && /^(INSERT|UPDATE|DELETE)/.test(upper)) tx.kind = key.slice(0, 60);
  const done = () => {
    const t1 = nowMs();
    if (t0 < from) return;
    add(stats, key, t1 - t0);
    if (tx && (upper === 'COMMIT' || upper === 'ROLLBACK')) {
      add(txs, tx.kind ?? '(read only)', t1 - tx.t0);
      open.delete(this);
    }
  };
  const args = [...arguments];
  const cbIndex = args.findIndex((a) => typeof a === 'function');
  if (cbIndex >= 0) {
    const cb = args[cbIndex];
    args[cbIndex] = function () {
      done();
      return cb.apply(this, arguments);
    };
    return orig.apply(this, args);
  }
  const r = orig.apply(this, args);
  if (r && typeof r.then === 'function') r.then(done, done);
  return r;
};

const summary = (map) =>
  [...map.entries()]
    .map(([sql, s]) => {
      const sorted = s.all.sort((a, b) => a - b);
      const q = (p) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 10) / 10;
      return {
        sql,
        n: s.n,
        totalMs: Math.round(s.totalMs),
        meanMs: Math.round((s.totalMs / s.n) * 10) / 10,
        p50Ms: q(0.5),
        p99Ms: q(0.99),
        maxMs: Math.round(s.maxMs * 10) / 10,
      };
    })
    .sort((a, b) => b.totalMs - a.totalMs);

process.on('SIGUSR2', () => {
  if (file) writeFileSync(file, JSON.stringify({ queries: summary(stats), transactions: summary(txs) }, null, 1));
  stats.clear();
  txs.clear();
  from = nowMs();
});
