import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Action, MeetingScope, ScopeCompoundView } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';
import { AccessService } from '../auth/access.service';
import { MeetingsService } from './meetings.service';

/** How a user reaches a meeting: through its host compound, or as a guest through a compound one of its items is about. */
export interface MeetingAccessGrant extends CompoundAccess {
  hostId: string;
  guest: boolean;
}

/**
 * Who may act in a meeting wider than one compound. Members of the host compound act with their
 * roles there. Members of a compound that an agenda item is about are guests: they may take part
 * (`guestMay`), never run the meeting, even as their own compound's chair. Anyone else is told the
 * meeting does not exist.
 */
@Injectable()
export class MeetingAccess {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly meetings: MeetingsService,
  ) {}

  async authorize(userId: string, meetingId: string, action: Action, guestMay: boolean): Promise<MeetingAccessGrant> {
    const hostId = await this.meetings.compoundOf(meetingId);
    if (!hostId) throw new AppError('NOT_FOUND');
    const host = await this.access.authorize(userId, hostId, action).catch((e: unknown) => e as AppError);
    if (!(host instanceof Error)) return { ...host, hostId, guest: false };
    if (host.code !== 'NOT_FOUND') throw host;
    let refusal: AppError = host;
    for (const compoundId of await this.guestCompounds(meetingId, hostId)) {
      const guest = await this.access.authorize(userId, compoundId, action).catch((e: unknown) => e as AppError);
      if (!(guest instanceof Error)) {
        if (!guestMay) throw new AppError('FORBIDDEN');
        return { ...guest, hostId, guest: true };
      }
      if (guest.code !== 'NOT_FOUND') refusal = guest;
    }
    throw refusal;
  }

  /** The compounds other than the host that an item of the meeting is about. */
  async guestCompounds(meetingId: string, hostId: string): Promise<string[]> {
    const rows: Array<{ compound_id: string }> = await this.db.query(
      `SELECT DISTINCT compound_id FROM agenda_item WHERE meeting_id = $1 AND compound_id IS NOT NULL AND compound_id <> $2`,
      [meetingId, hostId],
    );
    return rows.map((r) => r.compound_id);
  }

  /** The compounds a meeting hosted by `hostId` with this scope may take up items about, the host first. */
  async compoundsInScope(hostId: string, scope: MeetingScope): Promise<ScopeCompoundView[]> {
    const within = { compound: 'c.id = h.id', community: 'c.community_id = h.community_id', street: 'cm.street = hm.street' }[scope];
    return this.db.query(
      `SELECT c.id, c.name, cm.name AS "communityName"
       FROM compound h JOIN community hm ON hm.id = h.community_id, compound c JOIN community cm ON cm.id = c.community_id
       WHERE h.id = $1 AND ${within}
       ORDER BY c.id <> h.id, cm.name, c.name
       LIMIT 500`,
      [hostId],
    );
  }
}
