import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { balanceIssues, canonicalFunding, type DiffLine, type RevisionView } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import { DocStore } from '../documents/doc-store.service';
import { contentHash, diffLines, renderFundingText } from './doc-render';
import { ProposalLifecycleService } from './proposal-lifecycle.service';
import { proposalRow, revisionView } from './proposal-views';

/** A proposal's frozen revisions: freezing the committed text and plan, reading them back, and diffs between them. */
@Injectable()
export class RevisionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly docs: DocStore,
    private readonly audit: AuditService,
    private readonly lifecycle: ProposalLifecycleService,
  ) {}

  /**
   * Freezes the text and the funding plan as committed right now into an immutable, numbered
   * revision with its content hash. The chair or the proposal's author may do it. A plan whose
   * lines do not balance is refused, naming them: what is voted on must add up.
   */
  async freeze(access: CompoundAccess, userId: string, proposalId: string): Promise<RevisionView> {
    return this.db.transaction(async (m) => {
      const row = await proposalRow(m, access.compoundId, proposalId, true);
      if (row.owner_id !== userId && !access.roles.includes('chair')) throw new AppError('FORBIDDEN');
      // Refused before anything is read: adopted is final, and a vote in progress must close first.
      await this.lifecycle.apply(m, proposalId, 'freeze');
      // Read in this transaction and rendered in a worker: the stored updates came from clients.
      const rendered = await this.docs.renderCommitted(proposalId, m);
      // Every stored update was checked, so this holds; checked again because what is frozen is binding.
      const malformed = rendered.fundingIssues;
      if (malformed.length)
        throw new AppError('VALIDATION_FAILED', { fields: malformed.map((i) => ({ path: i.path, message: i.message })) });
      const lines = rendered.lines;
      const unbalanced = balanceIssues(lines);
      if (unbalanced.length) {
        throw new AppError('FUNDING_UNBALANCED', {
          fields: unbalanced.map((i) => ({ path: i.path, message: i.message })),
          details: { lineIds: [...new Set(unbalanced.map((i) => i.lineId))] },
        });
      }
      const funding = canonicalFunding(lines);
      const { html, text, state } = rendered;
      // What is voted on must say something: a plan alone, without words, is no proposal.
      if (text.trim() === '') throw new AppError('EMPTY_PROPOSAL', { fields: [{ path: 'body', message: 'the text is empty' }] });
      const [{ next }] = await m.query(`SELECT coalesce(max(number), 0) + 1 AS next FROM revision WHERE proposal_id = $1`, [proposalId]);
      const [rev] = await m.query(
        `INSERT INTO revision (proposal_id, number, doc_state, html, text, funding, hash, frozen_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          proposalId,
          next,
          Buffer.from(state),
          html,
          text,
          funding ? JSON.stringify(funding) : null,
          contentHash({ html, funding }),
          userId,
        ],
      );
      await this.audit.append(m, proposalId, [
        { kind: 'revision.frozen', body: { revision: rev.id, number: rev.number, hash: rev.hash, frozenBy: userId } },
      ]);
      return revisionView(rev);
    });
  }

  async revision(compoundId: string, proposalId: string, number: number): Promise<RevisionView> {
    await proposalRow(this.db.manager, compoundId, proposalId);
    const [rev] = await this.db.query(`SELECT * FROM revision WHERE proposal_id = $1 AND number = $2`, [proposalId, number]);
    if (!rev) throw new AppError('NOT_FOUND');
    return revisionView(rev);
  }

  async diff(compoundId: string, proposalId: string, a: number, b: number): Promise<DiffLine[]> {
    const [from, to] = await Promise.all([this.revision(compoundId, proposalId, a), this.revision(compoundId, proposalId, b)]);
    // The funding plan is part of what is voted on, so its lines are part of what changed.
    const whole = (r: RevisionView) => [r.text, ...renderFundingText(r.funding)].filter(Boolean).join('\n');
    return diffLines(whole(from), whole(to));
  }
}
