import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppError } from '../../infra/errors/app-error';
import type { createAmendmentSchema, createProposalSchema, ProposalView } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import { ProposalLifecycleService } from './proposal-lifecycle.service';
import { type ProposalRow, proposalRow, proposalView, proposalViews } from './proposal-views';

/**
 * Proposals themselves: creating, reading and amending them. Their text is a DocStore document;
 * revisions, comments and invitations to edit have their own services beside this one.
 */
@Injectable()
export class ProposalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly lifecycle: ProposalLifecycleService,
  ) {}

  async create(compoundId: string, ownerId: string, req: z.output<typeof createProposalSchema>): Promise<ProposalView> {
    if (req.agendaItemIds.length) {
      // An item is the compound's it concerns: its own, or the host's when it names none.
      const [{ n }] = await this.db.query(
        `SELECT count(*)::int AS n FROM agenda_item a JOIN meeting m ON m.id = a.meeting_id
          WHERE a.id = ANY($1) AND coalesce(a.compound_id, m.compound_id) = $2`,
        [req.agendaItemIds, compoundId],
      );
      if (n !== new Set(req.agendaItemIds).size)
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: 'agendaItemIds', message: 'not all of these agenda items are in this compound' }],
        });
    }
    const [row] = await this.db.query(
      `INSERT INTO proposal (compound_id, title, kind, agenda_item_ids, owner_id) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [compoundId, req.title, req.kind, req.agendaItemIds, ownerId],
    );
    return proposalView(row, [], []);
  }

  async list(compoundId: string): Promise<ProposalView[]> {
    const rows: ProposalRow[] = await this.db.query(`SELECT * FROM proposal WHERE compound_id = $1 ORDER BY created_at DESC LIMIT 500`, [
      compoundId,
    ]);
    return proposalViews(this.db.manager, rows);
  }

  async get(compoundId: string, proposalId: string): Promise<ProposalView> {
    const row = await proposalRow(this.db.manager, compoundId, proposalId);
    const [view] = await proposalViews(this.db.manager, [row]);
    if (!view) throw new Error('a proposal read has no view');
    return view;
  }

  /**
   * Starts an amendment of an adopted proposal: a new proposal that links to it (`amends`),
   * starts from the text and funding plan of the revision that was adopted, needs the same
   * sign-offs, and goes through its own rounds. The adopted one stays as it is; its chain records
   * that an amendment was started.
   */
  async amend(
    access: CompoundAccess,
    userId: string,
    proposalId: string,
    req: z.output<typeof createAmendmentSchema>,
  ): Promise<ProposalView> {
    return this.db.transaction(async (m) => {
      const original = await proposalRow(m, access.compoundId, proposalId, true);
      this.lifecycle.assertAllows(original.status, 'amend');
      const [adopted] = await m.query(
        `SELECT v.id, v.number, v.hash, v.doc_state FROM vote_round r JOIN revision v ON v.id = r.revision_id WHERE r.proposal_id = $1 AND r.passed ORDER BY r.number DESC LIMIT 1`,
        [proposalId],
      );
      if (!adopted) throw new AppError('PROPOSAL_STATUS', { details: { status: original.status, refused: 'amend' } });
      const [row] = await m.query(
        `INSERT INTO proposal (compound_id, title, kind, owner_id, required_sign_offs, amends) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [
          access.compoundId,
          req.title ?? `${original.title}（修正案）`.slice(0, 120),
          original.kind,
          userId,
          original.required_sign_offs,
          proposalId,
        ],
      );
      // The new document starts as the adopted revision's state (body and plan): its first logged update.
      await m.query(`INSERT INTO doc_update (doc_id, update, user_id) VALUES ($1, $2, $3)`, [row.id, adopted.doc_state, userId]);
      await this.audit.append(m, proposalId, [
        { kind: 'proposal.amended', body: { amendment: row.id, fromRevision: adopted.id, fromRevisionHash: adopted.hash, by: userId } },
      ]);
      return proposalView(row, [], []);
    });
  }

  /** The compound a proposal (and its document) belongs to, for socket authorization. */
  async compoundOf(proposalId: string): Promise<{ compoundId: string; ownerId: string } | null> {
    const [row] = await this.db.query(`SELECT compound_id, owner_id FROM proposal WHERE id = $1`, [proposalId]);
    return row ? { compoundId: row.compound_id, ownerId: row.owner_id } : null;
  }
}
