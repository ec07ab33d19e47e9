import { seedProjects } from '../../seed/demo-projects';
import { startTestApp, type TestApp } from '../../testing/test-app';

/** 资源清单 and 责任田 through the real server: the chair keeps them, members read them, other compounds see nothing. */
describe('resources', () => {
  let t: TestApp;
  let chair: string;
  let resident: string;
  let property: string;
  let outsider: string;
  let otherCompoundId: string;
  let partnerId: string;
  const api = (method: string, path: string, token: string, body?: unknown, compoundId = t.compoundId) =>
    t.api(method, `/api/compounds/${compoundId}${path}`, { token, body });

  beforeAll(async () => {
    t = await startTestApp();
    await seedProjects(t.db);
    const tokens = await Promise.all(['chair', 'resident1', 'property'].map(async (l) => (await t.signIn(l)).accessToken));
    [chair, resident, property] = tokens as [string, string, string];
    // A chair of another compound of another community.
    const [community] = await t.db.query(`INSERT INTO community (name, street) VALUES ('别的社区', '别的街道') RETURNING id`);
    const [compound] = await t.db.query(`INSERT INTO compound (community_id, name, address) VALUES ($1, '别的院', '别处') RETURNING id`, [
      community.id,
    ]);
    otherCompoundId = compound.id;
    const [u] = await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'otherchair', '别院主任', password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
    );
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role) VALUES ($1, $2, 'chair')`, [u.id, otherCompoundId]);
    outsider = (await t.signIn('otherchair')).accessToken;
    [{ id: partnerId }] = await t.db.query(`SELECT id FROM organisation WHERE name = '麦子店社区卫生服务中心'`);
  }, 120_000);
  afterAll(() => t.close());

  it('lists the seed story’s ledger to a resident, filtered and paged, with the funds’ total in fen', async () => {
    const all = await api('GET', '/resources?limit=100', resident);
    expect(all.status).toBe(200);
    const names = all.body.items.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(['活动室', '绿化志愿服务队', '每月健康义诊', '党组织服务群众经费']));
    expect(all.body.total).toBe(12);
    // Whether each can be provided, borrowed or shared, and who to contact.
    const lent = await api('GET', '/resources?availability=borrow', resident);
    expect(lent.body.items.map((r: { name: string; contact: string }) => [r.name, r.contact])).toEqual([
      ['轮椅借用', '居委会 张主任 13800000001'],
    ]);
    const shared = await api('GET', '/resources?availability=share', resident);
    expect(shared.body.items.map((r: { name: string }) => r.name).sort()).toEqual(['中心庭院', '活动室', '霞光科技有限公司食堂'].sort());
    expect(shared.body.items.every((r: { availability: string }) => r.availability === 'share')).toBe(true);

    const funds = await api('GET', '/resources?kind=fund', resident);
    expect(funds.body.items.map((r: { amountFen: number }) => r.amountFen).sort()).toEqual([2_000_000, 5_000_000]);
    expect(funds.body.fundTotalFen).toBe(7_000_000);

    const partner = await api('GET', '/resources?origin=partner', resident);
    expect(partner.body.items.every((r: { organisationName: string | null }) => r.organisationName)).toBe(true);
    expect(partner.body.items.map((r: { name: string }) => r.name)).toContain('每月健康义诊');

    const page = await api('GET', '/resources?limit=4&offset=4', resident);
    expect(page.body.items).toHaveLength(4);
    expect(page.body.items[0].name).toBe(all.body.items[4].name);

    const found = await api('GET', `/resources?q=${encodeURIComponent('义诊')}`, resident);
    // Names, notes and partner units are searched: the courtyard's notes mention 义诊 too.
    expect(found.body.items.map((r: { name: string }) => r.name).sort()).toEqual(['中心庭院', '每月健康义诊'].sort());

    const team = all.body.items.find((r: { name: string }) => r.name === '绿化志愿服务队');
    expect(team.zones).toEqual(['中心花坛']);
  });

  it('lets the chair add, change and archive a resource, with field errors for bad input', async () => {
    const bad = await api('POST', '/resources', chair, { kind: 'fund', name: ' ', availability: 'lend' });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'availability']));

    const noAmount = await api('POST', '/resources', chair, { kind: 'fund', name: '维修基金', availability: 'provide' });
    expect(noAmount.status).toBe(400);
    expect(noAmount.body.error.fields).toEqual([expect.objectContaining({ path: 'amountFen' })]);

    const created = await api('POST', '/resources', chair, {
      kind: 'fund',
      name: '社区公益金',
      amountFen: 1_234_567,
      source: '街道社区公益金',
      availability: 'provide',
      organisationId: partnerId,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ amountFen: 1_234_567, organisationName: '麦子店社区卫生服务中心', archived: false });

    const changed = await api('PUT', `/resources/${created.body.id}`, chair, {
      kind: 'fund',
      name: '社区公益金（2026）',
      amountFen: 1_000_000,
      availability: 'share',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: '社区公益金（2026）', amountFen: 1_000_000, organisationId: null });

    const archived = await api('POST', `/resources/${created.body.id}/archive`, chair);
    expect(archived.body.archived).toBe(true);
    const list = await api('GET', '/resources?kind=fund', resident);
    expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(created.body.id);
    const archivedList = await api('GET', '/resources?archived=true', chair);
    expect(archivedList.body.items.map((r: { id: string }) => r.id)).toContain(created.body.id);
  });

  it('refuses residents and the property company who try to change the list, and writes nothing', async () => {
    const before = await t.db.query(`SELECT count(*)::int AS n FROM resource`);
    for (const token of [resident, property]) {
      const r = await api('POST', '/resources', token, { kind: 'venue', name: '车棚', availability: 'share' });
      expect(r.status).toBe(403);
    }
    expect(await t.db.query(`SELECT count(*)::int AS n FROM resource`)).toEqual(before);
  });

  it('keeps compounds apart: another compound sees nothing of this one and cannot use its partner units', async () => {
    const theirs = await api('GET', '/resources', outsider, undefined, otherCompoundId);
    expect(theirs.status).toBe(200);
    expect(theirs.body.total).toBe(0);
    // Not a member here: the compound is not even found.
    const ours = await api('GET', '/resources', outsider);
    expect(ours.status).toBe(404);
    const [room] = await t.db.query(`SELECT id FROM resource WHERE name = '活动室'`);
    expect((await api('GET', `/resources/${room.id}`, outsider, undefined, otherCompoundId)).status).toBe(404);
    expect(
      (await api('PUT', `/resources/${room.id}`, outsider, { kind: 'venue', name: 'x', availability: 'share' }, otherCompoundId)).status,
    ).toBe(404);
    const borrowed = await api(
      'POST',
      '/resources',
      outsider,
      { kind: 'service', name: '义诊', availability: 'share', organisationId: partnerId },
      otherCompoundId,
    );
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.error.fields[0].path).toBe('organisationId');
  });

  it('divides spaces among teams: one team per space, and only teams look after zones', async () => {
    const zones = await api('GET', '/zones', resident);
    expect(zones.body.map((z: { spaceName: string; teamName: string }) => `${z.spaceName}:${z.teamName}`)).toContain(
      '中心花坛:绿化志愿服务队',
    );
    const [patrol] = await t.db.query(`SELECT id FROM resource WHERE name = '平安巡逻队'`);
    const [room] = await t.db.query(`SELECT id FROM resource WHERE name = '活动室'`);

    const taken = await api('POST', '/zones', chair, { spaceName: '中心花坛', teamResourceId: patrol.id });
    expect(taken.status).toBe(400);
    expect(taken.body.error.fields[0].path).toBe('spaceName');
    const notTeam = await api('POST', '/zones', chair, { spaceName: '西侧车棚', teamResourceId: room.id });
    expect(notTeam.body.error.fields[0].path).toBe('teamResourceId');

    const added = await api('POST', '/zones', chair, { spaceName: '西侧车棚', teamResourceId: patrol.id, notes: '夜间巡查' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ spaceName: '西侧车棚', teamName: '平安巡逻队' });
    const team = await api('GET', `/resources/${patrol.id}`, resident);
    expect(team.body.zones).toEqual(['北门至3号楼通道', '西侧车棚']);

    const asVenue = await api('PUT', `/resources/${patrol.id}`, chair, { kind: 'venue', name: '平安巡逻队', availability: 'provide' });
    expect(asVenue.status).toBe(400);

    expect((await api('DELETE', `/zones/${added.body.id}`, resident)).status).toBe(403);
    expect((await api('DELETE', `/zones/${added.body.id}`, chair)).status).toBe(204);
    expect((await api('GET', '/zones', resident)).body.map((z: { spaceName: string }) => z.spaceName)).not.toContain('西侧车棚');
  });
});
