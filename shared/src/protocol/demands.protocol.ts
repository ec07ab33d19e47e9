import { z } from 'zod';
import {
  DEMAND_CATEGORIES,
  DEMAND_CHANNELS,
  DEMAND_SCOPES,
  DEMAND_STATUSES,
  type DemandCategory,
  type DemandChannel,
  type DemandScope,
  type DemandStatus,
} from './lists.protocol';

/**
 * Recording a demand. Without `onBehalf` the signed-in resident raises it themself; a gate
 * leader or the chair entering a need heard on a home visit names the person (or nobody) in
 * `onBehalf`. `namedConsent`: the person agreed that other residents see their name.
 * `clientKey` is chosen by the device, so an offline entry sent twice is recorded once.
 */
export const createDemandSchema = z
  .object({
    clientKey: z.uuid().optional(),
    scope: z.enum(DEMAND_SCOPES).default('compound'),
    buildingId: z.uuid().optional(),
    gateId: z.uuid().optional(),
    category: z.enum(DEMAND_CATEGORIES),
    channel: z.enum(DEMAND_CHANNELS),
    title: z.string().trim().min(1, 'say in a few words what is needed').max(100),
    body: z.string().trim().max(2000).default(''),
    onBehalf: z
      .object({
        /** The person's name as they gave it; absent when they did not want to give it. */
        name: z.string().trim().min(1).max(40).optional(),
        householdId: z.uuid().optional(),
      })
      .strict()
      .optional(),
    namedConsent: z.boolean().default(false),
  })
  .strict()
  .refine((d) => d.scope === 'compound' || !d.buildingId, { message: 'a community-wide need has no building', path: ['buildingId'] })
  .refine((d) => !d.gateId || d.buildingId, { message: 'name the building of the gate', path: ['buildingId'] })
  .refine((d) => !d.namedConsent || !d.onBehalf || d.onBehalf.name, { message: 'no name was given to show', path: ['namedConsent'] });
export type CreateDemandRequest = z.input<typeof createDemandSchema>;

/** Moving a demand to another status; declining needs a reason, which residents see. */
export const changeDemandStatusSchema = z
  .object({
    to: z.enum(DEMAND_STATUSES),
    note: z.string().trim().max(500).optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((c) => c.to !== 'declined' || c.reason, { message: 'say why the demand is declined', path: ['reason'] });
export type ChangeDemandStatusRequest = z.input<typeof changeDemandStatusSchema>;

/** 附议. `namedConsent`: show my name among those who seconded it. */
export const secondDemandSchema = z.object({ namedConsent: z.boolean().default(false) }).strict();
export type SecondDemandRequest = z.input<typeof secondDemandSchema>;

export const DEMAND_SORTS = ['newest', 'oldest', 'most_seconded'] as const;
export type DemandSort = (typeof DEMAND_SORTS)[number];

/** The list's query string: filters, the text to search (a Chinese substring), the order, and the page. */
export const demandListQuerySchema = z
  .object({
    status: z.enum(DEMAND_STATUSES).optional(),
    category: z.enum(DEMAND_CATEGORIES).optional(),
    channel: z.enum(DEMAND_CHANNELS).optional(),
    buildingId: z.uuid().optional(),
    q: z.string().trim().min(1).max(50).optional(),
    sort: z.enum(DEMAND_SORTS).default('newest'),
    /** The `nextCursor` of the previous page. */
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type DemandListQuery = z.input<typeof demandListQuerySchema>;

export interface DemandProjectRef {
  id: string;
  title: string;
}

export interface DemandView {
  id: string;
  scope: DemandScope;
  buildingId: string | null;
  buildingName: string | null;
  gateId: string | null;
  gateName: string | null;
  category: DemandCategory;
  channel: DemandChannel;
  title: string;
  body: string;
  status: DemandStatus;
  declineReason: string | null;
  /** Who raised it: only where they agreed to be named (the chair and gate leaders always see it). */
  raisedByName: string | null;
  /** Entered by a gate leader or the chair for someone else. */
  onBehalf: boolean;
  /** Seen by the chair and gate leaders only. */
  enteredByName: string | null;
  seconds: number;
  secondedByMe: boolean;
  /** The viewer raised it. */
  mine: boolean;
  photoCount: number;
  /** The projects that answer it. */
  projects: DemandProjectRef[];
  createdAt: string;
  updatedAt: string;
}

export interface DemandStatusChangeView {
  from: DemandStatus | null;
  to: DemandStatus;
  note: string | null;
  changedByName: string | null;
  changedAt: string;
}

export interface DemandDetailView extends DemandView {
  history: DemandStatusChangeView[];
  photoIds: string[];
  /** Names of those who seconded it and agreed to be named. */
  secondedByNames: string[];
}

export interface DemandPage {
  items: DemandView[];
  nextCursor: string | null;
}

export interface DemandCount<K extends string = string> {
  key: K;
  count: number;
}

/** How many demands, by status, category, building (key: building id, or null for the whole compound or community) and channel. */
export interface DemandCounts {
  total: number;
  byStatus: Array<DemandCount<DemandStatus>>;
  byCategory: Array<DemandCount<DemandCategory>>;
  byChannel: Array<DemandCount<DemandChannel>>;
  byBuilding: Array<{ buildingId: string | null; buildingName: string | null; count: number }>;
}
