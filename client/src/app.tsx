import { allows, ERRORS, type Action, type Role } from '@yishi/shared';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorAlert } from './components/alert';
import { AppHeader } from './components/app-header';
import { CompoundNav } from './components/compound-nav';
import { ErrorBoundary } from './components/error-boundary';
import { Link } from './components/link';
import { PageHeading } from './components/page-heading';
import { Redirect } from './components/redirect';
import { catalogueLanguage } from './lib/i18n';
import { matchPath, usePathname } from './lib/router';
import { compoundsOf, useSession } from './lib/session';
import { ChooseCompoundPage } from './pages/choose-compound.page';
import { CompoundHomePage } from './pages/compound-home.page';
import { JoinPage } from './pages/join.page';
import { MeetingRoomPage } from './pages/meeting-room.page';
import { ProposalHistoryPage } from './pages/proposal-history.page';
import { SignInPage } from './pages/sign-in.page';

// Management screens are for a handful of chairs and gate leaders; residents on slow phones
// should not download them.
const MembersPage = lazy(() => import('./pages/members.page'));
const HouseholdsPage = lazy(() => import('./pages/households.page'));
const InvitationsPage = lazy(() => import('./pages/invitations.page'));
const RegisterImportPage = lazy(() => import('./pages/register-import.page'));
const RulesPage = lazy(() => import('./pages/rules.page'));

interface ManagedScreen {
  suffix: string;
  action: Action;
  Page: ComponentType<{ compoundId: string; roles: readonly Role[] }>;
}

const MANAGED_SCREENS: ManagedScreen[] = [
  { suffix: 'members', action: 'member.list', Page: MembersPage },
  { suffix: 'households', action: 'household.list', Page: HouseholdsPage },
  { suffix: 'invitations', action: 'invitation.list', Page: InvitationsPage },
  { suffix: 'register', action: 'register.import', Page: RegisterImportPage },
];

function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="loading">
      {t('common.loading')}
    </p>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <PageHeading title={t('errors.notFound')}>{t('errors.notFound')}</PageHeading>
      <p>
        <Link href="/" className="button-link">
          {t('errors.toHome')}
        </Link>
      </p>
    </section>
  );
}

function Forbidden() {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <PageHeading title={t('forbidden.title')}>{t('forbidden.title')}</PageHeading>
      <Alert>{ERRORS.FORBIDDEN[catalogueLanguage()]}</Alert>
    </section>
  );
}

function SignedOutScreens({ pathname, expired }: { pathname: string; expired: boolean }) {
  if (pathname === '/join') return <JoinPage />;
  if (pathname !== '/sign-in') return <Redirect to="/sign-in" />;
  return <SignInPage expired={expired} />;
}

function CompoundScreens({ pathname, compoundId, roles }: { pathname: string; compoundId: string; roles: Role[] }) {
  const home = matchPath('/c/:compoundId', pathname);
  const room = matchPath('/c/:compoundId/m/:meetingId', pathname);
  const history = matchPath('/c/:compoundId/p/:proposalId', pathname);
  // The meeting room is a screen of its own: no management menu above the meeting.
  if (room) return <MeetingRoomPage key={room.meetingId} compoundId={compoundId} meetingId={room.meetingId} roles={roles} />;
  if (history) return <ProposalHistoryPage compoundId={compoundId} proposalId={history.proposalId} roles={roles} />;
  const screen = MANAGED_SCREENS.find((s) => matchPath(`/c/:compoundId/${s.suffix}`, pathname));

  let content: ReactNode;
  if (home) content = <CompoundHomePage compoundId={compoundId} />;
  else if (!screen) content = <NotFound />;
  // The server refuses anyway; asking the shared policy first spares a pointless screen.
  else if (!allows(roles, screen.action)) content = <Forbidden />;
  else content = <screen.Page compoundId={compoundId} roles={roles} />;

  return (
    <>
      <CompoundNav compoundId={compoundId} roles={roles} />
      {content}
    </>
  );
}

function SignedInScreens({ pathname }: { pathname: string }) {
  const { state } = useSession();
  if (state.status !== 'signed-in') return null;
  const compounds = compoundsOf(state.me);

  if (pathname === '/' || pathname === '/sign-in') {
    // With one compound there is nothing to choose: go straight in.
    const to = compounds.length === 1 ? `/c/${encodeURIComponent(compounds[0].compoundId)}` : '/compounds';
    return <Redirect to={to} />;
  }
  if (pathname === '/compounds') return <ChooseCompoundPage />;
  if (pathname === '/join') return <JoinPage />;

  const inCompound =
    matchPath('/c/:compoundId', pathname) ?? matchPath('/c/:compoundId/:screen', pathname) ?? matchPath('/c/:compoundId/:screen/:id', pathname);
  if (inCompound) {
    const compound = compounds.find((c) => c.compoundId === inCompound.compoundId);
    // Not a member there: the server would refuse every call, so say so at once.
    if (!compound) return <Forbidden />;
    return <CompoundScreens pathname={pathname} compoundId={compound.compoundId} roles={compound.roles} />;
  }
  return <NotFound />;
}

function Screens() {
  const { t } = useTranslation();
  const session = useSession();
  const pathname = usePathname();
  const { state } = session;
  // The counting rules are public: anyone may read how a vote is counted, signed in or not.
  if (pathname === '/rules') return <RulesPage />;

  switch (state.status) {
    case 'restoring':
      return <Loading />;
    case 'unreachable':
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
    case 'signed-out':
      return <SignedOutScreens pathname={pathname} expired={state.expired} />;
    case 'signed-in':
      return <SignedInScreens pathname={pathname} />;
  }
}

export function App() {
  const pathname = usePathname();
  return (
    <>
      <AppHeader />
      <main id="main" className={matchPath('/c/:compoundId/m/:meetingId', pathname) ? 'page page-wide' : 'page'}>
        <ErrorBoundary key={pathname}>
          <Suspense fallback={<Loading />}>
            <Screens />
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}
