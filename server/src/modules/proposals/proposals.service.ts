import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  allows,
  balanceIssues,
  type CanonicalFunding,
  canonicalFunding,
  type CommentView,
  type createAmendmentSchema,
  type createCommentSchema,
  type createProposalSchema,
  type DiffLine,
  type EditGrantView,
  type editGrantSchema,
  type EditRightsView,
  proposalAllows,
  type ProposalView,
  type RevisionSummary,
  type RevisionView,
  type Role,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import { DocStore } from '../documents/doc-store.service';
import { contentHash, diffLines, renderFundingText } from './doc-render';
import { ProposalLifecycleService } from './proposal-lifecycle.service';

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
  amends: string | null;
  adopted_at: Date | null;
}

/** Proposals, their frozen revisions and the comments on them. The text itself is a DocStore document. */
@Injectable()
export class ProposalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly docs: DocStore,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly lifecycle: ProposalLifecycleService,
  ) {}

  async create(compoundId: string, ownerId: string, req: z.output<typeof createProposalSchema>): Promise<ProposalView> {
    if (req.agendaItemIds.length) {
      const [{ n }] = await this.db.query(
        `SELECT count(*)::int AS n FROM agenda_item a JOIN meeting m ON m.id = a.meeting_id WHERE a.id = ANY($1) AND m.compound_id = $2`,
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
    return this.view(row, [], []);
  }

  async list(compoundId: string): Promise<ProposalView[]> {
    const rows: ProposalRow[] = await this.db.query(`SELECT * FROM proposal WHERE compound_id = $1 ORDER BY created_at DESC LIMIT 500`, [
      compoundId,
    ]);
    return this.views(this.db.manager, rows);
  }

  async get(compoundId: string, proposalId: string): Promise<ProposalView> {
    const row = await this.row(this.db.manager, compoundId, proposalId);
    const [view] = await this.views(this.db.manager, [row]);
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
      const original = await this.row(m, access.compoundId, proposalId, true);
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
      return this.view(row, [], []);
    });
  }

  // ----- who may edit -----

  /**
   * Whether a user may edit a proposal's text now: its status must allow editing (adopted and
   * the other final states never do), and their role must, or the chair must have invited them
   * or their organisation to this proposal. Asked by the document gateway at doc:join.
   */
  async canEdit(proposalId: string, userId: string, roles: readonly Role[]): Promise<boolean> {
    return (await this.editCheck(this.db.manager, proposalId, userId, roles)).canEdit;
  }

  private async editCheck(
    m: EntityManager,
    proposalId: string,
    userId: string,
    roles: readonly Role[],
  ): Promise<{ canEdit: boolean; reason: EditRightsView['reason'] }> {
    const [p] = await m.query(
      `SELECT p.status, EXISTS (
         SELECT 1 FROM proposal_edit_grant g WHERE g.proposal_id = p.id AND g.revoked_at IS NULL
           AND (g.user_id = $2 OR g.organisation_id IN (SELECT organisation_id FROM organisation_member WHERE user_id = $2))
       ) AS invited
       FROM proposal p WHERE p.id = $1`,
      [proposalId, userId],
    );
    if (!p) return { canEdit: false, reason: 'status' };
    if (!proposalAllows(p.status, 'edit')) return { canEdit: false, reason: 'status' };
    if (allows(roles, 'proposal.edit') || p.invited) return { canEdit: true, reason: null };
    return { canEdit: false, reason: 'role' };
  }

  /** The live invitations to edit a proposal, and whether the caller may edit it. */
  async editRights(
    access: CompoundAccess,
    userId: string,
    proposalId: string,
    m: EntityManager = this.db.manager,
  ): Promise<EditRightsView> {
    const row = await this.row(m, access.compoundId, proposalId);
    const grants: Array<{
      id: string;
      organisation_id: string | null;
      user_id: string | null;
      name: string;
      granted_by: string;
      granted_by_name: string;
      granted_at: Date;
    }> = await m.query(
      `SELECT g.id, g.organisation_id, g.user_id, coalesce(o.name, u.display_name) AS name, g.granted_by, b.display_name AS granted_by_name, g.granted_at
       FROM proposal_edit_grant g LEFT JOIN organisation o ON o.id = g.organisation_id LEFT JOIN app_user u ON u.id = g.user_id JOIN app_user b ON b.id = g.granted_by
       WHERE g.proposal_id = $1 AND g.revoked_at IS NULL ORDER BY g.granted_at, g.id`,
      [proposalId],
    );
    const check = await this.editCheck(m, proposalId, userId, access.roles);
    return {
      proposalId,
      status: row.status,
      grants: grants.map((g): EditGrantView => ({
        id: g.id,
        proposalId,
        organisationId: g.organisation_id,
        userId: g.user_id,
        name: g.name,
        grantedBy: g.granted_by,
        grantedByName: g.granted_by_name,
        grantedAt: g.granted_at.toISOString(),
      })),
      ...check,
    };
  }

  /**
   * The chair invites an organisation serving the compound (all its members) or a member of the
   * compound to edit this proposal; audited in the proposal's chain.
   */
  async grantEdit(
    access: CompoundAccess,
    userId: string,
    proposalId: string,
    req: z.output<typeof editGrantSchema>,
  ): Promise<EditRightsView> {
    return this.db.transaction(async (m) => {
      const row = await this.row(m, access.compoundId, proposalId, true);
      this.lifecycle.assertAllows(row.status, 'grant_edit');
      if (req.organisationId) {
        const [o] = await m.query(
          `SELECT 1 FROM organisation o JOIN compound c ON c.community_id = o.community_id WHERE c.id = $1 AND o.id = $2`,
          [access.compoundId, req.organisationId],
        );
        if (!o)
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ path: 'organisationId', message: 'no such organisation serves this compound' }],
          });
      } else {
        const [u] = await m.query(`SELECT 1 FROM membership WHERE compound_id = $1 AND user_id = $2 LIMIT 1`, [
          access.compoundId,
          req.userId,
        ]);
        if (!u) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'userId', message: 'no such member of this compound' }] });
      }
      const [grant] = await m.query(
        `INSERT INTO proposal_edit_grant (proposal_id, organisation_id, user_id, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id`,
        [proposalId, req.organisationId ?? null, req.userId ?? null, userId],
      );
      if (!grant) throw new AppError('CONFLICT', { details: { reason: 'already invited' } });
      await this.audit.append(m, proposalId, [
        { kind: 'edit.granted', body: { grant: grant.id, organisation: req.organisationId ?? null, user: req.userId ?? null, by: userId } },
      ]);
      return this.editRights(access, userId, proposalId, m);
    });
  }

  /** The chair withdraws an invitation; sockets editing under it lose the right at once. */
  async revokeEdit(access: CompoundAccess, userId: string, proposalId: string, grantId: string): Promise<EditRightsView> {
    const view = await this.db.transaction(async (m) => {
      await this.row(m, access.compoundId, proposalId, true);
      // An UPDATE answers [rows, count].
      const [[grant]] = await m.query(
        `UPDATE proposal_edit_grant SET revoked_at = now(), revoked_by = $3 WHERE id = $1 AND proposal_id = $2 AND revoked_at IS NULL RETURNING organisation_id, user_id`,
        [grantId, proposalId, userId],
      );
      if (!grant) throw new AppError('NOT_FOUND');
      await this.audit.append(m, proposalId, [
        { kind: 'edit.revoked', body: { grant: grantId, organisation: grant.organisation_id, user: grant.user_id, by: userId } },
      ]);
      return this.editRights(access, userId, proposalId, m);
    });
    this.events.emit('proposal.edit_rights', { proposalId });
    return view;
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

  async reply(
    compoundId: string,
    proposalId: string,
    threadId: string,
    author: { id: string; name: string },
    body: string,
  ): Promise<CommentView> {
    await this.row(this.db.manager, compoundId, proposalId);
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
    await this.row(this.db.manager, access.compoundId, proposalId);
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

  private async row(m: EntityManager, compoundId: string, proposalId: string, lock = false): Promise<ProposalRow> {
    const [row] = await m.query(`SELECT * FROM proposal WHERE id = $1 AND compound_id = $2${lock ? ' FOR UPDATE' : ''}`, [
      proposalId,
      compoundId,
    ]);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  private async revisionSummaries(m: EntityManager, ids: string[]): Promise<Map<string, RevisionSummary[]>> {
    const out = new Map<string, RevisionSummary[]>();
    if (ids.length === 0) return out;
    const rows = await m.query(
      `SELECT id, proposal_id, number, hash, frozen_by, frozen_at FROM revision WHERE proposal_id = ANY($1) ORDER BY number`,
      [ids],
    );
    for (const r of rows) out.set(r.proposal_id, [...(out.get(r.proposal_id) ?? []), summary(r)]);
    return out;
  }

  private async views(m: EntityManager, rows: ProposalRow[]): Promise<ProposalView[]> {
    const ids = rows.map((r) => r.id);
    const revisions = await this.revisionSummaries(m, ids);
    const amendments: Array<{ id: string; amends: string }> = ids.length
      ? await m.query(`SELECT id, amends FROM proposal WHERE amends = ANY($1) ORDER BY created_at, id`, [ids])
      : [];
    return rows.map((r) =>
      this.view(
        r,
        revisions.get(r.id) ?? [],
        amendments.filter((a) => a.amends === r.id).map((a) => a.id),
      ),
    );
  }

  private view(r: ProposalRow, revisions: RevisionSummary[], amendedBy: string[]): ProposalView {
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
      amends: r.amends,
      amendedBy,
      adoptedAt: r.adopted_at?.toISOString() ?? null,
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
    anchor:
      r.anchor_start && r.anchor_end
        ? { start: r.anchor_start.toString('base64'), end: r.anchor_end.toString('base64'), quote: r.quote ?? '' }
        : null,
    fundingLineId: r.funding_line_id,
    resolved,
    createdAt: r.created_at.toISOString(),
  };
}

function summary(r: { id: string; number: number; hash: string; frozen_by: string; frozen_at: Date }): RevisionSummary {
  return { id: r.id, number: r.number, hash: r.hash, frozenBy: r.frozen_by, frozenAt: r.frozen_at.toISOString() };
}

function revisionView(r: {
  id: string;
  proposal_id: string;
  number: number;
  hash: string;
  frozen_by: string;
  frozen_at: Date;
  html: string;
  text: string;
  funding: string | null;
}): RevisionView {
  return {
    ...summary(r),
    proposalId: r.proposal_id,
    html: r.html,
    text: r.text,
    funding: r.funding === null ? null : (JSON.parse(r.funding) as CanonicalFunding),
  };
}
