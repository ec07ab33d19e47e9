import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DEMAND_CATEGORIES, DEMAND_CHANNELS, DEMAND_STATUSES, RESOURCE_KINDS, WHISTLE_STATUSES } from '@yishi/shared';
import { dataSourceOptions, MIGRATIONS } from '../../infra/database/data-source-options';
import { migrate } from '../../infra/database/migrate';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The issue-15 migration on a database that already holds data: it keeps existing organisations,
 * admits partner units of any kind, and its constraints refuse rows that make no sense.
 */
describe('the lists migration', () => {
  const name = `yishi_lists_${randomBytes(4).toString('hex')}`;
  let db: DataSource;
  let ids: { compound: string; building: string; gate: string; user: string; street: string; meeting: string };

  /** Runs SQL expecting PostgreSQL to refuse it; returns the constraint or error it named. */
  async function refused(sql: string, params: unknown[] = []): Promise<string> {
    try {
      await db.query(sql, params);
    } catch (e) {
      const err = e as { constraint?: string; code?: string };
      return err.constraint ?? err.code ?? 'refused';
    }
    throw new Error(`accepted: ${sql}`);
  }

  beforeAll(async () => {
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    // First the schema as it was before, with an organisation in it.
    // Later migrations (the project history) are left out: this spec is about the lists migration alone.
    const listsAt = MIGRATIONS.findIndex((m) => m.name === 'Lists1765100000000');
    expect(listsAt).toBeGreaterThan(0);
    const before = MIGRATIONS.slice(0, listsAt);
    db = new DataSource({ ...dataSourceOptions(url.toString(), 2), migrations: before });
    await db.initialize();
    await migrate(db);
    const [community] = await db.query(`INSERT INTO community (name, street) VALUES ('霞光里社区', '某街道') RETURNING id`);
    const [compound] = await db.query(`INSERT INTO compound (community_id, name) VALUES ($1, '35号院') RETURNING id`, [community.id]);
    const [building] = await db.query(`INSERT INTO building (compound_id, name) VALUES ($1, '1号楼') RETURNING id`, [compound.id]);
    const [gate] = await db.query(`INSERT INTO building_gate (building_id, name) VALUES ($1, '1单元') RETURNING id`, [building.id]);
    const [user] = await db.query(`INSERT INTO app_user (username, display_name, password_hash) VALUES ('u', '王阿姨', 'x') RETURNING id`);
    const [street] = await db.query(
      `INSERT INTO organisation (community_id, kind, name) VALUES ($1, 'street_department', '城管科') RETURNING id`,
      [community.id],
    );
    const [meeting] = await db.query(
      `INSERT INTO meeting (compound_id, title, scheduled_at, place, online, status, created_by)
       VALUES ($1, '议事会', now(), '活动室', false, 'scheduled', $2) RETURNING id`,
      [compound.id, user.id],
    );
    await db.destroy();
    db = new DataSource({ ...dataSourceOptions(url.toString(), 2), migrations: MIGRATIONS.slice(0, listsAt + 1) });
    await db.initialize();
    expect(await migrate(db)).toEqual(['Lists1765100000000']);
    ids = { compound: compound.id, building: building.id, gate: gate.id, user: user.id, street: street.id, meeting: meeting.id };
  });

  afterAll(async () => {
    await db?.destroy();
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  const demand = (fields: Record<string, unknown> = {}) => {
    const row = {
      compound_id: ids.compound,
      category: 'environment',
      channel: 'home_visit',
      title: '楼道灯坏了',
      entered_by: ids.user,
      ...fields,
    };
    const cols = Object.keys(row);
    return db.query(
      `INSERT INTO demand (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id, status, seconds`,
      Object.values(row),
    );
  };

  it('keeps the existing organisations and admits partner units that say what they are', async () => {
    expect(await db.query(`SELECT kind, name, partner_type FROM organisation`)).toEqual([
      { kind: 'street_department', name: '城管科', partner_type: null },
    ]);
    const [org] = await db.query(
      `INSERT INTO organisation (community_id, kind, name, partner_type, contact)
       SELECT community_id, 'partner_unit', '社区卫生服务中心', '医疗卫生', '010-1234' FROM compound WHERE id = $1 RETURNING kind`,
      [ids.compound],
    );
    expect(org.kind).toBe('partner_unit');
    expect(
      await refused(
        `INSERT INTO organisation (community_id, kind, name) SELECT community_id, 'partner_unit', '某公司' FROM compound WHERE id = $1`,
        [ids.compound],
      ),
    ).toBe('organisation_partner_type');
    expect(
      await refused(
        `INSERT INTO organisation (community_id, kind, name) SELECT community_id, 'club', '某俱乐部' FROM compound WHERE id = $1`,
        [ids.compound],
      ),
    ).toBe('organisation_kind_check');
  });

  it('records a demand with the defaults and refuses values outside the shared lists', async () => {
    const [d] = await demand({ building_id: ids.building, gate_id: ids.gate });
    expect(d).toMatchObject({ status: 'new', seconds: 0 });
    // Every value of the shared lists is accepted: the CHECK constraints and the lists agree.
    for (const category of DEMAND_CATEGORIES) await demand({ category });
    for (const channel of DEMAND_CHANNELS) await demand({ channel });
    for (const status of DEMAND_STATUSES) await demand({ status, decline_reason: status === 'declined' ? '不属于本院' : null });
    expect(
      await refused(`INSERT INTO demand (compound_id, category, channel, title, entered_by) VALUES ($1, 'weather', 'online', '天气', $2)`, [
        ids.compound,
        ids.user,
      ]),
    ).toBe('demand_category_check');
    await expect(demand({ channel: 'telegram' })).rejects.toMatchObject({ constraint: 'demand_channel_check' });
    await expect(demand({ status: 'closed' })).rejects.toMatchObject({ constraint: 'demand_status_check' });
    await expect(demand({ status: 'declined' })).rejects.toMatchObject({ code: '23514' });
    await expect(demand({ title: '   ' })).rejects.toMatchObject({ code: '23514' });
    await expect(demand({ scope: 'community', building_id: ids.building })).rejects.toMatchObject({ code: '23514' });
    await expect(demand({ gate_id: ids.gate })).rejects.toMatchObject({ code: '23514' });
  });

  it('records an offline entry once, whatever the number of sends', async () => {
    const key = '6f1c3f3e-4a51-4c3e-9d7a-0b6a3d1f2e11';
    await demand({ client_key: key });
    await expect(demand({ client_key: key })).rejects.toMatchObject({ code: '23505' });
  });

  it('keeps one second per person and a history whose moves change the status', async () => {
    const [d] = await demand();
    await db.query(`INSERT INTO demand_second (demand_id, user_id) VALUES ($1, $2)`, [d.id, ids.user]);
    await expect(db.query(`INSERT INTO demand_second (demand_id, user_id) VALUES ($1, $2)`, [d.id, ids.user])).rejects.toMatchObject({
      code: '23505',
    });
    await db.query(`INSERT INTO demand_status_change (demand_id, to_status, changed_by) VALUES ($1, 'new', $2)`, [d.id, ids.user]);
    await expect(
      db.query(`INSERT INTO demand_status_change (demand_id, from_status, to_status, changed_by) VALUES ($1, 'new', 'new', $2)`, [
        d.id,
        ids.user,
      ]),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(db.query(`UPDATE demand SET seconds = -1 WHERE id = $1`, [d.id])).rejects.toMatchObject({ code: '23514' });
  });

  it('finds a demand by a Chinese substring through its grams, with the index', async () => {
    const [d] = await demand({ title: '3号楼北侧雨水管漏水', body: '下雨时一楼门口积水，老人出入不便' });
    const search = (q: string) =>
      db.query(`SELECT id FROM demand WHERE search_grams @> lists_query_grams($1) AND (title || ' ' || body) ILIKE '%' || $1 || '%'`, [q]);
    for (const q of ['漏水', '积水', '雨水管漏', '老', '3号楼']) expect(await search(q)).toEqual([{ id: d.id }]);
    expect(await search('漏雨')).toEqual([]);
    await db.query('SET enable_seqscan = off');
    const plan: Array<{ 'QUERY PLAN': string }> = await db.query(
      `EXPLAIN SELECT id FROM demand WHERE search_grams @> lists_query_grams('漏水')`,
    );
    await db.query('RESET enable_seqscan');
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('demand_search');
  });

  it('holds resources to their kind: funds in fen, people with accounts', async () => {
    for (const kind of RESOURCE_KINDS) {
      await db.query(
        `INSERT INTO resource (compound_id, kind, name, amount_fen, availability, created_by) VALUES ($1, $2, $3, $4, 'share', $5)`,
        [ids.compound, kind, `资源 ${kind}`, kind === 'fund' ? 2_000_000 : null, ids.user],
      );
    }
    const insert = (kind: string, amount: number | null, availability = 'provide', userId: string | null = null) =>
      db.query(
        `INSERT INTO resource (compound_id, kind, name, amount_fen, availability, user_id, created_by) VALUES ($1, $2, '某', $3, $4, $5, $6)`,
        [ids.compound, kind, amount, availability, userId, ids.user],
      );
    await expect(insert('fund', null)).rejects.toMatchObject({ code: '23514' });
    await expect(insert('fund', -1)).rejects.toMatchObject({ code: '23514' });
    await expect(insert('venue', 100)).rejects.toMatchObject({ code: '23514' });
    await expect(insert('venue', null, 'sell')).rejects.toMatchObject({ constraint: 'resource_availability_check' });
    await expect(insert('team', null, 'share', ids.user)).rejects.toMatchObject({ code: '23514' });
  });

  it('ends projects only with a reason when stopped, and takes one satisfaction answer per person', async () => {
    const project = (status: string, reason: string | null, ended: boolean) =>
      db.query(
        `INSERT INTO project (compound_id, title, status, stop_reason, created_by, ended_at) VALUES ($1, '加装电梯', $2, $3, $4, $5) RETURNING id`,
        [ids.compound, status, reason, ids.user, ended ? new Date() : null],
      );
    const [p] = await project('active', null, false);
    await project('done', null, true);
    await project('stopped', '资金未落实', true);
    await expect(project('stopped', null, true)).rejects.toMatchObject({ code: '23514' });
    await expect(project('done', null, false)).rejects.toMatchObject({ code: '23514' });
    await expect(project('paused', null, true)).rejects.toMatchObject({ constraint: 'project_status_check' });
    await db.query(`INSERT INTO project_meeting (project_id, meeting_id) VALUES ($1, $2)`, [p.id, ids.meeting]);
    await db.query(`INSERT INTO project_acceptance (project_id, user_id, satisfied) VALUES ($1, $2, true)`, [p.id, ids.user]);
    await expect(
      db.query(`INSERT INTO project_acceptance (project_id, user_id, satisfied) VALUES ($1, $2, false)`, [p.id, ids.user]),
    ).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('blows a whistle about exactly one demand or project, and answers only once accepted', async () => {
    const [d] = await demand();
    const whistle = (demandId: string | null, status = 'open') =>
      db.query(
        `INSERT INTO whistle (compound_id, demand_id, question, deadline, status, created_by, resolved_at)
         VALUES ($1, $2, '请城管科处理违建', now() + interval '7 days', $3, $4, $5) RETURNING id`,
        [ids.compound, demandId, status, ids.user, status === 'resolved' ? new Date() : null],
      );
    for (const status of WHISTLE_STATUSES) await whistle(d.id, status);
    await expect(whistle(null)).rejects.toMatchObject({ code: '23514' });
    await expect(whistle(d.id, 'forgotten')).rejects.toMatchObject({ constraint: 'whistle_status_check' });
    const [w] = await whistle(d.id);
    await expect(
      db.query(
        `INSERT INTO whistle_target (whistle_id, organisation_id, answered_at, answered_by, answer) VALUES ($1, $2, now(), $3, '已处理')`,
        [w.id, ids.street, ids.user],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await db.query(`INSERT INTO whistle_target (whistle_id, organisation_id) VALUES ($1, $2)`, [w.id, ids.street]);
    await db.query(
      `UPDATE whistle_target SET accepted_at = now(), accepted_by = $2, answered_at = now(), answered_by = $2, answer = '已拆除' WHERE whistle_id = $1`,
      [w.id, ids.user],
    );
    await db.query(`INSERT INTO whistle_event (whistle_id, organisation_id, kind, actor_id) VALUES ($1, $2, 'answered', $3)`, [
      w.id,
      ids.street,
      ids.user,
    ]);
    await expect(
      db.query(`INSERT INTO whistle_event (whistle_id, kind, actor_id) VALUES ($1, 'ignored', $2)`, [w.id, ids.user]),
    ).rejects.toMatchObject({
      constraint: 'whistle_event_kind_check',
    });
  });

  it('can be undone, leaving the schema as it was', async () => {
    await db.undoLastMigration();
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('demand', 'resource', 'project', 'whistle')`,
    );
    expect(n).toBe(0);
    expect(await db.query(`SELECT kind, name FROM organisation`)).toEqual([{ kind: 'street_department', name: '城管科' }]);
    expect(await migrate(db)).toEqual(['Lists1765100000000']);
  });
});
