import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import type { DocStatus } from './use-collab';

/**
 * Where the proposal's edits are: waiting on this device, being sent, or all acknowledged by the
 * server. "Saved" is only ever said once the server has committed every change made here.
 */
export function DocStatusLine({ status }: { status: DocStatus }) {
  const { t } = useTranslation();
  const waiting = Math.max(status.unsent, status.pending > 0 ? 1 : 0);
  const text = !status.synced
    ? status.unsent > 0
      ? t('editor.waiting', { n: status.unsent })
      : t('editor.unsynced')
    : waiting > 0
      ? t('editor.saving', { n: waiting })
      : t('editor.saved');
  return (
    <>
      <p className="muted" data-testid="doc-status" data-pending={status.pending} data-unsent={status.unsent} data-synced={status.synced}>
        {text}
      </p>
      {status.discarded > 0 && <Alert testId="doc-discarded">{t('editor.discarded', { n: status.discarded })}</Alert>}
    </>
  );
}
