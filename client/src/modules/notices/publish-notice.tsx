import { DEFAULT_OBJECTION_DAYS } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { pathTo, useNavigateTo } from '../../lib/routes';
import { useAction } from '../../lib/use-action';
import { useResource } from '../../lib/use-resource';

/**
 * The chair publishes an adopted proposal or a finished project (公示): the period, whether it is
 * public, a note. Once it is published (and not withdrawn), a link to the notice instead.
 */
export function PublishNotice({ compoundId, subject }: { compoundId: string; subject: { proposalId: string } | { projectId: string } }) {
  const { t } = useTranslation();
  const subjectId = 'proposalId' in subject ? subject.proposalId : subject.projectId;
  const notices = useResource(`notices:${compoundId}`, () => api.notices(compoundId));
  const navigate = useNavigateTo();
  const { act, error, busy } = useAction();
  const [days, setDays] = useState(String(DEFAULT_OBJECTION_DAYS));
  const [isPublic, setPublic] = useState(false);
  const [note, setNote] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const n = await api.publishNotice(compoundId, { ...subject, objectionDays: Number(days), isPublic, note });
      navigate(pathTo('notice', { compoundId, noticeId: n.id }));
    });
  };
  if (!notices.data) return null;
  const live = notices.data.find((n) => n.subject.id === subjectId && n.state !== 'withdrawn');
  if (live)
    return (
      <p className="card">
        <Link to={pathTo('notice', { compoundId, noticeId: live.id })} className="button-link" data-testid="open-notice">
          {t('notices.openNotice')}
        </Link>
      </p>
    );
  return (
    <section className="card" aria-labelledby="publish-notice">
      <h2 id="publish-notice">{t('notices.publishTitle')}</h2>
      <p className="muted">{t('notices.publishHint')}</p>
      <form onSubmit={submit} noValidate>
        {error && (
          <p className="alert alert-error" role="alert" data-testid="publish-notice-error">
            {error}
          </p>
        )}
        <div className="field">
          <label htmlFor="notice-days">{t('notices.days')}</label>
          <input
            id="notice-days"
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            data-testid="notice-days"
          />
        </div>
        <div className="field">
          <label htmlFor="notice-note">{t('notices.note')}</label>
          <textarea id="notice-note" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </div>
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} data-testid="notice-public" />{' '}
            {t('notices.makePublic')}
          </label>
        </div>
        <button type="submit" className="button-primary" disabled={busy || !/^\d+$/.test(days)} data-testid="publish-notice-submit">
          {t('notices.publishAction')}
        </button>
      </form>
    </section>
  );
}
