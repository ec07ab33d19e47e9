import { type MinutesView } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { SelectField } from '../../components/fields';
import { api } from '../../lib/api';
import { saveFile } from '../../lib/save-file';
import { useAction } from '../../lib/use-action';
import { useResource } from '../../lib/use-resource';

/** The chair names the recorder (a member of the compound) until the minutes are closed. */
export function RecorderPicker({ view, onChanged }: { view: MinutesView; onChanged: (v: MinutesView) => void }) {
  const { t } = useTranslation();
  const members = useResource(`members:${view.compoundId}`, () => api.members(view.compoundId));
  const { act, error, busy } = useAction();
  // A person with several roles is one person here.
  const people = [...new Map((members.data ?? []).map((m) => [m.user.id, m.user])).values()];
  return (
    <SelectField
      label={t('minutes.recorder')}
      value={view.recorder?.userId ?? ''}
      disabled={busy || !members.data}
      error={error ?? undefined}
      data-testid="minutes-recorder"
      onChange={(e) =>
        void act(async () => onChanged(await api.setMinutesRecorder(view.compoundId, view.meetingId, e.target.value || null)))
      }
    >
      <option value="">{t('minutes.noRecorder')}</option>
      {people.map((u) => (
        <option key={u.id} value={u.id}>
          {u.displayName}
        </option>
      ))}
    </SelectField>
  );
}

/** The chair closes the minutes, in two steps: closing is final. */
export function CloseMinutes({ view, onClosed }: { view: MinutesView; onClosed: (v: MinutesView) => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const { act, error, busy } = useAction();
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)} data-testid="minutes-close">
        {t('minutes.close')}
      </button>
    );
  return (
    <div className="card" role="group" aria-label={t('minutes.close')}>
      <p>{t('minutes.closeConfirm')}</p>
      <div className="button-row">
        <button
          type="button"
          className="button-primary"
          disabled={busy}
          data-testid="minutes-close-confirm"
          onClick={() => void act(async () => onClosed(await api.closeMinutes(view.compoundId, view.meetingId)))}
        >
          {t('minutes.closeNow')}
        </button>
        <button type="button" disabled={busy} onClick={() => setAsking(false)}>
          {t('minutes.keepOpen')}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
    </div>
  );
}

/** Markdown and PDF of the minutes with the automatic record, fetched with the access token and saved. */
export function ExportButtons({ view }: { view: MinutesView }) {
  const { t } = useTranslation();
  const { act, error, busy } = useAction();
  const save = (format: 'md' | 'pdf') =>
    act(async () =>
      saveFile(
        await api.minutesFile(view.compoundId, view.meetingId, format),
        t('minutes.fileName', { title: view.meetingTitle, ext: format }),
      ),
    );
  return (
    <>
      <div className="button-row">
        <button type="button" disabled={busy} onClick={() => void save('pdf')} data-testid="minutes-export-pdf">
          {t('minutes.exportPdf')}
        </button>
        <button type="button" disabled={busy} onClick={() => void save('md')} data-testid="minutes-export-md">
          {t('minutes.exportMarkdown')}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
    </>
  );
}
