import { z } from 'zod';
import { type CanonicalFunding, FUNDING_LINE_ID_PATTERN } from '../domain/funding';
import type { ProposalStatus } from '../domain/proposal-lifecycle';

export type { ProposalStatus };

export const PROPOSAL_KINDS = ['renovation', 'funding', 'rules', 'other'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const createProposalSchema = z.object({
  title: z.string().trim().min(1, 'required').max(120),
  kind: z.enum(PROPOSAL_KINDS),
  agendaItemIds: z.array(z.uuid()).max(20).default([]),
});
export type CreateProposalRequest = z.input<typeof createProposalSchema>;

const base64 = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9+/=_-]*$/, 'not base64');

export const createCommentSchema = z
  .object({
    body: z.string().trim().min(1, 'required').max(4000),
    /** Yjs relative positions of the commented range (Y.encodeRelativePosition, base64). */
    anchor: z.object({ start: base64, end: base64, quote: z.string().max(1000).default('') }).optional(),
    /** Or: the id of the funding line the thread is about (a line of the plan as it stands). */
    fundingLineId: z.string().regex(FUNDING_LINE_ID_PATTERN, 'not a funding line id').optional(),
  })
  .refine((c) => !(c.anchor && c.fundingLineId), {
    message: 'anchor a comment to the text or to a funding line, not both',
    path: ['fundingLineId'],
  });
export type CreateCommentRequest = z.input<typeof createCommentSchema>;

export const replySchema = z.object({ body: z.string().trim().min(1, 'required').max(4000) });

export interface ProposalView {
  id: string;
  compoundId: string;
  title: string;
  kind: ProposalKind;
  status: ProposalStatus;
  agendaItemIds: string[];
  ownerId: string;
  createdAt: string;
  revisions: RevisionSummary[];
  /** Organisations whose sign-off on the passed revision adoption waits for (`GET …/sign-offs` says which are missing). */
  requiredSignOffs: string[];
  /** The adopted proposal this one amends (it started from that one's text and plan), or null. */
  amends: string | null;
  /** Amendments started from this (adopted) proposal, oldest first. */
  amendedBy: string[];
  adoptedAt: string | null;
}

/** Withdrawing needs a reason: it ends the proposal's life cycle in front of everyone. */
export const withdrawProposalSchema = z.object({ reason: z.string().trim().min(1, 'say why the proposal is withdrawn').max(1000) });

/** An amendment of an adopted proposal: its title (default: the adopted one's, marked as an amendment). */
export const createAmendmentSchema = z.object({ title: z.string().trim().min(1, 'required').max(120).optional() });

/** The chair invites one organisation (e.g. the property company) or one person to edit a proposal. */
export const editGrantSchema = z
  .object({ organisationId: z.uuid().optional(), userId: z.uuid().optional() })
  .refine((g) => !!g.organisationId !== !!g.userId, { message: 'name either an organisation or a person', path: ['organisationId'] });
export type EditGrantRequest = z.input<typeof editGrantSchema>;

/** A live invitation to edit one proposal. */
export interface EditGrantView {
  id: string;
  proposalId: string;
  organisationId: string | null;
  userId: string | null;
  /** The organisation's or the person's name. */
  name: string;
  grantedBy: string;
  grantedByName: string;
  grantedAt: string;
}

/** Who may edit a proposal beyond their role, and whether the caller may edit it now (and if not, why). */
export interface EditRightsView {
  proposalId: string;
  status: ProposalStatus;
  grants: EditGrantView[];
  canEdit: boolean;
  /** Why the caller cannot edit: the proposal's status, or their role (not invited). */
  reason: 'status' | 'role' | null;
}

export interface RevisionSummary {
  id: string;
  number: number;
  hash: string;
  frozenBy: string;
  frozenAt: string;
}

export interface RevisionView extends RevisionSummary {
  proposalId: string;
  html: string;
  text: string;
  /**
   * The frozen funding plan in its canonical form (null: no lines). The hash is SHA-256 (hex) of
   * `JSON.stringify({ v: 1, html, funding })` with exactly this object (docs/protocol.md).
   */
  funding: CanonicalFunding | null;
}

export interface DiffLine {
  op: 'same' | 'added' | 'removed';
  text: string;
}

export interface CommentView {
  id: string;
  threadId: string;
  parentId: string | null;
  authorId: string;
  authorName: string;
  body: string;
  anchor: { start: string; end: string; quote: string } | null;
  /** The funding line a thread is about, instead of a range of the text. */
  fundingLineId: string | null;
  resolved: boolean;
  createdAt: string;
}
