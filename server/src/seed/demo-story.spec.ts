import type {
  DiffLine,
  EditRightsView,
  MeetingView,
  NoticeSummary,
  NoticeView,
  ObjectionView,
  ProposalView,
  RoundView,
} from '@yishi/shared';
import { connect } from '../testing/sockets';
import { startTestApp, type TestApp } from '../testing/test-app';
import { DEMO_NOTICE } from './demo-notices';
import { STORY } from './demo-story';

const raw = (s: Awaited<ReturnType<typeof connect>>) =>
  s.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };

describe('the demo story (npm start seeds the compound mid-process)', () => {
  let t: TestApp;
  let resident: string;
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  let proposal: ProposalView;

  beforeAll(async () => {
    t = await startTestApp({}, { story: true });
    resident = (await t.signIn('resident1')).accessToken;
    proposal = ((await api('GET', '/proposals', resident)).body as ProposalView[]).find((p) => p.title === '霞光里35号院危旧平房改造方案')!;
  });
  afterAll(() => t.close());

  it('has two earlier meetings, adjourned with their attendance, and one open now', async () => {
    const meetings = ((await api('GET', '/meetings', resident)).body as MeetingView[]).filter((m) =>
      (STORY.meetings as readonly string[]).includes(m.title),
    );
    const byTitle = (title: string) => meetings.find((m) => m.title === title)!;
    const [first, second, third] = STORY.meetings;
    const [m1, m2, m3] = [byTitle(first), byTitle(second), byTitle(third)];
    expect([m1.status, m2.status, m3.status]).toEqual(['adjourned', 'adjourned', 'live']);
    // In the order they happened, the first two weeks ago.
    expect(Date.parse(m1.scheduledAt)).toBeLessThan(Date.parse(m2.scheduledAt));
    expect(Date.parse(m2.adjournedAt!)).toBeLessThan(Date.now() - 7 * 86_400_000);
    const attendance: Array<{ meeting_id: string; n: number }> = await t.db.query(
      `SELECT meeting_id, count(*)::int AS n FROM attendance WHERE meeting_id = ANY($1) GROUP BY meeting_id`,
      [[m1.id, m2.id, m3.id]],
    );
    expect([m1, m2, m3].map((m) => attendance.find((a) => a.meeting_id === m.id)?.n)).toEqual([7, 6, 3]);
    // The live meeting is on the second draft: its current item is the proposal's.
    expect(m3.currentAgendaItemId).toBe(m3.agenda[0]?.id);
    expect(proposal.agendaItemIds).toContain(m3.currentAgendaItemId);
    const socket = await connect(t.baseUrl, resident);
    try {
      const joined = await raw(socket).emitWithAck('meeting:join', { meetingId: m3.id });
      expect(joined).toMatchObject({ ok: true, state: { meeting: { status: 'live', title: STORY.meetings[2] } } });
    } finally {
      socket.close();
    }
  });

  it('round 1 failed in the second meeting, its objections answered, and it verifies from the audit chain', async () => {
    expect(proposal.status).toBe('failed');
    expect(proposal.revisions.map((r) => r.number)).toEqual([1]);
    const rounds = (await api('GET', `/proposals/${proposal.id}/rounds`, resident)).body as RoundView[];
    expect(rounds).toHaveLength(1);
    expect(rounds[0]).toMatchObject({
      number: 1,
      revisionNumber: 1,
      rule: 'unanimous',
      status: 'closed',
      result: { ballots: 4, decision: { passed: false } },
    });
    expect(rounds[0]?.result?.decision.failures).toContain('not_unanimous');
    expect(rounds[0]?.meetingId).toBe(
      ((await api('GET', '/meetings', resident)).body as MeetingView[]).find((m) => m.title === STORY.meetings[1])!.id,
    );
    expect((await api('GET', `/rounds/${rounds[0]!.id}/verify`, resident)).body).toMatchObject({ ok: true, problems: [] });
    const objections = (await api('GET', `/proposals/${proposal.id}/objections`, resident)).body as ObjectionView[];
    expect(objections.map((o) => [o.choice, o.body, o.answered, o.answer])).toEqual(
      STORY.objections.map((o) => [o.choice, o.reason, true, o.answer]),
    );
  });

  it('a second draft answering the objections is under discussion, the property company invited to co-edit it', async () => {
    const rights = (await api('GET', `/proposals/${proposal.id}/edit-rights`, (await t.signIn('property')).accessToken))
      .body as EditRightsView;
    expect(rights).toMatchObject({ status: 'failed', canEdit: true, grants: [expect.objectContaining({ name: '霞光物业服务有限公司' })] });
    // Freezing it, as the chair will, shows exactly what changed since revision 1.
    const chair = (await t.signIn('chair')).accessToken;
    expect((await api('POST', `/proposals/${proposal.id}/revisions`, chair)).status).toBe(201);
    const diff = (await api('GET', `/proposals/${proposal.id}/revisions/1/diff/2`, resident)).body as DiffLine[];
    expect(diff.filter((l) => l.op !== 'same')).toEqual(STORY.secondDraft.map((text) => ({ op: 'added', text })));
    expect((await api('GET', `/proposals/${proposal.id}`, resident)).body.status).toBe('frozen');
  });

  it('carries the bungalow plan on the project list: 危旧平房改造, under way, names the three deliberation meetings', async () => {
    const list = (await api('GET', `/projects?q=${encodeURIComponent('危旧平房改造')}`, resident)).body as { items: Array<{ id: string }> };
    const project = await api('GET', `/projects/${list.items[0]!.id}`, resident);
    expect(project.body).toMatchObject({ title: '危旧平房改造', status: 'active' });
    expect(project.body.meetings.map((m: { title: string }) => m.title)).toEqual(STORY.meetings);
  });

  it('has a public notice (公示) of a finished project, with an objection the chair answered', async () => {
    const [summary] = (await api('GET', '/notices', resident)).body as NoticeSummary[];
    expect(summary).toMatchObject({
      subject: { kind: 'project', title: DEMO_NOTICE.project },
      state: 'open',
      objections: 1,
      unanswered: 0,
    });
    const notice = (await api('GET', `/notices/${summary!.id}`, resident)).body as NoticeView;
    const pub = await t.api('GET', `/api/public/notices/${notice.publicToken}`);
    expect(pub.body.objections).toEqual([
      expect.objectContaining({ body: DEMO_NOTICE.objection, answer: DEMO_NOTICE.answer, raisedByName: null }),
    ]);
  });

  it("counts the story's meetings by kind on the statistics page: 6 party lessons, 2 organisational-life, 24 branch, 25 deliberation", async () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const range = `from=${day(Date.now() - 500 * 86_400_000)}&to=${day(Date.now() + 86_400_000)}`;
    const res = await api('GET', `/statistics?${range}`, resident);
    expect(res.status).toBe(200);
    expect(res.body.meetingsByKind).toMatchObject({ party_lesson: 6, organisational_life: 2, party_branch: 24, deliberation: 25 });
    // About half the households at each of the year's meetings.
    expect(res.body.attendance.num / res.body.attendance.den).toBeGreaterThan(0.3);
    expect(res.body.attendance.num / res.body.attendance.den).toBeLessThan(0.7);
  });
});
