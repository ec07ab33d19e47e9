import { WHISTLE_TARGET_KINDS, type OrganisationKind } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTimeField, nextFullHour } from '../../components/date-time-field';
import { FormError } from '../../components/form-error';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { useErrorText, type FormErrors } from '../../lib/errors';
import { pathTo } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';

const TARGET_KINDS: readonly OrganisationKind[] = WHISTLE_TARGET_KINDS;
const DAY = 86_400_000;

/**
 * 吹哨 on a demand (or a project's blocker): the chair asks departments and partner units of the
 * community to answer by a deadline. Place it where the chair sees the demand or the project.
 */
export function BlowWhistle({ compoundId, demandId, projectId }: { compoundId: string; demandId?: string; projectId?: string }) {
  const { t } = useTranslation();
  const { forForm } = useErrorText();
  const compound = useResource(`compound:${compoundId}`, () => api.compound(compoundId));
  const [question, setQuestion] = useState('');
  const [deadline, setDeadline] = useState(() => nextFullHour(new Date(Date.now() + 7 * DAY)));
  const [chosen, setChosen] = useState<string[]>([]);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const [blown, setBlown] = useState<string | null>(null);
  const orgs = (compound.data?.organisations ?? []).filter((o) => TARGET_KINDS.includes(o.kind));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const when = new Date(deadline);
      const w = await api.blowWhistle(compoundId, {
        demandId,
        projectId,
        question,
        deadline: Number.isNaN(when.getTime()) ? deadline : when.toISOString(),
        organisationIds: chosen,
      });
      setBlown(w.id);
      setQuestion('');
      setChosen([]);
    } catch (error) {
      setErrors(forForm(error, ['question', 'deadline', 'organisationIds']));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  return (
    <details className="card" data-testid="blow-whistle">
      <summary className="button-link">{t('whistles.blow')}</summary>
      {blown && (
        <p className="alert alert-ok" role="status" data-testid="whistle-blown">
          <Link to={pathTo('whistle', { compoundId, whistleId: blown })}>{t('whistles.blown')}</Link>
        </p>
      )}
      <FormError errors={errors} />
      <form onSubmit={submit} noValidate>
        <fieldset className="field" aria-describedby={errors?.fields.organisationIds ? 'whistle-orgs-error' : undefined}>
          <legend>{t('whistles.chooseTargets')}</legend>
          {orgs.map((o) => (
            <label key={o.id} className="choice">
              <input type="checkbox" checked={chosen.includes(o.id)} onChange={() => toggle(o.id)} data-testid="whistle-target-choice" />
              <span>
                {o.name}
                <span className="muted"> · {o.partnerType ?? t(`organisationKinds.${o.kind}`)}</span>
              </span>
            </label>
          ))}
          {errors?.fields.organisationIds && (
            <p id="whistle-orgs-error" className="field-error">
              {errors.fields.organisationIds}
            </p>
          )}
        </fieldset>
        <div className="field">
          <label htmlFor="whistle-question">{t('whistles.questionLabel')}</label>
          <textarea
            id="whistle-question"
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
            aria-invalid={errors?.fields.question ? true : undefined}
            aria-describedby={errors?.fields.question ? 'whistle-question-error' : undefined}
            data-testid="whistle-question-input"
          />
          {errors?.fields.question && (
            <p id="whistle-question-error" className="field-error">
              {errors.fields.question}
            </p>
          )}
        </div>
        <DateTimeField
          label={t('whistles.deadlineLabel')}
          value={deadline}
          onChange={setDeadline}
          error={errors?.fields.deadline}
          testId="whistle-deadline-input"
        />
        <button type="submit" className="button-primary" disabled={busy} data-testid="whistle-submit">
          {t('whistles.blowSubmit')}
        </button>
      </form>
    </details>
  );
}
