import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CommentView, createCommentSchema } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import type { CompoundAccess } from '../memberships/compound-access';
import { DocStore } from '../documents/doc-store.service';
import { proposalRow } from './proposal-views';

/** The comment threads on a proposal: anchored in its text or on a funding line, replies, resolving. */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly docs: DocStore,
    private readonly events: DomainEvents,
  ) {}

  async comments(compoundId: string, proposalId: string): Promise<CommentView[]> {
    await proposalRow(this.db.manager, compoundId, proposalId);
    const rows = await this.db.query(`SELECT * FROM comment WHERE proposal_id = $1 ORDER BY created_at LIMIT 5000`, [proposalId]);
    const resolved = new Set(
      rows
        .filter((r: { id: string; thread_id: string; resolved_at: Date | null }) => r.id === r.thread_id && r.resolved_at)
        .map((r: { id: string }) => r.id),
    );
    return rows.map((r: CommentRow) => commentView(r, resolved.has(r.thread_id)));
  }

  async comment(
    compoundId: string,
    proposalId: string,
    author: { id: string; name: string },
    req: z.output<typeof createCommentSchema>,
  ): Promise<CommentView> {
    await proposalRow(this.db.manager, compoundId, proposalId);
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

  async reply(
    compoundId: string,
    proposalId: string,
    threadId: string,
    author: { id: string; name: string },
    body: string,
  ): Promise<CommentView> {
    await proposalRow(this.db.manager, compoundId, proposalId);
    const [thread] = await this.db.query(`SELECT id, resolved_at FROM comment WHERE id = $1 AND proposal_id = $2 AND thread_id = id`, [
      threadId,
      proposalId,
    ]);
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
    await proposalRow(this.db.manager, access.compoundId, proposalId);
    const [thread] = await this.db.query(`SELECT author_id FROM comment WHERE id = $1 AND proposal_id = $2 AND thread_id = id`, [
      threadId,
      proposalId,
    ]);
    if (!thread) throw new AppError('NOT_FOUND');
    if (thread.author_id !== userId && !access.roles.includes('chair')) throw new AppError('FORBIDDEN');
    await this.db.query(`UPDATE comment SET resolved_at = $2, resolved_by = $3 WHERE id = $1`, [
      threadId,
      resolved ? new Date() : null,
      resolved ? userId : null,
    ]);
    this.events.emit('comments.changed', { proposalId });
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
    anchor:
      r.anchor_start && r.anchor_end
        ? { start: r.anchor_start.toString('base64'), end: r.anchor_end.toString('base64'), quote: r.quote ?? '' }
        : null,
    fundingLineId: r.funding_line_id,
    resolved,
    createdAt: r.created_at.toISOString(),
  };
}
