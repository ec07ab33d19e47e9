import { allows, formatAreaM2 } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/alert';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { CompoundLists } from '../modules/meetings/compound-lists';
import { ThreeLists } from '../modules/demands/three-lists';
import { ProjectsSummary } from '../modules/projects/projects-summary';
import { ResourcesSummary } from '../modules/resources/resources-summary';
import { NoticeBoard } from '../modules/notices/notice-board';
import { pathTo } from '../lib/routes';
import { compoundsOf, useMe } from '../lib/session';
import { useResource } from '../lib/use-resource';

/** For the chair: disputes of paper ballots that wait for an answer, until answered. */
function OpenDisputes({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const disputes = useResource(`open-disputes:${compoundId}`, () => api.openPaperDisputes(compoundId));
  const first = disputes.data?.[0];
  if (!first) return null;
  return (
    <p className="alert alert-error" role="status" data-testid="open-disputes">
      <Link to={pathTo('proposalHistory', { compoundId, proposalId: first.proposalId })}>
        {t('paper.openDisputes', { n: disputes.data!.length })}
      </Link>
    </p>
  );
}

export default function CompoundHomePage({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const compound = useResource(`compound:${compoundId}`, () => api.compound(compoundId));
  const householdLabels = [...new Set(me.memberships.filter((m) => m.compoundId === compoundId).flatMap((m) => m.householdLabel ?? []))];
  const list = (items: string[]) => items.join(t('home.listSeparator'));

  if (compound.error) {
    return (
      <ErrorAlert
        error={compound.error}
        action={
          <button type="button" onClick={compound.reload}>
            {t('common.retry')}
          </button>
        }
      />
    );
  }
  if (!compound.data) return <p role="status">{t('common.loading')}</p>;
  const c = compound.data;

  return (
    <>
      <PageHeading title={c.name} testId="compound-name">
        {c.name}
      </PageHeading>
      <p className="subtitle" data-testid="community-name">
        {t('home.community', { name: c.communityName })}
      </p>

      {allows(c.myRoles, 'vote.run') && <OpenDisputes compoundId={compoundId} />}
      <CompoundLists compoundId={compoundId} roles={c.myRoles} />
      <NoticeBoard compoundId={compoundId} />
      <ThreeLists
        compoundId={compoundId}
        roles={c.myRoles}
        buildings={c.buildings}
        resources={allows(c.myRoles, 'resource.view') && <ResourcesSummary compoundId={compoundId} />}
        projects={allows(c.myRoles, 'project.view') && <ProjectsSummary compoundId={compoundId} />}
      />

      <section className="card" aria-labelledby="my-place">
        <h2 id="my-place">{t('home.myRoles')}</h2>
        <ul className="tags" data-testid="my-roles">
          {c.myRoles.map((role) => (
            <li key={role} className="tag">
              {t(`roles.${role}`)}
            </li>
          ))}
        </ul>
        {householdLabels.length > 0 && (
          <p data-testid="my-household">
            {t('home.myHousehold')}: {list(householdLabels)}
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="overview">
        <h2 id="overview">{t('home.overview')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('home.households')}</dt>
            <dd data-testid="household-count">{c.householdCount}</dd>
          </div>
          <div>
            <dt>{t('home.totalArea')}</dt>
            <dd data-testid="total-area">{t('common.areaM2', { area: formatAreaM2(c.totalAreaCentiM2) })}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="buildings">
        <h2 id="buildings">{t('home.buildings')}</h2>
        {c.buildings.length === 0 ? (
          <p>{t('home.noBuildings')}</p>
        ) : (
          <ul className="plain-list" data-testid="buildings">
            {c.buildings.map((b) => (
              <li key={b.id}>
                <strong>{b.name}</strong>
                <span className="muted">
                  {' '}
                  {b.gates.length ? t('home.gates', { gates: list(b.gates.map((g) => g.name)) }) : t('home.noGates')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="organisations">
        <h2 id="organisations">{t('home.organisations')}</h2>
        {c.organisations.length === 0 ? (
          <p>{t('home.noOrganisations')}</p>
        ) : (
          <ul className="plain-list" data-testid="organisations">
            {c.organisations.map((o) => (
              <li key={o.id}>
                <strong>{o.name}</strong> <span className="muted">{t(`organisationKinds.${o.kind}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <p className="aside links">
        {compoundsOf(me).length > 1 && (
          <Link to={pathTo('compounds')} className="button-link">
            {t('nav.switchCompound')}
          </Link>
        )}
        <Link to={pathTo('join')} className="button-link" data-testid="redeem-link">
          {t('nav.redeem')}
        </Link>
      </p>
    </>
  );
}
