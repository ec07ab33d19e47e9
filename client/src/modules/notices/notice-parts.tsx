import { formatAreaM2, formatFen, type NoticeObjectionView, type NoticeRound, type NoticeView, RULES } from '@yishi/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TableScroll } from '../../components/table-scroll';
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

function RoundRow({ r }: { r: NoticeRound }) {
  const { t } = useTranslation();
  const cell = (c: NoticeRound['for']) => t('notices.households', { n: c.households, area: formatAreaM2(c.areaCentiM2) });
  return (
    <tr>
      <th scope="row">{t('notices.roundName', { n: r.number, rev: r.revisionNumber })}</th>
      <td>{RULES[r.rule].name[catalogueLanguage()]}</td>
      <td>{cell(r.for)}</td>
      <td>{cell(r.against)}</td>
      <td>{cell(r.abstain)}</td>
      <td>{cell(r.notVoted)}</td>
      <td>
        <strong>{t(r.passed ? 'notices.passed' : 'notices.failed')}</strong>
      </td>
    </tr>
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
          <TableScroll label={t('notices.voteRecord')}>
            <table data-testid="notice-rounds">
              <thead>
                <tr>
                  <th scope="col">{t('notices.round')}</th>
                  <th scope="col">{t('notices.rule')}</th>
                  <th scope="col">{t('notices.for')}</th>
                  <th scope="col">{t('notices.against')}</th>
                  <th scope="col">{t('notices.abstain')}</th>
                  <th scope="col">{t('notices.notVoted')}</th>
                  <th scope="col">{t('notices.result')}</th>
                </tr>
              </thead>
              <tbody>
                {r.rounds.map((x) => (
                  <RoundRow key={x.number} r={x} />
                ))}
              </tbody>
            </table>
          </TableScroll>
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
