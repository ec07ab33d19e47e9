import { type MeetingState, MeetingSession, type ServerEventMap } from '@yishi/shared';
import { useEffect, useState } from 'react';
import { keepRoomOffline, offlineRoom, showOfflineCopy } from './offline-store';
import { getSocket } from './realtime';
import { useMe } from './session';

export interface MeetingHandle {
  state: MeetingState | null;
  error: unknown;
  /** Server clock minus this device's clock, in ms, for countdowns that agree with the server. */
  clockOffsetMs: number;
  /** False while the state is the copy kept on this device, before the server has answered. */
  live: boolean;
}

/**
 * Joins a meeting over the app's one socket and keeps its state: MeetingSession applies the
 * numbered events, fills gaps and, after a reconnect, asks only for what it missed, so the
 * screen resumes without a reload. Opened offline, it shows the copy kept when the room was
 * last seen (marked as such by OfflineCopyNotice) until the server answers.
 */
export function useMeeting(meetingId: string): MeetingHandle {
  const userId = useMe().user.id;
  const [handle, setHandle] = useState<MeetingHandle>(() => ({
    state: offlineRoom(userId, meetingId)?.state ?? null,
    error: null,
    clockOffsetMs: 0,
    live: false,
  }));
  const { live, state: current } = handle;

  useEffect(() => {
    if (live || !current) return;
    showOfflineCopy(offlineRoom(userId, meetingId)?.savedAt ?? null);
    return () => showOfflineCopy(null);
  }, [live, current, userId, meetingId]);

  // Kept for the next time the room is opened without a network, a second after the last change.
  useEffect(() => {
    if (!live || !current) return;
    const timer = setTimeout(() => keepRoomOffline(userId, meetingId, current), 1000);
    return () => clearTimeout(timer);
  }, [live, current, userId, meetingId]);

  useEffect(() => {
    const socket = getSocket();
    let offset = 0;
    const session = new MeetingSession(socket, meetingId, (state) => setHandle({ state, error: null, clockOffsetMs: offset, live: true }));
    const onEvent = (e: ServerEventMap['meeting:event']) => {
      if (e.meetingId === meetingId) offset = Date.parse(e.at) - Date.now();
    };
    socket.on('meeting:event', onEvent);
    const join = () =>
      session.join().then(
        (state) => {
          offset = Date.parse(state.serverTime) - Date.now();
          setHandle({ state, error: null, clockOffsetMs: offset, live: true });
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
