import { allows, type MeetingKind, RULES, type ProposalView, type Role, type RuleId, voteRefusal } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../components/link';
import { Alert } from '../../components/alert';
import { ReadAloud } from '../../components/read-aloud';
import { api } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { catalogueLanguage } from '../../lib/i18n';
import { pathTo } from '../../lib/routes';
import { MyBallots } from './ballot-box';
import { OpenRoundForm } from './open-round-form';
import { PaperBallotForm } from './paper-ballot-form';
import { ResultBanner } from './result-banner';
import { useRoundQuestion } from './round-question';
import { TallyPanel } from './tally-panel';
import type { Followed } from './use-round';

export interface VotePanelProps {
  compoundId: string;
  meetingId: string;
  /** The meeting's kind: a party lesson or an advice-seeking meeting holds no votes, so the chair is offered none. */
  meetingKind: MeetingKind;
  proposal: ProposalView;
  roles: readonly Role[];
  gateIds: string[];
  meetingRule: RuleId | null;
  meetingItem: number | null;
  onChanged: () => void;
  /** The proposal's latest round, followed live by the room (useRound). */
  followed: Followed | null;
  refresh: () => void;
}

/**
 * The round: its question and rule, the live count with the rule's thresholds, the result, and the
 * caller's ballots once it has closed (while it is open they are at the top of the room).
 */
export function VotePanel({
  compoundId,
  meetingId,
  meetingKind,
  proposal,
  roles,
  meetingRule,
  meetingItem,
  onChanged,
  followed,
  refresh,
}: VotePanelProps) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const questionText = useRoundQuestion();
  const [error, setError] = useState<string | null>(null);
  const lang = catalogueLanguage();
  const canRun = allows(roles, 'vote.run');
  const round = followed?.round ?? null;
  const open = round?.status === 'open';
  // The server refuses a round here too (MEETING_HOLDS_NO_VOTES); the form would only lead to that refusal.
  const refusal = voteRefusal(meetingKind);

  const close = async () => {
    if (!round) return;
    setError(null);
    try {
      await api.closeRound(compoundId, round.id);
      onChanged();
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <section className="card vote-panel" aria-labelledby="vote-h" data-testid="vote-panel">
      <h2 id="vote-h">{t('vote.title')}</h2>
      {!round ? (
        <p>{t('vote.none')}</p>
      ) : (
        <>
          <p>
            <span className="status-tag" data-testid="round-status" data-status={round.status}>
              {open ? t('vote.open') : t('vote.closed')}
            </span>{' '}
            {t('vote.round', { n: round.number, rev: round.revisionNumber })}
          </p>
          <p className="muted">{t('vote.rule', { rule: RULES[round.rule].name[lang] })}</p>
          <p>
            <Link to={pathTo('rules')} className="button-link" data-testid="rules-link">
              {t('vote.rulesLink')}
            </Link>
          </p>
          {RULES[round.rule].usesParticipationThreshold && (
            <p className="muted" data-testid="head-key">
              {t('vote.headKey')}
            </p>
          )}
          <p className="muted">{t('vote.oneStanceRule')}</p>
          <div className="question">
            <h3>{t('vote.question')}</h3>
            <p className="question-text" data-testid="round-question">
              {questionText(round.question)}
            </p>
            <ReadAloud text={() => questionText(round.question)} label={t('vote.readQuestion')} testId="read-question" />
          </div>
          <ResultBanner round={round} />
          {followed!.mine.length === 0
            ? allows(roles, 'vote.cast') && open && <p className="muted">{t('vote.notEligible')}</p>
            : // While the round is open the ballot is at the top of the room (NowCard), never twice.
              !open && <MyBallots compoundId={compoundId} round={round} mine={followed!.mine} onCast={refresh} />}
          {followed!.tally && <TallyPanel round={round} tally={followed!.tally} />}
          {canRun && open && (
            <button type="button" onClick={() => void close()} data-testid="round-close">
              {t('vote.close')}
            </button>
          )}
          {open && allows(roles, 'vote.record_assisted') && <PaperBallotForm compoundId={compoundId} round={round} />}
        </>
      )}
      {canRun && !open && refusal && (
        <p className="muted" data-testid="meeting-holds-no-votes">
          {refusal[lang]}
        </p>
      )}
      {canRun && !open && !refusal && (
        <OpenRoundForm
          compoundId={compoundId}
          meetingId={meetingId}
          proposal={proposal}
          lastVoted={round?.revisionNumber ?? 0}
          meetingRule={meetingRule}
          meetingItem={meetingItem}
          onOpened={onChanged}
        />
      )}
      {error && <Alert>{error}</Alert>}
    </section>
  );
}
