import { formatFen } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { pathTo } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';

/** The resource list's figures (how many, the funds in all) with a link to the list: for the compound page's lists area. */
export function ResourcesSummary({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  // One item is enough: the page's total and funds' total are over every matching resource.
  const page = useResource(`resources-summary:${compoundId}`, () => api.resources(compoundId, { limit: 1 }));
  if (page.error) return <ErrorAlert error={page.error} />;
  if (!page.data) return <p role="status">{t('common.loading')}</p>;
  return (
    <div className="card" data-testid="resources-summary">
      <p className="lead">
        <strong>{t('resourceList.total', { n: page.data.total })}</strong>
        {page.data.fundTotalFen > 0 && ` · ${t('resourceList.fundTotal', { amount: formatFen(page.data.fundTotalFen) })}`}
      </p>
      <Link to={pathTo('resources', { compoundId })} className="button-link" data-testid="resources-open">
        {t('resourceList.open')}
      </Link>
    </div>
  );
}
