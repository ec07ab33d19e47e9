import { allows, type Role } from '@yishi/shared';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/alert';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { pathTo } from '../lib/routes';
import { useMe } from '../lib/session';
import { useResource } from '../lib/use-resource';
import { EditRightsPanel } from '../modules/proposals/edit-rights-panel';
import { PublishNotice } from '../modules/notices/publish-notice';
import { Lifecycle, ProposalHistory } from '../modules/proposals/proposal-history';
import { ProposalTimelineView } from '../modules/proposals/proposal-timeline';

// TipTap, ProseMirror and the Yjs binding load after the page itself is on screen, as in the meeting room.
const ProposalWorkspace = lazy(() => import('../modules/proposals/proposal-workspace'));

export type ProposalTab = 'text' | 'history' | 'timeline';

/**
 * A proposal's own page, whether or not a meeting has it on its agenda: its co-edited text (for
 * those who may edit it, else read-only; the server decides at doc:join) and, on the second tab,
 * its revisions and vote rounds; on the third, its whole path at a glance (and, once adopted, its 公示).
 */
export default function ProposalPage({
  compoundId,
  proposalId,
  roles,
  tab,
}: {
  compoundId: string;
  proposalId: string;
  roles: readonly Role[];
  tab: ProposalTab;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const proposal = useResource(`proposal:${proposalId}`, () => api.proposal(compoundId, proposalId));
  if (proposal.error) return <ErrorAlert error={proposal.error} />;
  if (!proposal.data) return <p role="status">{t('common.loading')}</p>;
  const p = proposal.data;
  const tabs = [
    { id: 'text', label: t('proposalPage.text'), href: pathTo('proposal', { compoundId, proposalId }) },
    { id: 'history', label: t('proposalPage.history'), href: pathTo('proposalHistory', { compoundId, proposalId }) },
    { id: 'timeline', label: t('proposalPage.timeline'), href: pathTo('proposalTimeline', { compoundId, proposalId }) },
  ] as const;
  const headings = {
    text: p.title,
    history: t('history.title', { title: p.title }),
    timeline: t('timeline.pageTitle', { title: p.title }),
  };

  return (
    <>
      <p>
        <Link to={pathTo('compound', { compoundId })} className="button-link">
          ← {t('room.back')}
        </Link>
      </p>
      <PageHeading title={headings[tab]} testId="proposal-heading">
        {p.title}
      </PageHeading>
      <p className="subtitle">
        <span className="status-tag" data-testid="proposal-status">
          {t(`proposalStatus.${p.status}`)}
        </span>{' '}
        {t(`proposalKinds.${p.kind}`)}
      </p>
      <Lifecycle key={p.id} compoundId={compoundId} proposal={p} roles={roles} route={tab === 'text' ? 'proposal' : 'proposalHistory'} />
      <nav className="compound-nav" aria-label={t('proposalPage.views')}>
        <ul>
          {tabs.map((x) => (
            <li key={x.id}>
              <Link to={x.href} replace aria-current={tab === x.id ? 'page' : undefined} data-testid={`proposal-tab-${x.id}`}>
                {x.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'timeline' && (
        <>
          {p.status === 'adopted' && allows(roles, 'notice.publish') && (
            <PublishNotice compoundId={compoundId} subject={{ proposalId: p.id }} />
          )}
          <ProposalTimelineView compoundId={compoundId} proposalId={p.id} />
        </>
      )}
      {tab === 'text' && (
        <section className="card" aria-label={t('proposalPage.text')} data-testid="proposal-text">
          <Suspense fallback={<p role="status">{t('editor.loading')}</p>}>
            <ProposalWorkspace
              key={p.id}
              compoundId={compoundId}
              proposal={p}
              roles={roles}
              userName={me.user.displayName}
              historyLink={false}
            />
          </Suspense>
        </section>
      )}
      {tab === 'history' && (
        <>
          {/* Who may edit it, as on the text tab (there it sits beside the text, in the workspace). */}
          <EditRightsPanel compoundId={compoundId} proposalId={p.id} status={p.status} roles={roles} />
          <ProposalHistory compoundId={compoundId} proposal={p} />
        </>
      )}
    </>
  );
}
