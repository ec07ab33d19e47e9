import { allows, type Role, type WhistleView } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { PageHeading } from '../../components/page-heading';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { pathTo } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';
import { useListsChanges } from '../../lib/use-lists-changes';
import { WhistleStatusTags } from './whistle-parts';

type Filter = 'all' | 'overdue' | 'open' | 'resolved';

function WhistleItem({ compoundId, w }: { compoundId: string; w: WhistleView }) {
  const { t } = useTranslation();
  return (
    <li data-testid="whistle-item" data-overdue={w.overdue || undefined}>
      <span>
        <strong className="block">{w.subject.title}</strong>
        <span className="block">{w.question}</span>
        <span className="muted block">
          {t('whistles.to', { names: w.targets.map((x) => x.name).join(t('home.listSeparator')) })}
          {' · '}
          {t('whistles.deadline', { time: formatDateTime(w.deadline) })}
        </span>
        <WhistleStatusTags w={w} />
      </span>
      <Link to={pathTo('whistle', { compoundId, whistleId: w.id })} className="button-link whistle-open" data-testid="whistle-open">
        {w.can.accept.length > 0 ? t('whistles.acceptAction') : w.can.answer.length > 0 ? t('whistles.answerAction') : t('whistles.view')}
      </Link>
    </li>
  );
}

/**
 * The whistles the user may see: a department's or partner unit's queue of what was blown to
 * it, the chair's list of all with overdue ones on top, a resident's for their own demands.
 */
export default function WhistleQueuePage({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('all');
  const query = filter === 'overdue' ? { overdue: 'true' as const } : filter === 'all' ? {} : { status: filter };
  const list = useResource(`whistles:${compoundId}:${filter}`, () => api.whistles(compoundId, query));
  useListsChanges(compoundId, ['whistle'], () => list.reload());
  const responder = allows(roles, 'whistle.respond') && !allows(roles, 'whistle.raise');

  return (
    <>
      <PageHeading title={t('whistles.title')} testId="whistles-title">
        {t('whistles.title')}
      </PageHeading>
      <p className="subtitle">{responder ? t('whistles.introDepartment') : t('whistles.intro')}</p>
      <div className="button-row" role="group" aria-label={t('whistles.filter')}>
        {(['all', 'overdue', 'open', 'resolved'] as const).map((f) => (
          <button
            key={f}
            type="button"
            className="toggle"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
            data-testid={`whistle-filter-${f}`}
          >
            {t(`whistles.filters.${f}`)}
          </button>
        ))}
      </div>
      {list.error ? (
        <ErrorAlert error={list.error} action={<button onClick={list.reload}>{t('common.retry')}</button>} />
      ) : !list.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : list.data.length === 0 ? (
        <p data-testid="whistles-empty">{t('whistles.empty')}</p>
      ) : (
        <ul className="plain-list" data-testid="whistle-list">
          {list.data.map((w) => (
            <WhistleItem key={w.id} compoundId={compoundId} w={w} />
          ))}
        </ul>
      )}
    </>
  );
}
