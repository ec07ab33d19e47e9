import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CanonicalFunding,
  nextProposalStatus,
  type OrganisationKind,
  type ProposalActivity,
  sourceAmountFen,
  sourceOfOrganisationKind,
  proposalAllows,
  type ProposalStatus,
  type ProposalTransition,
} from '@yishi/shared';
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents, type ProposalStatusChange } from '../../infra/events/domain-events';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';

/** The refusal for doing `what` to a proposal in `status`: adopted is final and says so. */
export function lifecycleRefusal(status: ProposalStatus, what: ProposalTransition | ProposalActivity): AppError {
  return new AppError(status === 'adopted' ? 'PROPOSAL_ADOPTED' : 'PROPOSAL_STATUS', { details: { status, refused: what } });
}

/**
 * The one owner of a proposal's status. Every change goes through `apply`, inside the caller's
 * transaction, against the pure table in shared/src/domain/proposal-lifecycle.ts; the change is
 * announced (`proposal.status`) only once that transaction commits, and dropped if it rolls back.
 * Rounds opening and closing (votes), sign-offs completing adoption (funding), freezing
 * (proposals) and the chair's withdraw and archive all come here.
 */
@Injectable()
export class ProposalLifecycleService implements OnModuleInit, EntitySubscriberInterface {
  /** Changes made in transactions still open, by their query runner. */
  private readonly pending = new WeakMap<QueryRunner, ProposalStatusChange[]>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    // TypeORM reads the subscribers list on every broadcast, so joining it late works.
    this.db.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A savepoint's release is a commit too; announce only when the outer transaction is done.
    if (event.queryRunner.isTransactionActive) return;
    const changes = this.pending.get(event.queryRunner);
    this.pending.delete(event.queryRunner);
    for (const c of changes ?? []) this.announce(c);
  }

  private announce(c: ProposalStatusChange): void {
    this.events.emit('proposal.status', c);
    // Adoption (or any status that ends editing) takes the edit right from sockets that hold it.
    if (proposalAllows(c.from, 'edit') && !c.editable) this.events.emit('proposal.edit_rights', { proposalId: c.proposalId });
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }

  /**
   * Locks the proposal row (sign-offs, rounds and adoption of one proposal then happen one at a
   * time) and returns its status; NOT_FOUND outside the compound.
   */
  async lock(
    m: EntityManager,
    proposalId: string,
    compoundId?: string,
  ): Promise<{ status: ProposalStatus; compoundId: string; requiredSignOffs: string[] }> {
    const [p] = await m.query(`SELECT status, compound_id, required_sign_offs FROM proposal WHERE id = $1 FOR UPDATE`, [proposalId]);
    if (!p || (compoundId && p.compound_id !== compoundId)) throw new AppError('NOT_FOUND');
    return { status: p.status, compoundId: p.compound_id, requiredSignOffs: p.required_sign_offs };
  }

  /** Refuses, with a clear error, an activity the proposal's status does not allow. */
  assertAllows(status: ProposalStatus, activity: ProposalActivity): void {
    if (!proposalAllows(status, activity)) throw lifecycleRefusal(status, activity);
  }

  /**
   * Applies a transition inside the caller's transaction (the row must be locked by `lock` in the
   * same transaction) and returns the new status; refused when the status does not allow it.
   */
  async apply(m: EntityManager, proposalId: string, transition: ProposalTransition): Promise<ProposalStatus> {
    const { status: from, compoundId } = await this.lock(m, proposalId);
    const to = nextProposalStatus(from, transition);
    if (!to) throw lifecycleRefusal(from, transition);
    if (to !== from) {
      await m.query(`UPDATE proposal SET status = $2${to === 'adopted' ? ', adopted_at = now()' : ''} WHERE id = $1`, [proposalId, to]);
      const runner = m.queryRunner;
      const change = { proposalId, compoundId, from, to, transition, editable: proposalAllows(to, 'edit') };
      if (runner?.isTransactionActive) this.pending.set(runner, [...(this.pending.get(runner) ?? []), change]);
      else this.announce(change);
    }
    return to;
  }

  /**
   * Adopts a passed proposal once every required organisation's latest decision on the revision
   * of its latest passed round is `given`. Call inside the transaction that may have completed
   * the conditions (a round passing, a sign-off); returns true if it adopted.
   */
  async adoptIfComplete(m: EntityManager, proposalId: string): Promise<boolean> {
    const p = await this.lock(m, proposalId);
    if (p.status !== 'passed') return false;
    const [round] = await m.query(
      `SELECT r.id, r.revision_id, v.funding FROM vote_round r JOIN revision v ON v.id = r.revision_id WHERE r.proposal_id = $1 AND r.passed ORDER BY r.number DESC LIMIT 1`,
      [proposalId],
    );
    if (!round) return false;
    // An organisation the passed plan asks nothing of has nothing to sign (it is refused if it tries): it does not hold adoption back.
    const lines = round.funding ? (JSON.parse(round.funding) as CanonicalFunding).lines : [];
    const kinds: Array<{ id: string; kind: OrganisationKind }> = p.requiredSignOffs.length
      ? await m.query(`SELECT id, kind FROM organisation WHERE id = ANY($1)`, [p.requiredSignOffs])
      : [];
    const required = kinds
      .filter((o) => {
        const source = sourceOfOrganisationKind(o.kind);
        return source !== null && sourceAmountFen(lines, source) > 0;
      })
      .map((o) => o.id);
    const given: Array<{ organisation_id: string; audit_hash: string }> = required.length
      ? (
          await m.query(
            `SELECT DISTINCT ON (organisation_id) organisation_id, audit_hash, decision FROM sign_off
             WHERE revision_id = $1 AND organisation_id = ANY($2) ORDER BY organisation_id, signed_at DESC`,
            [round.revision_id, required],
          )
        ).filter((r: { decision: string }) => r.decision === 'given')
      : [];
    if (given.length < required.length) return false;
    await this.apply(m, proposalId, 'adopt');
    await this.audit.append(m, proposalId, [
      {
        kind: 'proposal.adopted',
        roundId: round.id,
        body: { round: round.id, revision: round.revision_id, signOffs: given.map((g) => g.audit_hash).sort() },
      },
    ]);
    return true;
  }

  /** The chair withdraws a proposal before adoption (not while a vote is open), saying why; audited. */
  async withdraw(access: CompoundAccess, userId: string, proposalId: string, reason: string): Promise<ProposalStatus> {
    return this.db.transaction(async (m) => {
      await this.lock(m, proposalId, access.compoundId);
      const to = await this.apply(m, proposalId, 'withdraw');
      await this.audit.append(m, proposalId, [{ kind: 'proposal.withdrawn', body: { by: userId, reason } }]);
      return to;
    });
  }

  /** The chair puts a finished proposal away (adopted, withdrawn or failed); audited. */
  async archive(access: CompoundAccess, userId: string, proposalId: string): Promise<ProposalStatus> {
    return this.db.transaction(async (m) => {
      await this.lock(m, proposalId, access.compoundId);
      const to = await this.apply(m, proposalId, 'archive');
      await this.audit.append(m, proposalId, [{ kind: 'proposal.archived', body: { by: userId } }]);
      return to;
    });
  }
}
