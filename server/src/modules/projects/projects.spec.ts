import { seedProjects } from '../../seed/demo-projects';
import { DEMO_DEMANDS, DEMO_DEMAND_STATUSES_WITH_PROJECTS } from '../../seed/demo-demands';
import { DEMO_PROJECT_COUNTS } from '../../seed/demo-projects';
import { bigPng, fetchPhoto, uploadPhoto } from '../../testing/photos';
import { startTestApp, type TestApp } from '../../testing/test-app';

/** 项目清单's life cycle through the real server, with the demand statuses that follow it. */
describe('projects', () => {
  let t: TestApp;
  let chair: string;
  let resident: string;
  let resident2: string;
  let gate: string;
  let outsider: string;
  let otherCompoundId: string;
  let chairId: string;
  let gateId: string;
  const api = (method: string, path: string, token: string, body?: unknown, compoundId = t.compoundId) =>
    t.api(method, `/api/compounds/${compoundId}${path}`, { token, body });

  /** A demand that went through deliberation (the demand list's own routes live elsewhere). */
  const demand = async (title: string, status = 'in_deliberation') => {
    const [d] = await t.db.query(
      `INSERT INTO demand (compound_id, category, channel, title, entered_by, status) VALUES ($1, 'infrastructure', 'home_visit', $2, $3, $4) RETURNING id`,
      [t.compoundId, title, chairId, status],
    );
    return d.id as string;
  };
  const statusOf = async (id: string) => (await t.db.query(`SELECT status FROM demand WHERE id = $1`, [id]))[0].status;
  const historyOf = async (id: string) =>
    (await t.db.query(`SELECT from_status, to_status, changed_by FROM demand_status_change WHERE demand_id = $1 ORDER BY id`, [id])).map(
      (r: { from_status: string; to_status: string; changed_by: string }) => `${r.from_status}→${r.to_status}:${r.changed_by === chairId}`,
    );

  beforeAll(async () => {
    t = await startTestApp();
    await seedProjects(t.db);
    const tokens = await Promise.all(['chair', 'resident1', 'resident2', 'gate1'].map(async (l) => (await t.signIn(l)).accessToken));
    [chair, resident, resident2, gate] = tokens as [string, string, string, string];
    [{ id: chairId }] = await t.db.query(`SELECT id FROM app_user WHERE username = 'chair'`);
    [{ id: gateId }] = await t.db.query(`SELECT id FROM app_user WHERE username = 'gate1'`);
    const [community] = await t.db.query(`INSERT INTO community (name, street) VALUES ('别的社区', '别的街道') RETURNING id`);
    const [compound] = await t.db.query(`INSERT INTO compound (community_id, name, address) VALUES ($1, '别的院', '别处') RETURNING id`, [
      community.id,
    ]);
    otherCompoundId = compound.id;
    const [u] = await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'otherres', '别院居民', password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
    );
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role) VALUES ($1, $2, 'chair')`, [u.id, otherCompoundId]);
    outsider = (await t.signIn('otherres')).accessToken;
  }, 120_000);
  afterAll(() => t.close());

  it('counts the seeded projects as the seed story does: 9 projects, 6 done', async () => {
    const counts = await api('GET', '/project-counts', resident);
    expect(counts.status).toBe(200);
    expect(counts.body).toEqual(DEMO_PROJECT_COUNTS);
    expect(counts.body).toMatchObject({ total: 9, done: 6 });
    const done = await api('GET', '/projects?status=done&limit=100', resident);
    expect(done.body.total).toBe(6);
    const list = await api('GET', '/projects?limit=3', resident);
    expect(list.body.items.map((p: { status: string }) => p.status).slice(0, 2)).toEqual(['active', 'active']);
    expect((await api('GET', '/project-counts', outsider, undefined, otherCompoundId)).body).toEqual({
      total: 0,
      active: 0,
      done: 0,
      stopped: 0,
    });
    expect((await api('GET', '/project-counts', outsider)).status).toBe(404);
  });

  it('grows the seeded projects from the ledger’s own demands, each move in their history', async () => {
    // No demand of its own: the ledger's 36, their statuses carried on by the projects.
    const demands = await api('GET', '/demands/counts', resident);
    expect(demands.body.total).toBe(DEMO_DEMANDS.length);
    expect(Object.fromEntries(demands.body.byStatus.map((c: { key: string; count: number }) => [c.key, c.count]))).toEqual(
      Object.fromEntries(Object.entries(DEMO_DEMAND_STATUSES_WITH_PROJECTS).filter(([, n]) => n > 0)),
    );
    const titles = DEMO_DEMANDS.map((d) => d.title);
    const links: Array<{ title: string; status: string }> = await t.db.query(
      `SELECT d.title, p.status FROM project_demand pd JOIN demand d ON d.id = pd.demand_id JOIN project p ON p.id = pd.project_id`,
    );
    expect(links).toHaveLength(9);
    expect(links.every((l) => titles.includes(l.title))).toBe(true);
    // A finished project's demand: raised, deliberated, became the project, done, in that order.
    const [lamp] = await t.db.query(`SELECT id FROM demand WHERE title = '1号楼楼道灯不亮'`);
    const detail = await api('GET', `/demands/${lamp.id}`, resident);
    expect(detail.body.history.map((h: { to: string }) => h.to)).toEqual(['new', 'in_deliberation', 'became_project', 'done']);
    expect(detail.body.projects).toEqual([expect.objectContaining({ title: '楼道照明改造' })]);
    const times = detail.body.history.map((h: { changedAt: string }) => Date.parse(h.changedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('carries a project from two demands through milestones and progress to done, with residents’ acceptance', async () => {
    const d1 = await demand('2号楼下水道堵塞');
    const d2 = await demand('2号楼化粪池反味');
    const [room] = await t.db.query(`SELECT id FROM resource WHERE name = '活动室'`);
    const created = await api('POST', '/projects', chair, {
      title: '2号楼排水改造',
      summary: '疏通并更换2号楼排水管。',
      demandIds: [d1, d2],
      ownerId: gateId,
      resources: [{ resourceId: room.id, note: '开协调会' }],
      milestones: [{ title: '管道检测', dueOn: '2026-12-20' }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ status: 'active', ownerName: '李组长', demandCount: 2, milestonesTotal: 1 });
    expect(created.body.demands.map((d: { status: string }) => d.status)).toEqual(['became_project', 'became_project']);
    expect(await historyOf(d1)).toEqual(['in_deliberation→became_project:true']);

    // Each demand shows the project that answered it.
    const links = await api('GET', `/demand-projects?demandIds=${d1},${d2}`, resident);
    expect(links.body).toEqual([
      { demandId: d1, projects: [{ id, title: '2号楼排水改造', status: 'active' }] },
      { demandId: d2, projects: [{ id, title: '2号楼排水改造', status: 'active' }] },
    ]);

    // The owner (a gate leader) reports; another resident may not.
    const ms = await api('POST', `/projects/${id}/milestones`, gate, { title: '更换主管', dueOn: '2027-01-10' });
    expect(ms.status).toBe(201);
    expect((await api('POST', `/projects/${id}/updates`, resident, { note: '我也想写' })).status).toBe(403);
    const progress = await api('POST', `/projects/${id}/updates`, gate, { note: '管道检测完成，主管锈蚀严重。' });
    expect(progress.body.updates).toEqual([expect.objectContaining({ note: '管道检测完成，主管锈蚀严重。', authorName: '李组长' })]);
    for (const m of progress.body.milestones) {
      const r = await api('POST', `/projects/${id}/milestones/${m.id}/done`, gate);
      expect(r.status).toBe(200);
    }
    const again = await api('POST', `/projects/${id}/milestones/${progress.body.milestones[0].id}/done`, gate);
    expect(again.status).toBe(409);

    // Not done yet: no acceptance.
    expect((await api('POST', `/projects/${id}/acceptance`, resident, { satisfied: true })).body.error.code).toBe('PROJECT_NOT_DONE');
    // Only the chair ends a project.
    expect((await api('POST', `/projects/${id}/end`, gate, { to: 'done' })).status).toBe(403);
    const done = await api('POST', `/projects/${id}/end`, chair, { to: 'done' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', milestonesDone: 2, milestonesTotal: 2 });
    expect(done.body.endedAt).not.toBeNull();
    expect([await statusOf(d1), await statusOf(d2)]).toEqual(['done', 'done']);
    expect(await historyOf(d2)).toEqual(['in_deliberation→became_project:true', 'became_project→done:true']);

    // The satisfaction check: one answer per resident.
    const yes = await api('POST', `/projects/${id}/acceptance`, resident, { satisfied: true, comment: '再也不反味了' });
    expect(yes.status).toBe(201);
    expect(yes.body.myAcceptance).toEqual({ satisfied: true, comment: '再也不反味了' });
    const twice = await api('POST', `/projects/${id}/acceptance`, resident, { satisfied: false });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ALREADY_ACCEPTED');
    await api('POST', `/projects/${id}/acceptance`, resident2, { satisfied: false });
    expect((await api('POST', `/projects/${id}/acceptance`, chair, { satisfied: true })).status).toBe(403);
    const seen = await api('GET', `/projects/${id}`, resident2);
    expect(seen.body.acceptance).toEqual({ satisfied: 1, unsatisfied: 1 });
    expect(seen.body.myAcceptance).toEqual({ satisfied: false, comment: '' });
    expect(seen.body.acceptanceComments).toEqual(['再也不反味了']);

    // Every change in the history, with who and when.
    expect(seen.body.history.map((e: { kind: string; actorName: string }) => `${e.kind}:${e.actorName}`)).toEqual([
      'created:张主任（居委会）',
      'milestone_added:李组长',
      'progress:李组长',
      'milestone_done:李组长',
      'milestone_done:李组长',
      'done:张主任（居委会）',
    ]);
    expect(seen.body.history.every((e: { at: string }) => !Number.isNaN(Date.parse(e.at)))).toBe(true);

    // Done is final.
    const reopen = await api('POST', `/projects/${id}/end`, chair, { to: 'stopped', reason: '重来' });
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe('PROJECT_ENDED');
    expect((await api('POST', `/projects/${id}/updates`, gate, { note: '补一句' })).body.error.code).toBe('PROJECT_ENDED');
    expect((await api('PATCH', `/projects/${id}`, chair, { title: '改名' })).body.error.code).toBe('PROJECT_ENDED');
  });

  it('keeps progress photos as demand photos are: by the owner or the chair, downscaled, once each, for members only', async () => {
    const created = await api('POST', '/projects', chair, {
      title: '3号楼屋面防水',
      demandIds: [await demand('3号楼顶层漏雨')],
      ownerId: gateId,
    });
    const id = created.body.id as string;
    const note = await api('POST', `/projects/${id}/updates`, gate, { note: '防水卷材已铺一半' });
    const updateId = note.body.updates[0].id as string;
    const path = `/api/compounds/${t.compoundId}/projects/${id}/updates/${updateId}/photos`;
    const png = await bigPng();
    const up = await uploadPhoto<{ updates: Array<{ photoIds: string[] }> }>(t, path, gate, png);
    expect(up.status).toBe(200);
    expect(up.body.updates[0]!.photoIds).toHaveLength(1);
    // The same photo again is kept once; not a photo, someone else's project, or a note of another project: refused.
    expect((await uploadPhoto<any>(t, path, chair, png)).body.updates[0].photoIds).toHaveLength(1);
    expect((await uploadPhoto(t, path, gate, Buffer.from('not a photo'))).status).toBe(400);
    expect((await uploadPhoto(t, path, resident, png)).status).toBe(403);
    expect((await uploadPhoto(t, path, outsider, png)).status).toBe(404);
    const other = await api('POST', '/projects', chair, { title: '别的项目', demandIds: [await demand('别的需求')] });
    expect((await uploadPhoto(t, path.replace(id, other.body.id), chair, png)).status).toBe(404);

    const photoPath = `/api/compounds/${t.compoundId}/projects/${id}/photos/${up.body.updates[0]!.photoIds[0]}`;
    expect(await fetchPhoto(t, photoPath, resident2)).toEqual({ status: 200, contentType: 'image/jpeg', longestEdge: 1600 });
    expect((await fetchPhoto(t, photoPath, outsider)).status).toBe(404);
    expect((await fetchPhoto(t, photoPath.replace(id, other.body.id), resident2)).status).toBe(404);

    // An ended project takes no more photos.
    await api('POST', `/projects/${id}/end`, chair, { to: 'done' });
    expect((await uploadPhoto(t, path, chair, png)).body.error.code).toBe('PROJECT_ENDED');
  });

  it('stops a project only with a reason and returns its demand to deliberation', async () => {
    const d = await demand('院内增设快递柜');
    const created = await api('POST', '/projects', chair, { title: '快递柜', demandIds: [d] });
    const id = created.body.id as string;
    const noReason = await api('POST', `/projects/${id}/end`, chair, { to: 'stopped' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields).toEqual([expect.objectContaining({ path: 'reason' })]);
    expect(await statusOf(d)).toBe('became_project');
    const stopped = await api('POST', `/projects/${id}/end`, chair, { to: 'stopped', reason: '场地不足，另行协商。' });
    expect(stopped.body).toMatchObject({ status: 'stopped', stopReason: '场地不足，另行协商。' });
    expect(await statusOf(d)).toBe('in_deliberation');
    expect(stopped.body.history.at(-1)).toMatchObject({ kind: 'stopped', note: '场地不足，另行协商。' });
    expect((await api('POST', `/projects/${id}/end`, chair, { to: 'done' })).body.error.code).toBe('PROJECT_ENDED');
  });

  it('refuses a project from demands not yet deliberated, from another compound, or with bad fields, and writes nothing', async () => {
    const fresh = await demand('新提的需求', 'new');
    const declined = await t.db.query(
      `INSERT INTO demand (compound_id, category, channel, title, entered_by, status, decline_reason) VALUES ($1, 'other', 'online', '已驳回', $2, 'declined', '不属实') RETURNING id`,
      [t.compoundId, chairId],
    );
    const [theirs] = await t.db.query(
      `INSERT INTO demand (compound_id, category, channel, title, entered_by, status) SELECT $1, 'other', 'online', '别院的', id, 'in_deliberation' FROM app_user WHERE username = 'otherres' RETURNING id`,
      [otherCompoundId],
    );
    const before = await t.db.query(`SELECT count(*)::int AS n FROM project`);
    for (const demandId of [fresh, declined[0].id, theirs.id]) {
      const r = await api('POST', '/projects', chair, { title: '不该建成', demandIds: [demandId] });
      expect(r.status).toBe(400);
      expect(r.body.error.fields[0].path).toBe('demandIds.0');
    }
    const bad = await api('POST', '/projects', chair, { title: '', demandIds: [], milestones: [{ title: '开工', dueOn: '明天' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['title', 'demandIds', 'milestones.0.dueOn']),
    );
    const ok = await demand('可以立项的');
    const notAdopted = await t.db.query(`SELECT id FROM proposal WHERE compound_id = $1 LIMIT 1`, [t.compoundId]);
    const proposal = await api('POST', '/projects', chair, { title: 'x', demandIds: [ok], adoptedProposalId: notAdopted[0].id });
    expect(proposal.body.error.fields[0].path).toBe('adoptedProposalId');
    expect(await statusOf(ok)).toBe('in_deliberation');
    expect(await t.db.query(`SELECT count(*)::int AS n FROM project`)).toEqual(before);
    expect((await api('POST', '/projects', resident, { title: 'x', demandIds: [ok] })).status).toBe(403);
  });

  it('shows another compound nothing of this one’s projects', async () => {
    const [p] = await t.db.query(`SELECT id FROM project WHERE compound_id = $1 LIMIT 1`, [t.compoundId]);
    expect((await api('GET', `/projects/${p.id}`, outsider, undefined, otherCompoundId)).status).toBe(404);
    expect((await api('POST', `/projects/${p.id}/end`, outsider, { to: 'done' }, otherCompoundId)).status).toBe(404);
    expect((await api('GET', '/projects', outsider, undefined, otherCompoundId)).body.total).toBe(0);
  });
});
