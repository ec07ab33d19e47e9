import {
  allows,
  proposalAllows,
  type DiffLine,
  type ProposalView,
  type RevisionSummary,
  type RevisionView,
  type Role,
} from '@yishi/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorAlert } from '../../components/alert';
import { Link } from '../../components/link';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { HistoryRound } from '../votes/history-round';
import { pathTo, useNavigateTo } from '../../lib/routes';
import { useErrorText } from '../../lib/errors';
import { useResource } from '../../lib/use-resource';

/** The change from one revision to the next, line by line (the history page and the timeline show the same). */
export function DiffList({ lines }: { lines: DiffLine[] }) {
  const { t } = useTranslation();
  if (!lines.some((l) => l.op !== 'same')) return <p>{t('history.noChanges')}</p>;
  return (
    <ul className="diff" data-testid="diff">
      {lines.map((l, i) => (
        <li key={i} className={`diff-${l.op}`}>
          <span className="op">
            {l.op === 'added' ? `+ ${t('history.added')}` : l.op === 'removed' ? `− ${t('history.removed')}` : `  ${t('history.same')}`}
          </span>
          {l.text}
        </li>
      ))}
    </ul>
  );
}

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

  return (
    <li className="card" data-testid="revision">
      <h3>{t('history.revision', { n: rev.number })}</h3>
      <p className="muted">{t('history.frozenAt', { time: formatDateTime(rev.frozenAt) })}</p>
      <p className="hash">{t('history.hash', { hash: rev.hash })}</p>
      {diff.data && (
        <>
          <h4>{t('history.diff')}</h4>
          <DiffList lines={diff.data} />
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

/**
 * Where a proposal stands in its life cycle: what it amends, its amendments, and for an adopted
 * one the way to change it. Its links open the other proposal on the same tab (`route`).
 */
export function Lifecycle({
  compoundId,
  proposal,
  roles,
  route,
}: {
  compoundId: string;
  proposal: ProposalView;
  roles: readonly Role[];
  route: 'proposal' | 'proposalHistory';
}) {
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
      navigate(pathTo(route, { compoundId, proposalId: created.id }));
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
          <Link to={pathTo(route, { compoundId, proposalId: proposal.amends })} className="button-link">
            {t('lifecycle.openOriginal')}
          </Link>
        </p>
      )}
      {proposal.amendedBy.length > 0 && (
        <p data-testid="amended-by">
          {t('lifecycle.amendedBy')}{' '}
          {proposal.amendedBy.map((id, i) => (
            <Link key={id} to={pathTo(route, { compoundId, proposalId: id })} className="button-link">
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

/** What a proposal's record holds: its frozen revisions, each with the change from the one before, and its vote rounds. */
export function ProposalHistory({ compoundId, proposal }: { compoundId: string; proposal: ProposalView }) {
  const { t } = useTranslation();
  const rounds = useResource(`rounds:${proposal.id}`, () => api.rounds(compoundId, proposal.id));
  return (
    <>
      <section aria-labelledby="revisions-h">
        <h2 id="revisions-h">{t('history.revisions')}</h2>
        {proposal.revisions.length === 0 ? (
          <p>{t('history.noRevisions')}</p>
        ) : (
          <ol className="plain-list" data-testid="revisions">
            {[...proposal.revisions].reverse().map((r) => (
              <Revision key={r.id} compoundId={compoundId} proposalId={proposal.id} rev={r} />
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
              <HistoryRound key={r.id} compoundId={compoundId} round={r} />
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
