import { Suspense } from 'react';
import { Outlet, useLocation, useMatch } from 'react-router';
import { AppHeader } from './components/app-header';
import { ErrorBoundary } from './components/error-boundary';
import { OfflineCopyNotice } from './components/offline-copy-notice';
import { Loading } from './components/status-screens';
import { ROUTES } from './lib/routes';

/** The frame of every screen: the header, and the screen the address names (loaded on demand). */
export function App() {
  const { pathname } = useLocation();
  const inMeetingRoom = useMatch(ROUTES.meeting) !== null;
  return (
    <>
      <AppHeader />
      <main id="main" className={inMeetingRoom ? 'page page-wide' : 'page'}>
        <OfflineCopyNotice />
        <ErrorBoundary key={pathname}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}
