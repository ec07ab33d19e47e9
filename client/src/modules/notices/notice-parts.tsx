import { formatAreaM2, formatFen, type NoticeObjectionView, type NoticeRound, type NoticeView, RULES } from '@yishi/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { catalogueLanguage } from '../../lib/i18n';

/** "公示中，至 … 止" / "公示期已满" / "已撤回", large: the first thing a passer-by reads. */
export function NoticeState({ n }: { n: NoticeView }) {
  const { t } = useTranslation();
  return (
    <p className={n.state === 'open' ? 'lead notice-state' : 'lead notice-state muted'} data-testid="notice-state" data-state={n.state}>
      <strong>{t(`notices.state.${n.state}`, { time: formatDateTime(n.endsAt) })}</strong>
      <span className="block muted">{t('notices.period', { from: formatDateTime(n.publishedAt), to: formatDateTime(n.endsAt) })}</span>
      {n.withdrawReason && <span className="block">{t('notices.withdrawnBecause', { reason: n.withdrawReason })}</span>}
    </p>
  );
}

/** One round as a short block rather than a table row: seven columns do not fit a phone in 长辈版. */
function RoundItem({ r }: { r: NoticeRound }) {
  const { t } = useTranslation();
  const counts = (['for', 'against', 'abstain', 'notVoted'] as const).map(
    (k) => `${t(`notices.${k}`)} ${t('notices.households', { n: r[k].households, area: formatAreaM2(r[k].areaCentiM2) })}`,
  );
  return (
    <li data-testid="notice-round">
      <strong className="block">
        {t('notices.roundName', { n: r.number, rev: r.revisionNumber })} · {t(r.passed ? 'notices.passed' : 'notices.failed')}
      </strong>
      <span className="block muted">
        {RULES[r.rule].name[catalogueLanguage()]} · {formatDateTime(r.closedAt)}
      </span>
      <span className="block">{counts.join('；')}</span>
    </li>
  );
}

/** What was decided and how: the text and the vote record as they stood when published. */
export function NoticeRecordView({ n }: { n: NoticeView }) {
  const { t } = useTranslation();
  const r = n.record;
  return (
    <>
      <section className="card" aria-labelledby="notice-text">
        <h2 id="notice-text">{t(n.subject.kind === 'proposal' ? 'notices.decision' : 'notices.project')}</h2>
        {n.note && <p className="lead">{n.note}</p>}
        <div className="notice-text" data-testid="notice-text">
          {r.text.split('\n').map((line, i) => (line.trim() ? <p key={i}>{line}</p> : null))}
        </div>
        {r.adoptedAt && <p className="muted">{t('notices.adoptedAt', { time: formatDateTime(r.adoptedAt) })}</p>}
        {r.revisionHash && <p className="muted hash">{t('history.hash', { hash: r.revisionHash })}</p>}
      </section>
      {r.rounds.length > 0 && (
        <section className="card" aria-labelledby="notice-votes">
          <h2 id="notice-votes">{t('notices.voteRecord')}</h2>
          <ol className="plain-list" data-testid="notice-rounds">
            {r.rounds.map((x) => (
              <RoundItem key={x.number} r={x} />
            ))}
          </ol>
          {r.signOffs.length > 0 && (
            <ul className="plain-list">
              {r.signOffs.map((s, i) => (
                <li key={i}>
                  {t(`notices.signOff.${s.decision}`, { name: s.organisationName, yuan: formatFen(s.amountFen) })} ·{' '}
                  {formatDateTime(s.signedAt)}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {r.acceptance && (
        <p className="card lead" data-testid="notice-acceptance">
          {t('notices.acceptance', { ...r.acceptance })}
        </p>
      )}
    </>
  );
}

/** Each objection and the chair's answer; on the public page nobody is named ("一位居民"). */
export function ObjectionList({
  objections,
  answerSlot,
}: {
  objections: NoticeObjectionView[];
  answerSlot?: (o: NoticeObjectionView) => ReactNode;
}) {
  const { t } = useTranslation();
  if (objections.length === 0) return <p data-testid="no-objections">{t('notices.noObjections')}</p>;
  return (
    <ol className="plain-list" data-testid="objections">
      {objections.map((o) => (
        <li key={o.id} className="objection" data-testid="objection">
          <span className="block">
            <strong>{o.raisedByName ?? t('notices.aResident')}</strong> · {formatDateTime(o.raisedAt)}
          </span>
          <span className="block objection-body">{o.body}</span>
          {o.answer ? (
            <span className="block objection-answer" data-testid="objection-answer">
              {t('notices.answerBy', { name: o.answeredByName ?? t('notices.theChair') })}
              {o.answer}
            </span>
          ) : (
            (answerSlot?.(o) ?? <span className="block muted">{t('notices.awaitingAnswer')}</span>)
          )}
          {o.mine && <span className="block muted hash">{t('notices.receipt', { hash: o.receipt })}</span>}
        </li>
      ))}
    </ol>
  );
}
