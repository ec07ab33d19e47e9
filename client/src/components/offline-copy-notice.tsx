import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/format';
import { useOfflineCopy } from '../lib/offline-store';

/** Says so when the screen shows the copy kept on this device rather than live data. */
export function OfflineCopyNotice() {
  const { t } = useTranslation();
  const savedAt = useOfflineCopy();
  if (!savedAt) return null;
  return (
    <p className="alert" role="status" data-testid="offline-copy">
      ⚠ {t('connection.offlineCopy', { time: formatDateTime(savedAt) })}
    </p>
  );
}
