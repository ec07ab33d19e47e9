// What votes-bench writes into and reads from the database directly: the electorate, a
// proposal's text, and what is stored against what the clients were told.
import { randomBytes } from 'node:crypto';
import { require } from './harness.mjs';

const { Client } = require('pg');
const Y = require('yjs');

/** An empty body is not frozen: a new proposal's first paragraph, logged as its first update (as the demo seed does). */
export async function writeText(url, docId, words) {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  t.insert(0, words);
  p.insert(0, [t]);
  doc.getXmlFragment('body').insert(0, [p]);
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('INSERT INTO doc_update (doc_id, update) VALUES ($1, $2)', [docId, Buffer.from(Y.encodeStateAsUpdate(doc))]);
  } finally {
    await c.end();
  }
}

/**
 * The electorate, in SQL: H households in bench buildings of the demo compound (2 gates each,
 * `perBuilding` households a building, integer areas in 0.01 m², one owner each), and C
 * residents (the chair's password hash), user u the designated voter of households u, u + C,
 * u + 2C, … Returns the users and their households.
 */
export async function createElectorate(databaseUrl, compoundId, { households: H, voters: C, perBuilding: PER_BUILDING }) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const prefix = `vb_${randomBytes(3).toString('hex')}_`;
    const buildings = Math.ceil(H / PER_BUILDING);
    await c.query('BEGIN');
    const { rows: bs } = await c.query(
      `INSERT INTO building (compound_id, name, sort) SELECT $1, '压测' || b || '号楼', 1000 + b FROM generate_series(1, $2) b RETURNING id, sort`,
      [compoundId, buildings],
    );
    await c.query(
      `INSERT INTO building_gate (building_id, name, sort) SELECT b.id, g || '单元', g FROM unnest($1::uuid[]) AS b(id), generate_series(1, 2) g`,
      [bs.map((b) => b.id)],
    );
    // Household k: building k / PER_BUILDING, gate by half, areas 45.00–144.99 m² (deterministic).
    await c.query(
      `INSERT INTO household (compound_id, building_id, gate_id, unit, area_centi_m2)
       SELECT $1, b.id, g.id, 'u' || k, 4500 + (k * 7919) % 10000
       FROM generate_series(0, $2 - 1) k
       JOIN building b ON b.compound_id = $1 AND b.sort = 1001 + k / $3
       JOIN building_gate g ON g.building_id = b.id AND g.sort = 1 + (k % $3) * 2 / $3`,
      [compoundId, H, PER_BUILDING],
    );
    const { rows: households } = await c.query(
      `SELECT h.id, h.area_centi_m2 AS area FROM household h JOIN building b ON b.id = h.building_id WHERE b.compound_id = $1 AND b.sort > 1000 ORDER BY b.sort, substring(h.unit FROM 2)::int`,
      [compoundId],
    );
    if (households.length !== H) throw new Error(`created ${households.length} households, expected ${H}`);
    // One owner per household, so heads count one each.
    await c.query(
      `WITH o AS (INSERT INTO owner (compound_id, name) SELECT $1, '压测业主' || k FROM generate_series(0, $2 - 1) k RETURNING id),
            on_ AS (SELECT id, row_number() OVER () AS k FROM o),
            hn AS (SELECT id, row_number() OVER () AS k FROM unnest($3::uuid[]) AS h(id))
       INSERT INTO household_owner (household_id, owner_id) SELECT hn.id, on_.id FROM hn JOIN on_ USING (k)`,
      [compoundId, H, households.map((h) => h.id)],
    );
    const { rows: users } = await c.query(
      `INSERT INTO app_user (username, display_name, password_hash)
       SELECT $1 || lpad(g::text, 6, '0'), '压测居民' || g, (SELECT password_hash FROM app_user WHERE username = 'chair')
       FROM generate_series(0, $2 - 1) g RETURNING id, username`,
      [prefix, C],
    );
    users.sort((a, b) => a.username.localeCompare(b.username));
    const voterOf = households.map((_, k) => users[k % C].id);
    await c.query(`UPDATE household h SET voter_user_id = v.u FROM unnest($1::uuid[], $2::uuid[]) AS v(h, u) WHERE h.id = v.h`, [
      households.map((h) => h.id),
      voterOf,
    ]);
    // A resident membership of the compound (through the first of the user's households).
    await c.query(
      `INSERT INTO membership (user_id, compound_id, role, household_id) SELECT u, $1, 'resident', h FROM unnest($2::uuid[], $3::uuid[]) AS t(u, h)`,
      [compoundId, users.map((u) => u.id), users.map((_, i) => households[i].id)],
    );
    await c.query('COMMIT');
    await c.query('ANALYZE');
    return {
      users: users.map((u, i) => ({ ...u, households: households.filter((_, k) => k % C === i).map((h) => h.id) })),
      households,
      buildingIds: bs.map((b) => b.id),
    };
  } finally {
    await c.end();
  }
}

