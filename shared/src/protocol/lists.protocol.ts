/**
 * The three lists (需求清单, 资源清单, 项目清单) and whistles (吹哨): the values their tables
 * allow (the migration's CHECK constraints hold the same lists) and the allowed status moves.
 */

export const DEMAND_CATEGORIES = [
  'environment',
  'infrastructure',
  'safety',
  'parking',
  'elderly_care',
  'greening',
  'property_service',
  'neighbourhood',
  'other',
] as const;
export type DemandCategory = (typeof DEMAND_CATEGORIES)[number];

/** Where a demand was heard: a home visit (入户走访), the 12345 hotline, a forum, a meeting, online. */
export const DEMAND_CHANNELS = ['home_visit', 'hotline_12345', 'forum', 'meeting', 'online'] as const;
export type DemandChannel = (typeof DEMAND_CHANNELS)[number];

/** A demand concerns the compound (optionally one building or gate) or the whole community. */
export const DEMAND_SCOPES = ['compound', 'community'] as const;
export type DemandScope = (typeof DEMAND_SCOPES)[number];

export const DEMAND_STATUSES = [
  'new',
  'handled_in_community',
  'to_escalate',
  'in_deliberation',
  'became_project',
  'done',
  'declined',
] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

/**
 * Where a demand may go from each status. A new demand is handled in the community, marked to
 * escalate (吹哨), taken into deliberation, or declined; deliberation ends in a project (or sends
 * it back); a project's end makes it done, and a stopped project returns it to deliberation.
 * Done and declined are final. Declining always needs a reason.
 */
export const DEMAND_TRANSITIONS: Readonly<Record<DemandStatus, readonly DemandStatus[]>> = {
  new: ['handled_in_community', 'to_escalate', 'in_deliberation', 'declined'],
  handled_in_community: ['done', 'to_escalate', 'in_deliberation', 'declined'],
  to_escalate: ['handled_in_community', 'in_deliberation', 'done', 'declined'],
  in_deliberation: ['became_project', 'handled_in_community', 'to_escalate', 'declined'],
  became_project: ['done', 'in_deliberation'],
  done: [],
  declined: [],
};

export function demandMoveAllowed(from: DemandStatus, to: DemandStatus): boolean {
  return DEMAND_TRANSITIONS[from].includes(to);
}

export const RESOURCE_KINDS = ['venue', 'team', 'person', 'service', 'fund'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Whether a resource can be provided outright, borrowed, or shared with others. */
export const RESOURCE_AVAILABILITIES = ['provide', 'borrow', 'share'] as const;
export type ResourceAvailability = (typeof RESOURCE_AVAILABILITIES)[number];

export const PROJECT_STATUSES = ['active', 'done', 'stopped'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** An active project ends done or stopped (with a reason); both are final. */
export const PROJECT_TRANSITIONS: Readonly<Record<ProjectStatus, readonly ProjectStatus[]>> = {
  active: ['done', 'stopped'],
  done: [],
  stopped: [],
};

export const WHISTLE_STATUSES = ['open', 'accepted', 'answered', 'resolved'] as const;
export type WhistleStatus = (typeof WHISTLE_STATUSES)[number];

/**
 * A whistle is accepted (报到) by a target, answered, then resolved; an answer that does not
 * settle it may send it back to accepted, and a resolved whistle may be reopened.
 */
export const WHISTLE_TRANSITIONS: Readonly<Record<WhistleStatus, readonly WhistleStatus[]>> = {
  open: ['accepted', 'resolved'],
  accepted: ['answered', 'resolved'],
  answered: ['accepted', 'resolved'],
  resolved: ['open'],
};

export const WHISTLE_EVENT_KINDS = ['raised', 'accepted', 'answered', 'resolved', 'reopened', 'noted'] as const;
export type WhistleEventKind = (typeof WHISTLE_EVENT_KINDS)[number];
