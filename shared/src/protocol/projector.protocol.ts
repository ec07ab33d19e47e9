import { z } from 'zod';
import type { MeetingView, QuorumView, SpeakersView } from './meeting.protocol';
import type { RoundView, TallyView } from './vote.protocol';

/**
 * The projector view of a live meeting: a big screen in the courtyard or the activity room,
 * opened with a per-meeting link the chair creates and can revoke. The link's secret token
 * (in the address's fragment, so never in a server log) is the socket's whole identity: it may
 * read that one meeting's public state and nothing else.
 */

/** The token as the link carries it: 32 random bytes, base64url. */
export const PROJECTOR_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** How a projector connects instead of `{ token }`: `io(origin, { auth: projectorAuth(…) })`. */
export interface ProjectorAuth {
  projectorToken: string;
  meetingId: string;
}

/** The chair's view of the meeting's link. The token itself is shown once, when it is created. */
export interface ProjectorLinkView {
  /** Null when the meeting has no live link. */
  link: { id: string; createdAt: string; createdBy: string } | null;
}

/** A new link: `token` is not stored by the server (only its hash) and cannot be shown again. */
export interface CreatedProjectorLink {
  link: { id: string; createdAt: string; createdBy: string };
  token: string;
}

/** A proposal taken up by one of the meeting's agenda items. */
export interface ProjectorProposal {
  id: string;
  title: string;
  agendaItemIds: string[];
}

/**
 * What the screen shows, in one message: no attendance list, no chat, no presence, no ballots
 * of anyone, only the figures a room may see (the quorum, the tally's counts).
 */
export interface ProjectorState {
  seq: number;
  serverTime: string;
  meeting: MeetingView;
  quorum: QuorumView;
  speakers: SpeakersView;
  proposals: ProjectorProposal[];
  /** The meeting's latest round (the open one, if any), and its count. */
  round: RoundView | null;
  tally: TallyView | null;
}

/** A meeting change as the screen gets it: the public slices only (attendance reduced to the quorum; chat never). */
export type ProjectorEvent = { meetingId: string; seq: number; at: string } & (
  { kind: 'meeting'; meeting: MeetingView } | { kind: 'quorum'; quorum: QuorumView } | { kind: 'speakers'; speakers: SpeakersView }
);

/** Applies an event; every event carries its whole slice, so only a slice older than the state's is ignored. */
export function applyProjectorEvent(state: ProjectorState, e: ProjectorEvent): ProjectorState {
  if (e.seq <= state.seq) return state;
  const next = { ...state, seq: e.seq };
  switch (e.kind) {
    case 'meeting':
      return { ...next, meeting: e.meeting };
    case 'quorum':
      return { ...next, quorum: e.quorum };
    case 'speakers':
      return { ...next, speakers: e.speakers };
  }
}

export const projectorCommandSchemas = {
  /** The projector's one command: the screen's whole state; its events follow. */
  'projector:join': z.object({}).strict(),
} as const;

export interface ProjectorCommandResults {
  'projector:join': { state: ProjectorState };
}

/**
 * The only commands a projector's socket may send: its own join, and reading the meeting's
 * proposals' text (read-only: `doc:join` answers `canEdit: false`, an edit is `FORBIDDEN`).
 */
export const PROJECTOR_COMMANDS = ['projector:join', 'doc:join', 'doc:sync', 'doc:leave'] as const;

export interface ProjectorServerToClientEvents {
  /** A public change of the projector's meeting. */
  'projector:event': (e: ProjectorEvent) => void;
  /** The chair revoked the link: the server disconnects the screen right after. */
  'projector:ended': (p: { code: string }) => void;
}
