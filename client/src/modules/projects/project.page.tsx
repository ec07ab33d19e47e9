import { allows, formatFen, type ProjectDetailView, type Role } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { PageHeading } from '../../components/page-heading';
import { PhotoStrip } from '../../components/photos';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { pathTo } from '../../lib/routes';
import { useMe } from '../../lib/session';
import { useListsChanges } from '../../lib/use-lists-changes';
import { useResource } from '../../lib/use-resource';
import { PublishNotice } from '../notices/publish-notice';
import { BlowWhistle } from '../whistles/blow-whistle';
import { DemandWhistles } from '../whistles/demand-whistles';
import { AcceptanceCheck } from './acceptance-check';
import { ProjectControls } from './project-controls';

/** The project's story in order: the demands, meetings and proposal it came from, then milestones and progress. */
function Timeline({ compoundId, p }: { compoundId: string; p: ProjectDetailView }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="project-timeline" data-testid="project-timeline">
      <h2 id="project-timeline">{t('projectList.timeline')}</h2>
      <h3>{t('projectList.demands')}</h3>
      <ul className="meta-list" data-testid="project-demands">
        {p.demands.map((d) => (
          <li key={d.id}>
            <span>
              <Link to={pathTo('demand', { compoundId, demandId: d.id })} className="list-link">
                {d.title}
              </Link>{' '}
              <span className="status-tag">{t(`projectList.demandStatuses.${d.status}`)}</span>
            </span>
          </li>
        ))}
      </ul>
      {p.meetings.length > 0 && (
        <>
          <h3>{t('projectList.meetings')}</h3>
          <ul className="meta-list" data-testid="project-meetings">
            {p.meetings.map((m) => (
              <li key={m.id}>
                <Link to={pathTo('meeting', { compoundId, meetingId: m.id })} className="list-link">
                  {m.title}
                </Link>
                <span className="muted block">{formatDateTime(m.scheduledAt)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {p.proposal && (
        <>
          <h3>{t('projectList.proposal')}</h3>
          <p>
            <Link to={pathTo('proposal', { compoundId, proposalId: p.proposal.id })} className="list-link">
              {p.proposal.title}
            </Link>
          </p>
          <ul className="meta-list">
            {p.proposal.signOffs.map((s) => (
              <li key={s.organisationName}>
                {t('projectList.signOff', {
                  org: s.organisationName,
                  decision: t(s.decision === 'given' ? 'projectList.signOffGiven' : 'projectList.signOffRefused'),
                  amount: formatFen(s.amountFen),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.resources.length > 0 && (
        <>
          <h3>{t('projectList.resources')}</h3>
          <ul className="meta-list" data-testid="project-resources">
            {p.resources.map((r) => (
              <li key={r.id}>
                {r.name}
                {r.organisationName && <span className="muted"> · {r.organisationName}</span>}
                {r.note && <span className="muted block">{r.note}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('projectList.milestonesTitle')}</h3>
      <ol className="meta-list" data-testid="project-milestones">
        {p.milestones.map((m) => (
          <li key={m.id}>
            <span>
              {m.title} <span className="muted">{t('projectList.due', { date: m.dueOn })}</span>{' '}
              {m.doneAt && <span className="status-tag">{t('projectList.reached')}</span>}
            </span>
          </li>
        ))}
      </ol>
      <h3>{t('projectList.progress')}</h3>
      {p.updates.length === 0 ? (
        <p>{t('projectList.noProgress')}</p>
      ) : (
        <ul className="meta-list" data-testid="project-updates">
          {p.updates.map((u) => (
            <li key={u.id}>
              <span>
                {u.note}
                <span className="muted block">{t('projectList.by', { name: u.authorName ?? '', time: formatDateTime(u.createdAt) })}</span>
                <PhotoStrip
                  ids={u.photoIds}
                  load={(id) => api.projectPhoto(compoundId, p.id, id)}
                  alt={(i) => t('projectList.photoAlt', { n: i + 1, note: u.note })}
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      {p.stopReason && <p data-testid="project-stop-reason">{t('projectList.stopReason', { reason: p.stopReason })}</p>}
    </section>
  );
}

/**
 * A project page: its timeline, the whistles on its blockers (the chair blows them here; the
 * residents who raised or seconded its demands follow them), the residents' acceptance, and its
 * change history.
 */
export default function ProjectPage({ compoundId, projectId, roles }: { compoundId: string; projectId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const userId = useMe().user.id;
  const loaded = useResource(`project:${compoundId}:${projectId}`, () => api.project(compoundId, projectId));
  const [fresh, setFresh] = useState<ProjectDetailView | null>(null);
  // Someone else's change, live: the page shows the project as it now stands.
  useListsChanges(compoundId, ['project'], (e) => {
    if (!e || e.id === projectId) api.project(compoundId, projectId).then(setFresh, () => undefined);
  });
  const p = fresh?.id === projectId ? fresh : loaded.data;
  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  if (!p) return <p role="status">{t('common.loading')}</p>;
  const mayReport = p.status === 'active' && (roles.includes('chair') || (p.ownerId === userId && allows(roles, 'project.report')));
  return (
    <>
      <p>
        <Link to={pathTo('projects', { compoundId })} className="button-link">
          {t('projectList.back')}
        </Link>
      </p>
      <PageHeading title={p.title} testId="project-title">
        {p.title}
      </PageHeading>
      <p>
        <span className="status-tag" data-testid="project-status">
          {t(`projectList.statuses.${p.status}`)}
        </span>{' '}
        <span className="muted">{p.ownerName ? t('projectList.owner', { name: p.ownerName }) : t('projectList.noOwner')}</span>
      </p>
      {p.summary && <p>{p.summary}</p>}
      <Timeline compoundId={compoundId} p={p} />
      {(mayReport || (p.status === 'active' && allows(roles, 'project.manage'))) && (
        <ProjectControls compoundId={compoundId} p={p} mayManage={allows(roles, 'project.manage')} onChanged={setFresh} />
      )}
      <DemandWhistles compoundId={compoundId} projectId={p.id} />
      {p.status === 'active' && allows(roles, 'whistle.raise') && <BlowWhistle compoundId={compoundId} projectId={p.id} />}
      <AcceptanceCheck compoundId={compoundId} p={p} mayAnswer={allows(roles, 'project.accept')} onChanged={setFresh} />
      {p.status === 'done' && allows(roles, 'notice.publish') && <PublishNotice compoundId={compoundId} subject={{ projectId: p.id }} />}
      <section aria-labelledby="project-history">
        <h2 id="project-history">{t('projectList.history')}</h2>
        <ol className="meta-list" data-testid="project-history">
          {p.history.map((e, i) => (
            <li key={i}>
              <span>
                <strong>{t(`projectList.events.${e.kind}`)}</strong>
                {e.note && ` · ${e.note}`}
                <span className="muted block">{t('projectList.by', { name: e.actorName ?? '', time: formatDateTime(e.at) })}</span>
              </span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
