import type { RollCallEntry, RoundView } from '@yishi/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';

/** The photo of a signed paper, fetched with the access token when asked for. */
export function PaperPhoto({ compoundId, roundId, entry }: { compoundId: string; roundId: string; entry: RollCallEntry }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  const toggle = async () => {
    if (url) return setUrl(null);
    try {
      setUrl(URL.createObjectURL(await api.paperPhoto(compoundId, roundId, entry.photoId!)));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <button type="button" className="button-quiet" aria-expanded={!!url} onClick={() => void toggle()} data-testid="paper-photo-show">
        {url ? t('paper.hidePhoto') : t('paper.showPhoto')}
      </button>
      {url && <img className="paper-photo" src={url} alt={t('paper.photoAlt', { label: entry.label })} data-testid="paper-photo-img" />}
      {error ? <ErrorAlert error={error} /> : null}
    </>
  );
}

/** A household disputes the paper ballot entered in its name. */
export function DisputeForm({
  compoundId,
  roundId,
  householdId,
  onDone,
}: {
  compoundId: string;
  roundId: string;
  householdId: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (!open)
    return (
      <button type="button" className="button-quiet" onClick={() => setOpen(true)} data-testid="paper-dispute">
        {t('paper.dispute')}
      </button>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.disputePaper(compoundId, roundId, householdId, reason);
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit}>
      <label htmlFor={`dispute-${householdId}`}>{t('paper.disputeReason')}</label>
      <textarea
        id={`dispute-${householdId}`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="paper-dispute-reason"
      />
      <button type="submit" className="button-primary" disabled={!reason.trim()} data-testid="paper-dispute-submit">
        {t('paper.disputeSubmit')}
      </button>
      {error ? <ErrorAlert error={error} /> : null}
    </form>
  );
}

/** Disputes of a round's paper entries; the chair answers each once, on the record. */
export function Disputes({
  compoundId,
  round,
  chair,
  version,
  onChange,
}: {
  compoundId: string;
  round: RoundView;
  chair: boolean;
  version: number;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const disputes = useResource(`paper-disputes:${round.id}:${version}`, () => api.paperDisputes(compoundId, round.id));
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  if (!disputes.data || disputes.data.length === 0) return null;
  const answer = async (e: FormEvent, id: string) => {
    e.preventDefault();
    try {
      await api.answerDispute(compoundId, round.id, id, answers[id] ?? '');
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h4>{t('paper.disputesTitle')}</h4>
      <ul className="plain-list" data-testid="paper-disputes">
        {disputes.data.map((d) => (
          <li
            key={d.id}
            className={d.answeredAt ? 'dispute' : 'dispute dispute-open'}
            data-testid="paper-dispute-item"
            data-answered={!!d.answeredAt}
          >
            <p>{t('paper.disputeBy', { label: d.label, name: d.raisedByName, time: formatDateTime(d.raisedAt) })}</p>
            <p>{d.reason}</p>
            {d.answeredAt ? (
              <p>{t('paper.answered', { name: d.answeredByName, answer: d.answer })}</p>
            ) : (
              chair && (
                <form onSubmit={(e) => void answer(e, d.id)}>
                  <label htmlFor={`answer-${d.id}`}>{t('paper.answer')}</label>
                  <textarea
                    id={`answer-${d.id}`}
                    value={answers[d.id] ?? ''}
                    onChange={(e) => setAnswers({ ...answers, [d.id]: e.target.value })}
                    data-testid="paper-answer"
                  />
                  <button
                    type="submit"
                    className="button-primary"
                    disabled={!(answers[d.id] ?? '').trim()}
                    data-testid="paper-answer-submit"
                  >
                    {t('paper.answerSubmit')}
                  </button>
                </form>
              )
            )}
          </li>
        ))}
      </ul>
      {error ? <ErrorAlert error={error} /> : null}
    </>
  );
}
