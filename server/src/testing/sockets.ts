import {
  type Ack,
  type ClientToServerEvents,
  type MeetingCommand,
  type MeetingCommandPayload,
  type MeetingCommandResults,
  type ServerToClientEvents,
  SOCKET_PARSER,
} from '@yishi/shared';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io-client connection over WebSocket, resolved once connected (or rejected with the refusal). */
export function connect(baseUrl: string, token: string | undefined, extraHeaders?: Record<string, string>): Promise<ClientSocket> {
  return connectWith(baseUrl, token ? { token } : {}, extraHeaders);
}

/** The same with any handshake `auth` (a projector's link: `{ projectorToken, meetingId }`). */
export function connectWith(baseUrl: string, auth: object, extraHeaders?: Record<string, string>): Promise<ClientSocket> {
  const socket: ClientSocket = io(baseUrl, {
    parser: SOCKET_PARSER,
    transports: ['websocket'],
    auth,
    reconnection: false,
    forceNew: true,
    extraHeaders,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Sends a command and resolves to its ack. */
export function send<C extends MeetingCommand>(
  socket: ClientSocket,
  name: C,
  payload: MeetingCommandPayload<C> | unknown,
): Promise<Ack<MeetingCommandResults[C]>> {
  return (socket.timeout(10_000) as unknown as { emitWithAck(n: string, p: unknown): Promise<Ack<MeetingCommandResults[C]>> }).emitWithAck(
    name,
    payload,
  );
}

/** Resolves with the first event of that name that satisfies the predicate. */
export function waitFor<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  name: E,
  predicate: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(name, handler as never);
      reject(new Error(`no ${String(name)} matching within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      socket.off(name, handler as never);
      resolve(args[0]);
    };
    socket.on(name, handler as never);
  });
}
