import {
  allows,
  formatFen,
  RESOURCE_AVAILABILITIES,
  RESOURCE_KINDS,
  RESOURCE_ORIGINS,
  type ResourceAvailability,
  type ResourceKind,
  type ResourceOrigin,
  type ResourceView,
  type Role,
} from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Options, SelectField, TextField } from '../../components/fields';
import { api } from '../../lib/api';
import { useResource } from '../../lib/use-resource';
import { ResourceForm } from './resource-form';

const PAGE = 10;

function ResourceItem({ r, onEdit }: { r: ResourceView; onEdit?: () => void }) {
  const { t } = useTranslation();
  return (
    <li data-testid="resource-item">
      <span>
        <strong>{r.name}</strong> <span className="status-tag">{t(`resourceList.kinds.${r.kind}`)}</span>
        <span className="muted block">
          {t(`resourceList.availabilities.${r.availability}`)}
          {r.organisationName ? ` · ${t('resourceList.from', { org: r.organisationName })}` : ` · ${t('resourceList.internal')}`}
        </span>
        {r.amountFen !== null && <span className="block">{t('resourceList.amount', { amount: formatFen(r.amountFen) })}</span>}
        {r.source && <span className="muted block">{t('resourceList.source', { source: r.source })}</span>}
        {r.contact && <span className="muted block">{t('resourceList.contact', { contact: r.contact })}</span>}
        {r.zones.length > 0 && <span className="muted block">{t('resourceList.zonesOf', { zones: r.zones.join('、') })}</span>}
        {r.notes && <span className="muted block">{r.notes}</span>}
      </span>
      {onEdit && (
        <button type="button" onClick={onEdit} aria-label={t('resourceList.editTitle', { name: r.name })}>
          {t('resourceList.edit')}
        </button>
      )}
    </li>
  );
}

/** 资源清单, filtered and paged on the server; the chair adds and changes entries in place. */
export function ResourceList({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ResourceKind | ''>('');
  const [availability, setAvailability] = useState<ResourceAvailability | ''>('');
  const [origin, setOrigin] = useState<ResourceOrigin | ''>('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<ResourceView | 'new' | null>(null);
  const [generation, setGeneration] = useState(0);
  const filters = {
    kind: kind || undefined,
    availability: availability || undefined,
    origin: origin || undefined,
    q: q.trim() || undefined,
  };
  const page = useResource(`resources:${compoundId}:${JSON.stringify(filters)}:${offset}:${generation}`, () =>
    api.resources(compoundId, { ...filters, offset, limit: PAGE }),
  );
  const mayManage = allows(roles, 'resource.manage');
  const refilter = (fn: () => void) => {
    fn();
    setOffset(0);
  };
  const saved = () => {
    setEditing(null);
    setGeneration((g) => g + 1);
  };
  return (
    <div data-testid="resource-list">
      <div className="filter-row">
        <SelectField
          label={t('resourceList.kind')}
          value={kind}
          onChange={(e) => refilter(() => setKind(e.target.value as ResourceKind | ''))}
        >
          <option value="">{t('resourceList.all')}</option>
          <Options values={RESOURCE_KINDS} label={(k) => t(`resourceList.kinds.${k}`)} />
        </SelectField>
        <SelectField
          label={t('resourceList.availability')}
          value={availability}
          onChange={(e) => refilter(() => setAvailability(e.target.value as ResourceAvailability | ''))}
        >
          <option value="">{t('resourceList.all')}</option>
          <Options values={RESOURCE_AVAILABILITIES} label={(a) => t(`resourceList.availabilities.${a}`)} />
        </SelectField>
        <SelectField
          label={t('resourceList.origin')}
          value={origin}
          onChange={(e) => refilter(() => setOrigin(e.target.value as ResourceOrigin | ''))}
        >
          <option value="">{t('resourceList.all')}</option>
          <Options values={RESOURCE_ORIGINS} label={(o) => t(`resourceList.origins.${o}`)} />
        </SelectField>
        <TextField
          label={t('resourceList.search')}
          type="search"
          value={q}
          maxLength={50}
          onChange={(e) => refilter(() => setQ(e.target.value))}
        />
      </div>
      {mayManage && editing === null && (
        <button type="button" onClick={() => setEditing('new')} data-testid="resource-add">
          {t('resourceList.add')}
        </button>
      )}
      {editing !== null && (
        <ResourceForm
          compoundId={compoundId}
          resource={editing === 'new' ? null : editing}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      {page.error ? (
        <ErrorAlert error={page.error} />
      ) : !page.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : page.data.items.length === 0 ? (
        <p>{t('resourceList.empty')}</p>
      ) : (
        <>
          <p className="muted">
            {t('resourceList.total', { n: page.data.total })}
            {page.data.fundTotalFen > 0 && ` · ${t('resourceList.fundTotal', { amount: formatFen(page.data.fundTotalFen) })}`}
          </p>
          <ul className="meta-list">
            {page.data.items.map((r) => (
              <ResourceItem key={r.id} r={r} onEdit={mayManage ? () => setEditing(r) : undefined} />
            ))}
          </ul>
          <p className="muted">{t('resourceList.page', { from: offset + 1, to: offset + page.data.items.length })}</p>
          <div className="button-row">
            <button type="button" disabled={offset === 0} onClick={() => setOffset((o) => Math.max(0, o - PAGE))}>
              {t('resourceList.prev')}
            </button>
            <button type="button" disabled={offset + PAGE >= page.data.total} onClick={() => setOffset((o) => o + PAGE)}>
              {t('resourceList.next')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
