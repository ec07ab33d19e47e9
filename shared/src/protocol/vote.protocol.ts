import { z } from 'zod';
import type { Action } from '../domain/policy';
import { type Choice, type Decision, RULE_IDS, type RuleId, type Tally, type VoteCounts } from '../domain/vote-rules';
import type { ProposalStatus } from '../schemas/proposal.schemas';
import { int4 } from '../schemas/input-safety';

/**
 * Recorded votes. A round is held on one frozen revision of a proposal under one rule; each
 * eligible household has one counted ballot, changeable until the round closes. Opening,
 * closing and assisted ballots go over HTTP (`/api/compounds/:compoundId/…`); casting and
 * following a round go over the one Socket.IO connection.
 */

export const CHOICE_IDS = ['for', 'against', 'abstain'] as const satisfies readonly Choice[];

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/** A household of a round's electorate, as frozen when the round opened. */
export interface ElectorView {
  householdId: string;
  /** "1号楼/1单元/201". */
  label: string;
  gateId: string | null;
  areaCentiM2: number;
}

/** The live count: households, area and heads per choice, against the rule's thresholds. */
export interface TallyView {
  roundId: string;
  /** The audit sequence number this count is as of; a client keeps the highest it has seen. */
  asOfSeq: number;
  totals: VoteCounts;
  tally: Tally;
  /** What the rule would decide if the round closed now. */
  decision: Decision;
  /** Support as a share of the whole electorate, in permille (rounded down). */
  supportOfWhole: { householdsPermille: number; areaPermille: number; headsPermille: number };
  /** Ballots entered by a gate leader or the chair from paper. */
  assisted: number;
}

export interface RoundResultView {
  tally: Tally;
  totals: VoteCounts;
  decision: Decision;
  supportOfWhole: TallyView['supportOfWhole'];
  ballots: number;
  assisted: number;
  /** Hash of the round.closed audit entry: the anchor of everything before it. */
  closeHash: string;
}

export type RoundStatus = 'open' | 'closed';

/**
 * A round's question: the chair's own words, kept as typed, or the default one, stored as a key
 * and its parameters so that each reader sees it in their own language (the client's locale key
 * of the same name; the printed papers, which are in Chinese, the zh-CN text).
 */
export type RoundQuestion = { text: string } | { key: 'vote.defaultQuestion'; params: { title: string; n: number } };

export interface RoundView {
  id: string;
  compoundId: string;
  proposalId: string;
  /** Round n of this proposal. */
  number: number;
  revisionId: string;
  revisionNumber: number;
  revisionHash: string;
  meetingId: string | null;
  question: RoundQuestion;
  rule: RuleId;
  art278Item: number | null;
  buildingIds: string[];
  status: RoundStatus;
  totals: VoteCounts;
  openedAt: string;
  openedBy: string;
  closesAt: string | null;
  closedAt: string | null;
  closeReason: 'chair' | 'deadline' | null;
  /** Set once closed. */
  result: RoundResultView | null;
  /** The proposal's state now: `passed` waits for a required sign-off, `adopted` has them all. */
  proposalStatus: ProposalStatus;
}

/** One of the caller's households in a round: may they vote for it, and what did they vote. */
export interface MyBallotView {
  householdId: string;
  label: string;
  /** As the designated voter or the registered proxy. */
  as: 'voter' | 'proxy';
  /** The owner (head) the unit counts towards, numbered within the round: units with the same number carry one stance. */
  head: number;
  /** Labels of every unit of that owner in this round, this one included. */
  sameOwnerUnits: string[];
  ballot: { ballotId: string; choice: Choice; castAt: string; receipt: string; assisted: boolean; changes: number } | null;
}

/** A line of the named roll-call (点名表). */
export interface RollCallEntry {
  householdId: string;
  label: string;
  areaCentiM2: number;
  choice: Choice | null;
  castAt: string | null;
  voterName: string | null;
  viaProxy: boolean;
  assisted: boolean;
  recordedByName: string | null;
  hasPaper: boolean;
  /** A ballot entered from paper: who signed it and who entered it (every member sees this once closed). */
  paper: { signerName: string; enteredByName: string; enteredAt: string } | null;
  /** The photo of the signed paper (GET …/rounds/:roundId/papers/:photoId), named only to those who may see it. */
  photoId: string | null;
  /** An unanswered dispute of this paper entry. */
  disputed: boolean;
  changes: number;
  reason: string | null;
  receipt: string | null;
}

/** What `verify` found: the chain's hashes and links, and the count recomputed from it. */
export interface VerifyReport {
  roundId: string;
  ok: boolean;
  entriesChecked: number;
  ballotsCounted: number;
  headHash: string;
  tally: Tally | null;
  passed: boolean | null;
  problems: Array<{ code: string; message: string; seq?: number; householdId?: string }>;
  ms: number;
}

/** A voter checks a receipt: is the entry in the chain, and is it the ballot that counts? */
export interface ReceiptView {
  receipt: string;
  roundId: string;
  seq: number;
  kind: 'ballot.cast' | 'ballot.changed';
  householdLabel: string;
  choice: Choice;
  at: string;
  /** False when a later ballot of the same household replaced this one. */
  counted: boolean;
  assisted: boolean;
}

