import { allows, meetingKindLabel, PROPOSAL_KINDS, type MeetingView, type ProposalKind, type ProposalView, type Role } from '@yishi/shared';
import { useState, type FormEvent } from 'react';
import { AudienceTags, useInvited } from './meeting-audience';
import { ScheduleForm } from './schedule-form';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { Options, SelectField, TextField } from '../../components/fields';
import { FormError } from '../../components/form-error';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { useErrorText, type FormErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { pathTo } from '../../lib/routes';
import { useResource } from '../../lib/use-resource';

function MeetingItem({ compoundId, roles, m }: { compoundId: string; roles: readonly Role[]; m: MeetingView }) {
  const { t, i18n } = useTranslation();
  const invited = useInvited(compoundId, roles, m.audience);
  const open = m.status === 'live' || m.status === 'scheduled';
  // A community or street meeting hosted by another compound: this compound's members join it as guests and see their own items.
  const guest = m.compoundId !== compoundId;
  return (
    <li data-testid="meeting-item">
      <span>
        <strong className="block">{m.title}</strong>
        <span className="status-tag" data-testid="meeting-kind">
          {meetingKindLabel(m.kind, i18n.language)}
        </span>{' '}
        {m.scope !== 'compound' && <span className="status-tag">{t(`lists.scopes.${m.scope}`)}</span>}{' '}
        <AudienceTags audience={m.audience} invited={invited} />{' '}
        <span className="muted">
          {formatDateTime(m.scheduledAt)}
          {m.place ? ` · ${t('lists.at', { place: m.place })}` : ''}
        </span>{' '}
        <span className="status-tag">{t(`meetingStatus.${m.status}`)}</span>
      </span>
      {guest && (
        <span className="block" data-testid="meeting-guest-items">
          {t('lists.guestItems', { items: m.agenda.map((a) => a.title).join('、') })}
        </span>
      )}
      {m.status !== 'cancelled' && (
        <Link to={pathTo('meeting', { compoundId, meetingId: m.id })} className="button-link" data-testid="meeting-enter">
          {open ? t('lists.enter') : t('lists.view')}
        </Link>
      )}
    </li>
  );
}

function NewProposalForm({ compoundId, meetings, onDone }: { compoundId: string; meetings: MeetingView[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { forForm } = useErrorText();
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<ProposalKind>('renovation');
  const [item, setItem] = useState('');
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const items = meetings
    .filter((m) => m.status === 'scheduled' || m.status === 'live')
    // Only items of this compound: a wider meeting's items about other compounds are theirs to answer.
    .flatMap((m) =>
      m.agenda.filter((a) => (a.compoundId ?? m.compoundId) === compoundId).map((a) => ({ id: a.id, label: `${m.title} · ${a.title}` })),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      await api.createProposal(compoundId, { title, kind, agendaItemIds: item ? [item] : [] });
      setTitle('');
      onDone();
    } catch (error) {
      setErrors(forForm(error, ['title', 'kind']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card">
      <summary className="button-link">{t('lists.newProposal')}</summary>
      <FormError errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('lists.proposalTitle')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={errors?.fields.title}
          data-testid="proposal-title"
        />
        <SelectField label={t('lists.proposalKind')} value={kind} onChange={(e) => setKind(e.target.value as ProposalKind)}>
          <Options values={PROPOSAL_KINDS} label={(k) => t(`proposalKinds.${k}`)} />
        </SelectField>
        <SelectField label={t('lists.proposalAgenda')} value={item} onChange={(e) => setItem(e.target.value)}>
          <option value="">{t('lists.noAgenda')}</option>
          {items.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button-primary" disabled={busy} data-testid="proposal-submit">
          {t('lists.proposalSubmit')}
        </button>
      </form>
    </details>
  );
}

/** Meetings (upcoming, past) and proposals with their state, on the compound's home screen. */
export function CompoundLists({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const meetings = useResource(`meetings:${compoundId}`, () => api.meetings(compoundId));
  const proposals = useResource(`proposals:${compoundId}`, () => api.proposals(compoundId));
  const all = meetings.data ?? [];
  const upcoming = all
    .filter((m) => m.status === 'scheduled' || m.status === 'live')
    .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const past = all
    .filter((m) => m.status === 'adjourned' || m.status === 'cancelled')
    .sort((a, b) => b.scheduledAt.localeCompare(a.scheduledAt));

  return (
    <>
      <section className="card" aria-labelledby="upcoming">
        <h2 id="upcoming">{t('lists.upcoming')}</h2>
        {meetings.error ? (
          <ErrorAlert error={meetings.error} />
        ) : meetings.loading ? (
          <p role="status">{t('common.loading')}</p>
        ) : upcoming.length === 0 ? (
          <p>{t('lists.noUpcoming')}</p>
        ) : (
          <ul className="meta-list" data-testid="upcoming-meetings">
            {upcoming.map((m) => (
              <MeetingItem key={m.id} compoundId={compoundId} roles={roles} m={m} />
            ))}
          </ul>
        )}
      </section>
      {allows(roles, 'meeting.schedule') && <ScheduleForm compoundId={compoundId} onDone={meetings.reload} />}

      <section className="card" aria-labelledby="proposals">
        <h2 id="proposals">{t('lists.proposals')}</h2>
        {proposals.error ? (
          <ErrorAlert error={proposals.error} />
        ) : proposals.loading ? (
          <p role="status">{t('common.loading')}</p>
        ) : (proposals.data ?? []).length === 0 ? (
          <p>{t('lists.noProposals')}</p>
        ) : (
          <ul className="meta-list" data-testid="proposals">
            {(proposals.data ?? []).map((p: ProposalView) => (
              <li key={p.id} data-testid="proposal-item">
                <span>
                  <strong>{p.title}</strong> <span className="muted">{t(`proposalKinds.${p.kind}`)}</span>{' '}
                  <span className="status-tag" data-testid="proposal-status">
                    {t(`proposalStatus.${p.status}`)}
                  </span>
                </span>
                <span className="button-row">
                  <Link to={pathTo('proposal', { compoundId, proposalId: p.id })} className="button-link" data-testid="proposal-open">
                    {t('lists.openProposal')}
                  </Link>
                  <Link
                    to={pathTo('proposalHistory', { compoundId, proposalId: p.id })}
                    className="button-link"
                    data-testid="proposal-history"
                  >
                    {t('lists.history')}
                  </Link>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {allows(roles, 'proposal.create') && <NewProposalForm compoundId={compoundId} meetings={all} onDone={proposals.reload} />}

      <section className="card" aria-labelledby="past">
        <h2 id="past">{t('lists.past')}</h2>
        {past.length === 0 ? (
          <p>{t('lists.noPast')}</p>
        ) : (
          <ul className="meta-list">
            {past.map((m) => (
              <MeetingItem key={m.id} compoundId={compoundId} roles={roles} m={m} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
