import {
  MEETING_AUDIENCES,
  MEETING_KIND_TABLE,
  MEETING_KINDS,
  MEETING_SCOPES,
  meetingAudienceLabel,
  meetingKindLabel,
  type MeetingAudience,
  type MeetingKind,
  type MeetingScope,
  type ScopeCompoundView,
} from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { DateTimeField, nextFullHour } from '../../components/date-time-field';
import { Options, SelectField, TextField } from '../../components/fields';
import { FormError } from '../../components/form-error';
import { api } from '../../lib/api';
import { useErrorText, type FormErrors } from '../../lib/errors';
import { useResource } from '../../lib/use-resource';

/**
 * For a community or street meeting: beside each agenda line, the compound it is about (the host
 * by default). Its members then see the meeting and join it as guests.
 */
function ItemCompounds({
  compoundId,
  scope,
  lines,
  chosen,
  onChoose,
}: {
  compoundId: string;
  scope: MeetingScope;
  lines: string[];
  chosen: Record<string, string>;
  onChoose: (line: string, compound: string) => void;
}) {
  const { t } = useTranslation();
  const compounds = useResource(`compounds-in-scope:${compoundId}:${scope}`, () => api.compoundsInScope(compoundId, scope));
  if (compounds.error) return <ErrorAlert error={compounds.error} />;
  if (compounds.loading) return <p role="status">{t('common.loading')}</p>;
  const name = (c: ScopeCompoundView) => (scope === 'street' ? `${c.communityName} · ${c.name}` : c.name);
  return (
    <fieldset className="field" data-testid="schedule-item-compounds">
      <legend>{t('lists.itemCompounds')}</legend>
      {lines.length === 0 && <p className="muted">{t('lists.itemCompoundsEmpty')}</p>}
      {lines.map((line) => (
        <SelectField
          key={line}
          label={line}
          value={chosen[line] ?? compoundId}
          onChange={(e) => onChoose(line, e.target.value)}
          data-testid="schedule-item-compound"
        >
          {(compounds.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {name(c)}
            </option>
          ))}
        </SelectField>
      ))}
    </fieldset>
  );
}

export function ScheduleForm({ compoundId, onDone }: { compoundId: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { forForm } = useErrorText();
  const [kind, setKind] = useState<MeetingKind>('deliberation');
  // The kind's default until the chair picks another; a new kind brings its own default again.
  const [audience, setAudience] = useState<MeetingAudience>(MEETING_KIND_TABLE.deliberation.audience);
  const [scope, setScope] = useState<MeetingScope>('compound');
  const [title, setTitle] = useState('');
  const [at, setAt] = useState(nextFullHour);
  const [place, setPlace] = useState('');
  const [agenda, setAgenda] = useState('');
  const [itemCompound, setItemCompound] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);

  const info = MEETING_KIND_TABLE[kind];
  const kindHint = [
    t('lists.kindAudience', { audience: meetingAudienceLabel(info.audience, i18n.language) }),
    info.holdsVotes ? '' : t('lists.kindNoVotes'),
  ]
    .join(' ')
    .trim();
  const lines = [
    ...new Set(
      agenda
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
  // An item about the host compound is stored without a compound, as in a compound meeting.
  const aboutOther = (line: string) => (scope !== 'compound' && itemCompound[line] !== compoundId ? (itemCompound[line] ?? null) : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const when = new Date(at);
      await api.scheduleMeeting(compoundId, {
        title,
        kind,
        audience,
        scope,
        rule: MEETING_KIND_TABLE[kind].defaultRule,
        scheduledAt: when.toISOString(),
        place,
        agenda: lines.map((title) => ({ title, compoundId: aboutOther(title) })),
      });
      setTitle('');
      setAgenda('');
      setItemCompound({});
      onDone();
    } catch (error) {
      setErrors(forForm(error, ['title', 'scheduledAt', 'place', 'scope', 'audience']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card">
      <summary className="button-link">{t('lists.schedule')}</summary>
      <FormError errors={errors} />
      <form onSubmit={submit} noValidate>
        <SelectField
          label={t('lists.kind')}
          value={kind}
          onChange={(e) => {
            const k = e.target.value as MeetingKind;
            setKind(k);
            setAudience(MEETING_KIND_TABLE[k].audience);
          }}
          hint={kindHint}
          data-testid="schedule-kind"
        >
          <Options values={MEETING_KINDS} label={(k) => meetingKindLabel(k, i18n.language)} />
        </SelectField>
        <SelectField
          label={t('lists.audience')}
          value={audience}
          onChange={(e) => setAudience(e.target.value as MeetingAudience)}
          error={errors?.fields.audience}
          data-testid="schedule-audience"
        >
          <Options values={MEETING_AUDIENCES} label={(a) => meetingAudienceLabel(a, i18n.language)} />
        </SelectField>
        <SelectField
          label={t('lists.scope')}
          value={scope}
          onChange={(e) => setScope(e.target.value as MeetingScope)}
          hint={scope === 'compound' ? undefined : t('lists.scopeHint')}
          error={errors?.fields.scope}
          data-testid="schedule-scope"
        >
          <Options values={MEETING_SCOPES} label={(s) => t(`lists.scopeChoices.${s}`)} />
        </SelectField>
        <TextField
          label={t('lists.scheduleTitle')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={errors?.fields.title}
          data-testid="schedule-title"
        />
        <DateTimeField label={t('lists.scheduleAt')} value={at} onChange={setAt} error={errors?.fields.scheduledAt} testId="schedule-at" />
        <TextField label={t('lists.schedulePlace')} value={place} onChange={(e) => setPlace(e.target.value)} error={errors?.fields.place} />
        <div className="field">
          <label htmlFor="schedule-agenda">{t('lists.scheduleAgenda')}</label>
          <textarea id="schedule-agenda" value={agenda} onChange={(e) => setAgenda(e.target.value)} data-testid="schedule-agenda" />
        </div>
        {scope !== 'compound' && (
          <ItemCompounds
            compoundId={compoundId}
            scope={scope}
            lines={lines}
            chosen={itemCompound}
            onChoose={(line, c) => setItemCompound((prev) => ({ ...prev, [line]: c }))}
          />
        )}
        <button type="submit" className="button-primary" disabled={busy} data-testid="schedule-submit">
          {t('lists.scheduleSubmit')}
        </button>
      </form>
    </details>
  );
}
