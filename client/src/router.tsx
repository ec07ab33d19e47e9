import type { Action, Role } from '@yishi/shared';
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { createBrowserRouter } from 'react-router';
import { App } from './app';
import { NotFound } from './components/status-screens';
import { followNavigation, ROUTES, useRouteParams } from './lib/routes';
import { Allowed, CompoundSection, HomeRedirect, InCompound, KnownSession, SignedIn, SignInRoute, useCompound } from './route-guards';

// Each screen is its own chunk, loaded when first opened: the sign-in page (in the entry) stays
// light on a slow phone, and residents never download the management screens.
const RulesPage = lazy(() => import('./pages/rules.page'));
const JoinPage = lazy(() => import('./pages/join.page'));
const ChooseCompoundPage = lazy(() => import('./pages/choose-compound.page'));
const CompoundHomePage = lazy(() => import('./pages/compound-home.page'));
// The room shows its proposal in the editor, the largest chunk by far: its download starts as
// soon as the room's own code is in, not after the room has connected and rendered.
const loadMeetingRoom = () => import('./pages/meeting-room.page');
const loadEditor = () => import('./modules/proposals/proposal-workspace');
// A prefetch that fails (offline) is dropped quietly: opening the screen imports it again and
// shows its own error if that fails too.
const prefetchEditor = () => void loadEditor().catch(() => {});
const MeetingRoomPage = lazy(() =>
  loadMeetingRoom().then((room) => {
    prefetchEditor();
    return room;
  }),
);
// A proposal's page opens on its text, in the same editor.
const ProposalPage = lazy(() =>
  import('./pages/proposal.page').then((page) => {
    prefetchEditor();
    return page;
  }),
);
const ReceiptPage = lazy(() => import('./pages/receipt.page'));
const MinutesPage = lazy(() => import('./pages/minutes.page'));
const MembersPage = lazy(() => import('./pages/members.page'));
const HouseholdsPage = lazy(() => import('./pages/households.page'));
const InvitationsPage = lazy(() => import('./pages/invitations.page'));
const RegisterImportPage = lazy(() => import('./pages/register-import.page'));
const WhistleQueuePage = lazy(() => import('./modules/whistles/whistle-queue.page'));
const WhistleDetailPage = lazy(() => import('./modules/whistles/whistle-detail.page'));
const DemandPage = lazy(() => import('./modules/demands/demand.page'));
const ProjectListPage = lazy(() => import('./modules/projects/project-list.page'));
const ProjectPage = lazy(() => import('./modules/projects/project.page'));
const ResourcesPage = lazy(() => import('./modules/resources/resources.page'));
const NoticePage = lazy(() => import('./modules/notices/notice.page'));
const PublicNoticePage = lazy(() => import('./modules/notices/public-notice.page'));
const ProjectorPage = lazy(() => import('./pages/projector.page'));
// The charts (ECharts) load with this screen only, never with the first one.
const StatisticsPage = lazy(() => import('./modules/statistics/statistics.page'));

function CompoundHomeScreen() {
  const { compoundId } = useCompound();
  // Residents come to the compound home to enter a meeting: while they read it, the room and its
  // editor load in the background (once per deploy: /assets files are cached for a year), unless
  // the phone asks to save data.
  useEffect(() => {
    if ((navigator as { connection?: { saveData?: boolean } }).connection?.saveData) return;
    loadMeetingRoom().then(prefetchEditor, () => {});
  }, []);
  return <CompoundHomePage compoundId={compoundId} />;
}

function MeetingRoomScreen() {
  const { compoundId, roles } = useCompound();
  const { meetingId } = useRouteParams('meeting');
  // A fresh room for another meeting: nothing of the last one's state carries over.
  return <MeetingRoomPage key={meetingId} compoundId={compoundId} meetingId={meetingId} roles={roles} />;
}

function MinutesScreen() {
  const { compoundId, roles } = useCompound();
  const { meetingId } = useRouteParams('meetingMinutes');
  return <MinutesPage key={meetingId} compoundId={compoundId} meetingId={meetingId} roles={roles} />;
}

/** A proposal's page: its text (open to edit for those who may) or its history, each with its own address. */
function ProposalScreen({ tab }: { tab: 'text' | 'history' | 'timeline' }) {
  const { compoundId, roles } = useCompound();
  const { proposalId } = useRouteParams('proposal');
  return <ProposalPage key={proposalId} compoundId={compoundId} proposalId={proposalId} roles={roles} tab={tab} />;
}

function NoticeScreen() {
  const { compoundId } = useCompound();
  const { noticeId } = useRouteParams('notice');
  return <NoticePage key={noticeId} compoundId={compoundId} noticeId={noticeId} />;
}

