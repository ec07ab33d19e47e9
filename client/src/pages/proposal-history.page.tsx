import { RULES, type DiffLine, type RevisionSummary, type RevisionView, type RoundView } from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/alert';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { catalogueLanguage } from '../lib/i18n';
import { ResultBanner } from '../modules/votes/vote-panel';
import { useResource } from '../lib/use-resource';

function Revision({ compoundId, proposalId, rev }: { compoundId: string; proposalId: string; rev: RevisionSummary }) {
  const { t } = useTranslation();
  const [text, setText] = useState<RevisionView | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const diff = useResource<DiffLine[] | null>(`diff:${proposalId}:${rev.number}`, () =>
    rev.number > 1 ? api.diff(compoundId, proposalId, rev.number - 1, rev.number) : Promise.resolve(null),
  );
  const toggle = async () => {
    if (!open && !text) {
      try {
        setText(await api.revision(compoundId, proposalId, rev.number));
      } catch (e) {
        setError(e);
        return;
      }
    }
    setOpen(!open);
  };
  const changed = diff.data?.filter((l) => l.op !== 'same') ?? [];

  return (
    <li className="card" data-testid="revision">
      <h3>{t('history.revision', { n: rev.number })}</h3>
      <p className="muted">{t('history.frozenAt', { time: formatDateTime(rev.frozenAt) })}</p>
      <p className="hash">{t('history.hash', { hash: rev.hash })}</p>
      {diff.data && (
        <>
          <h4>{t('history.diff')}</h4>
          {changed.length === 0 ? (
            <p>{t('history.noChanges')}</p>
          ) : (
            <ul className="diff" data-testid="diff">
              {diff.data.map((l, i) => (
                <li key={i} className={`diff-${l.op}`}>
                  <span className="op">{l.op === 'added' ? `+ ${t('history.added')}` : l.op === 'removed' ? `− ${t('history.removed')}` : `  ${t('history.same')}`}</span>
                  {l.text}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <button type="button" className="button-quiet" aria-expanded={open} onClick={() => void toggle()}>
        {open ? t('history.hideText') : t('history.showText')}
      </button>
      {error ? <ErrorAlert error={error} /> : null}
      {/* The server's plain-text rendering, shown as text: nothing in it can become markup. */}
      {open && text && <div className="revision-text">{text.text}</div>}
    </li>
  );
}

function Round({ compoundId, round }: { compoundId: string; round: RoundView }) {
  const { t } = useTranslation();
  const rollCall = useResource(`roll-call:${round.id}:${round.status}`, () => api.rollCall(compoundId, round.id));
  const lang = catalogueLanguage();
  return (
    <li className="card" data-testid="history-round">
      <h3>{t('vote.round', { n: round.number, rev: round.revisionNumber })}</h3>
      <p>{round.question}</p>
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
                <tr key={e.householdId}>
                  <th scope="row">{e.label}</th>
                  <td>{e.choice ? t(`vote.${e.choice}`) : t('vote.notVoted')}</td>
                  <td>
                    {e.voterName ?? t('common.dash')}
                    {e.viaProxy ? t('vote.asProxy') : ''}
                    {e.assisted ? ` · ${t('vote.rollCallAssisted')}${e.recordedByName ? `（${e.recordedByName}）` : ''}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}

export function ProposalHistoryPage({ compoundId, proposalId }: { compoundId: string; proposalId: string }) {
  const { t } = useTranslation();
  const proposal = useResource(`proposal:${proposalId}`, () => api.proposal(compoundId, proposalId));
  const rounds = useResource(`rounds:${proposalId}`, () => api.rounds(compoundId, proposalId));
  if (proposal.error) return <ErrorAlert error={proposal.error} />;
  if (!proposal.data) return <p role="status">{t('common.loading')}</p>;
  const p = proposal.data;
  const title = t('history.title', { title: p.title });
  return (
    <>
      <p>
        <Link href={`/c/${encodeURIComponent(compoundId)}`} className="button-link">
          ← {t('room.back')}
        </Link>
      </p>
      <PageHeading title={title} testId="history-title">
        {title}
      </PageHeading>
      <p className="subtitle">
        <span className="status-tag">{t(`proposalStatus.${p.status}`)}</span> {t(`proposalKinds.${p.kind}`)}
      </p>
      <section aria-labelledby="revisions-h">
        <h2 id="revisions-h">{t('history.revisions')}</h2>
        {p.revisions.length === 0 ? (
          <p>{t('history.noRevisions')}</p>
        ) : (
          <ol className="plain-list" data-testid="revisions">
            {[...p.revisions].reverse().map((r) => (
              <Revision key={r.id} compoundId={compoundId} proposalId={p.id} rev={r} />
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="rounds-h" data-testid="rounds">
        <h2 id="rounds-h">{t('history.rounds')}</h2>
        {rounds.error ? (
          <ErrorAlert error={rounds.error} />
        ) : !rounds.data ? (
          <p role="status">{t('common.loading')}</p>
        ) : rounds.data.length === 0 ? (
          <p>{t('history.noRounds')}</p>
        ) : (
          <ol className="plain-list">
            {[...rounds.data].reverse().map((r) => (
              <Round key={r.id} compoundId={compoundId} round={r} />
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
