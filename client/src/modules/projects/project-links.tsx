import type { MeetingKind, ProjectDetailView } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useResource } from '../../lib/use-resource';

const PARTY_KINDS: readonly MeetingKind[] = ['party_branch', 'party_lesson', 'organisational_life'];
const MEETINGS_OFFERED = 12;

export interface LinkChoice {
  id: string;
  label: string;
  detail: string;
}

/**
 * What a project may be linked to: the consultations that may have discussed it (not the party's
 * own meetings, not cancelled ones; the latest first, as a project grows out of the recent ones)
 * and the compound's resources that are not archived.
 */
export function useLinkChoices(compoundId: string) {
  const { t } = useTranslation();
  const loaded = useResource(`project-links:${compoundId}`, async () => {
    const [meetings, resources] = await Promise.all([api.meetings(compoundId), api.resources(compoundId, { limit: 100 })]);
    return {
      meetings: meetings
        .filter((m) => m.status !== 'cancelled' && !PARTY_KINDS.includes(m.kind))
        .sort((a, b) => b.scheduledAt.localeCompare(a.scheduledAt))
        .slice(0, MEETINGS_OFFERED),
      resources: resources.items,
    };
  });
  return {
    meetings: (loaded.data?.meetings ?? []).map((m): LinkChoice => ({ id: m.id, label: m.title, detail: formatDateTime(m.scheduledAt) })),
    resources: (loaded.data?.resources ?? []).map((r): LinkChoice => ({
      id: r.id,
      label: r.name,
      detail: r.organisationName ?? t(`resourceList.kinds.${r.kind}`),
    })),
  };
}

/** Checkboxes for a list of ids to choose from (meetings, resources), as one fieldset. */
export function Choices({
  legend,
  testId,
  items,
  chosen,
  onToggle,
}: {
  legend: string;
  testId: string;
  items: LinkChoice[];
  chosen: string[];
  onToggle: (id: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      {items.map((x) => (
        <label key={x.id} className="choice">
          <input type="checkbox" checked={chosen.includes(x.id)} onChange={() => onToggle(x.id)} data-testid={testId} />
          <span>
            {x.label}
            <span className="muted"> · {x.detail}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export const flip = (ids: string[], id: string) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]);

/**
 * The chair matches an active project to resources, and to the meetings that discussed it, after
 * it started too (a meeting held later, a partner unit that joined in). What is linked already
 * is offered even when it is no longer among the latest meetings.
 */
export function ProjectLinksForm({
  compoundId,
  p,
  onChanged,
}: {
  compoundId: string;
  p: ProjectDetailView;
  onChanged: (p: ProjectDetailView) => void;
}) {
  const { t } = useTranslation();
  const choices = useLinkChoices(compoundId);
  const { act, error, busy } = useAction();
  const [meetingIds, setMeetingIds] = useState(() => p.meetings.map((m) => m.id));
  const [resourceIds, setResourceIds] = useState(() => p.resources.map((r) => r.id));
  const withLinked = (offered: LinkChoice[], linked: LinkChoice[]) => [
    ...linked.filter((l) => !offered.some((o) => o.id === l.id)),
    ...offered,
  ];
  const meetings = withLinked(
    choices.meetings,
    p.meetings.map((m) => ({ id: m.id, label: m.title, detail: formatDateTime(m.scheduledAt) })),
  );
  const resources = withLinked(
    choices.resources,
    p.resources.map((r) => ({ id: r.id, label: r.name, detail: r.organisationName ?? t(`resourceList.kinds.${r.kind}`) })),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act(async () =>
      onChanged(
        await api.updateProject(compoundId, p.id, {
          meetingIds,
          // A resource kept keeps its note.
          resources: resourceIds.map((resourceId) => ({ resourceId, note: p.resources.find((r) => r.id === resourceId)?.note ?? '' })),
        }),
      ),
    );
  };
  return (
    <details data-testid="project-links">
      <summary className="button-link">{t('projectList.links.open')}</summary>
      <form onSubmit={submit} noValidate>
        <Choices
          legend={t('projectList.create.meetings')}
          testId="project-meeting-choice"
          items={meetings}
          chosen={meetingIds}
          onToggle={(id) => setMeetingIds((c) => flip(c, id))}
        />
        <Choices
          legend={t('projectList.create.resources')}
          testId="project-resource-choice"
          items={resources}
          chosen={resourceIds}
          onToggle={(id) => setResourceIds((c) => flip(c, id))}
        />
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} data-testid="project-links-save">
          {t('projectList.links.save')}
        </button>
      </form>
    </details>
  );
}