/** An objection: a reason given with a vote against or an abstention; answered when resolved. */
export interface ObjectionView {
  threadId: string;
  roundId: string;
  roundNumber: number;
  revisionNumber: number;
  choice: 'against' | 'abstain';
  body: string;
  quote: string | null;
  answered: boolean;
  answer: string | null;
  createdAt: string;
}

// ---------------------------------------------------------------------------------------------
// HTTP requests
// ---------------------------------------------------------------------------------------------

const base64 = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9+/=_-]*$/, 'not base64');
/** The part of the text a reason objects to: Yjs relative positions, as for comments. */
const anchor = z.object({ start: base64, end: base64, quote: z.string().max(1000).default('') });

export const openRoundSchema = z
  .object({
    /** The frozen revision voted on; it must be newer than any earlier round's. */
    revisionNumber: int4().min(1),
    /** The chair's own question; null or left out for the default one ("Do you agree to …, revision n?"). */
    question: z.string().trim().min(1, 'required').max(500).nullable().default(null),
    rule: z.enum(RULE_IDS),
    /** For the Article 278 rules: which item of the article the motion is (1–9); the rule must match it. */
    art278Item: z.number().int().min(1).max(9).nullable().default(null),
    /** Only these buildings' households vote; empty means the whole compound. */
    buildingIds: z.array(z.uuid()).max(200).default([]),
    /** The round closes by itself then (ISO time, in the future). */
    closesAt: z.iso.datetime({ offset: true }).nullable().default(null),
    meetingId: z.uuid().nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.rule.startsWith('art278') && v.art278Item === null)
      ctx.addIssue({ code: 'custom', path: ['art278Item'], message: 'required for an Article 278 rule' });
  });
export type OpenRoundRequest = z.input<typeof openRoundSchema>;

const castFields = {
  roundId: z.uuid(),
  /** Made by the client, once per intended ballot: sending it again changes nothing. */
  ballotId: z.uuid(),
  householdId: z.uuid(),
  /** The revision the voter saw; must be the round's. */
  revisionId: z.uuid(),
  choice: z.enum(CHOICE_IDS),
  /** Why, for a vote against or an abstention. */
  reason: z.string().trim().max(2000).optional(),
  anchor: anchor.optional(),
};

