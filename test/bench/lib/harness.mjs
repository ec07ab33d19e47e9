// Plain-JS helpers for the benchmarks: a fresh database, the built server as its own process
// (both from test/support/built-server.cjs, which the end-to-end tests use too), HTTP calls,
// /proc readings, and a fixed-resolution latency histogram.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freshDatabase as namedDatabase } from '../../support/built-server.cjs';

export const require = createRequire(import.meta.url);
const { Client } = require('pg');

export const DEMO_PASSWORD = 'yishi2026';

/** Milliseconds since `base` (a process.hrtime.bigint() value, as a string, shared by all processes). */
export function clock(base) {
  const b = BigInt(base);
  return () => Number(process.hrtime.bigint() - b) / 1e6;
}

/** A fresh database `yishi_bench_*` on the local PostgreSQL; drop() removes it. */
export const freshDatabase = () => namedDatabase('yishi_bench');

export async function api(baseUrl, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return parsed;
}

export async function signIn(baseUrl, login, password = DEMO_PASSWORD) {
  return (await api(baseUrl, 'POST', '/api/auth/sign-in', { body: { login, password } })).accessToken;
}

/**
 * Inserts `n` residents of the compound into the database (password as the chair's, one
 * household each round robin, as server/src/testing/test-app.ts does) and returns their logins.
 */
export async function createResidents(databaseUrl, compoundId, n) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const prefix = `bench_${randomBytes(3).toString('hex')}_`;
    await c.query('BEGIN');
    const { rows: users } = await c.query(
      `INSERT INTO app_user (username, display_name, password_hash)
       SELECT $1 || g, '压测居民' || g, (SELECT password_hash FROM app_user WHERE username = 'chair')
       FROM generate_series(0, $2 - 1) g RETURNING id, username`,
      [prefix, n],
    );
    await c.query(
      `WITH u AS (SELECT id, row_number() OVER (ORDER BY username) - 1 AS k FROM app_user WHERE username LIKE $1 || '%'),
            h AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM household WHERE compound_id = $2)
       INSERT INTO membership (user_id, compound_id, role, household_id)
       SELECT u.id, $2, 'resident', h.id FROM u JOIN h ON h.k = u.k % h.n`,
      [prefix, compoundId],
    );
    await c.query('COMMIT');
    return users.map((u) => u.username);
  } finally {
    await c.end();
  }
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

// ----- /proc -----

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  /* 100 on every Linux we run on */
}

/** CPU seconds (user + system, all threads) a process has used, or NaN if it is gone. */
export function procCpuS(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is f[0]; utime and stime are fields 14 and 15 of the whole line.
    return (Number(f[11]) + Number(f[12])) / clkTck;
  } catch {
    return NaN;
  }
}

/** CPU seconds of each thread of a process, summed by thread name (main thread: "main"). */
export function procThreadsCpuS(pid) {
  const out = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = tid === String(pid) ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        out[name] = (out[name] ?? 0) + procCpuS(`${pid}/task/${tid}`);
      } catch {
        /* thread ended meanwhile */
      }
    }
  } catch {
    /* process gone */
  }
  return out;
}

export function threadsDelta(before, after) {
  const out = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d >= 0.005) out[k] = Math.round(d * 100) / 100;
  }
  return out;
}

/**
 * A process's peak RSS per phase: `mark(name)` ends the phase `name` with the peak since the
 * previous mark (VmHWM), then resets the peak to the current RSS (`/proc/<pid>/clear_refs` 5), so
 * each figure is that phase's own (the first one's runs from the process's start). `phases` is
 * { name: { peakMb, endMb } }; `resets` is false when the peak could not be reset (each figure is
 * then the peak so far).
 */
export function phasePeaks(pid) {
  const reset = () => {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  };
  const phases = {};
  const tracker = {
    phases,
    resets: true,
    mark(name) {
      const m = procMemMb(pid);
      phases[name] = { peakMb: Math.round(m.hwm), endMb: Math.round(m.rss) };
      tracker.resets = reset() && tracker.resets;
      return phases[name];
    },
  };
  return tracker;
}

