import { ERRORS } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { catalogueLanguage } from '../lib/i18n';
import { pathTo } from '../lib/routes';
import { Alert } from './alert';
import { Link } from './link';
import { PageHeading } from './page-heading';

/** What stands in for a screen: still loading, no such address, or not for this user. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="loading">
      {t('common.loading')}
    </p>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <PageHeading title={t('errors.notFound')}>{t('errors.notFound')}</PageHeading>
      <p>
        <Link to={pathTo('home')} className="button-link">
          {t('errors.toHome')}
        </Link>
      </p>
    </section>
  );
}

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <section className="narrow">
      <PageHeading title={t('forbidden.title')}>{t('forbidden.title')}</PageHeading>
      <Alert>{ERRORS.FORBIDDEN[catalogueLanguage()]}</Alert>
    </section>
  );
}
