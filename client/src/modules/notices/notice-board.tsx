import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { pathTo } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';
import { useNoticeChanges } from './use-notice-changes';

/** The compound page's 公示栏: notices newest first, open ones with the end of their period. */
export function NoticeBoard({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const notices = useResource(`notices:${compoundId}`, () => api.notices(compoundId));
  useNoticeChanges(compoundId, null, notices.reload);
  if (notices.error) return <ErrorAlert error={notices.error} />;
  if (!notices.data || notices.data.length === 0) return null;
  return (
    <section className="card notice-board" aria-labelledby="notice-board" data-testid="notice-board">
      <h2 id="notice-board">{t('notices.board')}</h2>
      <ul className="plain-list">
        {notices.data.map((n) => (
          <li key={n.id}>
            <Link to={pathTo('notice', { compoundId, noticeId: n.id })} data-testid="notice-link">
              {t('notices.title', { title: n.subject.title })}
            </Link>
            <span className="block muted">
              {t(`notices.state.${n.state}`, { time: formatDateTime(n.endsAt) })} ·{' '}
              {t('notices.objectionCount', { n: n.objections, open: n.unanswered })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
