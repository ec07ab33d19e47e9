import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CreatedProjectorLink, PROJECTOR_TOKEN_PATTERN, type ProjectorLinkView, type ProjectorProposal } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { MeetingsService } from '../meetings/meetings.service';

/** Domain-separated, so a projector token can never be mistaken for any other secret's hash. */
const tokenHash = (token: string) => createHash('sha256').update(`yishi:projector:v1:${token}`).digest('hex');

/** What a valid link lets its holder see: one meeting. */
export interface ProjectorGrant {
  linkId: string;
  meetingId: string;
  compoundId: string;
}

interface LinkRow {
  id: string;
  created_at: Date;
  created_by: string;
}

const linkView = (r: LinkRow) => ({ id: r.id, createdAt: r.created_at.toISOString(), createdBy: r.created_by });

/**
 * The chair's projector links: one live link per meeting, its token shown once and stored only
 * as a hash. Revoking (or replacing) a link announces it, so the screens using it are cut off on
 * every node.
 */
@Injectable()
export class ProjectorLinksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly meetings: MeetingsService,
    private readonly events: DomainEvents,
  ) {}

  async status(compoundId: string, meetingId: string): Promise<ProjectorLinkView> {
    await this.meetingIn(compoundId, meetingId);
    const [row]: LinkRow[] = await this.db.query(
      `SELECT id, created_at, created_by FROM projector_link WHERE meeting_id = $1 AND revoked_at IS NULL`,
      [meetingId],
    );
    return { link: row ? linkView(row) : null };
  }

  /** A new link; the meeting's previous live link, if any, stops working. */
  async create(compoundId: string, meetingId: string, userId: string): Promise<CreatedProjectorLink> {
    await this.meetingIn(compoundId, meetingId);
    const token = randomBytes(32).toString('base64url');
    const { row, revoked } = await this.db.transaction(async (m) => {
      const old = await this.revokeLive(m, meetingId, userId);
      const [created]: LinkRow[] = await m.query(
        `INSERT INTO projector_link (meeting_id, token_hash, created_by) VALUES ($1, $2, $3) RETURNING id, created_at, created_by`,
        [meetingId, tokenHash(token), userId],
      );
      return { row: created!, revoked: old };
    });
    for (const linkId of revoked) this.events.emit('projector.revoked', { linkId });
    return { link: linkView(row), token };
  }

  async revoke(compoundId: string, meetingId: string, userId: string): Promise<ProjectorLinkView> {
    await this.meetingIn(compoundId, meetingId);
    for (const linkId of await this.revokeLive(this.db.manager, meetingId, userId)) this.events.emit('projector.revoked', { linkId });
    return { link: null };
  }

  /** The meeting a token opens, if it is live and was made for exactly this meeting; null otherwise, whatever the reason. */
  async verify(token: unknown, meetingId: unknown): Promise<ProjectorGrant | null> {
    if (typeof token !== 'string' || !PROJECTOR_TOKEN_PATTERN.test(token)) return null;
    if (typeof meetingId !== 'string') return null;
    const [row]: Array<{ id: string; meeting_id: string }> = await this.db.query(
      `SELECT id, meeting_id FROM projector_link WHERE token_hash = $1 AND revoked_at IS NULL`,
      [tokenHash(token)],
    );
    if (!row || row.meeting_id !== meetingId) return null;
    const compoundId = await this.meetings.compoundOf(meetingId);
    return compoundId ? { linkId: row.id, meetingId, compoundId } : null;
  }

  /** Whether a link is still live: checked again on every command of a projector's socket. */
  async isLive(linkId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM projector_link WHERE id = $1 AND revoked_at IS NULL`, [linkId]);
    return rows.length > 0;
  }

  /** The proposals taken up by the meeting's agenda items: the only documents its screen may read. */
  async proposals(meetingId: string): Promise<ProjectorProposal[]> {
    const rows: Array<{ id: string; title: string; agenda_item_ids: string[] }> = await this.db.query(
      `SELECT p.id, p.title, p.agenda_item_ids FROM proposal p
        WHERE p.agenda_item_ids && ARRAY(SELECT a.id FROM agenda_item a WHERE a.meeting_id = $1)
        ORDER BY p.created_at, p.id`,
      [meetingId],
    );
    return rows.map((r) => ({ id: r.id, title: r.title, agendaItemIds: r.agenda_item_ids }));
  }

  /** Revokes the meeting's live link, if any; the ids revoked. (A CTE, so the driver returns rows, not [rows, count].) */
  private async revokeLive(m: EntityManager, meetingId: string, userId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `WITH revoked AS (
         UPDATE projector_link SET revoked_at = now(), revoked_by = $2 WHERE meeting_id = $1 AND revoked_at IS NULL RETURNING id
       ) SELECT id FROM revoked`,
      [meetingId, userId],
    );
    return rows.map((r) => r.id);
  }

  private async meetingIn(compoundId: string, meetingId: string): Promise<void> {
    if ((await this.meetings.compoundOf(meetingId)) !== compoundId) throw new AppError('NOT_FOUND');
  }
}
