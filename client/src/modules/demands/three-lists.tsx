import { allows, type BuildingView, type Role } from '@yishi/shared';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { useResource } from '../../lib/use-resource';
import { DemandForm } from './demand-form';
import { DemandCountsView, DemandList } from './demand-list';
import { useOutbox } from './use-outbox';

/**
 * 三个清单 on the compound page: the demand list with its counts and the form to record one; the
 * resource and project lists have their own slots below it.
 */
export function ThreeLists({ compoundId, roles, buildings }: { compoundId: string; roles: readonly Role[]; buildings: BuildingView[] }) {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const canView = allows(roles, 'demand.view');
  const counts = useResource(`demand-counts:${compoundId}:${version}`, () =>
    canView ? api.demandCounts(compoundId) : Promise.resolve(null),
  );
  const sent = useCallback(() => setVersion((v) => v + 1), []);
  const outbox = useOutbox(compoundId, sent);

  return (
    <>
      <section className="card" aria-labelledby="demand-list" data-testid="three-lists">
        <h2 id="demand-list">{t('demands.title')}</h2>
        {allows(roles, 'demand.create') && <DemandForm roles={roles} buildings={buildings} outbox={outbox} />}
        {counts.data && <DemandCountsView counts={counts.data} />}
        {canView && <DemandList compoundId={compoundId} roles={roles} buildings={buildings} version={version} />}
      </section>

      {/* The resource list (资源清单) goes here. */}
      <section className="card card-later" aria-labelledby="resource-list" data-testid="resource-list-slot">
        <h2 id="resource-list">{t('threeLists.resources')}</h2>
        <p>{t('threeLists.resourcesLater')}</p>
      </section>

      {/* The project list (项目清单) goes here. */}
      <section className="card card-later" aria-labelledby="project-list" data-testid="project-list-slot">
        <h2 id="project-list">{t('threeLists.projects')}</h2>
        <p>{t('threeLists.projectsLater')}</p>
      </section>
    </>
  );
}
