import type { ProjectDetailView } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/fields';
import { api } from '../../lib/api';
import { useAction } from '../../lib/use-action';

/** 验收: once a project is done, each resident says once whether they are satisfied. */
export function AcceptanceCheck({
  compoundId,
  p,
  mayAnswer,
  onChanged,
}: {
  compoundId: string;
  p: ProjectDetailView;
  mayAnswer: boolean;
  onChanged: (p: ProjectDetailView) => void;
}) {
  const { t } = useTranslation();
  const [satisfied, setSatisfied] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const { act, error, busy } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (satisfied === null) return;
    await act(async () => onChanged(await api.acceptProject(compoundId, p.id, { satisfied, comment })));
  };
  return (
    <section aria-labelledby="project-acceptance" data-testid="project-acceptance">
      <h2 id="project-acceptance">{t('projectList.acceptance')}</h2>
      {p.status !== 'done' ? (
        <p>{t('projectList.acceptanceLater')}</p>
      ) : (
        <>
          <p data-testid="acceptance-tally">{t('projectList.satisfaction', { ...p.acceptance })}</p>
          {p.acceptanceComments.length > 0 && (
            <ul className="meta-list">
              {p.acceptanceComments.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          )}
          {p.myAcceptance ? (
            <p role="status" data-testid="acceptance-mine">
              {t('projectList.thanks')}{' '}
              {t('projectList.yourAnswer', { answer: t(p.myAcceptance.satisfied ? 'projectList.satisfied' : 'projectList.unsatisfied') })}
            </p>
          ) : (
            mayAnswer && (
              <form onSubmit={submit} noValidate data-testid="acceptance-form">
                <fieldset>
                  <legend>{t('projectList.acceptanceAsk')}</legend>
                  <div className="button-row">
                    {[true, false].map((v) => (
                      <button
                        key={String(v)}
                        type="button"
                        aria-pressed={satisfied === v}
                        onClick={() => setSatisfied(v)}
                        data-testid={v ? 'acceptance-yes' : 'acceptance-no'}
                      >
                        {t(v ? 'projectList.satisfied' : 'projectList.unsatisfied')}
                      </button>
                    ))}
                  </div>
                </fieldset>
                <TextField label={t('projectList.comment')} value={comment} maxLength={1000} onChange={(e) => setComment(e.target.value)} />
                {error && (
                  <p role="alert" className="field-error">
                    {error}
                  </p>
                )}
                <button type="submit" disabled={busy || satisfied === null} data-testid="acceptance-submit">
                  {t('projectList.submitAnswer')}
                </button>
              </form>
            )
          )}
        </>
      )}
    </section>
  );
}
