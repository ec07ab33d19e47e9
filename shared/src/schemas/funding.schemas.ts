import { z } from 'zod';
import { FUNDING_LINE_ID_PATTERN, type FundingSource } from '../domain/funding';
import type { OrganisationKind } from '../domain/roles';
import type { ProposalStatus } from './proposal.schemas';

const fen = z.number().int('must be a whole number of fen').min(0, 'must be 0 or more').max(Number.MAX_SAFE_INTEGER, 'must be below 2^53');

/**
 * A funding party's formal decision on one frozen revision: "we commit `amountFen` for these
 * lines" (given) or a refusal, with a note. `amountFen` must be exactly what the revision's
 * plan has the organisation's source pay on `lineIds` (every line it pays on, when none are
 * named). A member of several funding organisations names the one they sign for.
 */
export const signOffSchema = z
  .object({
    decision: z.enum(['given', 'refused']),
    amountFen: fen.default(0),
    lineIds: z.array(z.string().regex(FUNDING_LINE_ID_PATTERN, 'not a funding line id')).max(500).default([]),
    note: z.string().trim().max(2000).default(''),
    organisationId: z.uuid().optional(),
  })
  .refine((s) => s.decision === 'given' || s.note.length > 0, { message: 'a refusal needs a note saying why', path: ['note'] })
  .refine((s) => new Set(s.lineIds).size === s.lineIds.length, { message: 'a line is named twice', path: ['lineIds'] });
export type SignOffRequest = z.input<typeof signOffSchema>;

/** The organisations whose sign-off a proposal needs before it can be adopted (replaces the list). */
export const requiredSignOffsSchema = z.object({
  organisationIds: z
    .array(z.uuid())
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'an organisation is named twice'),
});
export type RequiredSignOffsRequest = z.input<typeof requiredSignOffsSchema>;

export interface SignOffView {
  id: string;
  revisionId: string;
  revisionNumber: number;
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  decision: 'given' | 'refused';
  amountFen: number;
  lineIds: string[];
  note: string;
  signedBy: string;
  signedByName: string;
  signedAt: string;
  /** The hash of its audit entry (the proposal's chain). */
  auditHash: string;
}

/** One required organisation's standing on a revision: its latest decision there, or none yet. */
export interface RequiredSignOffView {
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  /** The source it commits from, and what the revision's plan has it pay (fen). */
  source: FundingSource | null;
  planFen: number;
  /** `not_asked`: the revision's plan has it pay nothing, so it has nothing to sign and does not hold adoption back. */
  state: 'given' | 'refused' | 'missing' | 'not_asked';
  latest: SignOffView | null;
}

export interface SignOffStatusView {
  proposalId: string;
  proposalStatus: ProposalStatus;
  /** The revision this is about (null: nothing frozen yet). */
  revisionId: string | null;
  revisionNumber: number | null;
  required: RequiredSignOffView[];
  /** Required organisations the revision asks to pay, without a given sign-off on it. */
  missing: string[];
  /** Every decision on this revision, required or not, oldest first. */
  history: SignOffView[];
}

export interface SignOffResult {
  signOff: SignOffView;
  /** `adopted` when this sign-off was the last one a passed proposal needed. */
  proposalStatus: ProposalStatus;
}

export interface HouseholdAreaView {
  id: string;
  label: string;
  /** Exclusive floor area in 0.01 m². */
  areaCentiM2: number;
}

/** What each household pays of the residents' share of a frozen revision's plan. */
export interface HouseholdSharesView {
  revisionNumber: number;
  residentsFen: number;
  totalAreaCentiM2: number;
  /** The rounding rule, as shown to users (HOUSEHOLD_SHARE_RULE). */
  rule: { zh: string; en: string };
  shares: Array<{ householdId: string; label: string; areaCentiM2: number; shareFen: number }>;
}
