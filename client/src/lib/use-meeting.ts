import { type MeetingState, MeetingSession, type ServerEventMap } from '@yishi/shared';
import { useEffect, useState } from 'react';
import { getSocket } from './realtime';

export interface MeetingHandle {
  state: MeetingState | null;
  error: unknown;
  /** Server clock minus this device's clock, in ms, for countdowns that agree with the server. */
  clockOffsetMs: number;
}

/**
 * Joins a meeting over the app's one socket and keeps its state: MeetingSession applies the
 * numbered events, fills gaps and, after a reconnect, asks only for what it missed, so the
 * screen resumes without a reload.
 */
export function useMeeting(meetingId: string): MeetingHandle {
  const [handle, setHandle] = useState<MeetingHandle>({ state: null, error: null, clockOffsetMs: 0 });

  useEffect(() => {
    const socket = getSocket();
    let offset = 0;
    const session = new MeetingSession(socket, meetingId, (state) => setHandle({ state, error: null, clockOffsetMs: offset }));
    const onEvent = (e: ServerEventMap['meeting:event']) => {
      if (e.meetingId === meetingId) offset = Date.parse(e.at) - Date.now();
    };
    socket.on('meeting:event', onEvent);
    const join = () =>
      session.join().then(
        (state) => {
          offset = Date.parse(state.serverTime) - Date.now();
          setHandle({ state, error: null, clockOffsetMs: offset });
        },
        (error: unknown) => setHandle((h) => ({ ...h, error })),
      );
    // A session joins again by itself after a reconnect; the first join waits for the connection.
    const firstJoin = () => void join();
    if (socket.connected) firstJoin();
    else socket.once('connect', firstJoin);
    return () => {
      socket.off('connect', firstJoin);
      socket.off('meeting:event', onEvent);
      session.close();
    };
  }, [meetingId]);

  return handle;
}
