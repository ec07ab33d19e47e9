import type { ListsChangedEvent, WhistleView } from '@yishi/shared';
import { type ClientSocket, connect, waitFor } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { DEMO_PARTNER, seedWhistles } from '../../seed/demo-whistles';

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

describe('whistles (吹哨, 报到)', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  const user: Record<string, string> = {};
  const org: Record<string, string> = {};
  let other: { compoundId: string; orgId: string; token: string };
  const sockets: ClientSocket[] = [];
  const api = (method: string, path: string, who: string, body?: unknown) =>
    t.api<any>(method, `/api/compounds/${t.compoundId}/whistles${path}`, { token: token[who] ?? who, body });

  /** A demand raised by resident1 and seconded by resident2, as the demand list records them. */
  const demand = async (title: string, status = 'new') => {
    const [d] = await t.db.query(
      `INSERT INTO demand (compound_id, category, channel, title, raised_by, entered_by, status, seconds)
       VALUES ($1, 'infrastructure', 'home_visit', $2, $3, $3, $4, 1) RETURNING id`,
      [t.compoundId, title, user.resident1, status],
    );
    await t.db.query(`INSERT INTO demand_second (demand_id, user_id) VALUES ($1, $2)`, [d.id, user.resident2]);
    return d.id as string;
  };
  const blow = async (demandId: string, targets: string[], hours = 48) => {
    const r = await api('POST', '', 'chair', {
      demandId,
      question: '院内雨水管网堵塞，需要街道协调疏通',
      deadline: inHours(hours),
      organisationIds: targets,
    });
    expect(r.status).toBe(201);
    return r.body as WhistleView;
  };
  const ids = (views: WhistleView[]) => views.map((w) => w.id);

  beforeAll(async () => {
    t = await startTestApp();
    for (const login of ['chair', 'street1', 'street2', 'resident1', 'resident2', 'resident3', 'property', 'gate1']) {
      token[login] = (await t.signIn(login)).accessToken;
      [{ id: user[login] }] = await t.db.query(`SELECT id FROM app_user WHERE username = $1`, [login]);
    }
    for (const o of await t.db.query(`SELECT id, kind, name FROM organisation`)) {
      if (o.name.includes('城市管理科')) org.urban = o.id;
      if (o.name.includes('社区建设科')) org.building = o.id;
      if (o.kind === 'party_branch') org.branch = o.id;
    }
    // Another street: its own community, compound and department, with a member who signs in.
    const [c] = await t.db.query(`INSERT INTO community (name, street) VALUES ('团结湖街道水碓子社区', '团结湖街道') RETURNING id`);
    const [k] = await t.db.query(`INSERT INTO compound (community_id, name, address) VALUES ($1, '水碓子东里', '团结湖') RETURNING id`, [
      c.id,
    ]);
    const [o] = await t.db.query(
      `INSERT INTO organisation (community_id, kind, name) VALUES ($1, 'street_department', '团结湖街道城市管理科') RETURNING id`,
      [c.id],
    );
    const [u] = await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'tjh1', '钱科长', password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
    );
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role, organisation_id) VALUES ($1, $2, 'street_department', $3)`, [
      u.id,
      k.id,
      o.id,
    ]);
    await t.db.query(`INSERT INTO organisation_member (organisation_id, user_id) VALUES ($1, $2)`, [o.id, u.id]);
    other = { compoundId: k.id, orgId: o.id, token: (await t.signIn('tjh1')).accessToken };
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('goes blown → accepted → answered → resolved, in order only, every step recorded with who and when', async () => {
    const demandId = await demand('3号楼雨水管堵塞');
    const w = await blow(demandId, [org.urban!, org.building!]);
    expect(w).toMatchObject({ status: 'open', overdue: false, subject: { kind: 'demand', id: demandId, title: '3号楼雨水管堵塞' } });
    expect(w.targets.map((x) => x.organisationId).sort()).toEqual([org.urban, org.building].sort());
    // The demand is now to escalate, the change recorded with who did it.
    const [d] = await t.db.query(`SELECT status FROM demand WHERE id = $1`, [demandId]);
    expect(d.status).toBe('to_escalate');
    const changes = await t.db.query(`SELECT from_status, to_status, changed_by FROM demand_status_change WHERE demand_id = $1`, [
      demandId,
    ]);
    expect(changes).toEqual([{ from_status: 'new', to_status: 'to_escalate', changed_by: user.chair }]);

    // Answering before reporting (报到) is refused, and nothing is written.
    const early = await api('POST', `/${w.id}/answer`, 'street1', { answer: '已安排' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('WHISTLE_STATUS');
    expect((await api('GET', `/${w.id}`, 'chair')).body.targets.every((x: any) => x.answeredAt === null)).toBe(true);

    const queue = await api('GET', '', 'street1');
    expect(ids(queue.body)).toContain(w.id);
    expect(queue.body.find((x: WhistleView) => x.id === w.id).can.accept).toEqual([org.urban]);

    const accepted = await api('POST', `/${w.id}/accept`, 'street1', {});
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect((await api('POST', `/${w.id}/accept`, 'street1', {})).body.error.code).toBe('WHISTLE_STATUS');
    const answered = await api('POST', `/${w.id}/answer`, 'street1', { answer: '城管科已联系排水公司，三日内疏通' });
    expect(answered.body.status).toBe('accepted'); // the other department has not answered yet
    expect((await api('POST', `/${w.id}/answer`, 'street1', { answer: '再答一次' })).status).toBe(409);
    // A department cannot close it while another has not answered.
    expect((await api('POST', `/${w.id}/resolve`, 'street1', {})).body.error.code).toBe('WHISTLE_STATUS');
    // An empty answer is a field error.
    const empty = await api('POST', `/${w.id}/answer`, 'street2', { answer: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields[0].path).toBe('answer');

    await api('POST', `/${w.id}/accept`, 'street2', {});
    const all = await api('POST', `/${w.id}/answer`, 'street2', { answer: '社区建设科同意纳入老旧小区改造计划' });
    expect(all.body.status).toBe('answered');
    const resolved = await api('POST', `/${w.id}/resolve`, 'street2', { note: '已疏通' });
    expect(resolved.body).toMatchObject({ status: 'resolved', overdue: false });
    expect(resolved.body.resolvedAt).not.toBeNull();
    expect((await api('POST', `/${w.id}/accept`, 'street1', {})).body.error.code).toBe('WHISTLE_STATUS');
    expect((await api('POST', `/${w.id}/resolve`, 'chair', {})).body.error.code).toBe('WHISTLE_STATUS');

    const detail = (await api('GET', `/${w.id}`, 'chair')).body as WhistleView;
    expect(detail.history!.map((e) => [e.kind, e.actorName])).toEqual([
      ['raised', '张主任（居委会）'],
      ['accepted', '吴科长（城管科）'],
      ['answered', '吴科长（城管科）'],
      ['accepted', '郑科长（社区建设科）'],
      ['answered', '郑科长（社区建设科）'],
      ['resolved', '郑科长（社区建设科）'],
    ]);
    expect(detail.history![2]!.note).toBe('城管科已联系排水公司，三日内疏通');
    expect(detail.history![2]!.organisationName).toBe('麦子店街道城市管理科');
    const times = detail.history!.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // The chair may reopen it: the departments report again; the earlier answers stay in the history.
    const reopened = await api('POST', `/${w.id}/reopen`, 'chair', { note: '雨后又堵' });
    expect(reopened.body.status).toBe('open');
    expect(reopened.body.targets.every((x: any) => x.acceptedAt === null)).toBe(true);
    expect((await api('POST', `/${w.id}/reopen`, 'chair', {})).body.error.code).toBe('WHISTLE_STATUS');
  });

  it('refuses bad whistles with field errors and a resident blowing one', async () => {
    const demandId = await demand('路灯不亮');
    const bad = async (body: Record<string, unknown>, path: string) => {
      const r = await api('POST', '', 'chair', {
        demandId,
        question: '请修路灯',
        deadline: inHours(24),
        organisationIds: [org.urban],
        ...body,
      });
      expect(r.status).toBe(400);
      expect(r.body.error.fields.map((f: any) => f.path)).toContain(path);
    };
    await bad({ deadline: new Date(Date.now() - HOUR).toISOString() }, 'deadline');
    await bad({ organisationIds: [org.branch] }, 'organisationIds');
    await bad({ organisationIds: [other.orgId] }, 'organisationIds');
    await bad({ organisationIds: [] }, 'organisationIds');
    await bad({ projectId: demandId }, 'demandId');
    expect(
      (await api('POST', '', 'resident1', { demandId, question: '请修', deadline: inHours(24), organisationIds: [org.urban] })).status,
    ).toBe(403);
    expect(await t.db.query(`SELECT 1 FROM whistle WHERE demand_id = $1`, [demandId])).toEqual([]);
    const closed = await demand('已办结的事', 'done');
    expect(
      (await api('POST', '', 'chair', { demandId: closed, question: '请办', deadline: inHours(24), organisationIds: [org.urban] })).status,
    ).toBe(409);
  });

  it('flags to the chair a whistle whose deadline passed without an answer, not one answered in time', async () => {
    const late = await blow(await demand('楼道堆物占用消防通道'), [org.building!]);
    const onTime = await blow(await demand('院门口积水'), [org.urban!]);
    await api('POST', `/${onTime.id}/accept`, 'street1', {});
    await api('POST', `/${onTime.id}/answer`, 'street1', { answer: '已安排抽水' });
    // Both deadlines pass (as time would have it).
    await t.db.query(`UPDATE whistle SET created_at = now() - interval '3 days', deadline = now() - interval '1 day' WHERE id = ANY($1)`, [
      [late.id, onTime.id],
    ]);
    const overdue = (await api('GET', '?overdue=true', 'chair')).body as WhistleView[];
    expect(ids(overdue)).toContain(late.id);
    expect(ids(overdue)).not.toContain(onTime.id);
    expect(overdue.find((w) => w.id === late.id)!.targets[0]!.overdue).toBe(true);
    const all = (await api('GET', '', 'chair')).body as WhistleView[];
    expect(all.find((w) => w.id === onTime.id)!.overdue).toBe(false);
    // Overdue ones come first in the queue.
    expect(all.findIndex((w) => w.id === late.id)).toBeLessThan(all.findIndex((w) => w.id === onTime.id));
  });

  it('shows a department only the whistles blown to it: another department, another street and other members see nothing', async () => {
    const w = await blow(await demand('违建占用绿地'), [org.urban!]);
    // The other department of the same street: not in its list, even when filtering for the target, nor by id.
    expect(ids((await api('GET', '', 'street2')).body)).not.toContain(w.id);
    const filtered = (await api('GET', `?organisationId=${org.urban}`, 'street2')).body as WhistleView[];
    expect(ids(filtered)).not.toContain(w.id);
    // What it does get through that filter are only whistles blown to both departments.
    expect(filtered.every((x) => x.targets.some((tg) => tg.organisationId === org.building))).toBe(true);
    expect((await api('GET', `?demandId=${w.subject.id}`, 'street2')).body).toEqual([]);
    expect((await api('GET', `/${w.id}`, 'street2')).status).toBe(404);
    expect((await api('POST', `/${w.id}/accept`, 'street2', {})).status).toBe(404);
    expect((await api('POST', `/${w.id}/accept`, 'street2', { organisationId: org.urban })).status).toBe(404);
    // The property company and an unrelated resident neither.
    expect(ids((await api('GET', '', 'property')).body)).not.toContain(w.id);
    expect((await api('GET', `/${w.id}`, 'resident3')).status).toBe(404);
    // A department of another street: this compound does not exist for it, and its own compound shows nothing either.
    const here = await api('GET', '', other.token);
    expect(here.status).toBe(404);
    expect(JSON.stringify(here.body)).not.toContain(w.id);
    expect((await api('GET', `/${w.id}`, other.token)).status).toBe(404);
    const theirs = (path: string) => t.api('GET', `/api/compounds/${other.compoundId}/whistles${path}`, { token: other.token });
    expect((await theirs(`/${w.id}`)).status).toBe(404);
    expect((await theirs('')).body).toEqual([]);
    expect((await theirs(`?organisationId=${org.urban}`)).body).toEqual([]);
    const accept = await t.api('POST', `/api/compounds/${other.compoundId}/whistles/${w.id}/accept`, { token: other.token, body: {} });
    expect(accept.status).toBe(404);
    const [row] = await t.db.query(`SELECT accepted_at FROM whistle_target WHERE whistle_id = $1`, [w.id]);
    expect(row.accepted_at).toBeNull();
  });

  it('lets the residents who raised or seconded the demand follow its progress, and nobody else', async () => {
    const w = await blow(await demand('电梯加装'), [org.building!]);
    await api('POST', `/${w.id}/accept`, 'street2', {});
    await api('POST', `/${w.id}/answer`, 'street2', { answer: '已纳入年度加装电梯计划' });
    for (const who of ['resident1', 'resident2']) {
      const seen = (await api('GET', `/${w.id}`, who)).body as WhistleView;
      expect(seen.status).toBe('answered');
      expect(seen.targets[0]).toMatchObject({ name: '麦子店街道社区建设科', answer: '已纳入年度加装电梯计划' });
      expect(seen.can).toEqual({ accept: [], answer: [], resolve: false, reopen: false });
      expect(ids((await api('GET', '', who)).body)).toContain(w.id);
    }
    expect(ids((await api('GET', '', 'resident3')).body)).not.toContain(w.id);
    expect(ids((await api('GET', '', 'gate1')).body)).not.toContain(w.id);
    expect((await api('POST', `/${w.id}/resolve`, 'resident1', {})).status).toBe(403);
  });

  it("blows on an active project's blocker, seen by the residents of the demands it grew from; an ended project is refused", async () => {
    const demandId = await demand('加装电梯资金缺口');
    const [p] = await t.db.query(`INSERT INTO project (compound_id, title, created_by) VALUES ($1, '2号楼加装电梯', $2) RETURNING id`, [
      t.compoundId,
      user.chair,
    ]);
    await t.db.query(`INSERT INTO project_demand (project_id, demand_id) VALUES ($1, $2)`, [p.id, demandId]);
    const r = await api('POST', '', 'chair', {
      projectId: p.id,
      question: '管线迁移需要供电所配合',
      deadline: inHours(72),
      organisationIds: [org.urban],
    });
    expect(r.status).toBe(201);
    expect(r.body.subject).toEqual({ kind: 'project', id: p.id, title: '2号楼加装电梯' });
    expect(ids((await api('GET', `?projectId=${p.id}`, 'resident2')).body)).toEqual([r.body.id]);
    expect((await api('GET', `/${r.body.id}`, 'resident3')).status).toBe(404);
    await t.db.query(`UPDATE project SET status = 'stopped', stop_reason = '资金未落实', ended_at = now() WHERE id = $1`, [p.id]);
    const ended = await api('POST', '', 'chair', {
      projectId: p.id,
      question: '再问一次',
      deadline: inHours(72),
      organisationIds: [org.urban],
    });
    expect(ended.status).toBe(409);
  });

  it("delivers lists:changed live to a target department member's socket, and not to another department", async () => {
    const s1 = await connect(t.baseUrl, token.street1!);
    const s2 = await connect(t.baseUrl, token.street2!);
    const r2 = await connect(t.baseUrl, token.resident2!);
    sockets.push(s1, s2, r2);
    const seenBy2: ListsChangedEvent[] = [];
    s2.on('lists:changed', (e) => seenBy2.push(e));
    const whistleChange = (s: ClientSocket) => waitFor(s, 'lists:changed', (e) => e.kind === 'whistle');

    const demandId = await demand('小区围墙破损');
    const blown = whistleChange(s1);
    const w = await blow(demandId, [org.urban!]);
    expect(await blown).toEqual({ compoundId: t.compoundId, kind: 'whistle', id: w.id });

    // Each step reaches the department and the resident who seconded the demand; what it is, they load.
    const seconderSees = whistleChange(r2);
    const accepted = whistleChange(s1);
    await api('POST', `/${w.id}/accept`, 'street1', {});
    expect((await Promise.all([accepted, seconderSees])).map((e) => e.id)).toEqual([w.id, w.id]);
    expect((await api('GET', `/${w.id}`, 'resident2')).body.status).toBe('accepted');

    // A later whistle to street2's department reaches it; the earlier ones, on the same connection before it, never did.
    const reaches2 = whistleChange(s2);
    const w2 = await blow(await demand('健身器材损坏'), [org.building!]);
    expect((await reaches2).id).toBe(w2.id);
    expect(seenBy2.map((e) => e.id)).toEqual([w2.id]);
  });

  it('seeds the demo ledger: one whistle answered in time, one overdue, and a partner unit whose member sees only its own', async () => {
    await seedWhistles(t.db);
    const all = (await api('GET', '', 'chair')).body as WhistleView[];
    const answered = all.find((w) => w.subject.title.startsWith('3号楼北侧雨水管'))!;
    const overdue = all.find((w) => w.subject.title.startsWith('院内私搭乱建'))!;
    expect(answered).toMatchObject({ status: 'answered', overdue: false });
    expect(overdue).toMatchObject({ status: 'accepted', overdue: true });
    expect(ids((await api('GET', '?overdue=true', 'chair')).body)).toContain(overdue.id);
    const partner = (await t.signIn(DEMO_PARTNER.login)).accessToken;
    const theirs = (await api('GET', '', partner)).body as WhistleView[];
    expect(ids(theirs)).toEqual([overdue.id]);
    expect(theirs[0]!.can.answer).toHaveLength(1);
    // …and nothing of the compound's lists or figures, as a street department: only what was escalated to it.
    for (const path of [
      'demands',
      'demands/counts',
      'resources',
      'zones',
      'projects',
      'project-counts',
      'statistics?from=2026-01-01&to=2026-12-31',
    ]) {
      const res = await t.api('GET', `/api/compounds/${t.compoundId}/${path}`, { token: partner });
      expect(`${path}: ${res.status}`).toBe(`${path}: 403`);
    }
    expect((await t.api('GET', `/api/compounds/${t.compoundId}/demands/${overdue.subject.id}`, { token: partner })).status).toBe(403);
    // It attends and reads the meetings as an observer does.
    expect((await t.api('GET', `/api/compounds/${t.compoundId}/meetings`, { token: partner })).status).toBe(200);
    const history = (await api('GET', `/${answered.id}`, 'chair')).body.history.map((e: any) => e.kind);
    expect(history).toEqual(['raised', 'accepted', 'answered']);
  });
});
