import { allows, DEMAND_TRANSITIONS, type DemandDetailView, type DemandStatus, type DemandView, type Role } from '@yishi/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, TextField, SelectField } from '../../components/fields';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { Link } from '../../components/link';
import { formatDateTime } from '../../lib/format';
import { pathTo } from '../../lib/routes';

/** The chair moves a demand along the allowed transitions; declining asks for the reason residents will read. */
function StatusForm({ compoundId, d, onChanged }: { compoundId: string; d: DemandView; onChanged: (d: DemandDetailView) => void }) {
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

/** Where a demand is: building and gate, the whole compound, or the community. */
function useDemandPlace(): (d: DemandView) => string {
  const { t } = useTranslation();
  return (d) =>
    d.buildingName
      ? [d.buildingName, d.gateName].filter(Boolean).join(' ')
      : d.scope === 'community'
        ? t('demands.community')
        : t('demands.wholeCompound');
}

/** Who raised it, as far as the viewer may know (names only where the person agreed). */
function RaisedBy({ d }: { d: DemandView }) {
  const { t } = useTranslation();
  return (
    <p className="muted">
      {d.mine ? t('demands.mine') : d.raisedByName ? t('demands.raisedBy', { name: d.raisedByName }) : t('demands.unnamed')}
      {d.onBehalf && ` · ${t('demands.onBehalf')}`}
      {d.enteredByName && d.onBehalf && ` · ${t('demands.enteredBy', { name: d.enteredByName })}`}
      {d.photoCount > 0 && ` · ${t('demands.photos', { n: d.photoCount })}`}
    </p>
  );
}

/** The projects that answered the demand, each a link to its page. */
function DemandProjectLinks({ compoundId, d }: { compoundId: string; d: DemandView }) {
  const { t } = useTranslation();
  return d.projects.map((p) => (
    <p key={p.id} data-testid="demand-project">
      {t('demands.projectLabel')}
      <Link to={pathTo('project', { compoundId, projectId: p.id })} className="list-link">
        {p.title}
      </Link>
    </p>
  ));
}

/** A demand shown with what one may do with it; `onChanged` gets it back after a change. */
interface DemandProps {
  compoundId: string;
  roles: readonly Role[];
  d: DemandView;
  onChanged: (d: DemandDetailView) => void;
}

/** 附议 and, for the chair, the status form: what one can do to a demand, in the list and on its page. */
function DemandActions({ compoundId, roles, d, onChanged }: DemandProps) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [error, setError] = useState<string | null>(null);
  // Seconders stay unnamed to other residents unless they say so here.
  const [named, setNamed] = useState(false);
  const closed = d.status === 'done' || d.status === 'declined';
  const canSecond = allows(roles, 'demand.second') && !d.mine && !d.secondedByMe && !closed;

  const second = async () => {
    setError(null);
    try {
      onChanged(await api.secondDemand(compoundId, d.id, { namedConsent: named }));
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <>
      <div className="button-row">
        <span data-testid="demand-seconds">{t('demands.seconds', { n: d.seconds })}</span>
        {d.secondedByMe && <span className="muted">{t('demands.seconded')}</span>}
        {canSecond && (
          <button type="button" onClick={() => void second()} data-testid="demand-second">
            {t('demands.second')}
          </button>
        )}
      </div>
      {canSecond && (
        <CheckboxField
          label={t('demands.secondNamed')}
          checked={named}
          onChange={(e) => setNamed(e.target.checked)}
          data-testid="demand-second-named"
        />
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {allows(roles, 'demand.triage') && <StatusForm compoundId={compoundId} d={d} onChanged={onChanged} />}
    </>
  );
}

/** A demand's status, then its category, place, channel and when it was recorded. */
export function DemandStatusLine({ d }: { d: DemandView }) {
  const { t } = useTranslation();
  const place = useDemandPlace();
  return (
    <>
      <span className="status-tag" data-testid="demand-status">
        {t(`demands.statuses.${d.status}`)}
      </span>{' '}
      <span className="muted">
        {t(`demands.categories.${d.category}`)} · {place(d)} · {t(`demands.channels.${d.channel}`)} · {formatDateTime(d.createdAt)}
      </span>
    </>
  );
}

/** What a demand says, who raised it, its projects and what one may do with it: in the list and on its page alike. */
export function DemandDetails({ compoundId, roles, d, onChanged }: DemandProps) {
  const { t } = useTranslation();
  return (
    <>
      {d.body && <p>{d.body}</p>}
      <RaisedBy d={d} />
      {d.declineReason && <p>{t('demands.declineReason', { reason: d.declineReason })}</p>}
      <DemandProjectLinks compoundId={compoundId} d={d} />
      <DemandActions compoundId={compoundId} roles={roles} d={d} onChanged={onChanged} />
    </>
  );
}

/** One demand in the list: what, where, status, who (only where they agreed to be named), its seconds and project. */
export function DemandItem({ compoundId, roles, demand }: { compoundId: string; roles: readonly Role[]; demand: DemandView }) {
  const [d, setD] = useState(demand);
  // The list loaded again (a live change): show its newer copy.
  useEffect(() => setD(demand), [demand]);

  return (
    <li className="demand-item" data-testid="demand-item">
      <p>
        <Link to={pathTo('demand', { compoundId, demandId: d.id })} className="list-link" data-testid="demand-title">
          <strong>{d.title}</strong>
        </Link>
        <DemandStatusLine d={d} />
      </p>
      <DemandDetails compoundId={compoundId} roles={roles} d={d} onChanged={setD} />
    </li>
  );
}
