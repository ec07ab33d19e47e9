#!/usr/bin/env node
// The demand list under a big ledger: 100,000 demands in one compound (inserted in SQL), then a
// filtered, sorted page and a Chinese substring search over HTTP, one request at a time, against
// the built server on a fresh database. See docs/benchmarks.md.
//
//   npm run bench:lists -- [--demands 100000] [--requests 400]
//
// The LAST stdout line is one JSON object: { demands, pageMs: {p50, p99}, searchMs: {p50, p99}, ... }.
// Exit code 0 when both targets hold (page ≤ 50 ms p99, search ≤ 100 ms p99), 1 when not, 2 on failure.
import { runHttpBench } from './lib/bench-server.mjs';
import { Histogram, require, round, signIn, timedGet } from './lib/harness.mjs';
import { waitForQuietMachine } from './lib/measure.mjs';
import { benchOptions, numberOption } from './lib/options.mjs';

const { Client } = require('pg');

const opt = benchOptions(
  {
    demands: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '400' }, // of each kind, after a warm-up of a tenth as many
    'wait-idle': { type: 'string', default: '30' },
    'server-main': { type: 'string' },
    'server-log': { type: 'string' },
  },
  'usage: npm run bench:lists -- [--demands 100000] [--requests 400] [--wait-idle 30] [--env KEY=VALUE ...] [--server-main PATH] [--server-log FILE]',
);
const N = Math.floor(numberOption(opt, 'demands', 1));
const R = Math.floor(numberOption(opt, 'requests', 10));
const TARGET = { pageP99: 50, searchP99: 100 };

const t0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

// Words the generated demands are made of, so that searches hit some rows, many rows or none.
const PLACES = [
  '楼道',
  '院门口',
  '自行车棚',
  '屋顶',
  '北侧',
  '东侧',
  '平房',
  '绿地',
  '主路',
  '单元门',
  '地下室',
  '楼顶',
  '健身区',
  '垃圾站',
];
const PROBLEMS = [
  '灯不亮',
  '漏水',
  '下水道堵塞',
  '积水',
  '墙皮脱落',
  '噪音扰民',
  '堆放杂物',
  '停车难',
  '有异味',
  '扶手松动',
  '缺少座椅',
  '门禁损坏',
];
const SEARCHES = [
  '漏水',
  '停车',
  '楼道灯',
  '异味',
  '车棚',
  '脱落',
  '单元门',
  '积水',
  '座椅',
  '平房',
  '噪音',
  '扶手',
  '地下室漏水',
  '电梯',
  '游泳池',
  '助浴',
  '门',
];
const FILTERS = [
  'status=new&sort=newest',
  'status=to_escalate&category=safety&sort=newest',
  'category=parking&sort=most_seconded',
  'channel=hotline_12345&sort=newest',
  'status=done&channel=home_visit&sort=oldest',
  'category=elderly_care&status=in_deliberation&sort=newest',
  'sort=most_seconded',
];

async function insertDemands(url) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const [{ id: compoundId }] = (await c.query(`SELECT id FROM compound WHERE name = '霞光里35号院'`)).rows;
    const [{ id: userId }] = (await c.query(`SELECT id FROM app_user WHERE username = 'gate1'`)).rows;
    await c.query('SELECT setseed(0.15)');
    // Spread over a year; a building for two thirds; every category, channel and status; most
    // with no or few seconds, independently of the rest.
    await c.query(
      `INSERT INTO demand (compound_id, building_id, category, channel, title, body, entered_by, raised_by_name, named_consent, status,
                           decline_reason, seconds, created_at, updated_at)
       SELECT $1, CASE WHEN r.b < 6 THEN (SELECT array_agg(id ORDER BY name) FROM building WHERE compound_id = $1)[r.b + 1] END,
              (ARRAY['environment','infrastructure','safety','parking','elderly_care','greening','property_service','neighbourhood','other'])[1 + r.k % 9],
              (ARRAY['home_visit','hotline_12345','forum','meeting','online'])[1 + r.h % 5],
              ($3::text[])[1 + r.p] || ($4::text[])[1 + r.q],
              '住户反映' || ($3::text[])[1 + r.p2] || ($4::text[])[1 + r.q2] || '，已有' || r.k || '户提到，希望尽快处理。',
              $2, '居民' || r.g, r.g % 3 = 0,
              (ARRAY['new','handled_in_community','to_escalate','in_deliberation','became_project','done','declined'])[1 + r.s],
              CASE WHEN r.s = 6 THEN '不属于本院事务' END, r.sec,
              now() - (r.g * interval '311 seconds'), now()
       FROM (SELECT g, floor(random() * 9)::int AS b, floor(random() * 45)::int AS k, floor(random() * 5)::int AS h,
                    floor(random() * $5)::int AS p, floor(random() * $6)::int AS q, floor(random() * $5)::int AS p2, floor(random() * $6)::int AS q2,
                    floor(random() * 7)::int AS s,
                    floor(random() ^ 3 * 20)::int AS sec
             FROM generate_series(1, $7) g) r`,
      [compoundId, userId, PLACES, PROBLEMS, PLACES.length, PROBLEMS.length, N],
    );
    await c.query('ANALYZE demand');
    const [{ n }] = (await c.query(`SELECT count(*)::int AS n FROM demand WHERE compound_id = $1`, [compoundId])).rows;
    return { compoundId, count: n };
  } finally {
    await c.end();
  }
}

async function timed(url, token, hist) {
  return (await timedGet(url, token, hist)).body.items.length;
}

await runHttpBench(opt, log, async (server, db) => {
  const s = Date.now();
  const { compoundId, count } = await insertDemands(db.url);
  log(`${count} demands in the compound (${((Date.now() - s) / 1000).toFixed(1)} s to insert and analyse)`);
  const token = await signIn(server.url, 'resident1');
  const base = `${server.url}/api/compounds/${compoundId}/demands`;
  const page = (i) => `${base}?${FILTERS[i % FILTERS.length]}&limit=20`;
  const search = (i) => `${base}?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}&limit=20`;

  await waitForQuietMachine(Number(opt['wait-idle']), () => Date.now(), log);
  for (let i = 0; i < Math.ceil(R / 10); i++) {
    await timed(page(i), token);
    await timed(search(i), token);
  }
  const pageH = new Histogram();
  const searchH = new Histogram();
  let found = 0;
  // Interleaved, so that both see the same machine.
  for (let i = 0; i < R; i++) {
    await timed(page(i), token, pageH);
    found += await timed(search(i), token, searchH);
  }
  const q = (h) => ({ p50: round(h.quantile(0.5)), p99: round(h.quantile(0.99)), max: round(h.max) });
  const result = {
    demands: count,
    requests: R,
    pageMs: q(pageH),
    searchMs: q(searchH),
    searchItemsPerPage: round(found / R),
    targets: { pageP99Ms: TARGET.pageP99, searchP99Ms: TARGET.searchP99 },
  };
  const ok = result.pageMs.p99 <= TARGET.pageP99 && result.searchMs.p99 <= TARGET.searchP99;
  log(ok ? 'both targets hold' : 'a target is missed');
  console.log(JSON.stringify(result));
  return ok;
});
