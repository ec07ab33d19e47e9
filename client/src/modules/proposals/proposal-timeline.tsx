import type { TimelineCounts, TimelineEntry } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { pathTo } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';
import { DiffList } from './proposal-history';

/** The change a revision made, fetched when its disclosure is opened. */
function RevisionDiff({ compoundId, proposalId, n }: { compoundId: string; proposalId: string; n: number }) {
  const { t } = useTranslation();
  const diff = useResource(`diff:${proposalId}:${n}`, () => api.diff(compoundId, proposalId, n - 1, n));
  if (diff.error) return <ErrorAlert error={diff.error} />;
  if (!diff.data) return <p role="status">{t('common.loading')}</p>;
  return <DiffList lines={diff.data} />;
}

/**
 * A revision on the timeline with its diff opened in place: with eighteen drafts, the one a
 * reader asks about should not be hunted for on the history page.
 */
function RevisionStep({ n, compoundId, proposalId }: { n: number; compoundId: string; proposalId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <strong>{t('timeline.revision', { n })}</strong>{' '}
      <Link to={pathTo('proposalHistory', { compoundId, proposalId })}>{t('timeline.text')}</Link>
      {n > 1 && (
        <details data-testid="timeline-diff" onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary className="button-link">{t('timeline.diff')}</summary>
          {open && <RevisionDiff compoundId={compoundId} proposalId={proposalId} n={n} />}
        </details>
      )}
    </>
  );
}

/** What one step says, and where it links to (the meeting, the revision's text, the notice, the project); a revision opens its diff in place. */
function Step({ e, compoundId, proposalId }: { e: TimelineEntry; compoundId: string; proposalId: string }) {
  const { t } = useTranslation();
  const n = (c: TimelineCounts | null) => c?.households ?? 0;
  switch (e.kind) {
    case 'demand':
      return <strong>{t('timeline.demand', { title: e.title })}</strong>;
    case 'meeting':
      return (
        <>
          <Link to={pathTo('meeting', { compoundId, meetingId: e.id })}>
            <strong>{t('timeline.meeting', { n: e.n, title: e.title })}</strong>
          </Link>
          {e.rounds.length > 0 && <span className="block muted">{t('timeline.meetingRounds', { rounds: e.rounds.join('、') })}</span>}
        </>
      );
    case 'revision':
      return <RevisionStep n={e.number} compoundId={compoundId} proposalId={proposalId} />;
    case 'round':
      return (
        <>
          <strong>
            {t('timeline.round', { n: e.number, rev: e.revisionNumber })} ·{' '}
            {e.passed === null ? t('timeline.open') : t(e.passed ? 'timeline.passed' : 'timeline.failed')}
          </strong>
          {e.passed !== null && (
            <span className="block">{t('timeline.tally', { for: n(e.for), against: n(e.against), abstain: n(e.abstain) })}</span>
          )}
          {e.objections.length > 0 && (
            <ul className="plain-list" data-testid="timeline-objections">
              {e.objections.map((o) => (
                <li key={o.id}>
                  {t(`timeline.objection.${o.choice}`)}：{o.body}{' '}
                  <span className="muted">{t(o.answered ? 'timeline.answered' : 'timeline.unanswered')}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      );
    case 'sign_off':
      return <strong>{t(`timeline.signOff.${e.decision}`, { name: e.organisationName, rev: e.revisionNumber })}</strong>;
    case 'adopted':
      return <strong>{t('timeline.adopted')}</strong>;
    case 'notice':
      return (
        <>
          <Link to={pathTo('notice', { compoundId, noticeId: e.id })}>
            <strong>{t(e.withdrawnAt ? 'timeline.noticeWithdrawn' : 'timeline.notice', { time: formatDateTime(e.endsAt) })}</strong>
          </Link>
          <span className="block muted">{t('timeline.noticeObjections', { n: e.objections, open: e.unanswered })}</span>
        </>
      );
    case 'project':
      return (
        <Link to={pathTo('project', { compoundId, projectId: e.id })}>
          <strong>{t('timeline.project', { title: e.title })}</strong>
        </Link>
      );
    case 'project_done':
      return (
        <strong>
          {t(e.status === 'done' ? 'timeline.projectDone' : 'timeline.projectStopped', { title: e.title })}
          {e.status === 'done' && ` · ${t('timeline.acceptance', { satisfied: e.satisfied, unsatisfied: e.unsatisfied })}`}
        </strong>
      );
  }
}

/** The process at a glance: "2 meetings, 2 drafts, passed in round 2", then every step in order. */
export function ProposalTimelineView({ compoundId, proposalId }: { compoundId: string; proposalId: string }) {
  const { t } = useTranslation();
  const timeline = useResource(`timeline:${proposalId}`, () => api.proposalTimeline(compoundId, proposalId));
  if (timeline.error) return <ErrorAlert error={timeline.error} />;
  if (!timeline.data) return <p role="status">{t('common.loading')}</p>;
  const { summary, entries } = timeline.data;
  return (
    <section className="card" aria-labelledby="timeline-h" data-testid="timeline">
      <h2 id="timeline-h">{t('timeline.title')}</h2>
      <p className="lead" data-testid="timeline-summary">
        {t('timeline.summary', { meetings: summary.meetings, revisions: summary.revisions, rounds: summary.rounds })}
        {summary.passedRound !== null && ` ${t('timeline.passedIn', { n: summary.passedRound })}`}
      </p>
      {entries.length === 0 ? (
        <p>{t('timeline.empty')}</p>
      ) : (
        <ol className="timeline">
          {entries.map((e) => (
            <li
              key={`${e.kind}:${'id' in e ? e.id : e.at}`}
              data-kind={e.kind}
              data-passed={e.kind === 'round' ? String(e.passed) : undefined}
              data-testid="timeline-entry"
            >
              <span className="block muted">{formatDateTime(e.at)}</span>
              <Step e={e} compoundId={compoundId} proposalId={proposalId} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
