import type { RoundView } from '@yishi/shared';
import { useTranslation } from 'react-i18next';

/** A closed round's outcome: passed or not, why not, and where that leaves the proposal. */
export function ResultBanner({ round }: { round: RoundView }) {
  const { t } = useTranslation();
  if (!round.result) return null;
  const { decision } = round.result;
  return (
    <div
      className={`result-banner ${decision.passed ? 'result-passed' : 'result-failed'}`}
      role="status"
      data-testid="result-banner"
      data-passed={decision.passed}
    >
      <p className="result-verdict">{decision.passed ? t('vote.passed') : t('vote.failed')}</p>
      {!decision.passed && (
        <p>{t('vote.why', { reasons: decision.failures.map((f) => t(`vote.failures.${f}`)).join(t('home.listSeparator')) })}</p>
      )}
      <p>{t('vote.proposalNow', { status: t(`proposalStatus.${round.proposalStatus}`) })}</p>
    </div>
  );
}