/** Transactions committed and rolled back in the database so far. */
export async function dbStats(databaseUrl, dbName) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query(
      `SELECT xact_commit::bigint AS commits, xact_rollback::bigint AS rollbacks, blks_hit + blks_read AS blocks FROM pg_stat_database WHERE datname = $1`,
      [dbName],
    );
    return { commits: Number(rows[0].commits), rollbacks: Number(rows[0].rollbacks) };
  } finally {
    await c.end();
  }
}

/** What the database holds, against what the clients were told. */
export async function check(databaseUrl, roundId, ackedList) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    // The last acknowledged cast of each household (acks of one household never overlap: a
    // change is sent only after the first ballot was acknowledged).
    const lastOf = new Map();
    const ackedIds = new Set();
    for (const a of [...ackedList].sort((x, y) => x[3] - y[3])) {
      ackedIds.add(a[0]);
      lastOf.set(a[1], { ballotId: a[0], choice: a[2] });
    }
    const { rows: casts } = await c.query(`SELECT ballot_id FROM ballot_cast WHERE round_id = $1`, [roundId]);
    const castIds = new Set(casts.map((r) => r.ballot_id));
    const ackedMissing = [...ackedIds].filter((id) => !castIds.has(id)).length;
    const { rows: ballots } = await c.query(`SELECT household_id, ballot_id, choice FROM ballot WHERE round_id = $1`, [roundId]);
    const counted = new Map(ballots.map((b) => [b.household_id, b]));
    let notLast = 0;
    for (const [h, want] of lastOf) if (counted.get(h)?.ballot_id !== want.ballotId) notLast++;
    const { rows: entries } = await c.query(
      `SELECT count(*)::int AS n, count(DISTINCT (body::jsonb)->>'ballot')::int AS distinct_ballots FROM audit_entry WHERE round_id = $1 AND kind IN ('ballot.cast', 'ballot.changed')`,
      [roundId],
    );
    const { rows: batches } = await c.query(
      `SELECT count(*)::int AS n, max(k)::int AS max, percentile_disc(0.5) WITHIN GROUP (ORDER BY k)::int AS p50
       FROM (SELECT cast_at, count(*) AS k FROM ballot_cast WHERE round_id = $1 GROUP BY cast_at) x`,
      [roundId],
    );
    const auditEntries = entries[0].n;
    const extraAudit = auditEntries - ackedIds.size;
    const ballotRowsOff = Math.abs(ballots.length - lastOf.size);
    return {
      acknowledgedDistinct: ackedIds.size,
      ballotCastRows: casts.length,
      auditBallotEntries: auditEntries,
      auditDistinctBallots: entries[0].distinct_ballots,
      ballotRows: ballots.length,
      householdsVoted: lastOf.size,
      ackedMissing,
      countedNotLastAcked: notLast,
      lost: ackedMissing + notLast,
      // Entries beyond the acknowledged ballots (a negative difference is missing entries, which
      // verify and ackedMissing catch), and ballot rows that are not one per household voted.
      duplicated: Math.max(0, extraAudit) + ballotRowsOff + (auditEntries - entries[0].distinct_ballots),
      batches: batches[0],
      lastOf,
    };
  } finally {
    await c.end();
  }
}

/** For/against/abstain households and area from the last acknowledged choice of each household. */
export function expectedTally(lastOf, areaOf) {
  const t = {
    for: { households: 0, areaCentiM2: 0 },
    against: { households: 0, areaCentiM2: 0 },
    abstain: { households: 0, areaCentiM2: 0 },
  };
  for (const [h, { choice }] of lastOf) {
    t[choice].households++;
    t[choice].areaCentiM2 += areaOf.get(h);
  }
  return t;
}
