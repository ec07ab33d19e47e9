import {
  allows,
  proposalAllows,
  RULES,
  type DiffLine,
  type ProposalView,
  type RevisionSummary,
  type RevisionView,
  type Role,
  type RollCallEntry,
  type RoundView,
} from '@yishi/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorAlert } from '../components/alert';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { catalogueLanguage } from '../lib/i18n';
import { useMe } from '../lib/session';
import { EditRightsPanel } from '../modules/proposals/edit-rights-panel';
import { ResultBanner } from '../modules/votes/result-banner';
import { pathTo, useNavigateTo } from '../lib/routes';
import { useErrorText } from '../lib/errors';
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
                  <span className="op">
                    {l.op === 'added'
                      ? `+ ${t('history.added')}`
                      : l.op === 'removed'
                        ? `− ${t('history.removed')}`
                        : `  ${t('history.same')}`}
                  </span>
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

/** The photo of a signed paper, fetched with the access token when asked for. */
function PaperPhoto({ compoundId, roundId, entry }: { compoundId: string; roundId: string; entry: RollCallEntry }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  const toggle = async () => {
    if (url) return setUrl(null);
    try {
      setUrl(URL.createObjectURL(await api.paperPhoto(compoundId, roundId, entry.photoId!)));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <button type="button" className="button-quiet" aria-expanded={!!url} onClick={() => void toggle()} data-testid="paper-photo-show">
        {url ? t('paper.hidePhoto') : t('paper.showPhoto')}
      </button>
      {url && <img className="paper-photo" src={url} alt={t('paper.photoAlt', { label: entry.label })} data-testid="paper-photo-img" />}
      {error ? <ErrorAlert error={error} /> : null}
    </>
  );
}

/** A household disputes the paper ballot entered in its name. */
function DisputeForm({
  compoundId,
  roundId,
  householdId,
  onDone,
}: {
  compoundId: string;
  roundId: string;
  householdId: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (!open)
    return (
      <button type="button" className="button-quiet" onClick={() => setOpen(true)} data-testid="paper-dispute">
        {t('paper.dispute')}
      </button>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.disputePaper(compoundId, roundId, householdId, reason);
      setOpen(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit}>
      <label htmlFor={`dispute-${householdId}`}>{t('paper.disputeReason')}</label>
      <textarea
        id={`dispute-${householdId}`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="paper-dispute-reason"
      />
      <button type="submit" className="button-primary" disabled={!reason.trim()} data-testid="paper-dispute-submit">
        {t('paper.disputeSubmit')}
      </button>
      {error ? <ErrorAlert error={error} /> : null}
    </form>
  );
}

/** Disputes of a round's paper entries; the chair answers each once, on the record. */
function Disputes({
  compoundId,
  round,
  chair,
  version,
  onChange,
}: {
  compoundId: string;
  round: RoundView;
  chair: boolean;
  version: number;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const disputes = useResource(`paper-disputes:${round.id}:${version}`, () => api.paperDisputes(compoundId, round.id));
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  if (!disputes.data || disputes.data.length === 0) return null;
  const answer = async (e: FormEvent, id: string) => {
    e.preventDefault();
    try {
      await api.answerDispute(compoundId, round.id, id, answers[id] ?? '');
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h4>{t('paper.disputesTitle')}</h4>
      <ul className="plain-list" data-testid="paper-disputes">
        {disputes.data.map((d) => (
          <li
            key={d.id}
            className={d.answeredAt ? 'dispute' : 'dispute dispute-open'}
            data-testid="paper-dispute-item"
            data-answered={!!d.answeredAt}
          >
            <p>{t('paper.disputeBy', { label: d.label, name: d.raisedByName, time: formatDateTime(d.raisedAt) })}</p>
            <p>{d.reason}</p>
            {d.answeredAt ? (
              <p>{t('paper.answered', { name: d.answeredByName, answer: d.answer })}</p>
            ) : (
              chair && (
                <form onSubmit={(e) => void answer(e, d.id)}>
                  <label htmlFor={`answer-${d.id}`}>{t('paper.answer')}</label>
                  <textarea
                    id={`answer-${d.id}`}
                    value={answers[d.id] ?? ''}
                    onChange={(e) => setAnswers({ ...answers, [d.id]: e.target.value })}
                    data-testid="paper-answer"
                  />
                  <button
                    type="submit"
                    className="button-primary"
                    disabled={!(answers[d.id] ?? '').trim()}
                    data-testid="paper-answer-submit"
                  >
                    {t('paper.answerSubmit')}
                  </button>
                </form>
              )
            )}
          </li>
        ))}
      </ul>
      {error ? <ErrorAlert error={error} /> : null}
    </>
  );
}

function Round({ compoundId, round }: { compoundId: string; round: RoundView }) {
  const { t } = useTranslation();
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
                        {e.assisted ? ` · ${t('vote.rollCallAssisted')}${e.recordedByName ? `（${e.recordedByName}）` : ''}` : ''}
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

/** Where a proposal stands in its life cycle: what it amends, its amendments, and for an adopted one the way to change it. */
function Lifecycle({ compoundId, proposal, roles }: { compoundId: string; proposal: ProposalView; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const { message } = useErrorText();
  const navigate = useNavigateTo();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const original = useResource(`proposal:${proposal.amends ?? 'none'}`, () =>
    proposal.amends ? api.proposal(compoundId, proposal.amends) : Promise.resolve(null),
  );
  const amend = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await api.amendProposal(compoundId, proposal.id);
      navigate(pathTo('proposal', { compoundId, proposalId: created.id }));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-label={t(`proposalStatus.${proposal.status}`)} data-testid="lifecycle" data-status={proposal.status}>
      {proposal.status === 'adopted' && <p>{t('lifecycle.final')}</p>}
      {proposal.amends && (
        <p data-testid="amends">
          {t('lifecycle.amends', { title: original.data?.title ?? '' })}{' '}
          <Link to={pathTo('proposal', { compoundId, proposalId: proposal.amends })} className="button-link">
            {t('lifecycle.openOriginal')}
          </Link>
        </p>
      )}
      {proposal.amendedBy.length > 0 && (
        <p data-testid="amended-by">
          {t('lifecycle.amendedBy')}{' '}
          {proposal.amendedBy.map((id, i) => (
            <Link key={id} to={pathTo('proposal', { compoundId, proposalId: id })} className="button-link">
              {t('lifecycle.openAmendment')} {i + 1}
            </Link>
          ))}
        </p>
      )}
      {proposalAllows(proposal.status, 'amend') && allows(roles, 'proposal.create') && (
        <button type="button" className="button-primary" disabled={busy} onClick={() => void amend()} data-testid="start-amendment">
          {busy ? t('lifecycle.amending') : t('lifecycle.amend')}
        </button>
      )}
      {error && <Alert>{error}</Alert>}
    </section>
  );
}

export default function ProposalHistoryPage({
  compoundId,
  proposalId,
  roles,
}: {
  compoundId: string;
  proposalId: string;
  roles: readonly Role[];
}) {
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
        <Link to={pathTo('compound', { compoundId })} className="button-link">
          ← {t('room.back')}
        </Link>
      </p>
      <PageHeading title={title} testId="history-title">
        {title}
      </PageHeading>
      <p className="subtitle">
        <span className="status-tag" data-testid="proposal-status">
          {t(`proposalStatus.${p.status}`)}
        </span>{' '}
        {t(`proposalKinds.${p.kind}`)}
      </p>
      <Lifecycle key={p.id} compoundId={compoundId} proposal={p} roles={roles} />
      <EditRightsPanel compoundId={compoundId} proposalId={p.id} status={p.status} roles={roles} />
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
