import { buildTimeline, type TimelineFacts } from './proposal-timeline';

const none: TimelineFacts = {
  demands: [],
  meetings: [],
  revisions: [],
  rounds: [],
  objections: [],
  signOffs: [],
  adoptedAt: null,
  notices: [],
  projects: [],
};
const day = (n: number, hour = 10) => new Date(Date.UTC(2026, 0, n, hour)).toISOString();
const counts = (households: number) => ({ households, areaCentiM2: households * 6000, heads: households });
const round = (id: string, number: number, at: string, passed: boolean | null, meetingId: string | null = null) => ({
  id,
  number,
  revisionNumber: number,
  meetingId,
  openedAt: at,
  closedAt: passed === null ? null : at,
  passed,
  for: passed === null ? null : counts(passed ? 5 : 2),
  against: passed === null ? null : counts(passed ? 0 : 3),
  abstain: passed === null ? null : counts(0),
});

describe('buildTimeline: the order and grouping of a proposal’s path', () => {
  it('is empty for a fresh proposal', () => {
    expect(buildTimeline(none)).toEqual({
      entries: [],
      summary: { demands: 0, meetings: 0, revisions: 0, rounds: 0, passedRound: null, objections: 0 },
    });
  });

  it('orders the seed story: demands, meetings numbered in date order, a failed round, a second draft, a pass, sign-off, adoption, notice, project', () => {
    const tl = buildTimeline({
      ...none,
      // Given out of order on purpose.
      meetings: [
        { id: 'm2', title: '第2次', scheduledAt: day(20), status: 'adjourned' },
        { id: 'm1', title: '第1次', scheduledAt: day(5), status: 'adjourned' },
        { id: 'm3', title: '第3次', scheduledAt: day(40), status: 'adjourned' },
      ],
      demands: [{ id: 'd1', title: '平房漏雨', status: 'in_project', createdAt: day(1) }],
      revisions: [
        { id: 'v2', number: 2, frozenAt: day(40, 10), hash: 'b' },
        { id: 'v1', number: 1, frozenAt: day(20, 10), hash: 'a' },
      ],
      rounds: [round('r2', 2, day(40, 11), true, 'm3'), round('r1', 1, day(20, 11), false, 'm2')],
      signOffs: [{ id: 's1', organisationName: '产权单位', decision: 'given', revisionNumber: 2, signedAt: day(41) }],
      adoptedAt: day(41),
      notices: [{ id: 'n1', publishedAt: day(42), endsAt: day(49), withdrawnAt: null, objections: 1, unanswered: 0 }],
      projects: [{ id: 'p1', title: '平房翻建', status: 'done', createdAt: day(50), endedAt: day(90), satisfied: 30, unsatisfied: 2 }],
    });
    expect(tl.entries.map((e) => `${e.kind}${'n' in e ? e.n : 'number' in e ? e.number : ''}`)).toEqual([
      'demand',
      'meeting1',
      'meeting2',
      'revision1',
      'round1',
      'meeting3',
      'revision2',
      'round2',
      'sign_off',
      'adopted',
      'notice',
      'project',
      'project_done',
    ]);
    expect(tl.entries.find((e) => e.kind === 'meeting' && e.id === 'm3')).toMatchObject({ n: 3, rounds: [2] });
    expect(tl.summary).toEqual({ demands: 1, meetings: 3, revisions: 2, rounds: 2, passedRound: 2, objections: 0 });
  });

  it('puts each objection under its own round, oldest first, and counts them', () => {
    const tl = buildTimeline({
      ...none,
      rounds: [round('r1', 1, day(3), false), round('r2', 2, day(9), null)],
      objections: [
        { id: 'o2', roundId: 'r1', choice: 'abstain', body: '谁来管理？', answered: false, createdAt: day(3, 12) },
        { id: 'o1', roundId: 'r1', choice: 'against', body: '临时安置？', answered: true, createdAt: day(3, 11) },
        { id: 'o3', roundId: 'r2', choice: 'against', body: '还是不行', answered: false, createdAt: day(9, 12) },
      ],
    });
    const [r1, r2] = tl.entries;
    expect(r1).toMatchObject({ kind: 'round', number: 1, passed: false });
    expect(r1!.kind === 'round' && r1!.objections.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect(r2!.kind === 'round' && r2!.objections.map((o) => o.id)).toEqual(['o3']);
    // An open round has no result yet, and nothing passed.
    expect(r2).toMatchObject({ passed: null, closedAt: null, for: null });
    expect(tl.summary).toMatchObject({ rounds: 2, passedRound: null, objections: 3 });
  });

  it('at the same instant puts a revision before its round and a meeting before both; equal kinds keep their numbers’ order', () => {
    const at = day(7);
    const tl = buildTimeline({
      ...none,
      rounds: [round('r2', 2, at, true), round('r1', 1, at, false)],
      revisions: [
        { id: 'v2', number: 2, frozenAt: at, hash: 'b' },
        { id: 'v1', number: 1, frozenAt: at, hash: 'a' },
      ],
      meetings: [{ id: 'm', title: '会', scheduledAt: at, status: 'live' }],
      adoptedAt: at,
    });
    expect(tl.entries.map((e) => `${e.kind}${'number' in e ? e.number : ''}`)).toEqual([
      'meeting',
      'revision1',
      'revision2',
      'round1',
      'round2',
      'adopted',
    ]);
  });

  it('the first passing round is the one the headline names, even when a later round also passed', () => {
    const tl = buildTimeline({ ...none, rounds: [round('a', 3, day(9), true), round('b', 2, day(8), true), round('c', 1, day(7), false)] });
    expect(tl.summary.passedRound).toBe(2);
  });

  it('keeps a project that is still running as one entry', () => {
    const tl = buildTimeline({
      ...none,
      projects: [{ id: 'p', title: '加装电梯', status: 'active', createdAt: day(2), endedAt: null, satisfied: 0, unsatisfied: 0 }],
    });
    expect(tl.entries).toEqual([{ kind: 'project', at: day(2), id: 'p', title: '加装电梯', status: 'active' }]);
  });
});
