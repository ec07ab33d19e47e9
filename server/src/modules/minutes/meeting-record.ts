import {
  type ElectorateHousehold,
  electorateTotals,
  headGroups,
  type MeetingRecord,
  type RoundQuestion,
  type RoundResultView,
  type RuleId,
} from '@yishi/shared';

/** The stored rows a meeting's record is built from (read by record-rows.ts). */
export interface RecordRows {
  meeting: { id: string; title: string; place: string; scheduled_at: Date; opened_at: Date | null; adjourned_at: Date | null };
  electorate: ElectorateHousehold[];
  attendance: Array<{ display_name: string; method: 'online' | 'on_site' | 'registered'; household_ids: string[] }>;
  agenda: Array<{ position: number; title: string; status: 'pending' | 'current' | 'done' }>;
  /** Turns that had the floor, in the order they started. */
  turns: Array<{ user_id: string; display_name: string; started_at: Date; ended_at: Date | null }>;
  rounds: Array<{
    id: string;
    proposal_title: string;
    number: number;
    revision_number: number;
    question: RoundQuestion;
    rule: RuleId;
    art278_item: number | null;
    passed: boolean | null;
    result: RoundResultView | null;
  }>;
  /** Objections (a comment with a stance) and the replies in their threads, oldest first. */
  comments: Array<{
    id: string;
    thread_id: string;
    parent_id: string | null;
    round_id: string | null;
    objection: 'against' | 'abstain' | null;
    author_name: string;
    body: string;
  }>;
  whistles: Array<{ question: string; deadline: Date; status: string; targets: string[]; created_at: Date }>;
  /** When the record is read (the end of a turn still under way, of a meeting still live). */
  now: Date;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Whole seconds of a turn; one still under way counts up to the adjournment or now. */
function turnSeconds(t: RecordRows['turns'][number], end: Date): number {
  return Math.max(0, Math.floor(((t.ended_at ?? end).getTime() - t.started_at.getTime()) / 1000));
}

/**
 * The automatic record of a meeting: attendance with household, area and head figures against
 * the eligible, the agenda, speakers and their time, each round with its rule and count, what
 * passed, objections with their answers, whistles blown. Pure: the same rows give the same record.
 */
export function buildMeetingRecord(rows: RecordRows): MeetingRecord {
  const { meeting } = rows;
  const presentIds = new Set(rows.attendance.flatMap((a) => a.household_ids));
  const present = rows.electorate.filter((h) => presentIds.has(h.id));
  const groups = headGroups(rows.electorate);
  const byMethod = (m: string) => rows.attendance.filter((a) => a.method === m).length;

  const speakers: MeetingRecord['speakers'] = [];
  const seen = new Map<string, MeetingRecord['speakers'][number]>();
  const end = meeting.adjourned_at ?? rows.now;
  for (const t of rows.turns) {
    let s = seen.get(t.user_id);
    if (!s) {
      s = { name: t.display_name, turns: 0, seconds: 0 };
      seen.set(t.user_id, s);
      speakers.push(s);
    }
    s.turns += 1;
    s.seconds += turnSeconds(t, end);
  }

  const roundsById = new Map(rows.rounds.map((r) => [r.id, r]));
  const rounds = rows.rounds.map((r) => {
    const t = r.result?.tally;
    return {
      proposalTitle: r.proposal_title,
      number: r.number,
      revisionNumber: r.revision_number,
      question: r.question,
      rule: r.rule,
      art278Item: r.art278_item,
      passed: r.passed,
      for: t?.for.households ?? 0,
      against: t?.against.households ?? 0,
      abstain: t?.abstain.households ?? 0,
      notVoted: t?.notVoted.households ?? 0,
      closeHash: r.result?.closeHash ?? null,
    };
  });

  const objections = rows.comments
    .filter((c) => c.objection && c.parent_id === null && c.round_id && roundsById.has(c.round_id))
    .map((c) => {
      const round = roundsById.get(c.round_id!)!;
      return {
        proposalTitle: round.proposal_title,
        roundNumber: round.number,
        stance: c.objection!,
        author: c.author_name,
        body: c.body,
        answers: rows.comments
          .filter((a) => a.thread_id === c.thread_id && a.parent_id !== null)
          .map((a) => ({ author: a.author_name, body: a.body })),
      };
    });

  return {
    meeting: {
      id: meeting.id,
      title: meeting.title,
      place: meeting.place,
      scheduledAt: meeting.scheduled_at.toISOString(),
      openedAt: iso(meeting.opened_at),
      adjournedAt: iso(meeting.adjourned_at),
    },
    attendance: {
      people: rows.attendance.length,
      present: {
        households: present.length,
        areaCentiM2: present.reduce((sum, h) => sum + h.areaCentiM2, 0),
        heads: new Set(present.map((h) => groups.get(h.id))).size,
      },
      eligible: electorateTotals(rows.electorate),
      online: byMethod('online'),
      onSite: byMethod('on_site'),
      registered: byMethod('registered'),
      names: rows.attendance.map((a) => a.display_name),
    },
    agenda: rows.agenda.map((a) => ({ position: a.position, title: a.title, status: a.status })),
    speakers,
    rounds,
    decisions: rows.rounds.filter((r) => r.passed).map((r) => ({ proposalTitle: r.proposal_title, roundNumber: r.number, rule: r.rule })),
    objections,
    whistles: rows.whistles.map((w) => ({
      question: w.question,
      deadline: w.deadline.toISOString(),
      status: w.status,
      targets: w.targets,
      at: w.created_at.toISOString(),
    })),
  };
}
