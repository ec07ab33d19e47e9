import type { DemandView } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { FormError } from '../../components/form-error';
import { SelectField, TextField } from '../../components/fields';
import { api } from '../../lib/api';
import { useErrorText, type FormErrors } from '../../lib/errors';
import { pathTo, useNavigateTo } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';
import { Choices, flip, useLinkChoices } from './project-links';

/** What a project may grow from: demands deliberated (协商中), or already answered by another project. */
async function deliberatedDemands(compoundId: string): Promise<DemandView[]> {
  const pages = await Promise.all(
    (['in_deliberation', 'became_project'] as const).map((status) => api.demands(compoundId, { status, sort: 'oldest', limit: 100 })),
  );
  return pages.flatMap((p) => p.items);
}

/**
 * 立项: the chair starts a project from the demands deliberation settled on, with the meetings
 * that discussed it, the adopted proposal, the resources it uses, an owner and a first milestone.
 * A demand page's "立项" link opens it with that demand chosen (`?demand=`).
 */
export function CreateProjectForm({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const { forForm } = useErrorText();
  const navigate = useNavigateTo();
  const [search] = useSearchParams();
  const preset = search.get('demand');
  const links = useLinkChoices(compoundId);
  const options = useResource(`project-form:${compoundId}`, async () => {
    const [demands, proposals, members] = await Promise.all([
      deliberatedDemands(compoundId),
      api.proposals(compoundId),
      api.members(compoundId),
    ]);
    const people = new Map(members.map((m) => [m.user.id, m.user.displayName]));
    return { demands, proposals: proposals.filter((p) => p.status === 'adopted'), people: [...people] };
  });
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [chosen, setChosen] = useState<string[]>(preset ? [preset] : []);
  const [meetingIds, setMeetingIds] = useState<string[]>([]);
  const [resourceIds, setResourceIds] = useState<string[]>([]);
  const [proposalId, setProposalId] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [milestone, setMilestone] = useState({ title: '', dueOn: '' });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const p = await api.createProject(compoundId, {
        title,
        summary,
        demandIds: chosen,
        meetingIds,
        resources: resourceIds.map((resourceId) => ({ resourceId })),
        adoptedProposalId: proposalId || null,
        ownerId: ownerId || null,
        milestones: milestone.title.trim() || milestone.dueOn ? [milestone] : [],
      });
      navigate(pathTo('project', { compoundId, projectId: p.id }));
    } catch (error) {
      setErrors(forForm(error, ['title', 'summary', 'demandIds', 'adoptedProposalId', 'ownerId', 'dueOn']));
      setBusy(false);
    }
  };
  const toggle = (id: string) => setChosen((c) => flip(c, id));

  return (
    <details className="card" open={!!preset} data-testid="create-project">
      <summary className="button-link">{t('projectList.create.open')}</summary>
      <FormError errors={errors} />
      <form onSubmit={submit} noValidate>
        <fieldset className="field" aria-describedby={errors?.fields.demandIds ? 'project-demands-error' : undefined}>
          <legend>{t('projectList.create.demands')}</legend>
          {options.data?.demands.length === 0 && <p className="field-hint">{t('projectList.create.noDemands')}</p>}
          {options.data?.demands.map((d) => (
            <label key={d.id} className="choice">
              <input type="checkbox" checked={chosen.includes(d.id)} onChange={() => toggle(d.id)} data-testid="project-demand-choice" />
              <span>
                {d.title}
                <span className="muted">
                  {' '}
                  · {t(`demands.statuses.${d.status}`)} · {t('demands.seconds', { n: d.seconds })}
                </span>
              </span>
            </label>
          ))}
          {errors?.fields.demandIds && (
            <p id="project-demands-error" className="field-error">
              {errors.fields.demandIds}
            </p>
          )}
        </fieldset>
        <TextField
          label={t('projectList.create.title')}
          value={title}
          maxLength={100}
          error={errors?.fields.title}
          onChange={(e) => setTitle(e.target.value)}
          data-testid="project-title-input"
        />
        <TextField label={t('projectList.create.summary')} value={summary} maxLength={4000} onChange={(e) => setSummary(e.target.value)} />
        <Choices
          legend={t('projectList.create.meetings')}
          testId="project-meeting-choice"
          items={links.meetings}
          chosen={meetingIds}
          onToggle={(id) => setMeetingIds((c) => flip(c, id))}
        />
        <SelectField
          label={t('projectList.create.proposal')}
          value={proposalId}
          error={errors?.fields.adoptedProposalId}
          onChange={(e) => setProposalId(e.target.value)}
        >
          <option value="">{t('projectList.create.none')}</option>
          {options.data?.proposals.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </SelectField>
        <Choices
          legend={t('projectList.create.resources')}
          testId="project-resource-choice"
          items={links.resources}
          chosen={resourceIds}
          onToggle={(id) => setResourceIds((c) => flip(c, id))}
        />
        <SelectField
          label={t('projectList.create.owner')}
          value={ownerId}
          error={errors?.fields.ownerId}
          onChange={(e) => setOwnerId(e.target.value)}
        >
          <option value="">{t('projectList.noOwner')}</option>
          {options.data?.people.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('projectList.create.firstMilestone')}
          value={milestone.title}
          maxLength={100}
          onChange={(e) => setMilestone((m) => ({ ...m, title: e.target.value }))}
        />
        <TextField
          label={t('projectList.milestoneDue')}
          type="date"
          value={milestone.dueOn}
          error={errors?.fields.dueOn}
          onChange={(e) => setMilestone((m) => ({ ...m, dueOn: e.target.value }))}
        />
        <button type="submit" className="button-primary" disabled={busy} data-testid="project-create-submit">
          {t('projectList.create.submit')}
        </button>
      </form>
    </details>
  );
}
