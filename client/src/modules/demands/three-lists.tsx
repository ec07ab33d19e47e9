import { allows, type BuildingView, type Role } from '@yishi/shared';
import { type ReactNode, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { useListsChanges } from '../../lib/use-lists-changes';
import { useResource } from '../../lib/use-resource';
import { DemandForm } from './demand-form';
import { DemandCountsView, DemandList } from './demand-list';
import { useOutbox } from './use-outbox';

/**
 * 三个清单 on the compound page: the demand list with its counts and the form to record one; the
 * resource and project lists, which live in their own modules, are placed below it by the page.
 */
export function ThreeLists({
  compoundId,
  roles,
  buildings,
  resources,
  projects,
}: {
  compoundId: string;
  roles: readonly Role[];
  buildings: BuildingView[];
  resources?: ReactNode;
  projects?: ReactNode;
}) {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const canView = allows(roles, 'demand.view');
  const counts = useResource(`demand-counts:${compoundId}:${version}`, () =>
    canView ? api.demandCounts(compoundId) : Promise.resolve(null),
  );
  const sent = useCallback(() => setVersion((v) => v + 1), []);
  const outbox = useOutbox(compoundId, sent);
  // Another member's change, live: the counts and the list load again.
  useListsChanges(compoundId, canView ? ['demand'] : [], sent);

  return (
    <>
      {/* A department or partner unit reads no list: what is escalated to it is in its whistle queue. */}
      {(canView || allows(roles, 'demand.create')) && (
        <section className="card" aria-labelledby="demand-list" data-testid="three-lists">
          <h2 id="demand-list">{t('demands.title')}</h2>
          {allows(roles, 'demand.create') && <DemandForm roles={roles} buildings={buildings} outbox={outbox} />}
          {counts.data && <DemandCountsView counts={counts.data} />}
          {canView && <DemandList compoundId={compoundId} roles={roles} buildings={buildings} version={version} />}
        </section>
      )}

      {resources && (
        <section className="card" aria-labelledby="resource-list" data-testid="resource-list-slot">
          <h2 id="resource-list">{t('threeLists.resources')}</h2>
          {resources}
        </section>
      )}

      {projects && (
        <section className="card" aria-labelledby="project-list" data-testid="project-list-slot">
          <h2 id="project-list">{t('threeLists.projects')}</h2>
          {projects}
        </section>
      )}
    </>
  );
}
