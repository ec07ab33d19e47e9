import { z } from 'zod';
import type { Action } from '../domain/policy';

/**
 * Live updates of the three lists and whistles over the one socket. A client with a compound's
 * demand or project list (or a page of one) open follows the compound's lists; the server then
 * tells it, after each committed change, what changed, and it loads that again. The event names
 * the thing only: what the caller may see of it is the HTTP answer's business.
 */
export const listsCommandSchemas = {
  /** Hear of the compound's demand and project changes (`demand.view`). */
  'lists:follow': z.object({ compoundId: z.uuid() }),
  'lists:unfollow': z.object({ compoundId: z.uuid() }),
} as const;

export type ListsCommand = keyof typeof listsCommandSchemas;

/** The action of the policy table each lists command needs in the compound. */
export const LISTS_COMMAND_ACTIONS = {
  'lists:follow': 'demand.view',
  'lists:unfollow': 'demand.view',
} as const satisfies Record<ListsCommand, Action>;

export interface ListsCommandResults {
  'lists:follow': Record<string, never>;
  'lists:unfollow': Record<string, never>;
}

export const LIST_CHANGE_KINDS = ['demand', 'project', 'whistle'] as const;
export type ListChangeKind = (typeof LIST_CHANGE_KINDS)[number];

/**
 * Something in a compound's lists changed (committed). Demands and projects go to the sockets
 * following the compound's lists; a whistle only to the users who may see it (the chair, the
 * targets' members, the residents who raised or seconded its demand), followers or not.
 */
export interface ListsChangedEvent {
  compoundId: string;
  kind: ListChangeKind;
  id: string;
}

export interface ListsServerToClientEvents {
  'lists:changed': (e: ListsChangedEvent) => void;
}
