import { z } from 'zod';
import { RESOURCE_AVAILABILITIES, RESOURCE_KINDS, type ResourceAvailability, type ResourceKind } from './lists.protocol';

const optionalText = (max: number) => z.string().trim().max(max).optional();

const resourceFields = {
  kind: z.enum(RESOURCE_KINDS),
  name: z.string().trim().min(1, 'give the resource a name').max(100),
  /** The partner unit (共建单位) or other organisation offering it; absent when it is the compound's own. */
  organisationId: z.uuid().nullable().optional(),
  /** Funds only: the amount in fen. */
  amountFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  /** Funds only: where the money comes from (党组织服务群众经费…). */
  source: optionalText(100).nullable(),
  availability: z.enum(RESOURCE_AVAILABILITIES),
  /** People only: their account, when they have one. */
  userId: z.uuid().nullable().optional(),
  contact: optionalText(100).nullable(),
  notes: z.string().trim().max(1000).default(''),
};

/** A fund has an amount and nothing else does; only a person has an account. */
function fundAndPersonRules<T extends { kind: ResourceKind; amountFen?: number | null; userId?: string | null }>(
  r: T,
  ctx: z.RefinementCtx,
) {
  if (r.kind === 'fund' && (r.amountFen === undefined || r.amountFen === null))
    ctx.addIssue({ code: 'custom', message: 'a fund needs its amount', path: ['amountFen'] });
  if (r.kind !== 'fund' && r.amountFen !== undefined && r.amountFen !== null)
    ctx.addIssue({ code: 'custom', message: 'only a fund has an amount', path: ['amountFen'] });
  if (r.kind !== 'person' && r.userId) ctx.addIssue({ code: 'custom', message: 'only a person has an account', path: ['userId'] });
}

export const createResourceSchema = z.object(resourceFields).strict().superRefine(fundAndPersonRules);
export type CreateResourceRequest = z.input<typeof createResourceSchema>;

/** A change replaces the whole record (the form sends every field), so the fund rules hold on the result. */
export const updateResourceSchema = createResourceSchema;
export type UpdateResourceRequest = z.input<typeof updateResourceSchema>;

export const RESOURCE_ORIGINS = ['internal', 'partner'] as const;
export type ResourceOrigin = (typeof RESOURCE_ORIGINS)[number];

export const resourceListQuerySchema = z
  .object({
    kind: z.enum(RESOURCE_KINDS).optional(),
    availability: z.enum(RESOURCE_AVAILABILITIES).optional(),
    /** The compound's own, or from partner units. */
    origin: z.enum(RESOURCE_ORIGINS).optional(),
    organisationId: z.uuid().optional(),
    q: z.string().trim().min(1).max(50).optional(),
    archived: z.enum(['true', 'false']).default('false'),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type ResourceListQuery = z.input<typeof resourceListQuerySchema>;

export interface ResourceView {
  id: string;
  kind: ResourceKind;
  name: string;
  organisationId: string | null;
  /** The partner unit's name; null when internal. */
  organisationName: string | null;
  /** What kind of partner unit, in the community's words. */
  organisationType: string | null;
  amountFen: number | null;
  source: string | null;
  availability: ResourceAvailability;
  userId: string | null;
  contact: string | null;
  notes: string;
  /** The responsibility zones a team looks after. */
  zones: string[];
  archived: boolean;
  updatedAt: string;
}

export interface ResourcePage {
  items: ResourceView[];
  total: number;
  /** Funds' total in fen over all matching resources, not just this page. */
  fundTotalFen: number;
  offset: number;
  limit: number;
}

/** 责任田: a space of the compound and the team that looks after it. */
export const zoneSchema = z
  .object({
    spaceName: z.string().trim().min(1, 'name the space').max(100),
    teamResourceId: z.uuid(),
    notes: z.string().trim().max(500).default(''),
  })
  .strict();
export type ZoneRequest = z.input<typeof zoneSchema>;

export interface ZoneView {
  id: string;
  spaceName: string;
  teamResourceId: string;
  teamName: string;
  notes: string;
}
