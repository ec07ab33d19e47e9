import type { Action, Role } from '@yishi/shared';
import { lazy, type ComponentType } from 'react';
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
const MeetingRoomPage = lazy(() => import('./pages/meeting-room.page'));
const ProposalHistoryPage = lazy(() => import('./pages/proposal-history.page'));
const MembersPage = lazy(() => import('./pages/members.page'));
const HouseholdsPage = lazy(() => import('./pages/households.page'));
const InvitationsPage = lazy(() => import('./pages/invitations.page'));
const RegisterImportPage = lazy(() => import('./pages/register-import.page'));
const ProjectListPage = lazy(() => import('./modules/projects/project-list.page'));
const ProjectPage = lazy(() => import('./modules/projects/project.page'));
const ResourcesPage = lazy(() => import('./modules/resources/resources.page'));

function CompoundHomeScreen() {
  const { compoundId } = useCompound();
  return <CompoundHomePage compoundId={compoundId} />;
}

function MeetingRoomScreen() {
  const { compoundId, roles } = useCompound();
  const { meetingId } = useRouteParams('meeting');
  // A fresh room for another meeting: nothing of the last one's state carries over.
  return <MeetingRoomPage key={meetingId} compoundId={compoundId} meetingId={meetingId} roles={roles} />;
}

function ProposalHistoryScreen() {
  const { compoundId, roles } = useCompound();
  const { proposalId } = useRouteParams('proposal');
  return <ProposalHistoryPage compoundId={compoundId} proposalId={proposalId} roles={roles} />;
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
  {
    element: <App />,
    children: [
      // The counting rules are public: anyone may read how a vote is counted, signed in or not.
      { path: ROUTES.rules, element: <RulesPage /> },
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
                  // The meeting room and a proposal's history are screens of their own, without the management menu.
                  { path: ROUTES.meeting, element: <MeetingRoomScreen /> },
                  { path: ROUTES.proposal, element: <ProposalHistoryScreen /> },
                  {
                    element: <CompoundSection />,
                    children: [
                      { index: true, element: <CompoundHomeScreen /> },
                      { path: ROUTES.members, element: <ManagementScreen action="member.list" Page={MembersPage} /> },
                      { path: ROUTES.households, element: <ManagementScreen action="household.list" Page={HouseholdsPage} /> },
                      { path: ROUTES.invitations, element: <ManagementScreen action="invitation.list" Page={InvitationsPage} /> },
                      { path: ROUTES.register, element: <ManagementScreen action="register.import" Page={RegisterImportPage} /> },
                      { path: ROUTES.projects, element: <ManagementScreen action="project.view" Page={ProjectListPage} /> },
                      { path: ROUTES.project, element: <ProjectScreen /> },
                      { path: ROUTES.resources, element: <ManagementScreen action="resource.view" Page={ResourcesPage} /> },
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
