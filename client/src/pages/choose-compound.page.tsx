import { useTranslation } from 'react-i18next';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { pathTo } from '../lib/routes';
import { compoundsOf, useMe } from '../lib/session';

export default function ChooseCompoundPage() {
  const { t } = useTranslation();
  const compounds = compoundsOf(useMe());

  return (
    <section className="narrow">
      <PageHeading title={t('choose.title')}>{t('choose.title')}</PageHeading>
      {compounds.length === 0 ? (
        <>
          <p>{t('choose.none')}</p>
          <p>{t('choose.noneHint')}</p>
        </>
      ) : (
        <>
          <p>{t('choose.intro')}</p>
          <ul className="choice-list">
            {compounds.map((c) => (
              <li key={c.compoundId}>
                <Link to={pathTo('compound', { compoundId: c.compoundId })} className="choice" data-testid="compound-choice">
                  <span className="choice-title">{c.compoundName}</span>
                  <span className="choice-detail">{c.communityName}</span>
                  <span className="choice-detail">
                    {t('choose.roles', { roles: c.roles.map((r) => t(`roles.${r}`)).join(t('home.listSeparator')) })}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="aside">
        <Link to={pathTo('join')} className="button-link" data-testid="redeem-link">
          {t('nav.redeem')}
        </Link>
      </p>
    </section>
  );
}
