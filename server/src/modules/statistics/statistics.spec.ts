import { MARCH_2021, seedStatisticsFixture } from '../../testing/statistics-fixture';
import { startTestApp, type TestApp } from '../../testing/test-app';

describe('statistics: the record in figures, against a data set whose figures are known', () => {
  let t: TestApp;
  let chair: string;
  let resident: string;
  let street: string;
  let strangerId: string;
  beforeAll(async () => {
    t = await startTestApp();
    ({ strangerId } = await seedStatisticsFixture(t.db, t.compoundId));
    chair = (await t.signIn('chair')).accessToken;
    resident = (await t.signIn('resident1')).accessToken;
    street = (await t.signIn('street1')).accessToken;
  });
  afterAll(() => t.close());

  const get = (token: string, query: string, path = 'statistics') =>
    t.api('GET', `/api/compounds/${t.compoundId}/${path}?${query}`, { token });
  const march = `from=${MARCH_2021.from}&to=${MARCH_2021.to}`;

  it('counts one compound in March: meetings by kind, attendance, rounds, demands, whistles, projects', async () => {
    const res = await get(resident, march);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      scope: 'compound',
      compounds: 1,
      from: '2021-03-01',
      to: '2021-03-31',
      meetingsByKind: {
        deliberation: 3,
        discussion: 0,
        topic: 0,
        advice: 0,
        party_branch: 0,
        party_lesson: 2,
        organisational_life: 0,
        assembly: 0,
      },
      attendance: { meetings: 4, num: 12, den: 76 },
      rounds: { closed: 3, passed: 2 },
      demandsByStatus: {
        new: 2,
        handled_in_community: 0,
        to_escalate: 0,
        in_deliberation: 0,
        became_project: 0,
        done: 2,
        declined: 1,
      },
      demandsByChannel: { home_visit: 3, hotline_12345: 0, forum: 0, meeting: 0, online: 2 },
      whistles: { total: 3, inTime: 1, late: 1, unanswered: 1 },
      projects: { done: 2, stopped: 1, active: 1 },
    });
  });

  it('adds up the community for the chair, and never a compound of another community', async () => {
    const res = await get(chair, `${march}&scope=community`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scope: 'community',
      compounds: 2,
      meetingsByKind: { deliberation: 4, party_lesson: 2, assembly: 0, topic: 0 },
      attendance: { meetings: 5, num: 12, den: 76 },
      demandsByChannel: { home_visit: 3, hotline_12345: 1, forum: 0, online: 2 },
    });
    expect(res.body.demandsByStatus.new).toBe(3);
  });

  it('takes a range of one day, both ends included, and April holds what March left out', async () => {
    const first = await get(resident, 'from=2021-03-01&to=2021-03-01');
    expect(first.body.meetingsByKind.party_lesson).toBe(1);
    expect(first.body.demandsByStatus.new).toBe(1);
    const april = await get(resident, 'from=2021-04-01&to=2021-05-31');
    expect(april.body).toMatchObject({
      meetingsByKind: { deliberation: 1 },
      rounds: { closed: 1, passed: 1 },
      projects: { done: 1, stopped: 0, active: 1 },
    });
    expect(april.body.demandsByChannel.online).toBe(1);
  });

  it('exports the same figures as a CSV a spreadsheet reads', async () => {
    const res = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/statistics.csv?${march}`, {
      headers: { authorization: `Bearer ${chair}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('statistics-2021-03-01-2021-03-31.csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    // The BOM spreadsheets need to read UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('类别,项目,数值,分母\r\n')).toBe(true);
    expect(text).toContain('会议,议事协商会,3,\r\n');
    expect(text).toContain('会议,党课,2,\r\n');
    expect(text).toContain('表决,通过轮次 / 已结束轮次,2,3\r\n');
    expect(text).toContain('吹哨,按期答复 / 吹哨总数,1,3\r\n');
    expect(text).toContain('项目,已完成,2,\r\n');
  });

  it('refuses the community figure to anyone but the chair, the compound to outsiders, and a bad range with field messages', async () => {
    expect((await get(resident, `${march}&scope=community`)).status).toBe(403);
    // Street departments see only what was escalated to them, not the compound's figures.
    expect((await get(street, march)).status).toBe(403);
    const outsider = await t.api('GET', `/api/compounds/${strangerId}/statistics?${march}`, { token: chair });
    expect([403, 404]).toContain(outsider.status);
    const backwards = await get(chair, 'from=2021-03-31&to=2021-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['to']);
    const junk = await get(chair, "from=2021-13-01&to=x'; DROP TABLE meeting;--");
    expect(junk.status).toBe(400);
    expect(junk.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['from', 'to']);
    expect((await get(chair, 'from=2001-01-01&to=2021-01-01')).status).toBe(400);
    expect((await t.api('GET', `/api/compounds/${t.compoundId}/statistics?${march}`)).status).toBe(401);
  });
});
