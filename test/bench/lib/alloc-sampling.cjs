// Loaded into the server with `node --require` by votes-bench --alloc-prof: where the main
// thread allocates. V8's sampling heap profiler, told to keep the samples of objects the young
// and old collections freed, so it counts every allocation (about one sample per 32 kB), not only
// what is still alive. The first SIGUSR2 starts it, the second stops it and writes, to
// ALLOC_PROF_FILE (JSON), the bytes allocated by function (self) and by package.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload (node --require) */
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');

const file = process.env.ALLOC_PROF_FILE;
const session = new Session();
session.connect();
let sampling = false;

/** "pg", "socket.io", "server: modules/votes/ballot-batcher", "node:internal/streams", … */
function packageOf(url) {
  if (!url) return '(native or V8)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') && rest[0] !== '@yishi' ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/server/dist/');
  if (dist >= 0) return `server: ${url.slice(dist + '/server/dist/'.length).replace(/\.js$/, '')}`;
  const shared = url.indexOf('/shared/dist/');
  if (shared >= 0) return '@yishi/shared';
  return url;
}

function summarise(profile) {
  const byFunction = new Map();
  const byPackage = new Map();
  let total = 0;
  const walk = (node) => {
    const f = node.callFrame;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const where = f.url ? `${f.url.replace(/^.*\/(node_modules|dist)\//, '')}:${f.lineNumber + 1}` : '';
      const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
      const pkg = packageOf(f.url);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c);
  };
  walk(profile.head);
  const top = (m, n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, bytes]) => ({ name, mb: Math.round(bytes / 1e4) / 100, share: Math.round((1000 * bytes) / total) / 10 }));
  return { totalMb: Math.round(total / 1e4) / 100, byPackage: top(byPackage, 25), byFunction: top(byFunction, 40) };
}

process.on('SIGUSR2', () => {
  if (!sampling) {
    sampling = true;
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 32768,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return;
  }
  sampling = false;
  session.post('HeapProfiler.stopSampling', (err, res) => {
    if (file) writeFileSync(file, JSON.stringify(err ? { error: String(err) } : summarise(res.profile)));
  });
});
