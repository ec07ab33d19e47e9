import type { NoticeObjectionView, NoticeView } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { PageHeading } from '../../components/page-heading';
import { api } from '../../lib/api';
import { pathTo } from '../../lib/routes';
import { saveFile } from '../../lib/save-file';
import { useAction } from '../../lib/use-action';
import { useResource } from '../../lib/use-resource';
import { NoticeRecordView, NoticeState, ObjectionList } from './notice-parts';
import { useNoticeChanges } from './use-notice-changes';

/** One text box and its button, for an objection, an answer or a withdrawal's reason. */
function TextForm({
  id,
  label,
  action,
  onSubmit,
  danger,
}: {
  id: string;
  label: string;
  action: string;
  onSubmit: (text: string) => Promise<unknown>;
  danger?: boolean;
}) {
  const { act, error, busy } = useAction();
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await act(() => onSubmit(text))) setText('');
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      {error && (
        <p className="alert alert-error" role="alert" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <textarea id={id} value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} data-testid={`${id}-text`} />
      </div>
      <button type="submit" className={danger ? undefined : 'button-primary'} disabled={busy || !text.trim()} data-testid={`${id}-submit`}>
        {action}
      </button>
    </form>
  );
}

/** The paper for the courtyard's bulletin board: every notice has one, public page or not, and it names nobody. */
function PrintNotice({ n }: { n: NoticeView }) {
  const { t } = useTranslation();
  const { act, error, busy } = useAction();
  const save = () => act(async () => saveFile(await api.noticePdf(n.compoundId, n.id), t('notices.pdfName', { title: n.subject.title })));
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void save()} data-testid="notice-pdf">
        {t('notices.printPdf')}
      </button>
      {error && <Alert>{error}</Alert>}
    </>
  );
}

/** 公示 as members see it: the record, the objections with their answers, and what the reader may do. */
export default function NoticePage({ compoundId, noticeId }: { compoundId: string; noticeId: string }) {
  const { t } = useTranslation();
  const notice = useResource(`notice:${noticeId}`, () => api.notice(compoundId, noticeId));
  useNoticeChanges(compoundId, noticeId, notice.reload);
  const back = (
    <Link to={pathTo('compound', { compoundId })} className="button-link">
      ← {t('room.back')}
    </Link>
  );
  if (notice.error) return <ErrorAlert error={notice.error} action={back} />;
  if (!notice.data) return <p role="status">{t('common.loading')}</p>;
  const n: NoticeView = notice.data;
  const answerSlot = n.can.answer
    ? (o: NoticeObjectionView) => (
        <TextForm
          id={`answer-${o.id}`}
          label={t('notices.answerLabel')}
          action={t('notices.answerAction')}
          onSubmit={async (text) => {
            await api.answerObjection(compoundId, n.id, o.id, text);
            notice.reload();
          }}
        />
      )
    : undefined;

  return (
    <>
      <p>{back}</p>
      <PageHeading title={t('notices.title', { title: n.subject.title })} testId="notice-heading">
        {t('notices.title', { title: n.subject.title })}
      </PageHeading>
      <NoticeState n={n} />
      <p>
        <Link
          to={
            n.subject.kind === 'proposal'
              ? pathTo('proposalTimeline', { compoundId, proposalId: n.subject.id })
              : pathTo('project', { compoundId, projectId: n.subject.id })
          }
          className="button-link"
        >
          {t(n.subject.kind === 'proposal' ? 'notices.openTimeline' : 'notices.openProject')}
        </Link>
        {n.publicToken && (
          <>
            {' '}
            <Link to={pathTo('publicNotice', { token: n.publicToken })} className="button-link" data-testid="notice-public-link">
              {t('notices.publicPage')}
            </Link>
          </>
        )}
      </p>
      <PrintNotice n={n} />
      <NoticeRecordView n={n} />
      <section className="card" aria-labelledby="notice-objections">
        <h2 id="notice-objections">{t('notices.objections', { n: n.objections.length })}</h2>
        <ObjectionList objections={n.objections} answerSlot={answerSlot} />
        {n.can.object && (
          <TextForm
            id="objection"
            label={t('notices.objectLabel')}
            action={t('notices.objectAction')}
            onSubmit={async (text) => {
              await api.raiseObjection(compoundId, n.id, text);
              notice.reload();
            }}
          />
        )}
      </section>
      {n.can.withdraw && (
        <section className="card" aria-labelledby="notice-withdraw">
          <h2 id="notice-withdraw">{t('notices.withdrawTitle')}</h2>
          <p className="muted">{t('notices.withdrawHint')}</p>
          <TextForm
            id="withdraw"
            danger
            label={t('notices.withdrawLabel')}
            action={t('notices.withdrawAction')}
            onSubmit={async (text) => {
              await api.withdrawNotice(compoundId, n.id, text);
              notice.reload();
            }}
          />
        </section>
      )}
    </>
  );
}