function ReceiptScreen() {
  const { compoundId } = useCompound();
  const { roundId, receipt } = useRouteParams('receipt');
  return <ReceiptPage compoundId={compoundId} roundId={roundId} receipt={receipt} />;
}

function WhistleDetailScreen() {
  const { compoundId } = useCompound();
  const { whistleId } = useRouteParams('whistle');
  return <WhistleDetailPage key={whistleId} compoundId={compoundId} whistleId={whistleId} />;
}

function DemandScreen() {
  const { compoundId, roles } = useCompound();
  const { demandId } = useRouteParams('demand');
  return (
    <Allowed action="demand.view">
      <DemandPage key={demandId} compoundId={compoundId} demandId={demandId} roles={roles} />
    </Allowed>
  );
}

function ProjectScreen() {
  const { compoundId, roles } = useCompound();
  const { projectId } = useRouteParams('project');
  return (
    <Allowed action="project.view">
      <ProjectPage key={projectId} compoundId={compoundId} projectId={projectId} roles={roles} />
    </Allowed>
  );
}

function ManagementScreen({ action, Page }: { action: Action; Page: ComponentType<{ compoundId: string; roles: readonly Role[] }> }) {
  const { compoundId, roles } = useCompound();
  return (
    <Allowed action={action}>
      <Page compoundId={compoundId} roles={roles} />
    </Allowed>
  );
}

export const router = createBrowserRouter([
  // The big screen of a meeting: no header, no sign-in (its link's token is its identity).
  {
    path: ROUTES.projector,
    element: (
      <Suspense fallback={null}>
        <ProjectorPage />
      </Suspense>
    ),
  },
  {
    element: <App />,
    children: [
      // The counting rules are public: anyone may read how a vote is counted, signed in or not.
      { path: ROUTES.rules, element: <RulesPage /> },
      // A notice the chair made public (公示): anyone with its link reads it, no names shown.
      { path: ROUTES.publicNotice, element: <PublicNoticePage /> },
      {
        element: <KnownSession />,
        children: [
          { path: ROUTES.signIn, element: <SignInRoute /> },
          // Signed out it creates an account; signed in it adds a membership.
          { path: ROUTES.join, element: <JoinPage /> },
          {
            element: <SignedIn />,
            children: [
              { path: ROUTES.home, element: <HomeRedirect /> },
              { path: ROUTES.compounds, element: <ChooseCompoundPage /> },
              {
                path: ROUTES.compound,
                element: <InCompound />,
                children: [
                  // The meeting room and a proposal's page are screens of their own, without the management menu.
                  { path: ROUTES.meeting, element: <MeetingRoomScreen /> },
                  { path: ROUTES.meetingMinutes, element: <MinutesScreen /> },
                  { path: ROUTES.proposal, element: <ProposalScreen tab="text" /> },
                  { path: ROUTES.proposalHistory, element: <ProposalScreen tab="history" /> },
                  { path: ROUTES.proposalTimeline, element: <ProposalScreen tab="timeline" /> },
                  { path: ROUTES.notice, element: <NoticeScreen /> },
                  { path: ROUTES.receipt, element: <ReceiptScreen /> },
                  {
                    element: <CompoundSection />,
                    children: [
                      { index: true, element: <CompoundHomeScreen /> },
                      { path: ROUTES.members, element: <ManagementScreen action="member.list" Page={MembersPage} /> },
                      { path: ROUTES.households, element: <ManagementScreen action="household.list" Page={HouseholdsPage} /> },
                      { path: ROUTES.invitations, element: <ManagementScreen action="invitation.list" Page={InvitationsPage} /> },
                      { path: ROUTES.register, element: <ManagementScreen action="register.import" Page={RegisterImportPage} /> },
                      { path: ROUTES.demand, element: <DemandScreen /> },
                      { path: ROUTES.whistles, element: <ManagementScreen action="whistle.view" Page={WhistleQueuePage} /> },
                      { path: ROUTES.whistle, element: <WhistleDetailScreen /> },
                      { path: ROUTES.projects, element: <ManagementScreen action="project.view" Page={ProjectListPage} /> },
                      { path: ROUTES.project, element: <ProjectScreen /> },
                      { path: ROUTES.resources, element: <ManagementScreen action="resource.view" Page={ResourcesPage} /> },
                      { path: ROUTES.statistics, element: <ManagementScreen action="statistics.view" Page={StatisticsPage} /> },
                      { path: ':screen', element: <NotFound /> },
                      { path: ':screen/:id', element: <NotFound /> },
                    ],
                  },
                ],
              },
              { path: '*', element: <NotFound /> },
            ],
          },
        ],
      },
    ],
  },
]);

followNavigation(router);
