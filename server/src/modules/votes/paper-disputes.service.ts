import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { answerDisputeSchema, disputePaperSchema, PaperDisputeView } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import { PaperAccess } from './paper-access.service';
import type { Elector } from './round-facts.service';

/** A paper_dispute row with its round's number, proposal and electorate and the names of who raised and answered it. */
interface DisputeRow {
  id: string;
  round_id: string;
  round_number: number;
  proposal_id: string;
  household_id: string;
  electorate: Elector[];
  raised_by_name: string;
  reason: string;
  raised_at: Date;
  answer: string | null;
  answered_by_name: string | null;
  answered_at: Date | null;
}

/** After the round, a household disputes the paper ballot entered in its name; the chair answers on the record. */
@Injectable()
export class PaperDisputesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly rights: PaperAccess,
    private readonly audit: AuditService,
  ) {}

  /** A household disputes the paper ballot entered in its name: audited, shown to the chair until answered. */
  async dispute(
    access: CompoundAccess,
    userId: string,
    roundId: string,
    req: z.output<typeof disputePaperSchema>,
  ): Promise<PaperDisputeView> {
    const facts = await this.rights.roundIn(access, roundId);
    if (!facts.byId.has(req.householdId)) throw new AppError('NOT_FOUND');
    if (!(await this.rights.householdsOf(access, userId)).has(req.householdId)) throw new AppError('NOT_YOUR_HOUSEHOLD');
    const id = await this.db.transaction(async (m) => {
      const [b] = await m.query(`SELECT paper_id FROM ballot WHERE round_id = $1 AND household_id = $2 AND assisted FOR UPDATE`, [
        roundId,
        req.householdId,
      ]);
      if (!b) throw new AppError('NOT_FOUND', { message: 'no paper ballot was entered for this household in this round' });
      const [entry] = await this.audit.append(m, facts.proposalId, [
        {
          kind: 'paper.disputed',
          roundId,
          body: { round: roundId, household: req.householdId, paper: b.paper_id, raisedBy: userId, reason: req.reason },
        },
      ]);
      const [row] = await m.query(
        `INSERT INTO paper_dispute (round_id, household_id, paper_id, raised_by, reason, audit_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [roundId, req.householdId, b.paper_id, userId, req.reason, entry.hash],
      );
      return row.id as string;
    });
    const [view] = await this.disputes({ id });
    if (!view) throw new Error('the dispute just raised could not be read back');
    return view;
  }

  /** The chair answers a dispute, once, on the record. */
  async answer(
    access: CompoundAccess,
    userId: string,
    roundId: string,
    disputeId: string,
    req: z.output<typeof answerDisputeSchema>,
  ): Promise<PaperDisputeView> {
    const facts = await this.rights.roundIn(access, roundId);
    await this.db.transaction(async (m) => {
      const [d] = await m.query(`SELECT household_id, answered_at FROM paper_dispute WHERE id = $1 AND round_id = $2 FOR UPDATE`, [
        disputeId,
        roundId,
      ]);
      if (!d) throw new AppError('NOT_FOUND');
      if (d.answered_at) throw new AppError('DISPUTE_ANSWERED');
      const [entry] = await this.audit.append(m, facts.proposalId, [
        {
          kind: 'paper.dispute_answered',
          roundId,
          body: { round: roundId, dispute: disputeId, household: d.household_id, answeredBy: userId, answer: req.answer },
        },
      ]);
      await m.query(`UPDATE paper_dispute SET answered_by = $2, answer = $3, answered_at = now(), answer_hash = $4 WHERE id = $1`, [
        disputeId,
        userId,
        req.answer,
        entry.hash,
      ]);
    });
    const [view] = await this.disputes({ id: disputeId });
    if (!view) throw new Error('the dispute just answered could not be read back');
    return view;
  }

  /** Disputes of a round (the chair and gate leaders see all, others their own household's), or the compound's unanswered ones. */
  async list(access: CompoundAccess, userId: string, where: { roundId: string } | { open: true }): Promise<PaperDisputeView[]> {
    if ('roundId' in where) await this.rights.roundIn(access, where.roundId);
    const all = await this.disputes('roundId' in where ? { roundId: where.roundId } : { compoundId: access.compoundId, open: true });
    if (access.roles.includes('chair') || access.roles.includes('gate_leader')) return all;
    const own = await this.rights.householdsOf(access, userId);
    return all.filter((d) => own.has(d.householdId));
  }

  private async disputes(where: { id: string } | { roundId: string } | { compoundId: string; open: true }): Promise<PaperDisputeView[]> {
    const [cond, param] =
      'id' in where
        ? ['d.id = $1', where.id]
        : 'roundId' in where
          ? ['d.round_id = $1', where.roundId]
          : ['r.compound_id = $1 AND d.answered_at IS NULL', where.compoundId];
    const rows: DisputeRow[] = await this.db.query(
      `SELECT d.*, r.number AS round_number, r.proposal_id, r.electorate, ru.display_name AS raised_by_name, au.display_name AS answered_by_name
       FROM paper_dispute d JOIN vote_round r ON r.id = d.round_id JOIN app_user ru ON ru.id = d.raised_by LEFT JOIN app_user au ON au.id = d.answered_by
       WHERE ${cond} ORDER BY d.raised_at`,
      [param],
    );
    return rows.map((d) => ({
      id: d.id,
      roundId: d.round_id,
      roundNumber: d.round_number,
      proposalId: d.proposal_id,
      householdId: d.household_id,
      label: d.electorate.find((e) => e.id === d.household_id)?.label ?? '',
      raisedByName: d.raised_by_name,
      reason: d.reason,
      raisedAt: d.raised_at.toISOString(),
      answer: d.answer,
      answeredByName: d.answered_by_name,
      answeredAt: d.answered_at?.toISOString() ?? null,
    }));
  }
}
