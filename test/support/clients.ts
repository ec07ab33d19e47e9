import { randomUUID } from 'node:crypto';
import { MeetingSession, type MeetingState, SOCKET_PARSER } from '@yishi/shared';
import { io, type Socket } from 'socket.io-client';

/** A participant: a socket to one server node and the meeting state it keeps. */
export interface Participant {
  name: string;
  socket: Socket;
  session: MeetingSession;
  /** Resolves once the participant's state satisfies the predicate. */
  until(predicate: (s: MeetingState) => boolean, timeoutMs?: number): Promise<MeetingState>;
  send<T = any>(event: string, payload: object): Promise<T>;
  /** Moves to another node (as a browser would after its node died) and catches up there. */
  moveTo(url: string): Promise<MeetingState>;
  close(): void;
}

export async function participant(name: string, url: string, token: string, meetingId: string): Promise<Participant> {
  const waiters = new Set<{ predicate: (s: MeetingState) => boolean; resolve: (s: MeetingState) => void }>();
  const notify = (s: MeetingState) => {
    for (const w of [...waiters]) {
      if (!w.predicate(s)) continue;
      waiters.delete(w);
      w.resolve(s);
    }
  };
  const open = (u: string) =>
    io(u, {
      parser: SOCKET_PARSER,
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
  const p: Participant = {
    name,
    socket: open(url),
    session: undefined as unknown as MeetingSession,
    until(predicate, timeoutMs = 15_000) {
      const current = p.session.state;
      if (current && predicate(current)) return Promise.resolve(current);
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w)) reject(new Error(`${name}: state did not arrive in ${timeoutMs} ms; seq ${p.session.state?.seq}`));
        }, timeoutMs).unref();
      });
    },
    send(event, payload) {
      return new Promise((resolve, reject) => {
        p.socket.timeout(10_000).emit(event, payload, (err: Error | null, ack: { ok: boolean; error?: { code: string } }) => {
          if (err) reject(err);
          else if (!ack.ok) reject(Object.assign(new Error(`${name} ${event}: ${ack.error!.code}`), { code: ack.error!.code }));
          else resolve(ack as never);
        });
      });
    },
    async moveTo(u) {
      const held = p.session.state;
      p.session.close();
      p.socket.close();
      p.socket = open(u);
      p.session = new MeetingSession(p.socket, meetingId, notify);
      p.session.state = held;
      await new Promise<void>((resolve) => p.socket.once('connect', () => resolve()));
      return p.session.join();
    },
    close() {
      p.session.close();
      p.socket.close();
    },
  };
  p.session = new MeetingSession(p.socket, meetingId, notify);
  await new Promise<void>((resolve, reject) => {
    p.socket.once('connect', () => resolve());
    p.socket.once('connect_error', reject);
  });
  await p.session.join();
  return p;
}

export const chat = (p: Participant, meetingId: string, body: string) =>
  p.send('chat:send', { meetingId, clientMessageId: randomUUID(), body });
