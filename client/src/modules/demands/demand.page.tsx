import { allows, type DemandDetailView, type Role } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { PageHeading } from '../../components/page-heading';
import { PhotoStrip } from '../../components/photos';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { pathTo, withQuery } from '../../lib/routes';
import { useListsChanges } from '../../lib/use-lists-changes';
import { useResource } from '../../lib/use-resource';
import { BlowWhistle } from '../whistles/blow-whistle';
import { DemandWhistles } from '../whistles/demand-whistles';
import { DemandDetails, DemandStatusLine } from './demand-item';

/** Every status the demand went through, with who moved it and when. */
function DemandHistory({ d }: { d: DemandDetailView }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="demand-history">
      <h2 id="demand-history">{t('demands.page.history')}</h2>
      <ol className="meta-list" data-testid="demand-history">
        {d.history.map((h, i) => (
          <li key={i}>
            <span>
              <strong>{t(`demands.statuses.${h.to}`)}</strong>
              {h.note && ` · ${h.note}`}
              <span className="muted block">
                {h.changedByName
                  ? t('demands.page.by', { name: h.changedByName, time: formatDateTime(h.changedAt) })
                  : formatDateTime(h.changedAt)}
              </span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * A demand's own page: what, where and who, its 附议, the project that answered it, its photos
 * and status history, and its whistles: the chair blows them here, and the residents who raised or
 * seconded it follow each department's progress. Live: another member's change shows at once.
 */
export default function DemandPage({ compoundId, demandId, roles }: { compoundId: string; demandId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const loaded = useResource(`demand:${compoundId}:${demandId}`, () => api.demand(compoundId, demandId));
  const [fresh, setFresh] = useState<DemandDetailView | null>(null);
  useListsChanges(compoundId, ['demand'], (e) => {
    if (!e || e.id === demandId) api.demand(compoundId, demandId).then(setFresh, () => undefined);
  });
  const d = fresh ?? loaded.data;
  const back = (
    <Link to={pathTo('compound', { compoundId })} className="button-link">
      {t('demands.page.back')}
    </Link>
  );
  if (loaded.error) return <ErrorAlert error={loaded.error} action={back} />;
  if (!d) return <p role="status">{t('common.loading')}</p>;
  const open = d.status !== 'done' && d.status !== 'declined';

  return (
    <>
      <p>{back}</p>
      <PageHeading title={d.title} testId="demand-page-title">
        {d.title}
      </PageHeading>
      <p>
        <DemandStatusLine d={d} />
      </p>
      <DemandDetails compoundId={compoundId} roles={roles} d={d} onChanged={setFresh} />
      {d.secondedByNames.length > 0 && <p className="muted">{t('demands.page.secondedBy', { names: d.secondedByNames.join('、') })}</p>}
      {d.photoIds.length > 0 && (
        <section aria-labelledby="demand-photos">
          <h2 id="demand-photos">{t('demands.page.photos')}</h2>
          <PhotoStrip
            ids={d.photoIds}
            load={(id) => api.demandPhoto(compoundId, demandId, id)}
            alt={(i) => t('demands.page.photoAlt', { n: i + 1, title: d.title })}
          />
        </section>
      )}
      {d.status === 'in_deliberation' && allows(roles, 'project.manage') && (
        <p>
          <Link
            to={withQuery(pathTo('projects', { compoundId }), { demand: d.id })}
            className="button-link"
            data-testid="demand-start-project"
          >
            {t('projectList.create.fromDemand')}
          </Link>
        </p>
      )}
      <DemandWhistles compoundId={compoundId} demandId={demandId} />
      {open && allows(roles, 'whistle.raise') && <BlowWhistle compoundId={compoundId} demandId={demandId} />}
      <DemandHistory d={d} />
    </>
  );
}
