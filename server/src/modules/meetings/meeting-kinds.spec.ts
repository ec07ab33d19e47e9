import { writeDoc } from '../../testing/docs';
import { startTestApp, type TestApp } from '../../testing/test-app';

describe('meeting kinds and scope (issue 16)', () => {
  let t: TestApp;
  let chair: string;
  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
  });
  afterAll(() => t.close());

  const api = (method: string, path: string, token: string, body?: unknown, compoundId = t.compoundId) =>
    t.api(method, `/api/compounds/${compoundId}${path}`, { token, body });
  const schedule = (body: Record<string, unknown>) =>
    api('POST', '/meetings', chair, { title: '会议', scheduledAt: '2026-12-20T10:00:00+08:00', ...body });

  /** A user holding `role` in another compound, signed in. */
  const memberOf = async (compoundId: string, login: string, role = 'observer'): Promise<string> => {
    const [u] = await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT $1, $1, password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
      [login],
    );
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role) VALUES ($1, $2, $3)`, [u.id, compoundId, role]);
    return (await t.signIn(login)).accessToken;
  };
  const compoundIn = async (communityId: string, name: string): Promise<string> =>
    (await t.db.query(`INSERT INTO compound (community_id, name, address) VALUES ($1, $2, $2) RETURNING id`, [communityId, name]))[0].id;

  it('stores the kind, deliberation by default, and the list shows it', async () => {
    const lesson = await schedule({ title: '党课：民法典与业主自治', kind: 'party_lesson' });
    expect(lesson.status).toBe(201);
    expect(lesson.body).toMatchObject({ kind: 'party_lesson', scope: 'compound' });
    expect((await schedule({ title: '议事会' })).body.kind).toBe('deliberation');
    expect((await schedule({ kind: 'tea_party' })).status).toBe(400);
    const list = await api('GET', '/meetings', chair);
    expect(list.body.map((m: { kind: string }) => m.kind).sort()).toEqual(['deliberation', 'party_lesson']);
  });

  it('refuses to open a vote round in a party lesson, and opens it in a deliberation meeting', async () => {
    const lesson = await schedule({ title: '党课', kind: 'party_lesson' });
    const deliberation = await schedule({ title: '议事协商会', kind: 'deliberation' });
    const p = await api('POST', '/proposals', chair, { title: '楼道照明改造', kind: 'renovation' });
    await writeDoc(t.baseUrl, chair, p.body.id, { lines: [] });
    expect((await api('POST', `/proposals/${p.body.id}/revisions`, chair)).status).toBe(201);
    const open = (meetingId: string) =>
      api('POST', `/proposals/${p.body.id}/rounds`, chair, { revisionNumber: 1, question: '同意吗？', rule: 'simple_majority', meetingId });
    const refused = await open(lesson.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'MEETING_HOLDS_NO_VOTES',
      fields: [{ path: 'meetingId', message: 'A party lesson holds no votes' }],
    });
    expect((await api('GET', `/proposals/${p.body.id}/rounds`, chair)).body).toEqual([]);
    expect((await open(deliberation.body.id)).status).toBe(201);
  });

  it('lets a community meeting take up an item of a neighbouring compound, shown to its members with only their items', async () => {
    const [{ community_id: ours }] = await t.db.query(`SELECT community_id FROM compound WHERE id = $1`, [t.compoundId]);
    const [{ id: theirs }] = await t.db.query(`INSERT INTO community (name, street) VALUES ('三里屯社区', '三里屯街道') RETURNING id`);
    const neighbourId = await compoundIn(ours, '霞光里36号院');
    const strangerId = await compoundIn(theirs, '三里屯1号院');
    const neighbour = await memberOf(neighbourId, 'n36');
    const stranger = await memberOf(strangerId, 's1');

    // Within its scope only: a compound meeting takes up no other compound's item, a community meeting none of another community.
    const item = (compoundId: string | null, title: string) => ({ title, compoundId });
    const narrow = await schedule({ scope: 'compound', agenda: [item(neighbourId, '36号院停车')] });
    expect(narrow.status).toBe(400);
    expect(narrow.body.error.fields[0].path).toBe('agenda.0.compoundId');
    const far = await schedule({ scope: 'community', agenda: [item(null, '35号院加装电梯'), item(strangerId, '三里屯停车')] });
    expect(far.body.error.fields[0].path).toBe('agenda.1.compoundId');

    const shared = await schedule({
      title: '社区议事协商会',
      scope: 'community',
      agenda: [item(null, '35号院加装电梯'), item(neighbourId, '36号院停车治理')],
    });
    expect(shared.status).toBe(201);
    expect(shared.body.agenda.map((a: { title: string }) => a.title)).toEqual(['35号院加装电梯', '36号院停车治理']);

    const seen = await api('GET', '/meetings', neighbour, undefined, neighbourId);
    expect(seen.status).toBe(200);
    expect(seen.body).toHaveLength(1);
    expect(seen.body[0]).toMatchObject({ title: '社区议事协商会', scope: 'community', compoundId: t.compoundId });
    expect(seen.body[0].agenda.map((a: { title: string }) => a.title)).toEqual(['36号院停车治理']);
    const one = await api('GET', `/meetings/${shared.body.id}`, neighbour, undefined, neighbourId);
    expect(one.body.agenda.map((a: { title: string }) => a.title)).toEqual(['36号院停车治理']);

    // Attacks: the stranger asks through their own compound, and through the host's.
    expect((await api('GET', '/meetings', stranger, undefined, strangerId)).body).toEqual([]);
    expect((await api('GET', `/meetings/${shared.body.id}`, stranger, undefined, strangerId)).status).toBe(404);
    expect([403, 404]).toContain((await api('GET', `/meetings/${shared.body.id}`, stranger)).status);
    // The neighbour's member cannot reach the host's own items through the host compound either.
    expect([403, 404]).toContain((await api('GET', `/meetings/${shared.body.id}`, neighbour)).status);

    // A proposal answers an item of its own compound: the neighbour's chair links the neighbour's item, the host's chair cannot.
    const [own, aboutNeighbour] = shared.body.agenda.map((a: { id: string }) => a.id);
    const neighbourChair = await memberOf(neighbourId, 'c36', 'chair');
    const propose = (token: string, compoundId: string, agendaItemIds: string[]) =>
      api('POST', '/proposals', token, { title: '停车治理方案', kind: 'other', agendaItemIds }, compoundId);
    expect((await propose(neighbourChair, neighbourId, [aboutNeighbour])).status).toBe(201);
    expect((await propose(neighbourChair, neighbourId, [own])).status).toBe(400);
    expect((await propose(chair, t.compoundId, [aboutNeighbour])).status).toBe(400);
    expect((await propose(chair, t.compoundId, [own])).status).toBe(201);
  });
});
