import { useTranslation } from 'react-i18next';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { pathTo } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';
import { useListsChanges } from '../../lib/use-lists-changes';
import { TargetProgress, WhistleStatusTags } from './whistle-parts';

/**
 * The whistles blown on one demand (or one project's blockers), with each organisation's
 * progress: for the demand's or the project's page, where the residents who raised or seconded
 * the demand follow them. Shows nothing when there are none the user may see.
 */
export function DemandWhistles({ compoundId, demandId, projectId }: { compoundId: string; demandId?: string; projectId?: string }) {
  const { t } = useTranslation();
  const query = demandId ? { demandId } : { projectId };
  const list = useResource(`whistles-of:${demandId ?? projectId}`, () => api.whistles(compoundId, query));
  useListsChanges(compoundId, ['whistle'], () => list.reload());
  if (!list.data?.length) return null;

  return (
    <section className="card" aria-labelledby={`whistles-of-${demandId ?? projectId}`} data-testid="demand-whistles">
      <h2 id={`whistles-of-${demandId ?? projectId}`}>{t('whistles.title')}</h2>
      {list.data.map((w) => (
        <div key={w.id}>
          <p>
            <Link to={pathTo('whistle', { compoundId, whistleId: w.id })}>{w.question}</Link> <WhistleStatusTags w={w} />
          </p>
          <p className="muted">{t('whistles.deadline', { time: formatDateTime(w.deadline) })}</p>
          <ul className="plain-list">
            {w.targets.map((x) => (
              <TargetProgress key={x.organisationId} target={x} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
