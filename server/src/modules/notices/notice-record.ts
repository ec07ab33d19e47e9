import type { NoticeRecord, NoticeRound, RuleId } from '@yishi/shared';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';

/** What is being published: its title, the frozen record, and the audit chain its objections go to. */
export interface NoticeSubject {
  proposalId: string | null;
  projectId: string | null;
  title: string;
  record: NoticeRecord;
  chainId: string | null;
}

interface RoundRow {
  number: number;
  revision_number: number;
  rule: RuleId;
  passed: boolean;
  closed_at: Date;
  tally: Record<'for' | 'against' | 'abstain' | 'notVoted', NoticeRound['for']>;
}

/** The closed rounds of a proposal and its sign-offs, oldest first, as the notice shows them. */
async function voteRecord(m: EntityManager, proposalId: string): Promise<Pick<NoticeRecord, 'rounds' | 'signOffs'>> {
  const rounds: RoundRow[] = await m.query(
    `SELECT number, revision_number, rule, passed, closed_at, result->'tally' AS tally
       FROM vote_round WHERE proposal_id = $1 AND status = 'closed' ORDER BY number`,
    [proposalId],
  );
  const signOffs: Array<{ name: string; decision: 'given' | 'refused'; amount_fen: string; signed_at: Date }> = await m.query(
    `SELECT o.name, s.decision, s.amount_fen, s.signed_at FROM sign_off s JOIN organisation o ON o.id = s.organisation_id
      WHERE s.proposal_id = $1 ORDER BY s.signed_at`,
    [proposalId],
  );
  return {
    rounds: rounds.map((r) => ({
      number: r.number,
      revisionNumber: r.revision_number,
      rule: r.rule,
      passed: r.passed,
      closedAt: r.closed_at.toISOString(),
      for: r.tally.for,
      against: r.tally.against,
      abstain: r.tally.abstain,
      notVoted: r.tally.notVoted,
    })),
    signOffs: signOffs.map((s) => ({
      organisationName: s.name,
      decision: s.decision,
      amountFen: Number(s.amount_fen),
      signedAt: s.signed_at.toISOString(),
    })),
  };
}

/** An adopted proposal of the compound: its adopted text (the revision of the passing round) and its vote record. */
export async function proposalSubject(m: EntityManager, compoundId: string, proposalId: string): Promise<NoticeSubject> {
  const [p] = await m.query(`SELECT id, title, status, adopted_at FROM proposal WHERE id = $1 AND compound_id = $2`, [
    proposalId,
    compoundId,
  ]);
  if (!p) throw new AppError('NOT_FOUND');
  if (p.status !== 'adopted') throw new AppError('NOTICE_NOT_READY');
  const [rev] = await m.query(
    `SELECT r.text, r.hash FROM vote_round v JOIN revision r ON r.id = v.revision_id
      WHERE v.proposal_id = $1 AND v.passed ORDER BY v.number DESC LIMIT 1`,
    [proposalId],
  );
  return {
    proposalId,
    projectId: null,
    title: p.title,
    chainId: proposalId,
    record: {
      text: rev?.text ?? '',
      revisionHash: rev?.hash ?? null,
      ...(await voteRecord(m, proposalId)),
      adoptedAt: p.adopted_at ? (p.adopted_at as Date).toISOString() : null,
      acceptance: null,
    },
  };
}

/** A done project of the compound: its summary, residents' acceptance, and the vote record of the proposal it carried out. */
export async function projectSubject(m: EntityManager, compoundId: string, projectId: string): Promise<NoticeSubject> {
  const [p] = await m.query(
    `SELECT p.id, p.title, p.summary, p.status, p.adopted_proposal_id, pr.adopted_at,
            (SELECT count(*) FILTER (WHERE satisfied)::int FROM project_acceptance a WHERE a.project_id = p.id) AS satisfied,
            (SELECT count(*) FILTER (WHERE NOT satisfied)::int FROM project_acceptance a WHERE a.project_id = p.id) AS unsatisfied
       FROM project p LEFT JOIN proposal pr ON pr.id = p.adopted_proposal_id
      WHERE p.id = $1 AND p.compound_id = $2`,
    [projectId, compoundId],
  );
  if (!p) throw new AppError('NOT_FOUND');
  if (p.status !== 'done') throw new AppError('NOTICE_NOT_READY');
  const votes = p.adopted_proposal_id ? await voteRecord(m, p.adopted_proposal_id) : { rounds: [], signOffs: [] };
  return {
    proposalId: null,
    projectId,
    title: p.title,
    // Objections join the adopted proposal's chain; a project without one gets a chain of its own.
    chainId: p.adopted_proposal_id,
    record: {
      text: p.summary,
      revisionHash: null,
      ...votes,
      adoptedAt: p.adopted_at ? (p.adopted_at as Date).toISOString() : null,
      acceptance: { satisfied: p.satisfied, unsatisfied: p.unsatisfied },
    },
  };
}
