import {
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  type CommandResult,
  type ServerToClientEvents,
  SOCKET_PARSER,
} from '@yishi/shared';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { useSyncExternalStore } from 'react';
import { expireAccessToken, socketToken } from './api';

/** The app's socket, typed by shared's socket contract: events it hears, commands it sends. */
export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the header shows: the one socket is up, trying to come back, or the device is offline. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** How the app's sockets connect (the signed-in one, and a projector's own). */
export const SOCKET_OPTIONS = {
  parser: SOCKET_PARSER,
  // WebSocket first: starting with long-polling costs a slow phone about five round trips
  // before the room can join. Where a proxy refuses the upgrade, polling is tried next.
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
  // An old phone on a flaky network: come back quickly rather than wait the default 5 s.
  reconnectionDelay: 500,
  reconnectionDelayMax: 3000,
} satisfies Partial<ManagerOptions & SocketOptions>;

let socket: AppSocket | null = null;
let state: ConnectionState = 'connecting';
const listeners = new Set<() => void>();

function setState(next: ConnectionState): void {
  if (next === state) return;
  state = next;
  for (const l of listeners) l();
}

/** How long after a refused handshake to try again, by the refusal's code (ms). */
const RETRY_AFTER_REFUSAL: Record<string, () => number> = {
  // The next handshake refreshes the token first; a second later, so a failing refresh cannot spin.
  TOKEN_EXPIRED: () => 1000,
  // The node is stopping or its database is briefly away: through a proxy the next try reaches
  // another node, and the spread keeps a whole room from coming back in the same instant.
  UNAVAILABLE: () => 1000 + Math.random() * 1000,
  // After a storm the node may still count connections this device abandoned, until their
  // heartbeat runs out.
  TOO_MANY_CONNECTIONS: () => 5000 + Math.random() * 5000,
};

/**
 * The one Socket.IO connection of the app (meetings, documents, votes), opened on first use.
 * Each handshake, including every reconnection, asks for a fresh access token; a handshake
 * refused with TOKEN_EXPIRED refreshes the token and tries again; one refused because the node
 * cannot let it in now tries again later (RETRY_AFTER_REFUSAL).
 */
export function getSocket(): AppSocket {
  if (socket) return socket;
  const s: AppSocket = io(window.location.origin, {
    ...SOCKET_OPTIONS,
    auth: (cb) => void socketToken().then((token) => cb({ token })),
  });
  s.on('connect', () => setState('connected'));
  s.on('disconnect', () => setState(navigator.onLine ? 'reconnecting' : 'offline'));
  s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    setState(navigator.onLine ? 'reconnecting' : 'offline');
    // A refused handshake is not retried by Socket.IO itself: the app tries again after these.
    const code = err.data?.code;
    if (code === 'TOKEN_EXPIRED') expireAccessToken();
    const retryMs = code ? RETRY_AFTER_REFUSAL[code]?.() : undefined;
    if (retryMs !== undefined)
      setTimeout(() => {
        if (socket === s && !s.connected) s.connect();
      }, retryMs);
  });
  s.on('session:ended', () => {
    ended.add(s);
    s.disconnect();
  });
  listenToNetwork();
  socket = s;
  return s;
}

let listening = false;
/** Sockets the server ended (the session was signed out elsewhere): the network's return does not revive them. */
const ended = new WeakSet<AppSocket>();
/** How long a socket that says it is connected may take to answer before it is taken for dead. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * Once per page: the browser knows about the network before Socket.IO's back-off does. Going
 * offline closes the transport at once (a dead WebSocket can otherwise look open for 40 s, and
 * edits sent into it are lost); coming back reconnects at once instead of waiting out the
 * back-off, and a socket that still claims to be connected is asked to prove it.
 */
function listenToNetwork(): void {
  if (listening) return;
  listening = true;
  window.addEventListener('offline', () => {
    if (!socket) return;
    setState('offline');
    socket.io.engine?.close();
  });
  window.addEventListener('online', () => {
    const s = socket;
    if (!s || ended.has(s)) return;
    if (!s.connected) return reconnectNow(s);
    void isAlive(s).then((alive) => {
      if (socket !== s) return;
      if (alive && s.connected) setState('connected');
      else reconnectNow(s);
    });
  });
}

/** A fresh handshake now: closing the socket also cancels the manager's pending back-off timer. */
function reconnectNow(s: AppSocket): void {
  setState('reconnecting');
  s.disconnect();
  s.connect();
}

/**
 * Any answer proves the connection works; a payload the server refuses (an empty document id)
 * gets one without touching anything.
 */
function isAlive(s: AppSocket): Promise<boolean> {
  return new Promise((resolve) => {
    s.timeout(PROBE_TIMEOUT_MS).emit('doc:leave', { docId: '' }, (err: Error | null) => resolve(!err));
  });
}

/** Closes the connection (signing out); the next getSocket() opens a new one. */
export function closeSocket(): void {
  socket?.disconnect();
  socket = null;
  setState('connecting');
}

export function useConnectionState(): ConnectionState | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => (socket ? state : null),
  );
}

export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends a command and resolves with its ack, or rejects with the refusal's catalogue code. The
 * name fixes the payload's type and the result's (shared's socket contract).
 */
export function command<C extends CommandName>(name: C, payload: CommandPayload<C>, timeoutMs = 15_000): Promise<CommandResult<C>> {
  const s = getSocket();
  return new Promise((resolve, reject) => {
    // Socket.IO's own typing of a timed emit cannot follow a generic command name; this one can.
    type TimedEmit = { emit: (n: C, p: CommandPayload<C>, cb: (err: Error | null, ack: Ack<CommandResult<C>>) => void) => void };
    (s.timeout(timeoutMs) as unknown as TimedEmit).emit(name, payload, (err, ack) => {
      if (err) reject(new CommandError('NETWORK', err.message));
      else if (ack.ok) resolve(ack);
      else reject(new CommandError(ack.error.code, ack.error.message));
    });
  });
}
