import { allows, type MinutesView, type Role } from '@yishi/shared';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/alert';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { pathTo } from '../lib/routes';
import { useMe } from '../lib/session';
import { useResource } from '../lib/use-resource';
import { MeetingRecordView } from '../modules/minutes/meeting-record-view';
import { CloseMinutes, ExportButtons, RecorderPicker } from '../modules/minutes/minutes-actions';

// The editor (TipTap, ProseMirror, the Yjs binding) loads after the page is on screen, as on a proposal's page.
const MinutesEditor = lazy(() => import('../modules/minutes/minutes-editor'));

/**
 * A meeting's minutes (会议纪要): the text the chair and the recorder co-edit live (read-only for
 * everyone else, and for all once closed), the automatic record beside it, the chair's recorder
 * choice and closing, and the exports.
 */
export default function MinutesPage({ compoundId, meetingId, roles }: { compoundId: string; meetingId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const me = useMe();
  const loaded = useResource(`minutes:${meetingId}`, () => api.minutes(compoundId, meetingId));
  // What the chair's last action answered, newer than what was loaded.
  const [changed, setChanged] = useState<MinutesView | null>(null);
  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  const view = changed ?? loaded.data;
  if (!view) return <p role="status">{t('common.loading')}</p>;
  const canRun = allows(roles, 'meeting.run');

  return (
    <div className="minutes-page">
      <p>
        <Link to={pathTo('meeting', { compoundId, meetingId })} className="button-link">
          ← {t('minutes.backToMeeting')}
        </Link>
      </p>
      <PageHeading title={t('minutes.title', { title: view.meetingTitle })} testId="minutes-heading">
        {t('minutes.title', { title: view.meetingTitle })}
      </PageHeading>
      <p className="subtitle" data-testid="minutes-status" data-closed={!!view.closed}>
        {view.closed
          ? t('minutes.closedAt', { at: formatDateTime(view.closed.at), name: view.closed.byName })
          : t('minutes.open', { recorder: view.recorder?.name ?? t('common.dash') })}
      </p>
      {view.closed && (
        <p className="muted hash" data-testid="minutes-hash">
          {t('minutes.hash', { hash: view.closed.hash })}
        </p>
      )}
      {canRun && !view.closed && (
        <div className="card">
          <RecorderPicker view={view} onChanged={setChanged} />
          <CloseMinutes view={view} onClosed={setChanged} />
        </div>
      )}
      <div className="minutes">
        <section className="card" aria-labelledby="minutes-text-h" data-testid="minutes-text">
          <h2 id="minutes-text-h">{t('minutes.text')}</h2>
          {view.closed ? (
            <div className="frozen-text" data-testid="minutes-frozen">
              {view.closed.text.split('\n').map((p, i) => (
                <p key={i}>{p}</p>
              ))}
            </div>
          ) : (
            <Suspense fallback={<p role="status">{t('editor.loading')}</p>}>
              {/* Joined again when the rights change (a recorder named): the server decides at doc:join. */}
              <MinutesEditor key={`${view.id}:${view.canEdit}`} docId={view.id} userName={me.user.displayName} />
            </Suspense>
          )}
          <ExportButtons view={view} />
        </section>
        <section className="card" aria-labelledby="record-h">
          <h2 id="record-h">{t('minutes.record')}</h2>
          <p className="muted">{view.closed ? t('minutes.recordFrozen') : t('minutes.recordLive')}</p>
          {!view.closed && (
            <button
              type="button"
              onClick={() => {
                setChanged(null);
                loaded.reload();
              }}
              data-testid="record-refresh"
            >
              {t('minutes.refresh')}
            </button>
          )}
          <MeetingRecordView record={view.record} />
        </section>
      </div>
    </div>
  );
}
