import { useTranslation } from 'react-i18next';
import { Alert, ErrorAlert, Notice } from '../components/alert';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api, ApiRequestError } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { pathTo } from '../lib/routes';
import { useResource } from '../lib/use-resource';
import { shortReceipt } from '../modules/votes/receipt';

/** Where a receipt's QR code leads: is this ballot in the record, and is it the one that counts? */
export default function ReceiptPage({ compoundId, roundId, receipt }: { compoundId: string; roundId: string; receipt: string }) {
  const { t } = useTranslation();
  const check = useResource(`receipt:${roundId}:${receipt}`, () => api.receipt(compoundId, roundId, receipt));
  const r = check.data;
  const notFound = check.error instanceof ApiRequestError && check.error.code === 'NOT_FOUND';
  return (
    <div className="narrow">
      <p>
        <Link to={pathTo('compound', { compoundId })} className="button-link">
          ← {t('room.back')}
        </Link>
      </p>
      <PageHeading title={t('receiptPage.title')}>{t('receiptPage.title')}</PageHeading>
      <p>
        {t('vote.receiptShort')} <strong className="hash-short">{shortReceipt(receipt)}</strong>
      </p>
      {check.loading && <p role="status">{t('common.loading')}</p>}
      {notFound ? (
        <Alert testId="receipt-result">{t('receiptPage.notFound')}</Alert>
      ) : check.error ? (
        <ErrorAlert error={check.error} />
      ) : null}
      {r && (
        <>
          {r.counted ? (
            <Notice testId="receipt-result">{t('vote.receiptCounted')}</Notice>
          ) : (
            <Alert testId="receipt-result">{t('vote.receiptReplaced')}</Alert>
          )}
          <dl className="facts">
            <div>
              <dt>{t('receiptPage.household')}</dt>
              <dd data-testid="receipt-household">{r.householdLabel}</dd>
            </div>
            <div>
              <dt>{t('receiptPage.choice')}</dt>
              <dd>{t(`vote.${r.choice}`)}</dd>
            </div>
            <div>
              <dt>{t('receiptPage.at')}</dt>
              <dd>{formatDateTime(r.at)}</dd>
            </div>
          </dl>
          <p className="hash">{r.receipt}</p>
        </>
      )}
    </div>
  );
}
