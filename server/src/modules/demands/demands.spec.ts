import { type DemandCounts, type DemandDetailView, type DemandPage, type DemandView } from '@yishi/shared';
import { DEMO_DEMANDS, seedDemands } from '../../seed/demo-demands';
import { bigPng, fetchPhoto, uploadPhoto } from '../../testing/photos';
import { startTestApp, type TestApp } from '../../testing/test-app';

describe('the demand list (需求清单)', () => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  let base: string;
  let buildings: Array<{ id: string; name: string }>;
  let outsider: string;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemands(t.db);
    for (const login of ['chair', 'gate1', 'resident1', 'resident2', 'resident3', 'observer', 'street1'])
      tok[login] = (await t.signIn(login)).accessToken;
    base = `/api/compounds/${t.compoundId}/demands`;
    buildings = await t.db.query(`SELECT id, name FROM building WHERE compound_id = $1`, [t.compoundId]);
    // The chair of another compound of the same community.
    const [other] = await t.db.query(
      `INSERT INTO compound (community_id, name) SELECT community_id, '霞光里36号院' FROM compound WHERE id = $1 RETURNING id`,
      [t.compoundId],
    );
    const [u] = await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'chair36', '36号院主任', password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
    );
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role) VALUES ($1, $2, 'chair')`, [u.id, other.id]);
    outsider = (await t.signIn('chair36')).accessToken;
  });
  afterAll(() => t.close());

  const get = <T>(who: string, path = '') => t.api<T>('GET', base + path, { token: tok[who] ?? who });
  const post = <T = DemandDetailView>(who: string, path: string, body: unknown) =>
    t.api<T>('POST', base + path, { token: tok[who] ?? who, body });
  const building = (name: string) => buildings.find((b) => b.name === name)!.id;

  /** Every item of a listing, following the cursors. */
  async function all(who: string, query: string, limit = 7): Promise<DemandView[]> {
    const out: DemandView[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: DemandPage } = await get<DemandPage>(
        who,
        `?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      out.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  }

  describe('over the seeded ledger', () => {
    it('pages through every demand, newest first, each once', async () => {
      const items = await all('resident1', 'sort=newest');
      expect(items.length).toBe(DEMO_DEMANDS.length);
      expect(new Set(items.map((d) => d.id)).size).toBe(DEMO_DEMANDS.length);
      expect(items.map((d) => d.title)).toEqual([...DEMO_DEMANDS].sort((a, b) => a.daysAgo - b.daysAgo).map((d) => d.title));
      const oldest = await all('resident1', 'sort=oldest', 10);
      expect(oldest.map((d) => d.id)).toEqual(items.map((d) => d.id).reverse());
      const seconded = await all('resident1', 'sort=most_seconded', 5);
      expect(seconded.map((d) => d.seconds)).toEqual(DEMO_DEMANDS.map((d) => d.seconds.length).sort((a, b) => b - a));
    });

    it('filters by channel, status, category and building on the server', async () => {
      const hotline = await all('resident1', 'channel=hotline_12345');
      expect(hotline.length).toBe(8);
      expect(hotline.every((d) => d.channel === 'hotline_12345')).toBe(true);
      const escalate = await all('resident1', 'status=to_escalate');
      expect(escalate.map((d) => d.title).sort()).toEqual(
        DEMO_DEMANDS.filter((d) => d.status === 'to_escalate')
          .map((d) => d.title)
          .sort(),
      );
      const b3 = await all('resident1', `buildingId=${building('3号楼')}&category=infrastructure`);
      expect(b3.map((d) => d.title)).toEqual(['3号楼雨水管漏水']);
      expect(b3[0]).toMatchObject({ buildingName: '3号楼', gateName: '1单元' });
    });

    it('finds Chinese substrings in titles and texts, with nothing else', async () => {
      const leaks = await all('resident1', `q=${encodeURIComponent('漏水')}`);
      expect(leaks.map((d) => d.title).sort()).toEqual(['3号楼雨水管漏水', '危旧平房屋顶漏雨']);
      expect((await all('resident1', `q=${encodeURIComponent('助浴')}`)).map((d) => d.title)).toEqual(['老人需要助浴服务']);
      expect(await all('resident1', `q=${encodeURIComponent('游泳池')}`)).toEqual([]);
      // One character, a search mixed with a filter, and LIKE's wildcards taken literally.
      expect((await all('resident1', `q=${encodeURIComponent('梯')}`)).map((d) => d.title)).toEqual(['希望加装电梯']);
      expect((await all('resident1', `q=${encodeURIComponent('老人')}&channel=home_visit`)).every((d) => d.channel === 'home_visit')).toBe(
        true,
      );
      expect(await all('resident1', `q=${encodeURIComponent('%')}`)).toEqual([]);
    });

    it('counts by status, category, channel and building', async () => {
      const res = await get<DemandCounts>('observer', '/counts');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(36);
      // Every group against the ledger's own figures, counted here from its lines (largest first).
      const tally = (key: (d: (typeof DEMO_DEMANDS)[number]) => string | null) => {
        const n = new Map<string | null, number>();
        for (const d of DEMO_DEMANDS) n.set(key(d), (n.get(key(d)) ?? 0) + 1);
        return n;
      };
      const byCategory = new Map(res.body.byCategory.map((c) => [c.key as string | null, c.count]));
      expect(byCategory).toEqual(tally((d) => d.category));
      expect(res.body.byCategory.map((c) => c.count)).toEqual([...byCategory.values()].sort((a, b) => b - a));
      expect(new Map(res.body.byChannel.map((c) => [c.key as string | null, c.count]))).toEqual(tally((d) => d.channel));
      expect(new Map(res.body.byStatus.map((c) => [c.key as string | null, c.count]))).toEqual(tally((d) => d.status));
      expect(new Map(res.body.byBuilding.map((c) => [c.buildingName, c.count]))).toEqual(
        tally((d) => (typeof d.building === 'number' ? `${d.building}号楼` : null)),
      );
      expect(res.body.byChannel).toEqual([
        { key: 'home_visit', count: 14 },
        { key: 'hotline_12345', count: 8 },
        { key: 'forum', count: 5 },
        { key: 'meeting', count: 5 },
        { key: 'online', count: 4 },
      ]);
      expect(res.body.byStatus).toContainEqual({ key: 'new', count: 9 });
      expect(res.body.byStatus).toContainEqual({ key: 'declined', count: 1 });
      expect(res.body.byBuilding).toContainEqual({ buildingId: building('6号楼'), buildingName: '6号楼', count: 3 });
      expect(res.body.byBuilding).toContainEqual({ buildingId: null, buildingName: null, count: 18 });
    });

    it('names people to residents only where they agreed, and always to the chair and gate leaders', async () => {
      const find = async (who: string, title: string) =>
        (await all(who, `q=${encodeURIComponent(title)}`, 50)).find((d) => d.title === title)!;
      expect((await find('resident1', '3号楼雨水管漏水')).raisedByName).toBeNull();
      expect((await find('chair', '3号楼雨水管漏水')).raisedByName).toBe('周阿姨');
      expect((await find('gate1', '3号楼雨水管漏水')).enteredByName).toBe('李组长');
      expect((await find('resident1', '1号楼楼道灯不亮')).raisedByName).toBe('钱奶奶');
      const ownHidden = await find('resident1', '院内路面坑洼');
      expect(ownHidden).toMatchObject({ raisedByName: null, enteredByName: null });
      expect((await find('resident2', '院内路面坑洼')).mine).toBe(true);
      const detail = await get<DemandDetailView>('resident1', `/${ownHidden.id}`);
      expect(detail.body.history[0]).toMatchObject({ from: null, to: 'new', changedByName: null });
      expect(detail.body.history[1]).toMatchObject({ from: 'new', to: 'in_deliberation', changedByName: '张主任（居委会）' });
    });

    it('refuses a cursor it did not make', async () => {
      const res = await get<{ error: { code: string; fields: Array<{ path: string }> } }>('resident1', `?cursor=abc`);
      expect(res.status).toBe(400);
      expect(res.body.error.fields[0]!.path).toBe('cursor');
    });
  });

  it('records a resident’s own demand with its first history entry, and an offline resend once', async () => {
    const clientKey = '0b7c7f0e-7f6d-4a3b-9a55-3c9e8e0c1a01';
    const body = {
      clientKey,
      category: 'environment',
      channel: 'online',
      title: '楼下垃圾站有异味',
      body: '夏天尤其明显',
      buildingId: building('2号楼'),
      namedConsent: true,
    };
    const first = await post('resident1', '', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'new',
      raisedByName: '王大爷',
      mine: true,
      onBehalf: false,
      seconds: 0,
      buildingName: '2号楼',
    });
    expect(first.body.history).toEqual([expect.objectContaining({ from: null, to: 'new', changedByName: '王大爷' })]);
    const again = await post('resident1', '', body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM demand WHERE client_key = $1`, [clientKey]);
    expect(n).toBe(1);
  });

  it('answers bad input with field errors and writes nothing', async () => {
    const before = await t.db.query(`SELECT count(*)::int AS n FROM demand`);
    const bad = async (body: unknown, path: string) => {
      const res = await post<{ error: { code: string; fields: Array<{ path: string }> } }>('resident1', '', body);
      expect({ status: res.status, code: res.body.error.code, paths: res.body.error.fields.map((f) => f.path) }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        paths: expect.arrayContaining([path]),
      });
    };
    await bad({ category: 'environment', channel: 'online', title: '' }, 'title');
    await bad({ category: 'weather', channel: 'online', title: '天气' }, 'category');
    await bad(
      { category: 'environment', channel: 'online', title: '某事', scope: 'community', buildingId: building('1号楼') },
      'buildingId',
    );
    await bad(
      { category: 'environment', channel: 'online', title: '某事', buildingId: '00000000-0000-4000-8000-000000000000' },
      'buildingId',
    );
    expect(await t.db.query(`SELECT count(*)::int AS n FROM demand`)).toEqual(before);
  });

  it('lets a gate leader enter a need for a resident of their gate, unnamed to other residents', async () => {
    const [h] = await t.db.query(
      `SELECT h.id FROM household h JOIN membership m ON m.gate_id = h.gate_id JOIN app_user u ON u.id = m.user_id
       WHERE u.username = 'gate1' AND m.role = 'gate_leader' AND h.id <> m.household_id LIMIT 1`,
    );
    const res = await post('gate1', '', {
      category: 'elderly_care',
      channel: 'home_visit',
      title: '希望有人帮忙代买药',
      onBehalf: { name: '马奶奶', householdId: h.id },
      namedConsent: false,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ onBehalf: true, raisedByName: '马奶奶', enteredByName: '李组长' });
    const seen = await get<DemandDetailView>('resident2', `/${res.body.id}`);
    expect(seen.body).toMatchObject({ raisedByName: null, enteredByName: null, onBehalf: true });
    expect(seen.body.history).toEqual([expect.objectContaining({ from: null, to: 'new', changedByName: null })]);
    expect((await get<DemandDetailView>('chair', `/${res.body.id}`)).body.history[0]!.changedByName).toBe('李组长');
    // Not for a household of another gate; and a resident enters only their own.
    const [far] = await t.db.query(`SELECT h.id FROM household h JOIN building b ON b.id = h.building_id WHERE b.name = '4号楼' LIMIT 1`);
    const outside = await post<{ error: { code: string } }>('gate1', '', {
      category: 'other',
      channel: 'home_visit',
      title: '某事',
      onBehalf: { householdId: far.id },
    });
    expect(outside.body.error.code).toBe('OUTSIDE_YOUR_GATE');
    const forOthers = await post<{ error: { code: string } }>('resident1', '', {
      category: 'other',
      channel: 'home_visit',
      title: '某事',
      onBehalf: { name: '某人' },
    });
    expect(forOthers.status).toBe(403);
  });

  it('takes one second per person, never one’s own, and not from an observer', async () => {
    const d = await post('resident1', '', { category: 'parking', channel: 'online', title: '电动车停放点太少' });
    const second = await post('resident2', `/${d.body.id}/seconds`, { namedConsent: true });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ seconds: 1, secondedByMe: true, secondedByNames: ['赵阿姨'] });
    expect((await post<{ error: { code: string } }>('resident2', `/${d.body.id}/seconds`, {})).body.error.code).toBe('ALREADY_SECONDED');
    expect((await post<{ error: { code: string } }>('resident1', `/${d.body.id}/seconds`, {})).body.error.code).toBe('DEMAND_OWN');
    expect((await post('observer', `/${d.body.id}/seconds`, {})).status).toBe(403);
    await post('resident3', `/${d.body.id}/seconds`, {});
    const seen = await get<DemandDetailView>('resident1', `/${d.body.id}`);
    expect(seen.body).toMatchObject({ seconds: 2, secondedByMe: false, secondedByNames: ['赵阿姨'] });
  });

  it('moves only along the allowed transitions, recording who and when; declining needs a reason', async () => {
    const d = await post('resident3', '', { category: 'safety', channel: 'meeting', title: '消防栓没水' });
    const move = (to: string, extra: object = {}, who = 'chair') =>
      post<DemandDetailView & { error: { code: string; fields: Array<{ path: string }> } }>(who, `/${d.body.id}/status`, { to, ...extra });
    expect((await move('done')).body.error.code).toBe('DEMAND_TRANSITION');
    expect((await move('in_deliberation', {}, 'resident3')).status).toBe(403);
    expect((await move('in_deliberation', { note: '列入下次议事会' })).status).toBe(200);
    expect((await move('became_project')).status).toBe(200);
    const done = await move('done');
    expect(done.body.status).toBe('done');
    expect(done.body.history.map((h) => `${h.from}→${h.to} ${h.changedByName}`)).toEqual([
      'null→new 陈先生',
      'new→in_deliberation 张主任（居委会）',
      'in_deliberation→became_project 张主任（居委会）',
      'became_project→done 张主任（居委会）',
    ]);
    expect(done.body.history[1]!.note).toBe('列入下次议事会');
    expect((await move('new')).body.error.code).toBe('DEMAND_TRANSITION');
    expect((await post<{ error: { code: string } }>('resident1', `/${d.body.id}/seconds`, {})).body.error.code).toBe('DEMAND_CLOSED');

    const e = await post('resident3', '', { category: 'other', channel: 'online', title: '希望院里建游泳池' });
    const noReason = await post<{ error: { fields: Array<{ path: string }> } }>('chair', `/${e.body.id}/status`, { to: 'declined' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields[0]!.path).toBe('reason');
    const declined = await post('chair', `/${e.body.id}/status`, { to: 'declined', reason: '院内没有场地' });
    expect(declined.body).toMatchObject({ status: 'declined', declineReason: '院内没有场地' });
    expect((await get<DemandDetailView>('resident1', `/${e.body.id}`)).body.declineReason).toBe('院内没有场地');
  });

  it('keeps photos downscaled, once each, and serves them to members', async () => {
    const d = await post('resident1', '', { category: 'environment', channel: 'online', title: '绿地里有建筑垃圾' });
    const png = await bigPng();
    const upload = (bytes: Buffer, who = 'resident1') => uploadPhoto<DemandDetailView>(t, `${base}/${d.body.id}/photos`, tok[who], bytes);
    const up = await upload(png);
    expect(up.status).toBe(200);
    expect(up.body.photoIds.length).toBe(1);
    expect((await upload(png)).body.photoIds.length).toBe(1);
    expect((await upload(Buffer.from('not a photo'))).status).toBe(400);
    expect((await upload(png, 'resident2')).status).toBe(403);
    const stored = await fetchPhoto(t, `${base}/${d.body.id}/photos/${up.body.photoIds[0]}`, tok.resident2);
    expect(stored).toEqual({ status: 200, contentType: 'image/jpeg', longestEdge: 1600 });
  });

  it('shows nothing to a member of another compound, nor to a street department', async () => {
    const [any] = await t.db.query(`SELECT id FROM demand LIMIT 1`);
    expect((await t.api('GET', base, { token: outsider })).status).toBe(404);
    expect((await t.api('GET', `${base}/${any.id}`, { token: outsider })).status).toBe(404);
    expect((await t.api('GET', `${base}/counts`, { token: outsider })).status).toBe(404);
    expect((await get('street1')).status).toBe(403);
    // An id of another compound's demand is unknown here.
    const [other] = await t.db.query(`SELECT id FROM compound WHERE name = '霞光里36号院'`);
    const [u] = await t.db.query(`SELECT id FROM app_user WHERE username = 'chair36'`);
    const [foreign] = await t.db.query(
      `INSERT INTO demand (compound_id, category, channel, title, entered_by, raised_by) VALUES ($1, 'other', 'online', '36号院的事', $2, $2) RETURNING id`,
      [other.id, u.id],
    );
    expect((await get('chair', `/${foreign.id}`)).status).toBe(404);
    expect((await post('chair', `/${foreign.id}/status`, { to: 'in_deliberation' })).status).toBe(404);
    expect((await all('chair', `q=${encodeURIComponent('36号院的事')}`)).length).toBe(0);
  });
});