/** VmHWM (peak) and VmRSS of a process, in MB. */
export function procMemMb(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
    return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
  } catch {
    return { hwm: NaN, rss: NaN };
  }
}

/** CPU seconds of the whole machine, all cores, by kind (from /proc/stat). */
export function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const s = (x) => (x ?? 0) / clkTck;
  return { user: s(f[0]) + s(f[1]), system: s(f[2]), irq: s(f[5]), softirq: s(f[6]), steal: s(f[7]), idle: s(f[3]) + s(f[4]) };
}

/** Busy CPU seconds of the whole machine (user, system, interrupts; not steal, not idle). */
export function machineBusyS() {
  const m = machineCpu();
  return m.user + m.system + m.irq + m.softirq;
}

export function machineDelta(a, b) {
  return Object.fromEntries(Object.keys(a).map((k) => [k, Math.round((b[k] - a[k]) * 100) / 100]));
}

/**
 * CPU seconds of the postgres processes that work for `dbName`: its backends and the server's
 * background processes (WAL writer, checkpointer, …), not other databases' backends.
 */
export async function postgresCpu(databaseUrl, dbName) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query('SELECT pid FROM pg_stat_activity WHERE (datname = $1 OR datname IS NULL) AND pid <> pg_backend_pid()', [
      dbName,
    ]);
    return new Map(rows.map((r) => [String(r.pid), procCpuS(r.pid)]).filter(([, v]) => !Number.isNaN(v)));
  } finally {
    await c.end();
  }
}

export function postgresCpuDelta(before, after) {
  let s = 0;
  // A backend that started meanwhile (the pool grows under load) counts whole.
  for (const [pid, v] of after) s += before.has(pid) ? v - before.get(pid) : v;
  return s;
}

// ----- histogram -----

/** Latencies in 0.1 ms buckets up to 30 s (beyond: the last bucket), plus the exact max. */
export class Histogram {
  static RES = 10; // buckets per ms
  static SIZE = 300_000;
  constructor(counts) {
    this.counts = counts ?? new Uint32Array(Histogram.SIZE + 1);
    this.n = 0;
    this.max = 0;
    this.sum = 0;
    if (counts) for (let i = 0; i < counts.length; i++) this.n += counts[i];
  }
  /** Forgets every sample (the warm-up's). */
  clear() {
    this.counts.fill(0);
    this.n = this.max = this.sum = 0;
  }
  add(ms) {
    if (ms < 0) ms = 0;
    const b = Math.min(Histogram.SIZE, Math.floor(ms * Histogram.RES));
    this.counts[b]++;
    this.n++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }
  merge(o) {
    const c = o.counts;
    for (let i = 0; i < c.length; i++) if (c[i]) this.counts[i] += c[i];
    this.n += o.n;
    this.sum += o.sum;
    if (o.max > this.max) this.max = o.max;
  }
  /** The q-quantile, as the upper edge of its bucket (so never under-reported). */
  quantile(q) {
    if (this.n === 0) return null;
    const target = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= target) return Math.min((i + 1) / Histogram.RES, this.max);
    }
    return this.max;
  }
  toJSON() {
    return { counts: this.counts, n: this.n, max: this.max, sum: this.sum };
  }
  static from(j) {
    const h = new Histogram(j.counts instanceof Uint32Array ? j.counts : Uint32Array.from(j.counts));
    h.n = j.n;
    h.max = j.max;
    h.sum = j.sum;
    return h;
  }
}

export const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

/** GET as `token`, timed (added to `hist` when given); anything but 200 throws. */
export async function timedGet(url, token, hist) {
  const s = process.hrtime.bigint();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json();
  const ms = Number(process.hrtime.bigint() - s) / 1e6;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  hist?.add(ms);
  return { body, ms };
}
