import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../components/page-heading';
import { useRouteParams, pathTo } from '../lib/routes';
import { mmss, QuorumPanel, useNow } from '../modules/meetings/meeting-panels';
import { useProjector } from '../modules/projector/use-projector';
import { useRoundQuestion } from '../modules/votes/round-question';
import { QrCode } from '../modules/votes/receipt';
import { TallyPanel } from '../modules/votes/tally-panel';

const ProjectorText = lazy(() => import('../modules/projector/projector-text'));

/**
 * 投屏: the big screen of a live meeting in the courtyard or the activity room, read-only and
 * without sign-in. The link's token is the address's fragment, so it never reaches a server log.
 */
export default function ProjectorPage() {
  const { t } = useTranslation();
  const { meetingId } = useRouteParams('projector');
  const token = window.location.hash.slice(1);
  const { state, ended, connected, clockOffsetMs, socket } = useProjector(meetingId, token);
  const question = useRoundQuestion();
  const floor = state?.speakers.floor ?? null;
  const now = useNow(Boolean(floor?.endsAt)) + clockOffsetMs;

  if (ended)
    return (
      <main className="projector projector-message" data-testid="projector-ended">
        <p>{t('projector.ended')}</p>
      </main>
    );
  if (!state)
    return (
      <main className="projector projector-message">
        <p role="status">{t('projector.connecting')}</p>
      </main>
    );

  const m = state.meeting;
  const item = m.agenda.find((a) => a.id === m.currentAgendaItemId) ?? null;
  const proposal = state.proposals.find((p) => item && p.agendaItemIds.includes(item.id)) ?? (item ? undefined : state.proposals[0]);
  // Where a phone in the room joins: the meeting room (signing in first if need be).
  const joinUrl = `${window.location.origin}${pathTo('meeting', { compoundId: m.compoundId, meetingId: m.id })}`;
  const next = state.speakers.queue.slice(0, 3);

  return (
    <main className="projector" data-testid="projector">
      <header className="projector-head">
        <PageHeading title={`${t('projector.button')} · ${m.title}`} testId="projector-title">
          {m.title}
        </PageHeading>
        <p className="projector-item" data-testid="projector-item">
          {item ? t('projector.item', { n: item.position, title: item.title }) : t(`meetingStatus.${m.status}`)}
        </p>
        {!connected && <p className="projector-offline">{t('projector.reconnecting')}</p>}
      </header>
      <div className="projector-main">
        <section className="projector-passage" aria-label={t('projector.text')}>
          {proposal && socket ? (
            <>
              <h2>{proposal.title}</h2>
              <Suspense fallback={<p role="status">{t('editor.loading')}</p>}>
                <ProjectorText key={proposal.id} socket={socket} docId={proposal.id} />
              </Suspense>
            </>
          ) : (
            <p className="muted">{t('room.noProposal')}</p>
          )}
        </section>
        {state.round && state.tally && (
          <section className="card projector-vote" data-testid="projector-vote">
            <h2>{question(state.round.question)}</h2>
            <TallyPanel round={state.round} tally={state.tally} />
          </section>
        )}
      </div>
      <aside className="projector-side">
        <section className="projector-floor" data-testid="projector-floor">
          {floor ? (
            <>
              <p className="projector-speaker" data-testid="projector-speaker">
                {t('room.floor', { name: floor.displayName })}
              </p>
              <p className="projector-countdown" data-testid="projector-countdown">
                {floor.endsAt ? mmss(Date.parse(floor.endsAt) - now) : t('room.noLimit')}
              </p>
            </>
          ) : (
            <p className="projector-speaker muted">{t('projector.noSpeaker')}</p>
          )}
          {next.length > 0 && <p className="projector-next">{t('projector.next', { names: next.map((s) => s.displayName).join('、') })}</p>}
        </section>
        <QuorumPanel state={state} />
        <figure className="projector-qr" data-testid="projector-qr" data-url={joinUrl}>
          <QrCode text={joinUrl} />
          <figcaption>{t('projector.scanToJoin')}</figcaption>
        </figure>
      </aside>
    </main>
  );
}
