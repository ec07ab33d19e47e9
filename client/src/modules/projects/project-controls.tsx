import type { ProjectDetailView } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/fields';
import { PhotoPicker } from '../../components/photos';
import { api } from '../../lib/api';
import { useAction } from '../../lib/use-action';
import { ProjectLinksForm } from './project-links';

/** A progress note, then its photos one by one (the note is recorded even if a photo is refused). */
async function addProgress(compoundId: string, projectId: string, note: string, photos: readonly File[]): Promise<ProjectDetailView> {
  let p = await api.addProgress(compoundId, projectId, note);
  const update = p.updates.at(-1)!;
  for (const photo of photos) p = await api.addProgressPhoto(compoundId, projectId, update.id, photo);
  return p;
}

/** For the owner and the chair: record progress, add and reach milestones; for the chair: its meetings and resources, and ending it. */
export function ProjectControls({
  compoundId,
  p,
  mayManage,
  onChanged,
}: {
  compoundId: string;
  p: ProjectDetailView;
  mayManage: boolean;
  onChanged: (p: ProjectDetailView) => void;
}) {
  const { t } = useTranslation();
  const { act, error, busy } = useAction();
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [msTitle, setMsTitle] = useState('');
  const [msDue, setMsDue] = useState('');
  const [reason, setReason] = useState('');
  const run = (fn: () => Promise<ProjectDetailView>, reset?: () => void) => (e?: FormEvent) => {
    e?.preventDefault();
    void act(async () => {
      onChanged(await fn());
      reset?.();
    });
  };
  return (
    <section aria-labelledby="project-controls" className="card">
      <h2 id="project-controls">{t('projectList.addProgress')}</h2>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <form
        onSubmit={run(
          () => addProgress(compoundId, p.id, note, photos),
          () => (setNote(''), setPhotos([])),
        )}
        noValidate
      >
        <TextField label={t('projectList.progressNote')} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        <PhotoPicker
          id="progress-photos"
          label={t('projectList.progressPhotos')}
          countText={(n) => t('projectList.photoCount', { n })}
          photos={photos}
          onChange={setPhotos}
        />
        <button type="submit" disabled={busy || !note.trim()}>
          {t('projectList.addProgress')}
        </button>
      </form>
      <div className="button-row">
        {p.milestones
          .filter((m) => !m.doneAt)
          .map((m) => (
            <button key={m.id} type="button" disabled={busy} onClick={run(() => api.reachMilestone(compoundId, p.id, m.id))}>
              {t('projectList.markReached', { title: m.title })}
            </button>
          ))}
      </div>
      <form
        onSubmit={run(
          () => api.addMilestone(compoundId, p.id, { title: msTitle, dueOn: msDue }),
          () => setMsTitle(''),
        )}
        noValidate
      >
        <TextField label={t('projectList.milestoneTitle')} value={msTitle} maxLength={100} onChange={(e) => setMsTitle(e.target.value)} />
        <TextField label={t('projectList.milestoneDue')} type="date" value={msDue} onChange={(e) => setMsDue(e.target.value)} />
        <button type="submit" disabled={busy || !msTitle.trim() || !msDue}>
          {t('projectList.addMilestone')}
        </button>
      </form>
      {mayManage && (
        <>
          <ProjectLinksForm compoundId={compoundId} p={p} onChanged={onChanged} />
          <h3>{t('projectList.end')}</h3>
          <div className="button-row">
            <button type="button" disabled={busy} onClick={run(() => api.endProject(compoundId, p.id, { to: 'done' }))}>
              {t('projectList.endDone')}
            </button>
          </div>
          <form onSubmit={run(() => api.endProject(compoundId, p.id, { to: 'stopped', reason }))} noValidate>
            <TextField label={t('projectList.endReason')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
            <button type="submit" disabled={busy || !reason.trim()}>
              {t('projectList.endStop')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
