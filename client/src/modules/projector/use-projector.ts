import {
  applyProjectorEvent,
  newerTally,
  type ProjectorAuth,
  type ProjectorEvent,
  type ProjectorState,
  type RoundView,
  sendCommand,
  type TallyView,
} from '@yishi/shared';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { type AppSocket, SOCKET_OPTIONS } from '../../lib/realtime';

export interface ProjectorHandle {
  state: ProjectorState | null;
  /** The link was refused or revoked: nothing more will come. */
  ended: boolean;
  connected: boolean;
  /** Server clock minus this screen's clock, in ms, for a countdown that agrees with the server. */
  clockOffsetMs: number;
  /** This screen's own socket (not the app's signed-in one), for the read-only text. */
  socket: AppSocket | null;
}

/** A round event: the open round (or a newer one) replaces the shown one; its tally starts again. */
function withRound(s: ProjectorState, r: RoundView): ProjectorState {
  if (r.meetingId !== s.meeting.id) return s;
  if (s.round?.id === r.id) return { ...s, round: r };
  if (r.status !== 'open' && s.round?.status === 'open') return s;
  return { ...s, round: r, tally: null };
}

/**
 * The screen's own Socket.IO connection, whose identity is the link's token (no sign-in): it
 * joins the projector's view of the meeting, applies its public events, the meeting's rounds and
 * their tallies, and joins again after every reconnect.
 */
export function useProjector(meetingId: string, token: string): ProjectorHandle {
  const [handle, setHandle] = useState<ProjectorHandle>({ state: null, ended: false, connected: false, clockOffsetMs: 0, socket: null });

  useEffect(() => {
    const auth: ProjectorAuth = { projectorToken: token, meetingId };
    const socket: AppSocket = io(window.location.origin, { ...SOCKET_OPTIONS, auth });
    const update = (f: (s: ProjectorState) => ProjectorState) => setHandle((h) => (h.state ? { ...h, state: f(h.state) } : h));
    const end = () => {
      socket.disconnect();
      setHandle((h) => ({ ...h, ended: true, connected: false }));
    };
    socket.on('connect', () => {
      sendCommand(socket, 'projector:join', {}).then(
        ({ state }) =>
          setHandle((h) => ({ ...h, state, connected: true, clockOffsetMs: Date.parse(state.serverTime) - Date.now(), socket })),
        (err: { code?: string }) => err.code === 'UNAUTHENTICATED' && end(),
      );
    });
    socket.on('disconnect', () => setHandle((h) => ({ ...h, connected: false })));
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'UNAUTHENTICATED') end();
    });
    socket.on('projector:ended', end);
    socket.on('projector:event', (e: ProjectorEvent) => {
      setHandle((h) => ({ ...h, clockOffsetMs: Date.parse(e.at) - Date.now() }));
      update((s) => applyProjectorEvent(s, e));
    });
    socket.on('vote:round', (r: RoundView) => update((s) => withRound(s, r)));
    socket.on('vote:tally', (t: TallyView) => update((s) => (s.round?.id === t.roundId ? { ...s, tally: newerTally(s.tally, t) } : s)));
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [meetingId, token]);

  return handle;
}
