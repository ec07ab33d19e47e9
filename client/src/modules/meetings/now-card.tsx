import { allows, type MeetingState, meetingAudienceLabel, type ProposalView, type Role } from '@yishi/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { MyBallots } from '../votes/ballot-box';
import { useRoundQuestion } from '../votes/round-question';
import type { Followed } from '../votes/use-round';
import { useCommand } from './meeting-panels';

/** What the card asks of the person, for tests and styles: one of these at a time. */
type Now = 'vote' | 'voted' | 'check-in' | 'not-invited' | 'watch-vote' | 'waiting' | 'speaking' | 'live' | 'closed';

function CheckInButton({ meetingId }: { meetingId: string }) {
  const { t } = useTranslation();
  const { run, error, busy } = useCommand();
  return (
    <>
      <button
        type="button"
        className="button-primary now-action"
        disabled={busy}
        onClick={() => void run('attendance:check-in', { meetingId })}
        data-testid="check-in"
      >
        {t('room.checkIn')}
      </button>
      {error && <Alert testId="command-error">{error}</Alert>}
    </>
  );
}

/**
 * The first thing in the room: the one thing this person should do now. An open vote brings the
 * ballot itself here (it is not shown again further down); otherwise check in, or what the
 * meeting is doing. The chair's controls stay in their own panels.
 */
export function NowCard({
  compoundId,
  state,
  userId,
  roles,
  invited,
  proposal,
  followed,
  refresh,
}: {
  compoundId: string;
  state: MeetingState;
  userId: string;
  roles: readonly Role[];
  /** Among those the meeting invites; the others are told they may only follow. */
  invited: boolean;
  proposal: ProposalView | undefined;
  followed: Followed | null;
  refresh: () => void;
}) {
  const { t, i18n } = useTranslation();
  const questionText = useRoundQuestion();
  const m = state.meeting;
  const live = m.status === 'live';
  const mustCheckIn = live && invited && allows(roles, 'meeting.check_in') && !state.attendance.some((a) => a.userId === userId);
  const round = followed?.round.status === 'open' ? followed.round : null;
  const mine = round ? followed!.mine : [];
  const title = proposal?.title ?? '';

  let now: Now;
  let heading: string;
  let body: ReactNode = null;
  if (round && mine.length > 0) {
    const allCast = mine.every((b) => b.ballot);
    now = allCast ? 'voted' : 'vote';
    heading = allCast ? t('now.voted') : t('now.vote', { title });
    body = (
      <>
        {!allCast && (
          <p className="now-question" data-testid="now-question">
            {questionText(round.question)}
          </p>
        )}
        <MyBallots compoundId={compoundId} round={round} mine={mine} onCast={refresh} />
        {mustCheckIn && <CheckInButton meetingId={m.id} />}
      </>
    );
  } else if (!invited && (live || m.status === 'scheduled')) {
    now = 'not-invited';
    heading = t('now.notInvited');
    body = <p>{t('now.notInvitedBody', { audience: meetingAudienceLabel(m.audience, i18n.language) })}</p>;
  } else if (mustCheckIn) {
    now = 'check-in';
    heading = t('now.checkIn');
    body = <CheckInButton meetingId={m.id} />;
  } else if (round) {
    now = 'watch-vote';
    heading = t('now.vote', { title });
    body = (
      <p>
        <a href="#vote-h" className="button-link">
          {t('now.watchVote')}
        </a>
      </p>
    );
  } else if (m.status === 'scheduled') {
    now = 'waiting';
    heading = t('now.waiting');
    body = <p>{t('room.notLive')}</p>;
  } else if (live && state.speakers.floor) {
    now = 'speaking';
    heading = t('room.floor', { name: state.speakers.floor.displayName });
  } else if (live) {
    now = 'live';
    heading = t('now.live');
    const item = m.agenda.find((a) => a.id === m.currentAgendaItemId);
    if (item) body = <p>{t('now.currentItem', { title: item.title })}</p>;
  } else {
    now = 'closed';
    heading = m.status === 'cancelled' ? t('meetingStatus.cancelled') : t('now.closed');
  }

  return (
    <section className={`card now-card now-${now}`} aria-labelledby="now-h" data-testid="now" data-now={now}>
      <h2 id="now-h">{heading}</h2>
      {body}
    </section>
  );
}
