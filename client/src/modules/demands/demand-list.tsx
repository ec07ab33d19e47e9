import {
  DEMAND_CATEGORIES,
  DEMAND_CHANNELS,
  DEMAND_SORTS,
  DEMAND_STATUSES,
  type BuildingView,
  type DemandCounts,
  type DemandListQuery,
  type DemandSort,
  type DemandView,
  type Role,
} from '@yishi/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Options, SelectField, TextField } from '../../components/fields';
import { api } from '../../lib/api';
import { DemandItem } from './demand-item';

/** The counts by channel, category, status and building, as plain lists (readable aloud, no chart needed). */
export function DemandCountsView({ counts }: { counts: DemandCounts }) {
  const { t } = useTranslation();
  const group = (id: string, title: string, rows: Array<{ label: string; n: number }>) => (
    <div className="demand-counts-group" data-testid={`demand-counts-${id}`}>
      <h4>{title}</h4>
      <ul className="tags">
        {rows.map((r) => (
          <li key={r.label} className="tag">
            {t('demands.countItem', { label: r.label, n: r.n })}
          </li>
        ))}
      </ul>
    </div>
  );
  return (
    <div data-testid="demand-counts">
      <p>
        <strong data-testid="demand-total">{t('demands.total', { n: counts.total })}</strong>
      </p>
      {group(
        'channel',
        t('demands.byChannel'),
        counts.byChannel.map((c) => ({ label: t(`demands.channels.${c.key}`), n: c.count })),
      )}
      {group(
        'status',
        t('demands.byStatus'),
        counts.byStatus.map((c) => ({ label: t(`demands.statuses.${c.key}`), n: c.count })),
      )}
      {group(
        'category',
        t('demands.byCategory'),
        counts.byCategory.map((c) => ({ label: t(`demands.categories.${c.key}`), n: c.count })),
      )}
      {group(
        'building',
        t('demands.byBuilding'),
        counts.byBuilding.map((c) => ({ label: c.buildingName ?? t('demands.noBuilding'), n: c.count })),
      )}
    </div>
  );
}

const PAGE = 20;

type Filters = { [K in 'status' | 'category' | 'channel' | 'buildingId' | 'q']: DemandListQuery[K] | undefined } & { sort: DemandSort };
const NO_FILTERS: Filters = {
  status: undefined,
  category: undefined,
  channel: undefined,
  buildingId: undefined,
  q: undefined,
  sort: 'newest',
};

/** The list itself: filters, search and order chosen here and applied by the server, a page at a time. */
export function DemandList({
  compoundId,
  roles,
  buildings,
  version,
}: {
  compoundId: string;
  roles: readonly Role[];
  buildings: BuildingView[];
  version: number;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<DemandView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  // Loaded again after a live change, the list keeps as many items as the reader had opened.
  const shown = useRef(PAGE);
  shown.current = Math.min(Math.max(PAGE, items.length), 100);

  useEffect(() => {
    let current = true;
    api.demands(compoundId, { ...filters, limit: shown.current }).then(
      (page) => {
        if (!current) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => current && (setError(e), setLoading(false)),
    );
    return () => {
      current = false;
    };
  }, [compoundId, filters, version]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api.demands(compoundId, { ...filters, cursor, limit: PAGE });
      setItems((xs) => [...xs, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setLoading(true);
    setItems([]);
    setFilters({ ...draft, q: draft.q?.trim() || undefined });
  };
  const pick = <K extends keyof Filters>(key: K, value: string) => setDraft((d) => ({ ...d, [key]: (value || undefined) as Filters[K] }));

  return (
    <div data-testid="demand-list">
      <details className="demand-filters">
        <summary className="button-link">{t('demands.filters')}</summary>
        <form onSubmit={apply} role="search">
          <TextField
            label={t('demands.search')}
            hint={t('demands.searchHint')}
            type="search"
            value={draft.q ?? ''}
            maxLength={50}
            onChange={(e) => pick('q', e.target.value)}
          />
          <SelectField label={t('demands.status')} value={draft.status ?? ''} onChange={(e) => pick('status', e.target.value)}>
            <option value="">{t('demands.any')}</option>
            <Options values={DEMAND_STATUSES} label={(s) => t(`demands.statuses.${s}`)} />
          </SelectField>
          <SelectField label={t('demands.category')} value={draft.category ?? ''} onChange={(e) => pick('category', e.target.value)}>
            <option value="">{t('demands.any')}</option>
            <Options values={DEMAND_CATEGORIES} label={(c) => t(`demands.categories.${c}`)} />
          </SelectField>
          <SelectField label={t('demands.channel')} value={draft.channel ?? ''} onChange={(e) => pick('channel', e.target.value)}>
            <option value="">{t('demands.any')}</option>
            <Options values={DEMAND_CHANNELS} label={(c) => t(`demands.channels.${c}`)} />
          </SelectField>
          <SelectField label={t('demands.building')} value={draft.buildingId ?? ''} onChange={(e) => pick('buildingId', e.target.value)}>
            <option value="">{t('demands.any')}</option>
            {buildings.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('demands.sort')}
            value={draft.sort}
            onChange={(e) => setDraft((d) => ({ ...d, sort: e.target.value as DemandSort }))}
          >
            <Options values={DEMAND_SORTS} label={(s) => t(`demands.sorts.${s}`)} />
          </SelectField>
          <button type="submit" className="button-primary" data-testid="demand-filter-apply">
            {t('demands.apply')}
          </button>
        </form>
      </details>
      {error !== null && <ErrorAlert error={error} />}
      {loading ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('demands.empty')}</p>
      ) : (
        <ul className="plain-list demand-items">
          {items.map((d) => (
            <DemandItem key={d.id} compoundId={compoundId} roles={roles} demand={d} />
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" onClick={() => void more()} data-testid="demand-more">
          {t('demands.more')}
        </button>
      )}
    </div>
  );
}
