import { formatPermille, minimumSupportShare, RULES, shareOfWhole, type Check, type RoundView, type TallyView } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import { catalogueLanguage } from '../../lib/i18n';

interface Bar {
  check: Check;
  label: string;
  part: number;
  whole: number;
  num: number;
  den: number;
  inclusive: boolean;
}

/** The checks of the rule that weigh a share, each as a bar with its threshold drawn, from the live tally. */
function thresholdBars(tally: TallyView): Bar[] {
  const bars: Bar[] = [];
  for (const check of tally.decision.checks) {
    // The electorate and ballots checks weigh no share, so they get no bar.
    if (check.share) bars.push({ check, label: check.id, part: check.share.part, whole: check.share.whole, ...check.share.threshold });
  }
  return bars;
}

export function TallyPanel({ round, tally }: { round: RoundView; tally: TallyView }) {
  const { t } = useTranslation();
  const lang = catalogueLanguage();
  const { tally: c, totals, decision } = tally;
  const whole = totals.households || 1;
  const segments = [
    { key: 'for' as const, n: c.for.households },
    { key: 'against' as const, n: c.against.households },
    { key: 'abstain' as const, n: c.abstain.households },
    { key: 'notVoted' as const, n: c.notVoted.households },
  ];
  const pct = (part: number, of: number) => formatPermille(shareOfWhole(Math.min(part, of), of).permille);
  const min = minimumSupportShare(round.rule);
  return (
    <div className="tally" data-testid="tally">
      <h4>{round.status === 'open' ? t('vote.tally') : t('vote.finalTally')}</h4>
      <p data-testid="tally-counted">{t('vote.counted', { n: c.participating.households, total: totals.households })}</p>
      <div className="stack-bar" aria-hidden="true">
        {segments.map((s) =>
          s.n > 0 ? <span key={s.key} className={`seg seg-${s.key}`} style={{ width: `${(s.n * 100) / whole}%` }} /> : null,
        )}
      </div>
      <ul className="tally-legend">
        {segments.map((s) => (
          <li key={s.key} data-testid={`tally-${s.key}`}>
            <span className={`swatch seg-${s.key}`} aria-hidden="true" /> {t(`vote.${s.key}`)} {t('vote.households', { n: s.n })}
          </li>
        ))}
      </ul>
      {thresholdBars(tally).map((b) => {
        const share = `${Math.round((b.num * 1000) / b.den) / 10}%`;
        return (
          <div key={b.label} className="threshold" data-testid={`check-${b.label}`}>
            <p>
              {t(`vote.checks.${b.check.id}`)}: <strong>{b.whole === 0 ? '—' : pct(b.part, b.whole)}</strong>{' '}
              <span className="muted">{t('vote.threshold', { op: b.inclusive ? t('vote.atLeast') : t('vote.moreThan'), share })}</span>{' '}
              <strong>{b.check.met ? t('vote.checkMet') : t('vote.checkNotMet')}</strong>
            </p>
            <div className="meter" aria-hidden="true">
              <span className="meter-fill" style={{ width: `${b.whole === 0 ? 0 : Math.min(100, (b.part * 100) / b.whole)}%` }} />
              <span className="meter-mark" style={{ left: `${(b.num * 100) / b.den}%` }} />
            </div>
          </div>
        );
      })}
      {round.status === 'open' && (
        <p data-testid="if-closed-now">{t('vote.ifClosedNow', { verdict: decision.passed ? t('vote.wouldPass') : t('vote.wouldFail') })}</p>
      )}
      <p className="muted">
        {t('vote.supportOfWhole', {
          h: formatPermille(tally.supportOfWhole.householdsPermille),
          a: formatPermille(tally.supportOfWhole.areaPermille),
          p: formatPermille(tally.supportOfWhole.headsPermille),
        })}
      </p>
      {min && min.num < min.den && (
        <p className="muted">{t('vote.minimumSupport', { share: `${Math.floor((min.num * 1000) / min.den) / 10}%` })}</p>
      )}
      {tally.assisted > 0 && <p className="muted">{t('vote.assisted', { n: tally.assisted })}</p>}
      <p className="muted">{RULES[round.rule].abstentions[lang]}</p>
    </div>
  );
}
