import { z } from 'zod';
import type { OrganisationKind } from '../domain/roles';
import type { WhistleEventKind, WhistleStatus } from './lists.protocol';

/** Kinds of organisation a whistle may be blown to: not the compound's own party branch. */
export const WHISTLE_TARGET_KINDS = ['street_department', 'partner_unit', 'property_company', 'property_rights_unit'] as const;

/**
 * 吹哨: the chair escalates one demand or one project's blocker to departments or partner units
 * of the community, who must answer by the deadline (an ISO date-time in the future).
 */
export const blowWhistleSchema = z
  .object({
    demandId: z.uuid().optional(),
    projectId: z.uuid().optional(),
    question: z.string().trim().min(1, 'say what the departments are asked to do').max(2000),
    deadline: z.iso.datetime({ offset: true, message: 'give a date and time' }),
    organisationIds: z
      .array(z.uuid())
      .min(1, 'choose at least one department or partner unit')
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length, 'each organisation once'),
  })
  .refine((w) => (w.demandId ? 1 : 0) + (w.projectId ? 1 : 0) === 1, {
    message: 'a whistle concerns one demand or one project',
    path: ['demandId'],
  });
export type BlowWhistleRequest = z.input<typeof blowWhistleSchema>;

/**
 * A target organisation's member acts for their organisation; `organisationId` is needed only
 * when they belong to more than one of the whistle's targets.
 */
export const acceptWhistleSchema = z.object({ organisationId: z.uuid().optional() });
export const answerWhistleSchema = z.object({
  organisationId: z.uuid().optional(),
  answer: z.string().trim().min(1, 'write the answer').max(2000),
});
export const whistleNoteSchema = z.object({ note: z.string().trim().max(2000).optional() });

export const whistleListQuerySchema = z.object({
  status: z.enum(['open', 'accepted', 'answered', 'resolved']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  demandId: z.uuid().optional(),
  projectId: z.uuid().optional(),
  organisationId: z.uuid().optional(),
});
export type WhistleListQuery = z.input<typeof whistleListQuerySchema>;

export interface WhistleTargetView {
  organisationId: string;
  name: string;
  kind: OrganisationKind;
  partnerType: string | null;
  acceptedAt: string | null;
  acceptedByName: string | null;
  answeredAt: string | null;
  answeredByName: string | null;
  answer: string | null;
  /** The deadline passed and this organisation has not answered (and the whistle is not resolved). */
  overdue: boolean;
}

export interface WhistleEventView {
  kind: WhistleEventKind;
  organisationName: string | null;
  note: string | null;
  actorName: string;
  at: string;
}

export interface WhistleView {
  id: string;
  compoundId: string;
  subject: { kind: 'demand' | 'project'; id: string; title: string };
  question: string;
  deadline: string;
  status: WhistleStatus;
  /** Any target overdue: the chair's flag. */
  overdue: boolean;
  createdByName: string;
  createdAt: string;
  resolvedAt: string | null;
  targets: WhistleTargetView[];
  /** What the caller may do now. */
  can: { accept: string[]; answer: string[]; resolve: boolean; reopen: boolean };
  /** Every step, oldest first (in the detail only). */
  history?: WhistleEventView[];
}
