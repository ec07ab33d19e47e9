import type { ClientToServerEvents, PresenceView, ServerToClientEvents } from '@yishi/shared';
import type { RemoteSocket, Server, Socket } from 'socket.io';

/** A document a socket has joined, as the docs gateway decided at `doc:join`. */
export interface JoinedDoc {
  compoundId: string;
  canEdit: boolean;
  /** The role shown beside the user's name in others' presence. */
  role: string;
  /** A meeting's minutes, followed as a chair or as another member (every edit of them is checked again: see DocRights). */
  minutes?: 'chair' | 'member';
}

/** What the server remembers about a socket; read across nodes by fetchSockets, so plain data. */
export interface SocketData {
  userId: string;
  sessionId: string;
  displayName: string;
  language: 'zh' | 'en';
  /** The meetings this socket has joined, with how it appears in each one's presence list. */
  meetings: Record<string, { compoundId: string; presence: PresenceView }>;
  /** The documents this socket has joined (set at the first `doc:join`). */
  docs?: Record<string, JoinedDoc>;
  /**
   * Set for a projector's socket, whose identity is a meeting's link and not a person: it may
   * only send PROJECTOR_COMMANDS, for this meeting. Its `userId` is `projector:<linkId>` (it
   * counts the connection limits and document work) and its `sessionId` is empty.
   */
  projector?: { linkId: string; meetingId: string; compoundId: string };
}

/**
 * What one node tells the others through the adapter (`serverSideEmit`): documents' committed
 * updates and their clients' awareness, which each node applies to its own copy and passes on.
 */
export interface InterServerEvents {
  'doc:updates': (docId: string, update: Uint8Array) => void;
  'doc:awareness': (docId: string, message: Uint8Array) => void;
}

/** The one Socket.IO server and its sockets, typed by the contract in shared/src/protocol/socket-contract.ts. */
export type YishiServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type YishiSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/** A socket as fetchSockets returns it: possibly on another node. */
export type RemoteYishiSocket = RemoteSocket<ServerToClientEvents, SocketData>;

/** Room names. Rooms, unlike socket data, can be changed from any node. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  meeting: (meetingId: string) => `meeting:${meetingId}`,
  /**
   * Guests of a wider meeting (members of a compound an item is about) are in its room and in
   * these two: every guest, and the guests of one compound, who get the agenda and the rounds
   * about their own compound only.
   */
  meetingGuests: (meetingId: string) => `meeting-guests:${meetingId}`,
  meetingGuest: (meetingId: string, compoundId: string) => `meeting-guest:${meetingId}:${compoundId}`,
  doc: (docId: string) => `doc:${docId}`,
  /**
   * The followers of a document (also in `doc`) that read several updates in one `doc:sync`
   * event (they joined with `batched`); the others get them one to an event. Left with `doc`.
   */
  docBatched: (docId: string) => `doc-batched:${docId}`,
  round: (roundId: string) => `round:${roundId}`,
  /** Sockets that have a compound's demand or project list (or a page of one) open. */
  lists: (compoundId: string) => `lists:${compoundId}`,
  /**
   * A socket in this room has been authorized to cast in the round (at `vote:follow`). Casting is
   * the hot path, so it skips the membership query; a membership change takes sockets out of the
   * room on every node.
   */
  roundCast: (roundId: string) => `round-cast:${roundId}`,
  /** The projector screens of a meeting: its public events only (never the meeting room itself). */
  projector: (meetingId: string) => `projector:${meetingId}`,
  /** The screens opened with one link, cut off together when it is revoked. */
  projectorLink: (linkId: string) => `projector-link:${linkId}`,
};
