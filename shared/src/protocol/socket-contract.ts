import type { z } from 'zod';
import type { ErrorCode } from '../errors/error-codes';
import type { AckFn } from './ack';
import { docCommandSchemas, type DocCommandResults, type DocServerToClientEvents } from './doc.protocol';
import { meetingCommandSchemas, type MeetingCommandResults, type MeetingServerToClientEvents } from './meeting.protocol';
import { projectorCommandSchemas, type ProjectorCommandResults, type ProjectorServerToClientEvents } from './projector.protocol';
import { voteCommandSchemas, type VoteCommandResults, type VoteServerToClientEvents } from './vote.protocol';
import { listsCommandSchemas, type ListsCommandResults, type ListsServerToClientEvents } from './lists-live.protocol';
import type { NoticeServerToClientEvents } from './notices.protocol';

/**
 * The whole Socket.IO contract of the one connection, in one place: every command a client
 * sends (its payload schema, its result, the codes it may be refused with) and every event the
 * server emits (its payload). The server's `Server<…>`/`Socket<…>` and the client's `Socket<…>`
 * and `command()` are typed from here, so renaming a field breaks the build on both sides
 * (socket-contract.spec.ts holds the proof). The per-feature files (meeting, doc, vote, lists-live) keep
 * their schemas and results; this file only joins them.
 */

/** Every command's zod schema, by name. The server parses each payload with it before anything else. */
export const commandSchemas = {
  ...meetingCommandSchemas,
  ...docCommandSchemas,
  ...voteCommandSchemas,
  ...listsCommandSchemas,
  ...projectorCommandSchemas,
} as const;

export type CommandName = keyof typeof commandSchemas;

/** What a client sends: the schema's input (defaults may be left out). */
export type CommandPayload<C extends CommandName> = z.input<(typeof commandSchemas)[C]>;

/** What the server's handler receives once the schema has parsed the payload. */
export type ParsedCommand<C extends CommandName> = z.output<(typeof commandSchemas)[C]>;

/** What each command's successful ack carries besides `ok: true`. */
export interface CommandResults
  extends MeetingCommandResults, DocCommandResults, VoteCommandResults, ListsCommandResults, ProjectorCommandResults {}

export type CommandResult<C extends CommandName> = CommandResults[C];

/**
 * Codes any command may be refused with: the pipeline's (rate limit, schema), authorization
 * (`NOT_FOUND` hides what the caller may not see), and a passing or unexpected server failure.
 */
export const COMMON_COMMAND_ERRORS = [
  'RATE_LIMITED',
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAVAILABLE',
  'INTERNAL',
] as const satisfies readonly ErrorCode[];

/** The codes each command may be refused with besides the common ones: what a caller should be ready for. */
export const COMMAND_ERRORS = {
  'meeting:join': [],
  'meeting:leave': [],
  'meeting:sync': [],
  'meeting:open': ['MEETING_NOT_SCHEDULED'],
  'meeting:adjourn': ['MEETING_NOT_LIVE'],
  'agenda:set-current': ['MEETING_NOT_LIVE'],
  'attendance:check-in': ['MEETING_NOT_LIVE', 'NOT_INVITED'],
  'attendance:register': ['MEETING_NOT_LIVE'],
  'hand:raise': ['MEETING_NOT_LIVE', 'NOT_INVITED'],
  'hand:lower': ['MEETING_NOT_LIVE'],
  'floor:give': ['MEETING_NOT_LIVE', 'NO_SPEAKER_WAITING'],
  'floor:end': ['MEETING_NOT_LIVE'],
  'speakers:reorder': ['MEETING_NOT_LIVE'],
  'chat:send': ['MEETING_NOT_LIVE', 'NOT_INVITED'],
  'chat:hide': [],
  'doc:join': [],
  'doc:leave': [],
  'doc:sync': ['OUT_OF_SYNC', 'PAYLOAD_TOO_LARGE'],
  'doc:awareness': [],
  'vote:follow': [],
  'vote:unfollow': [],
  'vote:cast': ['NOT_ELIGIBLE', 'WRONG_REVISION', 'ROUND_CLOSED', 'SPLIT_STANCE', 'CONFLICT'],
  'vote:rounds': [],
  'lists:follow': [],
  'lists:unfollow': [],
  'projector:join': [],
} as const satisfies { [C in CommandName]: readonly ErrorCode[] };

export type CommandErrorCode<C extends CommandName> = (typeof COMMON_COMMAND_ERRORS)[number] | (typeof COMMAND_ERRORS)[C][number];

/** One row per command: payload sent, payload parsed, result acknowledged, codes refused with. */
export type CommandMap = {
  [C in CommandName]: { payload: CommandPayload<C>; parsed: ParsedCommand<C>; result: CommandResult<C>; errors: CommandErrorCode<C> };
};

/** What a server handler of a command is: the parsed payload in, the ack's result out. */
export type CommandHandler<C extends CommandName> = (payload: ParsedCommand<C>) => Promise<CommandResult<C>>;

type ServerListeners = MeetingServerToClientEvents &
  DocServerToClientEvents &
  VoteServerToClientEvents &
  ListsServerToClientEvents &
  NoticeServerToClientEvents &
  ProjectorServerToClientEvents;

/** Every event the server emits, by name: its one payload. */
export type ServerEventMap = { [E in keyof ServerListeners]: Parameters<ServerListeners[E]>[0] };

export type ServerEventName = keyof ServerEventMap;

/** The contract in the shape Socket.IO's generics take, for `Server<…>`, `Socket<…>` and `io()`. */
export type ClientToServerEvents = { [C in CommandName]: (payload: CommandPayload<C>, ack: AckFn<CommandResult<C>>) => void };
export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerEventMap[E]) => void };

/** What shared's clients listen for: the server's events and the socket's own (re)connects. */
type ListenedEvent = ServerEventName | 'connect' | 'disconnect';

/**
 * The part of a socket.io-client socket that shared's clients (MeetingSession, SocketIOProvider)
 * use, loose on purpose: Node tools pass sockets typed with Socket.IO's default event map.
 */
export interface CommandSocket {
  on(event: ListenedEvent, listener: (...args: never[]) => void): unknown;
  off(event: ListenedEvent, listener: (...args: never[]) => void): unknown;
  emit(event: CommandName, ...args: unknown[]): unknown;
}

/** Sends a command and resolves with its ack's result, or rejects with an Error carrying the refusal's `code`. */
export function sendCommand<C extends CommandName>(socket: CommandSocket, name: C, payload: CommandPayload<C>): Promise<CommandResult<C>> {
  return new Promise((resolve, reject) => {
    const ack: AckFn<CommandResult<C>> = (a) =>
      a.ok ? resolve(a) : reject(Object.assign(new Error(a.error.message), { code: a.error.code }));
    socket.emit(name, payload, ack);
  });
}
