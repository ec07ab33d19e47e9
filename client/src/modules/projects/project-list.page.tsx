import { allows, PROJECT_STATUSES, type ProjectStatus, type ProjectView, type Role } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Options, SelectField } from '../../components/fields';
import { Link } from '../../components/link';
import { PageHeading } from '../../components/page-heading';
import { api } from '../../lib/api';
import { pathTo } from '../../lib/routes';
import { useListsChanges } from '../../lib/use-lists-changes';
import { useResource } from '../../lib/use-resource';
import { CreateProjectForm } from './create-project-form';
import { ProjectsSummary } from './projects-summary';

const PAGE = 20;

export function ProjectItem({ compoundId, p }: { compoundId: string; p: ProjectView }) {
  const { t } = useTranslation();
  return (
    <li data-testid="project-item">
      <span>
        <Link to={pathTo('project', { compoundId, projectId: p.id })} data-testid="project-link">
          <strong>{p.title}</strong>
        </Link>{' '}
        <span className="status-tag">{t(`projectList.statuses.${p.status}`)}</span>
        <span className="muted block">
          {p.ownerName ? t('projectList.owner', { name: p.ownerName }) : t('projectList.noOwner')}
          {p.milestonesTotal > 0 && ` · ${t('projectList.milestones', { done: p.milestonesDone, total: p.milestonesTotal })}`}
          {p.status === 'done' && ` · ${t('projectList.satisfaction', { ...p.acceptance })}`}
        </span>
      </span>
    </li>
  );
}

/** 项目清单: active projects first, then those ended most recently; filtered by status. */
export default function ProjectListPage({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<ProjectStatus | ''>('');
  const [limit, setLimit] = useState(PAGE);
  const list = useResource(`projects:${compoundId}:${status}:${limit}`, () =>
    api.projects(compoundId, { status: status || undefined, limit }),
  );
  useListsChanges(compoundId, ['project'], () => list.reload());
  return (
    <>
      <PageHeading title={t('projectList.title')}>{t('projectList.title')}</PageHeading>
      <ProjectsSummary compoundId={compoundId} />
      {allows(roles, 'project.manage') && <CreateProjectForm compoundId={compoundId} />}
      <SelectField label={t('projectList.filterStatus')} value={status} onChange={(e) => setStatus(e.target.value as ProjectStatus | '')}>
        <option value="">{t('projectList.all')}</option>
        <Options values={PROJECT_STATUSES} label={(s) => t(`projectList.statuses.${s}`)} />
      </SelectField>
      {list.error ? (
        <ErrorAlert error={list.error} />
      ) : !list.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : list.data.items.length === 0 ? (
        <p>{t('projectList.empty')}</p>
      ) : (
        <>
          <ul className="meta-list" data-testid="project-list">
            {list.data.items.map((p) => (
              <ProjectItem key={p.id} compoundId={compoundId} p={p} />
            ))}
          </ul>
          {list.data.total > list.data.items.length && (
            <button type="button" onClick={() => setLimit((n) => Math.min(n + PAGE, 100))}>
              {t('projectList.more')}
            </button>
          )}
        </>
      )}
    </>
  );
}
