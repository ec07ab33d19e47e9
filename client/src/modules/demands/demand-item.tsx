import { allows, DEMAND_TRANSITIONS, type DemandStatus, type DemandView, type Role } from '@yishi/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField, SelectField } from '../../components/fields';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';

/** The chair moves a demand along the allowed transitions; declining asks for the reason residents will read. */
function StatusForm({ compoundId, d, onChanged }: { compoundId: string; d: DemandView; onChanged: (d: DemandView) => void }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [to, setTo] = useState<DemandStatus | ''>('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const next = DEMAND_TRANSITIONS[d.status];
  if (next.length === 0) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) return;
    setError(null);
    try {
      onChanged(await api.changeDemandStatus(compoundId, d.id, to === 'declined' ? { to, reason: text } : { to, note: text || undefined }));
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <details>
      <summary className="button-link">{t('demands.changeStatus')}</summary>
      <form onSubmit={submit} noValidate>
        <SelectField label={t('demands.newStatus')} value={to} onChange={(e) => setTo(e.target.value as DemandStatus)}>
          <option value="">—</option>
          {next.map((s) => (
            <option key={s} value={s}>
              {t(`demands.statuses.${s}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={to === 'declined' ? t('demands.reason') : t('demands.note')}
          value={text}
          maxLength={500}
          error={error ?? undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" disabled={!to}>
          {t('demands.save')}
        </button>
      </form>
    </details>
  );
}

/** One demand in the list: what, where, status, who (only where they agreed to be named), its seconds and project. */
export function DemandItem({ compoundId, roles, demand }: { compoundId: string; roles: readonly Role[]; demand: DemandView }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [d, setD] = useState(demand);
  // The list loaded again (a live change): show its newer copy.
  useEffect(() => setD(demand), [demand]);
  const [error, setError] = useState<string | null>(null);
  const where = d.buildingName
    ? [d.buildingName, d.gateName].filter(Boolean).join(' ')
    : d.scope === 'community'
      ? t('demands.community')
      : t('demands.wholeCompound');
  const closed = d.status === 'done' || d.status === 'declined';
  const canSecond = allows(roles, 'demand.second') && !d.mine && !d.secondedByMe && !closed;

  const second = async () => {
    setError(null);
    try {
      setD(await api.secondDemand(compoundId, d.id, { namedConsent: false }));
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <li className="demand-item" data-testid="demand-item">
      <p>
        <strong className="block" data-testid="demand-title">
          {d.title}
        </strong>
        <span className="status-tag" data-testid="demand-status">
          {t(`demands.statuses.${d.status}`)}
        </span>{' '}
        <span className="muted">
          {t(`demands.categories.${d.category}`)} · {where} · {t(`demands.channels.${d.channel}`)} · {formatDateTime(d.createdAt)}
        </span>
      </p>
      {d.body && <p>{d.body}</p>}
      <p className="muted">
        {d.mine ? t('demands.mine') : d.raisedByName ? t('demands.raisedBy', { name: d.raisedByName }) : t('demands.unnamed')}
        {d.onBehalf && ` · ${t('demands.onBehalf')}`}
        {d.enteredByName && d.onBehalf && ` · ${t('demands.enteredBy', { name: d.enteredByName })}`}
        {d.photoCount > 0 && ` · ${t('demands.photos', { n: d.photoCount })}`}
      </p>
      {d.declineReason && <p>{t('demands.declineReason', { reason: d.declineReason })}</p>}
      {d.projects.map((p) => (
        <p key={p.id}>{t('demands.project', { title: p.title })}</p>
      ))}
      <div className="button-row">
        <span data-testid="demand-seconds">{t('demands.seconds', { n: d.seconds })}</span>
        {d.secondedByMe && <span className="muted">{t('demands.seconded')}</span>}
        {canSecond && (
          <button type="button" onClick={() => void second()} data-testid="demand-second">
            {t('demands.second')}
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {allows(roles, 'demand.triage') && <StatusForm compoundId={compoundId} d={d} onChanged={setD} />}
    </li>
  );
}
