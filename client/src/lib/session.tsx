import type { AuthTokens, MembershipView, MeView, Role } from '@yishi/shared';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { closeSocket } from './realtime';
import { acceptTokens, api, ApiRequestError, hasStoredSession, onSessionLost, onSignedOutElsewhere, refreshSession } from './api';
import { forgetOfflineData, keepMeOffline, offlineMe } from './offline-store';

export type SessionState =
  | { status: 'restoring' }
  /** A session is stored but the server could not be reached to resume it. */
  | { status: 'unreachable'; error: unknown }
  /** `expired` is set when the server ended the session rather than the user. */
  | { status: 'signed-out'; expired: boolean }
  | { status: 'signed-in'; me: MeView };

interface Session {
  state: SessionState;
  /** Stores the tokens from sign-in or join and loads who the user is. */
  start: (tokens: AuthTokens) => Promise<void>;
  /** Loads the user's memberships again, e.g. after redeeming a code. */
  reloadMe: () => Promise<MeView>;
  signOut: () => Promise<void>;
  retry: () => void;
}

const SessionContext = createContext<Session | null>(null);

async function resume(): Promise<SessionState> {
  if (!hasStoredSession()) return { status: 'signed-out', expired: false };
  let accepted: boolean;
  try {
    accepted = await refreshSession();
  } catch (err) {
    // Offline: open the app as who signed in last on this device, so that the last meeting room
    // and the edits waiting in it are there; the session is resumed when the socket reconnects.
    const me = offlineMe();
    if (me && err instanceof ApiRequestError && err.code === 'NETWORK') return { status: 'signed-in', me };
    throw err;
  }
  // A stored session the server no longer accepts has expired: say so rather than just ask to sign in.
  if (!accepted) return { status: 'signed-out', expired: true };
  return { status: 'signed-in', me: await loadMe() };
}

async function loadMe() {
  const me = await api.me();
  keepMeOffline(me);
  return me;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'restoring' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    onSessionLost(() => {
      closeSocket();
      setState({ status: 'signed-out', expired: true });
    });
    return onSignedOutElsewhere(() => {
      closeSocket();
      void forgetOfflineData();
      setState({ status: 'signed-out', expired: false });
    });
  }, []);

  useEffect(() => {
    let current = true;
    resume().then(
      (next) => current && setState(next),
      (error: unknown) => current && setState({ status: 'unreachable', error }),
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  const session: Session = {
    state,
    async start(tokens) {
      acceptTokens(tokens);
      const me = await api.me();
      // Someone else's copies (their session expired on this device without a sign-out) are not this user's to see.
      if (offlineMe()?.user.id !== me.user.id) await forgetOfflineData();
      keepMeOffline(me);
      setState({ status: 'signed-in', me });
    },
    async reloadMe() {
      const me = await loadMe();
      setState({ status: 'signed-in', me });
      return me;
    },
    async signOut() {
      await api.signOut();
      closeSocket();
      setState({ status: 'signed-out', expired: false });
      // Not awaited: the open document copies are closed as the screens leave, then deleted.
      void forgetOfflineData();
    },
    retry() {
      setState({ status: 'restoring' });
      setAttempt((a) => a + 1);
    },
  };

  return <SessionContext value={session}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for screens that are shown to signed-in users. */
export function useMe(): MeView {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a signed-in user');
  return state.me;
}

export interface CompoundSummary {
  compoundId: string;
  compoundName: string;
  communityName: string;
  roles: Role[];
  memberships: MembershipView[];
}

/** A user holds one membership per role; screens think in compounds. */
export function compoundsOf(me: MeView): CompoundSummary[] {
  const byId = new Map<string, CompoundSummary>();
  for (const m of me.memberships) {
    let summary = byId.get(m.compoundId);
    if (!summary) {
      summary = { compoundId: m.compoundId, compoundName: m.compoundName, communityName: m.communityName, roles: [], memberships: [] };
      byId.set(m.compoundId, summary);
    }
    if (!summary.roles.includes(m.role)) summary.roles.push(m.role);
    summary.memberships.push(m);
  }
  return [...byId.values()];
}
