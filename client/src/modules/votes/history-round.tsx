import { RULES, type RoundView } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/alert';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { catalogueLanguage } from '../../lib/i18n';
import { useMe } from '../../lib/session';
import { useResource } from '../../lib/use-resource';
import { DisputeForm, Disputes, PaperPhoto } from './paper-disputes';
import { ResultBanner } from './result-banner';
import { useRoundQuestion } from './round-question';

/** A closed or open round as the record shows it: its result, the roll call, paper entries and their disputes. */
export function HistoryRound({ compoundId, round }: { compoundId: string; round: RoundView }) {
  const { t } = useTranslation();
  const questionText = useRoundQuestion();
  const me = useMe();
  const [version, setVersion] = useState(0);
  const rollCall = useResource(`roll-call:${round.id}:${round.status}:${version}`, () => api.rollCall(compoundId, round.id));
  const lang = catalogueLanguage();
  const mine = new Set(me.memberships.filter((m) => m.compoundId === compoundId && m.householdId).map((m) => m.householdId!));
  const chair = me.memberships.some((m) => m.compoundId === compoundId && m.role === 'chair');
  const changed = () => setVersion((v) => v + 1);
  return (
    <li className="card" data-testid="history-round">
      <h3>{t('vote.round', { n: round.number, rev: round.revisionNumber })}</h3>
      <p data-testid="history-question">{questionText(round.question)}</p>
      <p className="muted">
        {t('vote.rule', { rule: RULES[round.rule].name[lang] })} · {formatDateTime(round.openedAt)}
        {round.closedAt ? ` – ${formatDateTime(round.closedAt)}` : ''}
      </p>
      {round.status === 'open' && <p className="status-tag">{t('vote.open')}</p>}
      <ResultBanner round={round} />
      <h4>{t('vote.rollCall')}</h4>
      {rollCall.error ? (
        <ErrorAlert error={rollCall.error} />
      ) : !rollCall.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <div className="table-scroll">
          <table className="roll-call" data-testid="roll-call">
            <thead>
              <tr>
                <th scope="col">{t('vote.rollCallHousehold')}</th>
                <th scope="col">{t('vote.rollCallChoice')}</th>
                <th scope="col">{t('vote.rollCallBy')}</th>
              </tr>
            </thead>
            <tbody>
              {rollCall.data.map((e) => (
                <tr key={e.householdId} data-paper={!!e.paper} data-testid="roll-call-row">
                  <th scope="row">{e.label}</th>
                  <td>{e.choice ? t(`vote.${e.choice}`) : t('vote.notVoted')}</td>
                  <td>
                    {e.paper ? (
                      <span data-testid="roll-call-paper">
                        {t('paper.rollCallPaper', { signer: e.paper.signerName, by: e.paper.enteredByName })}
                      </span>
                    ) : (
                      <>
                        {e.voterName ?? t('common.dash')}
                        {e.viaProxy ? t('vote.asProxy') : ''}
                        {e.assisted
                          ? ` · ${t('vote.rollCallAssisted')}${e.recordedByName ? t('common.note', { note: e.recordedByName }) : ''}`
                          : ''}
                      </>
                    )}
                    {e.disputed && <strong className="dispute-flag"> · {t('paper.disputed')}</strong>}
                    {e.photoId && <PaperPhoto compoundId={compoundId} roundId={round.id} entry={e} />}
                    {e.paper && !e.disputed && mine.has(e.householdId) && (
                      <DisputeForm compoundId={compoundId} roundId={round.id} householdId={e.householdId} onDone={changed} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Disputes compoundId={compoundId} round={round} chair={chair} version={version} onChange={changed} />
    </li>
  );
}
