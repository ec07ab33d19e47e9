import { z } from 'zod';
import type { DemandStatus, ProjectStatus, ResourceKind } from './lists.protocol';

const isoDate = z.iso.date('a date as YYYY-MM-DD');

export const milestoneSchema = z
  .object({
    title: z.string().trim().min(1, 'name the milestone').max(100),
    dueOn: isoDate,
  })
  .strict();
export type MilestoneRequest = z.input<typeof milestoneSchema>;

const resourceLink = z.object({ resourceId: z.uuid(), note: z.string().trim().max(200).default('') }).strict();

const distinct = (ids: string[]) => new Set(ids).size === ids.length;

/**
 * Starting a project from one or more demands that went through deliberation: the meetings
 * that discussed it, the adopted proposal (with its funding sign-offs), resources, an owner.
 */
export const createProjectSchema = z
  .object({
    title: z.string().trim().min(1, 'give the project a name').max(100),
    summary: z.string().trim().max(4000).default(''),
    demandIds: z.array(z.uuid()).min(1, 'a project answers at least one demand').max(50).refine(distinct, 'a demand is named twice'),
    meetingIds: z.array(z.uuid()).max(20).refine(distinct, 'a meeting is named twice').default([]),
    adoptedProposalId: z.uuid().nullable().default(null),
    ownerId: z.uuid().nullable().default(null),
    resources: z.array(resourceLink).max(50).default([]),
    milestones: z.array(milestoneSchema).max(30).default([]),
  })
  .strict();
export type CreateProjectRequest = z.input<typeof createProjectSchema>;

/** Changing an active project: any field given replaces the old value (lists as a whole). */
export const updateProjectSchema = z
  .object({
    title: z.string().trim().min(1).max(100).optional(),
    summary: z.string().trim().max(4000).optional(),
    meetingIds: z.array(z.uuid()).max(20).refine(distinct, 'a meeting is named twice').optional(),
    adoptedProposalId: z.uuid().nullable().optional(),
    ownerId: z.uuid().nullable().optional(),
    resources: z.array(resourceLink).max(50).optional(),
  })
  .strict();
export type UpdateProjectRequest = z.input<typeof updateProjectSchema>;

export const progressSchema = z.object({ note: z.string().trim().min(1, 'say what was done').max(2000) }).strict();
export type ProgressRequest = z.input<typeof progressSchema>;

/** Ending a project: done, or stopped with a reason residents will read. */
export const endProjectSchema = z
  .object({
    to: z.enum(['done', 'stopped']),
    reason: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((e) => e.to !== 'stopped' || e.reason, { message: 'say why the project is stopped', path: ['reason'] });
export type EndProjectRequest = z.input<typeof endProjectSchema>;

/** A resident's satisfaction check (验收) of a finished project. */
export const acceptanceSchema = z
  .object({
    satisfied: z.boolean(),
    comment: z.string().trim().max(1000).default(''),
  })
  .strict();
export type AcceptanceRequest = z.input<typeof acceptanceSchema>;

export const projectListQuerySchema = z
  .object({
    status: z.enum(['active', 'done', 'stopped']).optional(),
    q: z.string().trim().min(1).max(50).optional(),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type ProjectListQuery = z.input<typeof projectListQuerySchema>;

export interface AcceptanceSummary {
  satisfied: number;
  unsatisfied: number;
}

export interface ProjectView {
  id: string;
  title: string;
  status: ProjectStatus;
  ownerName: string | null;
  demandCount: number;
  milestonesDone: number;
  milestonesTotal: number;
  acceptance: AcceptanceSummary;
  createdAt: string;
  endedAt: string | null;
}

export interface ProjectPage {
  items: ProjectView[];
  total: number;
  offset: number;
  limit: number;
}

/** "9 projects, 6 done": the compound page's figures. */
export interface ProjectCounts {
  total: number;
  active: number;
  done: number;
  stopped: number;
}

export const PROJECT_EVENT_KINDS = ['created', 'edited', 'milestone_added', 'milestone_done', 'progress', 'done', 'stopped'] as const;
export type ProjectEventKind = (typeof PROJECT_EVENT_KINDS)[number];

export interface ProjectEventView {
  kind: ProjectEventKind;
  note: string | null;
  actorName: string | null;
  at: string;
}

export interface ProjectDetailView extends ProjectView {
  summary: string;
  stopReason: string | null;
  ownerId: string | null;
  demands: Array<{ id: string; title: string; status: DemandStatus }>;
  meetings: Array<{ id: string; title: string; scheduledAt: string; status: string }>;
  proposal: {
    id: string;
    title: string;
    status: string;
    signOffs: Array<{ organisationName: string; decision: 'given' | 'refused'; amountFen: number; signedAt: string }>;
  } | null;
  resources: Array<{ id: string; name: string; kind: ResourceKind; organisationName: string | null; note: string }>;
  milestones: Array<{ id: string; title: string; dueOn: string; doneAt: string | null }>;
  /** Progress notes, each with the ids of its photos (`GET …/projects/:id/photos/:photoId`). */
  updates: Array<{ id: string; note: string; authorName: string | null; createdAt: string; photoIds: string[] }>;
  /** The viewer's own answer to the satisfaction check, if given. */
  myAcceptance: { satisfied: boolean; comment: string } | null;
  /** Comments residents left with their answers (no names). */
  acceptanceComments: string[];
  history: ProjectEventView[];
}

/** The projects that answered each demand asked about. */
export interface DemandProjects {
  demandId: string;
  projects: Array<{ id: string; title: string; status: ProjectStatus }>;
}

export const demandProjectsQuerySchema = z
  .object({
    /** Comma-separated demand ids. */
    demandIds: z
      .string()
      .max(3700)
      .transform((s) => s.split(',').filter(Boolean))
      .pipe(z.array(z.uuid()).min(1).max(100)),
  })
  .strict();