const reasonOnlyWhenObjecting = (v: { choice: Choice; reason?: string; anchor?: unknown }, ctx: z.RefinementCtx) => {
  if (v.choice === 'for' && (v.reason || v.anchor))
    ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a reason goes with a vote against or an abstention' });
  if (v.anchor && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required with an anchor' });
};

export const castBallotSchema = z.object(castFields).superRefine(reasonOnlyWhenObjecting);
export type CastBallotRequest = z.input<typeof castBallotSchema>;

/**
 * The one-time code printed on a household's ballot paper: 10 characters of Crockford's base32
 * (no I, L, O or U, so nothing reads as something else), about 50 bits, printed as XXXXX-XXXXX.
 */
export const PAPER_CODE_LENGTH = 10;
const PAPER_CODE_ALPHABET = /^[0-9A-HJKMNP-TV-Z]+$/;

/** A code as typed: case, spaces and dashes do not matter, O reads as 0 and I or L as 1. Null if it cannot be a code. */
export function normalisePaperCode(text: string): string | null {
  const c = text
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return c.length === PAPER_CODE_LENGTH && PAPER_CODE_ALPHABET.test(c) ? c : null;
}

/** The code as printed: two groups of five. */
export const formatPaperCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** What the QR code on a ballot paper holds: the household and its code, so a scan fills in both. */
export const paperQrText = (householdId: string, code: string): string => `YISHI-BALLOT:${householdId}:${code}`;

export function parsePaperQr(text: string): { householdId: string; code: string } | null {
  const [, householdId, printed] = /^YISHI-BALLOT:([0-9a-f-]{36}):([0-9A-Z]{10})$/.exec(text.trim()) ?? [];
  const code = printed === undefined ? null : normalisePaperCode(printed);
  return householdId !== undefined && code ? { householdId, code } : null;
}

/**
 * A ballot handed in on paper, entered by a gate leader (own gate) or the chair: a multipart
 * form with these fields and the `photo` of the signed paper (JPEG, PNG or WebP, up to 10 MB;
 * stored downscaled, without metadata). The paper's one-time `code` must be the one printed for
 * this household in this round, unused; `signerId` names who signed it: one of the household's
 * registered owners, its designated voter or its registered proxy (then the ballot is a proxy's).
 */
export const paperBallotSchema = z
  .object({
    ballotId: z.uuid(),
    householdId: z.uuid(),
    revisionId: z.uuid(),
    choice: z.enum(CHOICE_IDS),
    reason: z.string().trim().max(2000).optional(),
    code: z
      .string()
      .max(40)
      .transform((v, ctx) => {
        const c = normalisePaperCode(v);
        if (!c) ctx.addIssue({ code: 'custom', message: `the ${PAPER_CODE_LENGTH}-character code printed on the ballot paper` });
        return c ?? '';
      }),
    signerId: z.uuid(),
  })
  .strict()
  .superRefine(reasonOnlyWhenObjecting);
export type PaperBallotRequest = z.input<typeof paperBallotSchema>;

/** Largest photo of a paper ballot as uploaded, in bytes; it is stored downscaled. */
export const MAX_PAPER_PHOTO_BYTES = 10 * 1024 * 1024;

/** Print ballot papers (one A4 page each, with a fresh one-time code) for these households of a round. */
export const issuePapersSchema = z
  .object({
    householdIds: z.array(z.uuid()).min(1, 'at least one household').max(500),
    /** `pdf` (the default) to print; `json` gives the same codes to a program (a mail merge). */
    format: z.enum(['pdf', 'json']).default('pdf'),
  })
  .strict();
export type IssuePapersRequest = z.input<typeof issuePapersSchema>;

export const disputePaperSchema = z.object({ householdId: z.uuid(), reason: z.string().trim().min(1, 'required').max(2000) }).strict();
export type DisputePaperRequest = z.input<typeof disputePaperSchema>;

export const answerDisputeSchema = z.object({ answer: z.string().trim().min(1, 'required').max(2000) }).strict();
export type AnswerDisputeRequest = z.input<typeof answerDisputeSchema>;

/** Who may sign a household's paper ballot. */
export interface PaperSigner {
  /** An owner's id (as `owner`) or a user's id (as `voter` or `proxy`). */
  id: string;
  name: string;
  as: 'owner' | 'voter' | 'proxy';
}

/** A household of a round as seen by whoever prints and enters ballot papers. */
export interface PaperHouseholdView {
  householdId: string;
  label: string;
  gateId: string | null;
  /** Why it gets no paper, or null. */
  refused: 'PAPER_DEVELOPER_HELD' | 'PAPER_NO_VOTER' | null;
  signers: PaperSigner[];
  /** How many times a paper was printed (the latest code is the valid one), and whether it was used. */
  issues: number;
  used: boolean;
  /** The household's counted ballot: online, on paper, or none yet. */
  ballot: 'online' | 'paper' | null;
}

/** The codes of printed papers, for `format: json`. */
export interface IssuedPaper {
  householdId: string;
  label: string;
  code: string;
  issue: number;
}

/** A household's dispute of the paper ballot entered in its name, and the chair's answer. */
export interface PaperDisputeView {
  id: string;
  roundId: string;
  roundNumber: number;
  proposalId: string;
  householdId: string;
  label: string;
  raisedByName: string;
  reason: string;
  raisedAt: string;
  answer: string | null;
  answeredByName: string | null;
  answeredAt: string | null;
}

/** What a cast is acknowledged with, once committed. */
export interface BallotReceipt {
  /** The hash of the ballot's audit entry. */
  receipt: string;
  seq: number;
  /** True when it replaced an earlier ballot of the household. */
  changed: boolean;
  castAt: string;
}

// ---------------------------------------------------------------------------------------------
// Socket commands and events
// ---------------------------------------------------------------------------------------------

export const voteCommandSchemas = {
  /** Follow a round: get it, the live tally and one's own households; tallies follow as events. */
  'vote:follow': z.object({ roundId: z.uuid() }),
  'vote:unfollow': z.object({ roundId: z.uuid() }),
  /** Cast or change a household's ballot. Acknowledged only after commit. */
  'vote:cast': castBallotSchema,
  /** The open and recent rounds of a meeting (for a client joining the meeting room). */
  'vote:rounds': z.object({ meetingId: z.uuid() }),
} as const;

export type VoteCommand = keyof typeof voteCommandSchemas;
export type VoteCommandPayload<C extends VoteCommand> = z.input<(typeof voteCommandSchemas)[C]>;

export const VOTE_COMMAND_ACTIONS: Record<VoteCommand, Action> = {
  'vote:follow': 'vote.view',
  'vote:unfollow': 'vote.view',
  'vote:cast': 'vote.cast',
  'vote:rounds': 'vote.view',
};

export interface VoteCommandResults {
  'vote:follow': { round: RoundView; tally: TallyView; mine: MyBallotView[] };
  'vote:unfollow': object;
  'vote:cast': BallotReceipt;
  'vote:rounds': { rounds: RoundView[] };
}

export interface VoteServerToClientEvents {
  /**
   * A round opened, closed (with its result) or its proposal was adopted. Sent to the round's
   * meeting room and to the round's followers.
   */
  'vote:round': (r: RoundView) => void;
  /** The live count, at most a few times a second, to the round's followers. */
  'vote:tally': (t: TallyView) => void;
}

/** Of two tallies of a round, the newer one: events can arrive from several nodes out of order. */
export function newerTally(a: TallyView | null, b: TallyView): TallyView {
  return a && a.roundId === b.roundId && a.asOfSeq > b.asOfSeq ? a : b;
}
