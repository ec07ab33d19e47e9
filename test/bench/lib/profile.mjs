// Summarises a V8 .cpuprofile (node --cpu-prof): where the time went, by function and by
// package, self and inclusive, optionally only between two instants. V8 stamps samples with
// CLOCK_MONOTONIC microseconds, the clock process.hrtime reads, so a window measured with
// process.hrtime.bigint() / 1000n in another process lines up.
import { readFileSync } from 'node:fs';

const IDLE = new Set(['(idle)', '(root)']);

/** The package (or part of the program) a frame belongs to. */
export function category(cf) {
  const url = cf.url ?? '';
  const fn = cf.functionName;
  if (!url) {
    if (fn === '(garbage collector)') return 'GC';
    if (fn === '(program)') return '(program: VM, native, not attributed)';
    if (fn.startsWith('(')) return fn;
    return `native: ${fn || '(anonymous)'}`;
  }
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/');
    return `node:${parts.slice(0, parts[0] === 'internal' ? 2 : 1).join('/')}`;
  }
  const m = /\/(server|shared|client)\/(?:dist|src)\/(.*)$/.exec(url);
  if (m) return m[1] === 'shared' ? '@yishi/shared' : `${m[1]}: ${m[2].replace(/\.js$/, '')}`;
  if (url.startsWith('evalmachine') || url.startsWith('[worker eval]')) return 'worker eval';
  return url;
}

function frameKey(cf) {
  const url = cf.url
    ? cf.url
        .replace(/^file:\/\//, '')
        .replace(/^.*node_modules\//, '')
        .replace(/^.*\/(server|shared)\/dist\//, '$1/')
    : '';
  return `${cf.functionName || '(anonymous)'} ${url ? `${url}:${cf.lineNumber + 1}` : ''}`.trim();
}

/**
 * @param file a .cpuprofile
 * @param window optional { fromUs, toUs } in CLOCK_MONOTONIC microseconds
 */
export function summarize(file, { fromUs = -Infinity, toUs = Infinity, top = 25 } = {}) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map();
  const selfCat = new Map();
  const incl = new Map();
  const inclCat = new Map();
  let busy = 0;
  let idle = 0;
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);

  let t = prof.startTime;
  const n = prof.samples.length;
  for (let i = 0; i < n; i++) {
    t += prof.timeDeltas[i];
    // A sample stands for the time until the next one.
    const dt = i + 1 < n ? prof.timeDeltas[i + 1] : 0;
    if (t < fromUs || t > toUs || dt <= 0) continue;
    const leaf = nodes.get(prof.samples[i]);
    if (IDLE.has(leaf.callFrame.functionName)) {
      idle += dt;
      continue;
    }
    busy += dt;
    add(self, frameKey(leaf.callFrame), dt);
    add(selfCat, category(leaf.callFrame), dt);
    const seenF = new Set();
    const seenC = new Set();
    for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
      const cf = nodes.get(id).callFrame;
      if (IDLE.has(cf.functionName)) continue;
      const k = frameKey(cf);
      const c = category(cf);
      if (!seenF.has(k)) {
        seenF.add(k);
        add(incl, k, dt);
      }
      if (!seenC.has(c)) {
        seenC.add(c);
        add(inclCat, c, dt);
      }
    }
  }
  const list = (m, k = top) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: busy ? Math.round((1000 * us) / busy) / 10 : 0 }));
  return {
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    selfByPackage: list(selfCat, 20),
    inclusiveByPackage: list(inclCat, 20),
    selfByFunction: list(self),
    inclusiveByFunction: list(incl),
  };
}

export function formatSummary(s, title = 'profile') {
  const lines = [`${title}: busy ${s.busyMs} ms, idle ${s.idleMs} ms (main thread)`];
  const table = (name, rows) => {
    lines.push(`  ${name}:`);
    for (const r of rows) lines.push(`    ${String(r.pct).padStart(5)} %  ${String(r.ms).padStart(7)} ms  ${r.name}`);
  };
  table('self time by package', s.selfByPackage);
  table('inclusive time by package', s.inclusiveByPackage);
  table('self time by function', s.selfByFunction);
  table('inclusive time by function', s.inclusiveByFunction);
  return lines.join('\n');
}
