import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { PageHeading } from '../../components/page-heading';
import { api } from '../../lib/api';
import { useRouteParams } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';
import { NoticeRecordView, NoticeState, ObjectionList } from './notice-parts';

/**
 * A notice the chair made public, for anyone with the link and no sign-in: no person is named.
 * It is also the printed notice for the courtyard's bulletin board (the print button and the
 * print stylesheet: A4, black on white, no controls), so what is posted is exactly what is online.
 */
export default function PublicNoticePage() {
  const { t } = useTranslation();
  const { token } = useRouteParams('publicNotice');
  const notice = useResource(`public-notice:${token}`, () => api.publicNotice(token));
  if (notice.error) return <ErrorAlert error={notice.error} />;
  if (!notice.data) return <p role="status">{t('common.loading')}</p>;
  const n = notice.data;
  return (
    <article className="public-notice" data-testid="public-notice">
      <p className="notice-compound">{n.compoundName}</p>
      <PageHeading title={t('notices.title', { title: n.subject.title })} testId="notice-heading">
        {t('notices.title', { title: n.subject.title })}
      </PageHeading>
      <NoticeState n={n} />
      <p className="no-print">
        <button type="button" className="button-primary" onClick={() => window.print()} data-testid="notice-print">
          {t('notices.print')}
        </button>
      </p>
      <NoticeRecordView n={n} />
      <section className="card" aria-labelledby="notice-objections">
        <h2 id="notice-objections">{t('notices.objections', { n: n.objections.length })}</h2>
        <ObjectionList objections={n.objections} />
      </section>
      <p className="muted">{t('notices.publicFooter')}</p>
    </article>
  );
}
