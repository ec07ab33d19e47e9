import { type Choice, type MyBallotView, type RoundView } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { command } from '../../lib/realtime';
import { ChoiceButtons } from './choice-buttons';
import { Receipt } from './receipt';

/** One household's ballot: tap a choice, tap to confirm. No timer, no dialog. */
export function BallotBox({
  compoundId,
  round,
  mine,
  onCast,
}: {
  compoundId: string;
  round: RoundView;
  mine: MyBallotView;
  onCast: () => void;
}) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [choice, setChoice] = useState<Choice | null>(null);
  // One id per intended ballot: a resend after a dropped connection changes nothing.
  const [ballotId, setBallotId] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const [receiptCheck, setReceiptCheck] = useState<string | null>(null);
  const open = round.status === 'open';

  const cast = async () => {
    if (!choice) return;
    setBusy(true);
    setError(null);
    try {
      await command('vote:cast', { roundId: round.id, ballotId, householdId: mine.householdId, revisionId: round.revisionId, choice });
      setChoice(null);
      setChanging(false);
      setBallotId(crypto.randomUUID());
      onCast();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const check = async (receipt: string) => {
    try {
      const r = await api.receipt(compoundId, round.id, receipt);
      setReceiptCheck(r.counted ? t('vote.receiptCounted') : t('vote.receiptReplaced'));
    } catch (e) {
      setReceiptCheck(message(e));
    }
  };

  const b = mine.ballot;
  const label = `${mine.label}${mine.as === 'proxy' ? t('vote.asProxy') : ''}`;
  const sameOwner = mine.sameOwnerUnits ?? [mine.label];
  return (
    <div className="ballot" data-testid="ballot" data-household={mine.label}>
      <h4>{t('vote.forHousehold', { label })}</h4>
      {sameOwner.length > 1 && (
        <p className="one-stance" data-testid="one-stance">
          {t('vote.oneStance', { n: sameOwner.length, labels: sameOwner.join(t('home.listSeparator')) })}
        </p>
      )}
      {b && (
        <>
          <p className="ballot-cast" data-testid="ballot-cast">
            {t('vote.cast', { choice: t(`vote.${b.choice}`) })}
          </p>
          <Receipt compoundId={compoundId} roundId={round.id} receipt={b.receipt} />
          <div className="button-row">
            <button type="button" className="button-quiet" onClick={() => void check(b.receipt)} data-testid="check-receipt">
              {t('vote.checkReceipt')}
            </button>
            {open && !changing && (
              <button type="button" className="button-quiet" onClick={() => setChanging(true)} data-testid="ballot-change">
                {t('vote.change')}
              </button>
            )}
          </div>
          {receiptCheck && <p role="status">{receiptCheck}</p>}
        </>
      )}
      {open && (!b || changing) && (
        <>
          <ChoiceButtons choice={choice} onChoose={setChoice} testIdPrefix="choose" label={t('vote.forHousehold', { label })} />
          {choice && (
            <div className="button-row">
              <button
                type="button"
                className="button-primary confirm-button"
                disabled={busy}
                onClick={() => void cast()}
                data-testid="ballot-confirm"
              >
                {t('vote.confirm', { choice: t(`vote.${choice}`) })}
              </button>
              <button type="button" className="button-quiet" onClick={() => setChoice(null)}>
                {t('vote.cancel')}
              </button>
            </div>
          )}
        </>
      )}
      {error && <Alert>{error}</Alert>}
    </div>
  );
}

/** The caller's ballots in a round: one box per owner, since a ballot for one of an owner's units is recorded for all of them. */
export function MyBallots({
  compoundId,
  round,
  mine,
  onCast,
}: {
  compoundId: string;
  round: RoundView;
  mine: MyBallotView[];
  onCast: () => void;
}) {
  return (
    <>
      {mine
        .filter((m, i, all) => all.findIndex((x) => x.head === m.head) === i)
        .map((m) => (
          <BallotBox key={m.householdId} compoundId={compoundId} round={round} mine={m} onCast={onCast} />
        ))}
    </>
  );
}
