import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { balanceIssues, type CanonicalFunding, canonicalFunding, type CommentView, type createCommentSchema, type createProposalSchema, type DiffLine, type ProposalView, type RevisionSummary, type RevisionView } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import type { CompoundAccess } from '../auth/access.decorators';
import { AuditService } from '../audit/audit.service';
import { DocStore } from '../docs/doc-store.service';
import { contentHash, diffLines, renderFundingText } from './doc-render';

interface ProposalRow {
  id: string;
  compound_id: string;
  title: string;
  kind: ProposalView['kind'];
  status: ProposalView['status'];
  agenda_item_ids: string[];
  owner_id: string;
  created_at: Date;
  required_sign_offs: string[];
}

/** Proposals, their frozen revisions and the comments on them. The text itself is a DocStore document. */
@Injectable()
export class ProposalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly docs: DocStore,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  async create(compoundId: string, ownerId: string, req: z.output<typeof createProposalSchema>): Promise<ProposalView> {
    if (req.agendaItemIds.length) {
      const [{ n }] = await this.db.query(
        `SELECT count(*)::int AS n FROM agenda_item a JOIN meeting m ON m.id = a.meeting_id WHERE a.id = ANY($1) AND m.compound_id = $2`,
        [req.agendaItemIds, compoundId],
      );
      if (n !== new Set(req.agendaItemIds).size) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'agendaItemIds', message: 'not all of these agenda items are in this compound' }] });
    }
    const [row] = await this.db.query(
      `INSERT INTO proposal (compound_id, title, kind, agenda_item_ids, owner_id) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [compoundId, req.title, req.kind, req.agendaItemIds, ownerId],
    );
    return this.view(row, []);
  }

  async list(compoundId: string): Promise<ProposalView[]> {
    const rows: ProposalRow[] = await this.db.query(`SELECT * FROM proposal WHERE compound_id = $1 ORDER BY created_at DESC LIMIT 500`, [compoundId]);
    const revisions = await this.revisionSummaries(this.db.manager, rows.map((r) => r.id));
    return rows.map((r) => this.view(r, revisions.get(r.id) ?? []));
  }

  async get(compoundId: string, proposalId: string): Promise<ProposalView> {
    const row = await this.row(this.db.manager, compoundId, proposalId);
    return this.view(row, (await this.revisionSummaries(this.db.manager, [row.id])).get(row.id) ?? []);
  }

  /** The compound a proposal (and its document) belongs to, for socket authorization. */
  async compoundOf(proposalId: string): Promise<{ compoundId: string; ownerId: string } | null> {
    const [row] = await this.db.query(`SELECT compound_id, owner_id FROM proposal WHERE id = $1`, [proposalId]);
    return row ? { compoundId: row.compound_id, ownerId: row.owner_id } : null;
  }

  /**
   * Freezes the text and the funding plan as committed right now into an immutable, numbered
   * revision with its content hash. The chair or the proposal's author may do it. A plan whose
   * lines do not balance is refused, naming them: what is voted on must add up.
   */
  async freeze(access: CompoundAccess, userId: string, proposalId: string): Promise<RevisionView> {
    return this.db.transaction(async (m) => {
      const row = await this.row(m, access.compoundId, proposalId, true);
      if (row.owner_id !== userId && !access.roles.includes('chair')) throw new AppError('FORBIDDEN');
      // Read in this transaction and rendered in a worker: the stored updates came from clients.
      const rendered = await this.docs.renderCommitted(proposalId, m);
      // Every stored update was checked, so this holds; checked again because what is frozen is binding.
      const malformed = rendered.fundingIssues;
      if (malformed.length) throw new AppError('VALIDATION_FAILED', { fields: malformed.map((i) => ({ path: i.path, message: i.message })) });
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
      const [{ next }] = await m.query(`SELECT coalesce(max(number), 0) + 1 AS next FROM revision WHERE proposal_id = $1`, [proposalId]);
      const [rev] = await m.query(
        `INSERT INTO revision (proposal_id, number, doc_state, html, text, funding, hash, frozen_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [proposalId, next, Buffer.from(state), html, text, funding ? JSON.stringify(funding) : null, contentHash({ html, funding }), userId],
      );
      await this.audit.append(m, proposalId, [{ kind: 'revision.frozen', body: { revision: rev.id, number: rev.number, hash: rev.hash, frozenBy: userId } }]);
      return revisionView(rev);
    });
  }

  async revision(compoundId: string, proposalId: string, number: number): Promise<RevisionView> {
    await this.row(this.db.manager, compoundId, proposalId);
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

  // ----- comments -----

  async comments(compoundId: string, proposalId: string): Promise<CommentView[]> {
    await this.row(this.db.manager, compoundId, proposalId);
    const rows = await this.db.query(`SELECT * FROM comment WHERE proposal_id = $1 ORDER BY created_at LIMIT 5000`, [proposalId]);
    const resolved = new Set(rows.filter((r: { id: string; thread_id: string; resolved_at: Date | null }) => r.id === r.thread_id && r.resolved_at).map((r: { id: string }) => r.id));
    return rows.map((r: CommentRow) => commentView(r, resolved.has(r.thread_id)));
  }

  async comment(compoundId: string, proposalId: string, author: { id: string; name: string }, req: z.output<typeof createCommentSchema>): Promise<CommentView> {
    await this.row(this.db.manager, compoundId, proposalId);
    if (req.fundingLineId && !(await this.docs.hasFundingLine(proposalId, req.fundingLineId))) {
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'fundingLineId', message: 'the funding plan has no such line' }] });
    }
    const [row] = await this.db.query(
      `INSERT INTO comment (id, proposal_id, thread_id, author_id, author_name, body, anchor_start, anchor_end, quote, funding_line_id)
       SELECT id, $1, id, $2, $3, $4, $5, $6, $7, $8 FROM (SELECT gen_random_uuid() AS id) g RETURNING *`,
      [
        proposalId,
        author.id,
        author.name,
        req.body,
        req.anchor ? Buffer.from(req.anchor.start, 'base64') : null,
        req.anchor ? Buffer.from(req.anchor.end, 'base64') : null,
        req.anchor?.quote ?? null,
        req.fundingLineId ?? null,
      ],
    );
    this.events.emit('comments.changed', { proposalId });
    return commentView(row, false);
  }

  async reply(compoundId: string, proposalId: string, threadId: string, author: { id: string; name: string }, body: string): Promise<CommentView> {
    await this.row(this.db.manager, compoundId, proposalId);
    const [thread] = await this.db.query(`SELECT id, resolved_at FROM comment WHERE id = $1 AND proposal_id = $2 AND thread_id = id`, [threadId, proposalId]);
    if (!thread) throw new AppError('NOT_FOUND');
    const [row] = await this.db.query(
      `INSERT INTO comment (proposal_id, thread_id, parent_id, author_id, author_name, body) VALUES ($1, $2, $2, $3, $4, $5) RETURNING *`,
      [proposalId, threadId, author.id, author.name, body],
    );
    this.events.emit('comments.changed', { proposalId });
    return commentView(row, thread.resolved_at !== null);
  }

  /** Resolve or reopen a thread: its author or the chair. */
  async resolve(access: CompoundAccess, userId: string, proposalId: string, threadId: string, resolved: boolean): Promise<void> {
    await this.row(this.db.manager, access.compoundId, proposalId);
    const [thread] = await this.db.query(`SELECT author_id FROM comment WHERE id = $1 AND proposal_id = $2 AND thread_id = id`, [threadId, proposalId]);
    if (!thread) throw new AppError('NOT_FOUND');
    if (thread.author_id !== userId && !access.roles.includes('chair')) throw new AppError('FORBIDDEN');
    await this.db.query(`UPDATE comment SET resolved_at = $2, resolved_by = $3 WHERE id = $1`, [threadId, resolved ? new Date() : null, resolved ? userId : null]);
    this.events.emit('comments.changed', { proposalId });
  }

  private async row(m: EntityManager, compoundId: string, proposalId: string, lock = false): Promise<ProposalRow> {
    const [row] = await m.query(`SELECT * FROM proposal WHERE id = $1 AND compound_id = $2${lock ? ' FOR UPDATE' : ''}`, [proposalId, compoundId]);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  private async revisionSummaries(m: EntityManager, ids: string[]): Promise<Map<string, RevisionSummary[]>> {
    const out = new Map<string, RevisionSummary[]>();
    if (ids.length === 0) return out;
    const rows = await m.query(`SELECT id, proposal_id, number, hash, frozen_by, frozen_at FROM revision WHERE proposal_id = ANY($1) ORDER BY number`, [ids]);
    for (const r of rows) out.set(r.proposal_id, [...(out.get(r.proposal_id) ?? []), summary(r)]);
    return out;
  }

  private view(r: ProposalRow, revisions: RevisionSummary[]): ProposalView {
    return {
      id: r.id,
      compoundId: r.compound_id,
      title: r.title,
      kind: r.kind,
      status: r.status,
      agendaItemIds: r.agenda_item_ids,
      ownerId: r.owner_id,
      createdAt: r.created_at.toISOString(),
      revisions,
      requiredSignOffs: r.required_sign_offs,
    };
  }
}

