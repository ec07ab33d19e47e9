/**
 * A proposal's whole path on one screen (issue 16, "the process at a glance"): the server reads
 * the stored rows (facts), this pure function orders and groups them, and the client draws the
 * result. Kept pure so that the order of a long process (18 meetings, many rounds) is tested
 * without a database.
 */

export interface TimelineCounts {
  households: number;
  areaCentiM2: number;
  heads: number;
}

/** What the server reads, each list in any order. Times are ISO strings. */
export interface TimelineFacts {
  demands: Array<{ id: string; title: string; status: string; createdAt: string }>;
  meetings: Array<{ id: string; title: string; scheduledAt: string; status: string }>;
  revisions: Array<{ id: string; number: number; frozenAt: string; hash: string }>;
  rounds: Array<{
    id: string;
    number: number;
    revisionNumber: number;
    meetingId: string | null;
    openedAt: string;
    closedAt: string | null;
    passed: boolean | null;
    for: TimelineCounts | null;
    against: TimelineCounts | null;
    abstain: TimelineCounts | null;
  }>;
  /** Reasons given with a vote against or an abstention, and whether they were answered. */
  objections: Array<{ id: string; roundId: string; choice: 'against' | 'abstain'; body: string; answered: boolean; createdAt: string }>;
  signOffs: Array<{ id: string; organisationName: string; decision: 'given' | 'refused'; revisionNumber: number; signedAt: string }>;
  adoptedAt: string | null;
  notices: Array<{ id: string; publishedAt: string; endsAt: string; withdrawnAt: string | null; objections: number; unanswered: number }>;
  projects: Array<{
    id: string;
    title: string;
    status: string;
    createdAt: string;
    endedAt: string | null;
    satisfied: number;
    unsatisfied: number;
  }>;
}

type Round = TimelineFacts['rounds'][number];

export type TimelineEntry =
  | { kind: 'demand'; at: string; id: string; title: string; status: string }
  /** `n`: the meeting's place among this proposal's meetings; `rounds`: numbers of the rounds held in it. */
  | { kind: 'meeting'; at: string; id: string; n: number; title: string; status: string; rounds: number[] }
  | { kind: 'revision'; at: string; id: string; number: number; hash: string }
  | (Omit<Round, 'openedAt' | 'closedAt'> & {
      kind: 'round';
      at: string;
      closedAt: string | null;
      objections: TimelineFacts['objections'];
    })
  | ({ kind: 'sign_off'; at: string } & Omit<TimelineFacts['signOffs'][number], 'signedAt'>)
  | { kind: 'adopted'; at: string }
  | ({ kind: 'notice'; at: string } & Omit<TimelineFacts['notices'][number], 'publishedAt'>)
  | { kind: 'project'; at: string; id: string; title: string; status: string }
  | { kind: 'project_done'; at: string; id: string; title: string; status: string; satisfied: number; unsatisfied: number };

export type TimelineKind = TimelineEntry['kind'];

export interface ProposalTimeline {
  proposalId: string;
  title: string;
  status: string;
  entries: TimelineEntry[];
  /** "18 meetings, 3 revisions, 2 rounds to a pass": the figures of the headline. */
  summary: { demands: number; meetings: number; revisions: number; rounds: number; passedRound: number | null; objections: number };
}

/** At the same instant, the order in which things happen: a revision is frozen before its round opens, and so on. */
const RANK: Record<TimelineKind, number> = {
  demand: 0,
  meeting: 1,
  revision: 2,
  round: 3,
  sign_off: 4,
  adopted: 5,
  notice: 6,
  project: 7,
  project_done: 8,
};

/** Orders the facts into one timeline, oldest first; a round carries its objections, a meeting its rounds. */
export function buildTimeline(facts: TimelineFacts): { entries: TimelineEntry[]; summary: ProposalTimeline['summary'] } {
  const byRound = new Map<string, TimelineFacts['objections']>();
  for (const o of [...facts.objections].sort((a, b) => cmpTime(a.createdAt, b.createdAt) || a.id.localeCompare(b.id))) {
    const list = byRound.get(o.roundId) ?? [];
    list.push(o);
    byRound.set(o.roundId, list);
  }
  const meetings = [...facts.meetings].sort((a, b) => cmpTime(a.scheduledAt, b.scheduledAt) || a.id.localeCompare(b.id));
  const entries: TimelineEntry[] = [
    ...facts.demands.map((d): TimelineEntry => ({ kind: 'demand', at: d.createdAt, id: d.id, title: d.title, status: d.status })),
    ...meetings.map((m, i): TimelineEntry => ({
      kind: 'meeting',
      at: m.scheduledAt,
      id: m.id,
      n: i + 1,
      title: m.title,
      status: m.status,
      rounds: facts.rounds
        .filter((r) => r.meetingId === m.id)
        .map((r) => r.number)
        .sort((a, b) => a - b),
    })),
    ...facts.revisions.map((r): TimelineEntry => ({ kind: 'revision', at: r.frozenAt, id: r.id, number: r.number, hash: r.hash })),
    ...facts.rounds.map(({ openedAt, ...r }): TimelineEntry => ({
      ...r,
      kind: 'round',
      at: openedAt,
      objections: byRound.get(r.id) ?? [],
    })),
    ...facts.signOffs.map(({ signedAt, ...s }): TimelineEntry => ({ kind: 'sign_off', at: signedAt, ...s })),
    ...(facts.adoptedAt ? [{ kind: 'adopted', at: facts.adoptedAt } as const] : []),
    ...facts.notices.map(({ publishedAt, ...n }): TimelineEntry => ({ kind: 'notice', at: publishedAt, ...n })),
    ...facts.projects.flatMap((p): TimelineEntry[] => {
      const started: TimelineEntry = { kind: 'project', at: p.createdAt, id: p.id, title: p.title, status: p.status };
      if (!p.endedAt) return [started];
      const { satisfied, unsatisfied } = p;
      return [started, { kind: 'project_done', at: p.endedAt, id: p.id, title: p.title, status: p.status, satisfied, unsatisfied }];
    }),
  ];
  entries.sort((a, b) => cmpTime(a.at, b.at) || RANK[a.kind] - RANK[b.kind] || seqOf(a) - seqOf(b));
  const passed = facts.rounds.filter((r) => r.passed === true).sort((a, b) => a.number - b.number)[0];
  return {
    entries,
    summary: {
      demands: facts.demands.length,
      meetings: facts.meetings.length,
      revisions: facts.revisions.length,
      rounds: facts.rounds.length,
      passedRound: passed ? passed.number : null,
      objections: facts.objections.length,
    },
  };
}

function cmpTime(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}

/** Numbered things keep their numbers' order when their times tie. */
function seqOf(e: TimelineEntry): number {
  if (e.kind === 'revision' || e.kind === 'round') return e.number;
  if (e.kind === 'meeting') return e.n;
  return 0;
}
