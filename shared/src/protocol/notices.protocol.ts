import { z } from 'zod';
import type { RuleId } from '../domain/vote-rule-catalogue';

/** The objection period when the chair does not choose one, in days. */
export const DEFAULT_OBJECTION_DAYS = 7;

/**
 * 公示: the chair publishes an adopted proposal or a done project's acceptance to the whole
 * compound, with an objection period of `objectionDays` whole days from publication. Nothing of
 * a published notice can be changed; it can only be withdrawn with a reason.
 */
export const publishNoticeSchema = z
  .object({
    proposalId: z.uuid().optional(),
    projectId: z.uuid().optional(),
    /** The chair's words above the record (optional). */
    note: z.string().trim().max(2000).default(''),
    objectionDays: z.number().int().min(1, 'at least one day').max(60, 'at most 60 days').default(DEFAULT_OBJECTION_DAYS),
    /** Also shown on a public page without sign-in, with every person's name hidden. */
    isPublic: z.boolean().default(false),
  })
  .refine((n) => (n.proposalId ? 1 : 0) + (n.projectId ? 1 : 0) === 1, {
    message: 'a notice publishes one adopted proposal or one project',
    path: ['proposalId'],
  });
export type PublishNoticeRequest = z.input<typeof publishNoticeSchema>;

export const raiseObjectionSchema = z.object({ body: z.string().trim().min(1, 'write the objection').max(2000) });
export const answerObjectionSchema = z.object({ answer: z.string().trim().min(1, 'write the answer').max(2000) });
export const withdrawNoticeSchema = z.object({ reason: z.string().trim().min(1, 'give the reason').max(2000) });

/** One closed round as the notice records it: counts by household, area and head. */
export interface NoticeRound {
  number: number;
  revisionNumber: number;
  rule: RuleId;
  passed: boolean;
  closedAt: string;
  for: { households: number; areaCentiM2: number; heads: number };
  against: { households: number; areaCentiM2: number; heads: number };
  abstain: { households: number; areaCentiM2: number; heads: number };
  notVoted: { households: number; areaCentiM2: number; heads: number };
}

/** What was decided and how, frozen when the notice is published. */
export interface NoticeRecord {
  /** The adopted text (plain), or the project's summary. */
  text: string;
  /** The adopted revision's hash, for a proposal. */
  revisionHash: string | null;
  rounds: NoticeRound[];
  signOffs: Array<{ organisationName: string; decision: 'given' | 'refused'; amountFen: number; signedAt: string }>;
  adoptedAt: string | null;
  /** A project's acceptance: residents' satisfaction answers. */
  acceptance: { satisfied: number; unsatisfied: number } | null;
}

export interface NoticeObjectionView {
  id: string;
  body: string;
  raisedAt: string;
  /** Null on the public page, where no person's name is shown. */
  raisedByName: string | null;
  mine: boolean;
  answer: string | null;
  answeredAt: string | null;
  answeredByName: string | null;
  /** The hash of its audit entry: the objection's receipt. */
  receipt: string;
}

export type NoticeState = 'open' | 'ended' | 'withdrawn';

export interface NoticeView {
  id: string;
  compoundId: string;
  compoundName: string;
  subject: { kind: 'proposal' | 'project'; id: string; title: string };
  note: string;
  record: NoticeRecord;
  publishedAt: string;
  /** The end of the objection period. */
  endsAt: string;
  state: NoticeState;
  isPublic: boolean;
  /** The address part of the public page; null unless public (and on the public page itself). */
  publicToken: string | null;
  publishedByName: string | null;
  withdrawnAt: string | null;
  withdrawReason: string | null;
  objections: NoticeObjectionView[];
  /** What the caller may do now. */
  can: { object: boolean; answer: boolean; withdraw: boolean };
}

/** A compound's notices, newest first, without their objections. */
export interface NoticeSummary {
  id: string;
  subject: NoticeView['subject'];
  publishedAt: string;
  endsAt: string;
  state: NoticeState;
  objections: number;
  unanswered: number;
}

/** A notice got an objection or an answer, or was withdrawn: those who have it open load it again. */
export interface NoticeChangedEvent {
  noticeId: string;
  compoundId: string;
}

export interface NoticeServerToClientEvents {
  'notice:changed': (e: NoticeChangedEvent) => void;
}
