import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NoticeSummary, NoticeView, publishNoticeSchema } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { AuditService } from '../audit/audit.service';
import type { CompoundAccess } from '../memberships/compound-access';
import { projectSubject, proposalSubject } from './notice-record';
import { findNotice, listNotices, type NoticeReader } from './notice-views';

interface LockedNotice {
  id: string;
  chain_id: string;
  withdrawn_at: Date | null;
  ended: boolean;
}

/**
 * 公示: publishing a decision with its objection period, objections and the chair's answers,
 * withdrawal. Each step is one transaction that writes its row and its audit entry together
 * (objections are chained like ballots: the entry's hash is the objector's receipt); members
 * hear of it after the commit. A published notice is never updated except to withdraw it.
 */
@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {}

  list(access: CompoundAccess): Promise<NoticeSummary[]> {
    return listNotices(this.db.manager, access.compoundId);
  }

  async get(access: CompoundAccess, userId: string, noticeId: string): Promise<NoticeView> {
    const view = await findNotice(this.db.manager, member(access, userId), { compoundId: access.compoundId, noticeId });
    if (!view) throw new AppError('NOT_FOUND');
    return view;
  }

  /** The notice as it goes on the bulletin board: any member's notice, read as the public page reads it (no names). */
  async getPosted(access: CompoundAccess, noticeId: string): Promise<NoticeView> {
    const view = await findNotice(this.db.manager, { kind: 'public' }, { compoundId: access.compoundId, noticeId });
    if (!view) throw new AppError('NOT_FOUND');
    return view;
  }

  /** The public page: only a notice the chair made public, with no one's name. */
  async getPublic(token: string): Promise<NoticeView> {
    const view = await findNotice(this.db.manager, { kind: 'public' }, { publicToken: token });
    if (!view) throw new AppError('NOT_FOUND');
    return view;
  }

  async publish(access: CompoundAccess, userId: string, req: z.output<typeof publishNoticeSchema>): Promise<NoticeView> {
    const id = randomUUID();
    await this.db.transaction(async (m) => {
      const subject = req.proposalId
        ? await proposalSubject(m, access.compoundId, req.proposalId)
        : await projectSubject(m, access.compoundId, req.projectId!);
      const chainId = subject.chainId ?? id;
      const token = req.isPublic ? randomBytes(16).toString('base64url') : null;
      const rows = await m.query(
        `INSERT INTO notice (id, compound_id, proposal_id, project_id, title, note, record, chain_id, is_public, public_token, published_by, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(days => $12))
         ON CONFLICT DO NOTHING RETURNING published_at, ends_at`,
        [
          id,
          access.compoundId,
          subject.proposalId,
          subject.projectId,
          subject.title,
          req.note,
          JSON.stringify(subject.record),
          chainId,
          req.isPublic,
          token,
          userId,
          req.objectionDays,
        ],
      );
      if (rows.length === 0) throw new AppError('NOTICE_EXISTS');
      await this.audit.append(m, chainId, [
        {
          kind: 'notice.published',
          body: {
            notice: id,
            proposal: subject.proposalId,
            project: subject.projectId,
            by: userId,
            revisionHash: subject.record.revisionHash,
            endsAt: (rows[0].ends_at as Date).toISOString(),
            public: req.isPublic,
            days: req.objectionDays,
          },
        },
      ]);
    });
    return this.changed(access, userId, id);
  }

  /** An objection inside the period (the database's clock decides); after it, NOTICE_CLOSED. */
  async object(access: CompoundAccess, userId: string, noticeId: string, body: string): Promise<NoticeView> {
    await this.db.transaction(async (m) => {
      // A share lock: objections go in side by side, a withdrawal waits for them.
      const n = await this.lock(m, access.compoundId, noticeId, 'SHARE');
      if (n.withdrawn_at) throw new AppError('NOTICE_WITHDRAWN');
      if (n.ended) throw new AppError('NOTICE_CLOSED');
      const objectionId = randomUUID();
      const [entry] = await this.audit.append(m, n.chain_id, [
        { kind: 'notice.objection', body: { notice: n.id, objection: objectionId, by: userId, text: body } },
      ]);
      await m.query(`INSERT INTO notice_objection (id, notice_id, body, raised_by, audit_hash) VALUES ($1, $2, $3, $4, $5)`, [
        objectionId,
        n.id,
        body,
        userId,
        entry.hash,
      ]);
    });
    return this.changed(access, userId, noticeId);
  }

  /** The chair's answer, once per objection, also after the period (every objection gets one). */
  async answer(access: CompoundAccess, userId: string, noticeId: string, objectionId: string, answer: string): Promise<NoticeView> {
    await this.db.transaction(async (m) => {
      const n = await this.lock(m, access.compoundId, noticeId, 'SHARE');
      if (n.withdrawn_at) throw new AppError('NOTICE_WITHDRAWN');
      const [o] = await m.query(`SELECT id, answer FROM notice_objection WHERE id = $1 AND notice_id = $2 FOR UPDATE`, [objectionId, n.id]);
      if (!o) throw new AppError('NOT_FOUND');
      if (o.answer !== null) throw new AppError('ALREADY_ANSWERED');
      const [entry] = await this.audit.append(m, n.chain_id, [
        { kind: 'notice.answered', body: { notice: n.id, objection: o.id, by: userId, text: answer } },
      ]);
      await m.query(`UPDATE notice_objection SET answer = $2, answered_by = $3, answered_at = now(), answer_hash = $4 WHERE id = $1`, [
        o.id,
        answer,
        userId,
        entry.hash,
      ]);
    });
    return this.changed(access, userId, noticeId);
  }

  async withdraw(access: CompoundAccess, userId: string, noticeId: string, reason: string): Promise<NoticeView> {
    await this.db.transaction(async (m) => {
      const n = await this.lock(m, access.compoundId, noticeId, 'UPDATE');
      if (n.withdrawn_at) throw new AppError('NOTICE_WITHDRAWN');
      await this.audit.append(m, n.chain_id, [{ kind: 'notice.withdrawn', body: { notice: n.id, by: userId, reason } }]);
      await m.query(`UPDATE notice SET withdrawn_at = now(), withdrawn_by = $2, withdraw_reason = $3 WHERE id = $1`, [
        n.id,
        userId,
        reason,
      ]);
    });
    return this.changed(access, userId, noticeId);
  }

  private async lock(m: EntityManager, compoundId: string, noticeId: string, mode: 'SHARE' | 'UPDATE'): Promise<LockedNotice> {
    const [n] = await m.query(
      `SELECT id, chain_id, withdrawn_at, ends_at <= now() AS ended FROM notice WHERE id = $1 AND compound_id = $2 FOR ${mode}`,
      [noticeId, compoundId],
    );
    if (!n) throw new AppError('NOT_FOUND');
    return n;
  }

  /** After the commit: every member of the compound is told (those with the notice open reload it). */
  private async changed(access: CompoundAccess, userId: string, noticeId: string): Promise<NoticeView> {
    const rows: Array<{ user_id: string }> = await this.db.query(`SELECT DISTINCT user_id FROM membership WHERE compound_id = $1`, [
      access.compoundId,
    ]);
    this.events.emit('notice.changed', { noticeId, compoundId: access.compoundId, userIds: rows.map((r) => r.user_id) });
    return this.get(access, userId, noticeId);
  }
}

const member = (access: CompoundAccess, userId: string): NoticeReader => ({ kind: 'member', userId, roles: access.roles });