interface CommentRow {
  id: string;
  thread_id: string;
  parent_id: string | null;
  author_id: string;
  author_name: string;
  body: string;
  anchor_start: Buffer | null;
  anchor_end: Buffer | null;
  quote: string | null;
  funding_line_id: string | null;
  created_at: Date;
}

function commentView(r: CommentRow, resolved: boolean): CommentView {
  return {
    id: r.id,
    threadId: r.thread_id,
    parentId: r.parent_id,
    authorId: r.author_id,
    authorName: r.author_name,
    body: r.body,
    anchor: r.anchor_start && r.anchor_end ? { start: r.anchor_start.toString('base64'), end: r.anchor_end.toString('base64'), quote: r.quote ?? '' } : null,
    fundingLineId: r.funding_line_id,
    resolved,
    createdAt: r.created_at.toISOString(),
  };
}

function summary(r: { id: string; number: number; hash: string; frozen_by: string; frozen_at: Date }): RevisionSummary {
  return { id: r.id, number: r.number, hash: r.hash, frozenBy: r.frozen_by, frozenAt: r.frozen_at.toISOString() };
}

function revisionView(r: { id: string; proposal_id: string; number: number; hash: string; frozen_by: string; frozen_at: Date; html: string; text: string; funding: string | null }): RevisionView {
  return { ...summary(r), proposalId: r.proposal_id, html: r.html, text: r.text, funding: r.funding === null ? null : (JSON.parse(r.funding) as CanonicalFunding) };
}
