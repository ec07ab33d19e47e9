import type { WhistleTargetView, WhistleView } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';

/** Status, with the overdue flag the chair watches for. */
export function WhistleStatusTags({ w }: { w: WhistleView }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="status-tag" data-testid="whistle-status">
        {t(`whistles.status.${w.status}`)}
      </span>
      {w.overdue && (
        <span className="status-tag whistle-overdue" data-testid="whistle-overdue">
          {t('whistles.overdue')}
        </span>
      )}
    </>
  );
}

/** One target organisation: whether it reported (报到) and what it answered. */
export function TargetProgress({ target }: { target: WhistleTargetView }) {
  const { t } = useTranslation();
  return (
    <li data-testid="whistle-target">
      <strong className="block">
        {target.name}
        {target.partnerType ? ` · ${target.partnerType}` : ''}
      </strong>
      <span className="block">
        {target.answeredAt
          ? t('whistles.answeredBy', { name: target.answeredByName, time: formatDateTime(target.answeredAt) })
          : target.acceptedAt
            ? t('whistles.acceptedBy', { name: target.acceptedByName, time: formatDateTime(target.acceptedAt) })
            : t('whistles.notAccepted')}
        {target.overdue && <span className="status-tag whistle-overdue">{t('whistles.overdue')}</span>}
      </span>
      {target.answer && (
        <p className="whistle-answer" data-testid="whistle-answer">
          {target.answer}
        </p>
      )}
    </li>
  );
}
