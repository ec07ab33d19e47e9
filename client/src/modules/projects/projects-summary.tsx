import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { pathTo } from '../../lib/routes';
import { useListsChanges } from '../../lib/use-lists-changes';
import { useResource } from '../../lib/use-resource';

/** "9 个项目，6 个已完成" with a link to the list: for the compound page's lists area. */
export function ProjectsSummary({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const counts = useResource(`project-counts:${compoundId}`, () => api.projectCounts(compoundId));
  useListsChanges(compoundId, ['project'], () => counts.reload());
  if (counts.error) return <ErrorAlert error={counts.error} />;
  if (!counts.data) return <p role="status">{t('common.loading')}</p>;
  const c = counts.data;
  return (
    <div className="card" data-testid="projects-summary">
      <p className="lead">
        <strong>{t('projectList.summary', { total: c.total, done: c.done })}</strong>
      </p>
      <p className="muted">{t('projectList.summaryDetail', { ...c })}</p>
      <Link to={pathTo('projects', { compoundId })} className="button-link" data-testid="projects-open">
        {t('projectList.open')}
      </Link>
    </div>
  );
}
