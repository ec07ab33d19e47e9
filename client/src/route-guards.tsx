import { allows, type Action, type Role } from '@yishi/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { ErrorAlert } from './components/alert';
import { CompoundNav } from './components/compound-nav';
import { Redirect } from './components/redirect';
import { Forbidden, Loading } from './components/status-screens';
import { pathTo, useRouteParams } from './lib/routes';
import { compoundsOf, useMe, useSession } from './lib/session';
import { SignInPage } from './pages/sign-in.page';

/** Until the stored session is resumed: "loading", or the server could not be asked (with a retry). */
export function KnownSession() {
  const { t } = useTranslation();
  const session = useSession();
  const { state } = session;
  if (state.status === 'restoring') return <Loading />;
  if (state.status === 'unreachable') {
    return (
      <ErrorAlert
        error={state.error}
        action={
          <button type="button" onClick={session.retry} data-testid="retry">
            {t('common.retry')}
          </button>
        }
      />
    );
  }
  return <Outlet />;
}

/** Screens for signed-in users; anyone else is sent to sign in. */
export function SignedIn() {
  const { state } = useSession();
  return state.status === 'signed-in' ? <Outlet /> : <Redirect to={pathTo('signIn')} />;
}

/** Where a signed-in user starts. With one compound there is nothing to choose: go straight in. */
export function HomeRedirect() {
  const [only, ...others] = compoundsOf(useMe());
  return <Redirect to={only && others.length === 0 ? pathTo('compound', { compoundId: only.compoundId }) : pathTo('compounds')} />;
}

/** The sign-in page; a signed-in user is on their way in. */
export function SignInRoute() {
  const { state } = useSession();
  if (state.status === 'signed-in') return <HomeRedirect />;
  return <SignInPage expired={state.status === 'signed-out' && state.expired} />;
}

export interface CompoundAccess {
  compoundId: string;
  roles: readonly Role[];
}

/** The compound the address names, with the user's roles there; null when they are not a member. */
function useCompoundAccess(): CompoundAccess | null {
  const { compoundId } = useRouteParams('compound');
  const compound = compoundsOf(useMe()).find((c) => c.compoundId === compoundId);
  return compound ? { compoundId: compound.compoundId, roles: compound.roles } : null;
}

/** For screens under `InCompound`, which has checked the membership. */
export function useCompound(): CompoundAccess {
  const access = useCompoundAccess();
  if (!access) throw new Error('useCompound outside InCompound');
  return access;
}

/** A compound's screens. Not a member there: the server would refuse every call, so say so at once. */
export function InCompound() {
  return useCompoundAccess() ? <Outlet /> : <Forbidden />;
}

/** The compound's own screens, under the menu of those the user's roles may open. */
export function CompoundSection() {
  const { compoundId, roles } = useCompound();
  return (
    <>
      <CompoundNav compoundId={compoundId} roles={roles} />
      <Outlet />
    </>
  );
}

/** The server refuses anyway; asking the shared policy first spares a pointless screen. */
export function Allowed({ action, children }: { action: Action; children: ReactNode }) {
  const { roles } = useCompound();
  return allows(roles, action) ? children : <Forbidden />;
}
