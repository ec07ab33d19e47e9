import { z } from 'zod';
import type { VoteCounts } from '../domain/vote-counting';
import type { RuleId } from '../domain/vote-rules';
import type { RoundQuestion } from './vote.protocol';

/**
 * The automatic record of a meeting (会议记录), derived from what was stored while it ran (check-ins,
 * the speakers list, rounds, objections, whistles), never typed. Counts and areas are integers;
 * areas in 0.01 m²; times ISO 8601.
 */
export interface MeetingRecord {
  meeting: { id: string; title: string; place: string; scheduledAt: string; openedAt: string | null; adjournedAt: string | null };
  attendance: {
    /** People and registered households checked in. */
    people: number;
    /** Eligible households represented, their area and owners by head, against all eligible. */
    present: VoteCounts;
    eligible: VoteCounts;
    online: number;
    onSite: number;
    registered: number;
    names: string[];
  };
  agenda: Array<{ position: number; title: string; status: 'pending' | 'current' | 'done' }>;
  /** Everyone who had the floor, in the order they first spoke, with their turns and time in whole seconds. */
  speakers: Array<{ name: string; turns: number; seconds: number }>;
  rounds: Array<{
    proposalTitle: string;
    number: number;
    revisionNumber: number;
    question: RoundQuestion;
    rule: RuleId;
    art278Item: number | null;
    /** Null while open. */
    passed: boolean | null;
    for: number;
    against: number;
    abstain: number;
    notVoted: number;
    closeHash: string | null;
  }>;
  /** What the meeting decided: rounds that passed. */
  decisions: Array<{ proposalTitle: string; roundNumber: number; rule: RuleId }>;
  /** Reasons given with a vote against or an abstention, and the answers in their threads. */
  objections: Array<{
    proposalTitle: string;
    roundNumber: number;
    stance: 'against' | 'abstain';
    author: string;
    body: string;
    answers: Array<{ author: string; body: string }>;
  }>;
  /** Whistles blown while the meeting ran. */
  whistles: Array<{ question: string; deadline: string; status: string; targets: string[]; at: string }>;
}

export interface MinutesView {
  id: string;
  meetingId: string;
  compoundId: string;
  meetingTitle: string;
  recorder: { userId: string; name: string } | null;
  /** Whether the caller may edit the text now (the chair or the recorder, until closed). */
  canEdit: boolean;
  closed: {
    at: string;
    byName: string;
    /** SHA-256 (hex) of `JSON.stringify({ v: 1, html, record })`, `record` as canonical JSON text. */
    hash: string;
    html: string;
    text: string;
  } | null;
  /** As frozen when closed; else as it stands now. */
  record: MeetingRecord;
}

/** The chair names the recorder (a member of the compound), or clears it with null. */
export const minutesRecorderSchema = z.strictObject({ userId: z.uuid().nullable() });
