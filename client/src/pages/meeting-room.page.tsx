import { allows, isInvited, meetingKindLabel, nextProposalStatus, type ProposalView, type Role } from '@yishi/shared';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorAlert } from '../components/alert';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { useErrorText } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { pathTo } from '../lib/routes';
import { useMe } from '../lib/session';
import { useMeeting } from '../lib/use-meeting';
import { useResource } from '../lib/use-resource';
import { AudienceTags } from '../modules/meetings/meeting-audience';
import { NowCard } from '../modules/meetings/now-card';
import { useRound } from '../modules/votes/use-round';
import { VotePanel } from '../modules/votes/vote-panel';
import { AgendaPanel, ChairConsole, ChatPanel, ParticipantsPanel, QuorumPanel, SpeakersPanel } from '../modules/meetings/meeting-panels';

// TipTap, ProseMirror and the Yjs binding are most of the room's weight: they load after the
// room itself is on screen.
const ProposalWorkspace = lazy(() => import('../modules/proposals/proposal-workspace'));

function FreezeButton({ compoundId, proposal, onFrozen }: { compoundId: string; proposal: ProposalView; onFrozen: () => void }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [frozen, setFrozen] = useState<number | null>(null);
  const next = proposal.revisions.length + 1;
  const freeze = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.freezeRevision(compoundId, proposal.id);
      setFrozen(r.number);
      onFrozen();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void freeze()} data-testid="freeze-revision">
        {t('editor.freeze', { n: next })}
      </button>
      {frozen !== null && (
        <span role="status" className="quorum-met" data-testid="frozen">
          ✓ {t('editor.frozen', { n: frozen })}
        </span>
      )}
      {error && <Alert>{error}</Alert>}
    </>
  );
}

export default function MeetingRoomPage({
  compoundId,
  meetingId,
  roles,
}: {
  compoundId: string;
  meetingId: string;
  roles: readonly Role[];
}) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { state, error, clockOffsetMs } = useMeeting(meetingId);
  const currentItem = state?.meeting.currentAgendaItemId ?? null;
  const proposals = useResource(`proposals:${compoundId}:${meetingId}`, () => api.proposals(compoundId));
  const agendaIds = new Set(state?.meeting.agenda.map((a) => a.id));
  const mine = (proposals.data ?? []).filter((p) => p.agendaItemIds.some((id) => agendaIds.has(id)));
  // The current item's proposal; before the first item is called, the meeting's first one.
  const proposal = mine.find((p) => currentItem && p.agendaItemIds.includes(currentItem)) ?? (currentItem ? undefined : mine[0]);
  // Followed here, not in the vote panel: the ballot of an open round is shown at the top (NowCard).
  const round = useRound(meetingId, proposal?.id ?? '');
  const followed = round.followed?.round.proposalId === proposal?.id ? round.followed : null;

  if (error && !state) return <ErrorAlert error={error} />;
  if (!state) return <p role="status">{t('room.notJoined')}</p>;

  const m = state.meeting;
  // A guest of a wider meeting (their compound has an item on it) takes part but never runs it, even as
  // their own compound's chair; their compound's proposal and rounds stay theirs (`roles`).
  const guest = m.compoundId !== compoundId;
  const roomRoles = guest ? roles.filter((r) => r !== 'chair') : roles;
  const canRun = allows(roomRoles, 'meeting.run');
  // With the roles and party membership of the compound the meeting is reached through, as the server decides.
  const partyMember = me.memberships.some((x) => x.compoundId === compoundId && x.partyMember);
  const invited = isInvited(m.audience, { roles, partyMember });
  const canFreeze =
    proposal &&
    (canRun || proposal.ownerId === me.user.id) &&
    allows(roles, 'proposal.freeze') &&
    nextProposalStatus(proposal.status, 'freeze') !== null;

  return (
    <div className="room-page">
      <p className="button-row">
        <Link to={pathTo('compound', { compoundId })} className="button-link">
          ← {t('room.back')}
        </Link>
        {!guest && (
          <Link to={pathTo('meetingMinutes', { compoundId, meetingId })} className="button-link" data-testid="minutes-link">
            {t('minutes.link')}
          </Link>
        )}
      </p>
      <PageHeading title={m.title} testId="meeting-title">
        {m.title}
      </PageHeading>
      {/* First what to do now, then when and where: on a phone the ballot must be on the first screen. */}
      <NowCard
        compoundId={compoundId}
        state={state}
        userId={me.user.id}
        roles={roomRoles}
        invited={invited}
        proposal={proposal}
        followed={followed}
        refresh={round.refresh}
      />
      <p className="subtitle">
        <span className="status-tag" data-testid="meeting-kind">
          {meetingKindLabel(m.kind, i18n.language)}
        </span>{' '}
        <AudienceTags audience={m.audience} invited={invited} />{' '}
        <span className="status-tag" data-testid="meeting-status" data-status={m.status}>
          {t(`meetingStatus.${m.status}`)}
        </span>{' '}
        {formatDateTime(m.scheduledAt)}
        {m.place ? ` · ${t('lists.at', { place: m.place })}` : ''}
      </p>

      <div className="room">
        <div className="room-main">
          {canRun && <ChairConsole state={state} />}
          <AgendaPanel state={state} canRun={canRun} />
          <section className="card" aria-labelledby="proposal-h" data-testid="proposal-panel">
            <h2 id="proposal-h">{proposal ? t('room.proposalNamed', { title: proposal.title }) : t('room.proposal')}</h2>
            {proposals.error ? (
              <ErrorAlert error={proposals.error} />
            ) : !proposal ? (
              <p>{proposals.loading ? t('common.loading') : t('room.noProposal')}</p>
            ) : (
              <Suspense fallback={<p role="status">{t('editor.loading')}</p>}>
                <ProposalWorkspace
                  key={proposal.id}
                  compoundId={compoundId}
                  proposal={proposal}
                  roles={roles}
                  userName={me.user.displayName}
                  actions={canFreeze ? <FreezeButton compoundId={compoundId} proposal={proposal} onFrozen={proposals.reload} /> : null}
                />
              </Suspense>
            )}
          </section>
          {proposal && (
            <VotePanel
              key={proposal.id}
              compoundId={compoundId}
              meetingId={meetingId}
              meetingKind={m.kind}
              proposal={proposal}
              roles={roles}
              gateIds={me.memberships.filter((x) => x.compoundId === compoundId && x.gateId).map((x) => x.gateId!)}
              meetingRule={m.rule}
              meetingItem={m.art278Item}
              onChanged={proposals.reload}
              followed={followed}
              refresh={round.refresh}
            />
          )}
        </div>
        <div className="room-side">
          <QuorumPanel state={state} />
          <SpeakersPanel state={state} userId={me.user.id} roles={roomRoles} invited={invited} clockOffsetMs={clockOffsetMs} />
          <ParticipantsPanel state={state} userId={me.user.id} />
          <ChatPanel state={state} roles={roomRoles} invited={invited} />
        </div>
      </div>
    </div>
  );
}
