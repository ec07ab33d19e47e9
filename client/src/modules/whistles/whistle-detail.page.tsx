import { allows, type WhistleView } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { PageHeading } from '../../components/page-heading';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { pathTo } from '../../lib/routes';
import { useAction } from '../../lib/use-action';
import { useResource } from '../../lib/use-resource';
import { useCompound } from '../../route-guards';
import { BlowWhistle } from './blow-whistle';
import { useListsChanges } from '../../lib/use-lists-changes';
import { TargetProgress, WhistleStatusTags } from './whistle-parts';

/** What the user may do now: report (报到), answer, resolve or reopen. */
function Steps({ compoundId, w, onDone }: { compoundId: string; w: WhistleView; onDone: () => void }) {
  const { t } = useTranslation();
  const { act, error, busy } = useAction();
  const [answer, setAnswer] = useState('');
  const orgName = (id: string) => w.targets.find((x) => x.organisationId === id)?.name ?? '';
  const run = async (fn: () => Promise<unknown>) => {
    if (await act(fn)) onDone();
  };
  const submitAnswer = (orgId: string) => (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.answerWhistle(compoundId, w.id, orgId, answer);
      setAnswer('');
    });
  };
  const { accept, answer: answerable, resolve, reopen } = w.can;
  if (accept.length + answerable.length === 0 && !resolve && !reopen) return null;

  return (
    <section className="card" aria-labelledby="whistle-steps">
      <h2 id="whistle-steps">{t('whistles.yourStep')}</h2>
      {error && (
        <p className="alert alert-error" role="alert" data-testid="whistle-error">
          {error}
        </p>
      )}
      {accept.map((orgId) => (
        <button
          key={orgId}
          type="button"
          className="button-primary"
          disabled={busy}
          onClick={() => run(() => api.acceptWhistle(compoundId, w.id, orgId))}
          data-testid="whistle-accept"
        >
          {accept.length > 1 ? t('whistles.acceptFor', { name: orgName(orgId) }) : t('whistles.acceptAction')}
        </button>
      ))}
      {answerable.map((orgId) => (
        <form key={orgId} onSubmit={submitAnswer(orgId)} noValidate>
          <div className="field">
            <label htmlFor={`answer-${orgId}`}>{t('whistles.answerLabel', { name: orgName(orgId) })}</label>
            <textarea id={`answer-${orgId}`} value={answer} onChange={(e) => setAnswer(e.target.value)} data-testid="whistle-answer-text" />
          </div>
          <button type="submit" className="button-primary" disabled={busy || !answer.trim()} data-testid="whistle-answer-submit">
            {t('whistles.answerAction')}
          </button>
        </form>
      ))}
      {resolve && (
        <button type="button" disabled={busy} onClick={() => run(() => api.resolveWhistle(compoundId, w.id))} data-testid="whistle-resolve">
          {t('whistles.resolveAction')}
        </button>
      )}
      {reopen && (
        <button type="button" disabled={busy} onClick={() => run(() => api.reopenWhistle(compoundId, w.id))} data-testid="whistle-reopen">
          {t('whistles.reopenAction')}
        </button>
      )}
    </section>
  );
}

/** One whistle: what was asked of whom by when, each target's progress, every step taken. */
export default function WhistleDetailPage({ compoundId, whistleId }: { compoundId: string; whistleId: string }) {
  const { t } = useTranslation();
  const { roles } = useCompound();
  const whistle = useResource(`whistle:${whistleId}`, () => api.whistle(compoundId, whistleId));
  useListsChanges(compoundId, ['whistle'], (e) => {
    if (!e || e.id === whistleId) whistle.reload();
  });
  const back = (
    <Link to={pathTo('whistles', { compoundId })} className="button-link">
      {t('whistles.backToList')}
    </Link>
  );

  if (whistle.error) return <ErrorAlert error={whistle.error} action={back} />;
  if (!whistle.data) return <p role="status">{t('common.loading')}</p>;
  const w = whistle.data;

  return (
    <>
      <PageHeading title={w.subject.title} testId="whistle-title">
        {w.subject.title}
      </PageHeading>
      <p className="subtitle">
        {t(`whistles.subject.${w.subject.kind}`)} · <WhistleStatusTags w={w} />
      </p>
      <section className="card" aria-labelledby="whistle-ask">
        <h2 id="whistle-ask">{t('whistles.question')}</h2>
        <p data-testid="whistle-question">{w.question}</p>
        <p className={w.overdue ? 'alert alert-error' : undefined} data-testid="whistle-deadline">
          {t('whistles.deadline', { time: formatDateTime(w.deadline) })}
        </p>
        <p className="muted">{t('whistles.raisedBy', { name: w.createdByName, time: formatDateTime(w.createdAt) })}</p>
      </section>
      <Steps compoundId={compoundId} w={w} onDone={whistle.reload} />
      <section className="card" aria-labelledby="whistle-targets">
        <h2 id="whistle-targets">{t('whistles.targets')}</h2>
        <ul className="plain-list">
          {w.targets.map((x) => (
            <TargetProgress key={x.organisationId} target={x} />
          ))}
        </ul>
      </section>
      {w.history && (
        <section className="card" aria-labelledby="whistle-history">
          <h2 id="whistle-history">{t('whistles.history')}</h2>
          <ol className="plain-list" data-testid="whistle-history">
            {w.history.map((e, i) => (
              <li key={i}>
                <span>
                  <strong className="block">
                    {t(`whistles.events.${e.kind}`)}
                    {e.organisationName ? ` · ${e.organisationName}` : ''}
                  </strong>
                  <span className="muted block">
                    {e.actorName} · {formatDateTime(e.at)}
                  </span>
                  {e.note && <span className="block">{e.note}</span>}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {/* The chair may call on more departments about the same need or blocker. */}
      {allows(roles, 'whistle.raise') && (
        <BlowWhistle
          compoundId={compoundId}
          demandId={w.subject.kind === 'demand' ? w.subject.id : undefined}
          projectId={w.subject.kind === 'project' ? w.subject.id : undefined}
        />
      )}
      {back}
    </>
  );
}
