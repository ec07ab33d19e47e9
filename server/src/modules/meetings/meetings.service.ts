import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MeetingEvent, MeetingState, MeetingView, scheduleMeetingSchema, UpdateMeetingRequest } from '@yishi/shared';
import { MEETING_KIND_TABLE, type MeetingScope, ruleItemMismatch, scopeCovers } from '@yishi/shared';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { Building } from '../compounds/compound.entities';
import { AgendaItem, Meeting, Speaker } from './meeting.entities';
import { type Actor, MeetingChanges, mustBeLive } from './meeting-changes.service';
import { attendanceSlice, chatSlice, meetingView, speakersSlice } from './meeting-views';

/** At most this many missed events are replayed; a client further behind gets the whole state. */
const MAX_REPLAY = 500;

/**
 * Meetings and their life cycle: scheduling, opening, the agenda, adjourning, and the state and
 * missed events a joining client reads. Every change goes through MeetingChanges; attendance,
 * the floor and the chat have their own services.
 */
@Injectable()
export class MeetingsService {
  private readonly compoundOfMeeting = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly changes: MeetingChanges,
  ) {}

  // ----- scheduling (HTTP) -----

  async schedule(compoundId: string, actorId: string, req: z.output<typeof scheduleMeetingSchema>): Promise<MeetingView> {
    const mismatch =
      req.rule === null
        ? req.art278Item === null
          ? null
          : { en: 'an Article 278 item needs the Article 278 rule it is decided by' }
        : ruleItemMismatch(req.rule, req.art278Item);
    if (mismatch)
      throw new AppError('RULE_MISMATCH', { fields: [{ path: req.rule === null ? 'art278Item' : 'rule', message: mismatch.en }] });
    return this.db.transaction(async (m) => {
      await this.checkBuildings(m, compoundId, req.buildingIds);
      await this.checkAgendaCompounds(m, compoundId, req.scope, req.agenda);
      const meeting = await m.save(
        m.create(Meeting, {
          compoundId,
          title: req.title,
          kind: req.kind,
          audience: req.audience ?? MEETING_KIND_TABLE[req.kind].audience,
          scope: req.scope,
          scheduledAt: new Date(req.scheduledAt),
          place: req.place,
          online: req.online,
          status: 'scheduled',
          buildingIds: req.buildingIds,
          rule: req.rule,
          art278Item: req.art278Item,
          currentAgendaItemId: null,
          seq: '0',
          createdBy: actorId,
        }),
      );
      await this.writeAgenda(m, meeting.id, req.agenda);
      return meetingView(m, meeting);
    });
  }

  /** The compound's own meetings, and community or street meetings that take up an item about it. */
  async list(compoundId: string): Promise<MeetingView[]> {
    const rows = await this.db
      .getRepository(Meeting)
      .createQueryBuilder('m')
      .where('m.compound_id = :compoundId', { compoundId })
      .orWhere('m.id IN (SELECT meeting_id FROM agenda_item WHERE compound_id = :compoundId)')
      .orderBy('m.scheduled_at', 'DESC')
      .take(200)
      .getMany();
    return Promise.all(rows.map((r) => meetingView(this.db.manager, r, compoundId)));
  }

  /** A guest compound's members see a wider meeting with only the items about their compound. */
  async view(compoundId: string, meetingId: string): Promise<MeetingView> {
    const meeting = await this.db
      .getRepository(Meeting)
      .createQueryBuilder('m')
      .where('m.id = :meetingId', { meetingId })
      .andWhere('(m.compound_id = :compoundId OR m.id IN (SELECT meeting_id FROM agenda_item WHERE compound_id = :compoundId))', {
        compoundId,
      })
      .getOne();
    if (!meeting) throw new AppError('NOT_FOUND');
    return meetingView(this.db.manager, meeting, compoundId);
  }

  /** Reschedule or edit a meeting that has not opened. */
  async update(compoundId: string, meetingId: string, actorId: string, req: UpdateMeetingRequest): Promise<MeetingView> {
    await this.assertInCompound(meetingId, compoundId);
    const r = await this.changes.change(meetingId, actorId, async (m, meeting) => {
      if (meeting.status !== 'scheduled') throw new AppError('MEETING_NOT_SCHEDULED');
      if (req.buildingIds) await this.checkBuildings(m, compoundId, req.buildingIds);
      if (req.agenda) await this.checkAgendaCompounds(m, compoundId, meeting.scope, req.agenda);
      const { agenda, scheduledAt, ...rest } = req;
      // A new kind brings its own default audience unless the chair names one with it.
      if (rest.kind && rest.kind !== meeting.kind && !rest.audience) rest.audience = MEETING_KIND_TABLE[rest.kind].audience;
      Object.assign(meeting, rest, scheduledAt ? { scheduledAt: new Date(scheduledAt) } : {});
      await m.save(meeting);
      if (agenda) {
        await m.delete(AgendaItem, { meetingId });
        await this.writeAgenda(
          m,
          meetingId,
          agenda.map((a) => ({ title: a.title, notes: a.notes ?? '', compoundId: a.compoundId ?? null })),
        );
      }
      return { events: [{ kind: 'meeting', meeting: await meetingView(m, meeting) }], result: {} };
    });
    return this.view(compoundId, r.meetingId);
  }

  async cancel(compoundId: string, meetingId: string, actorId: string): Promise<MeetingView> {
    await this.assertInCompound(meetingId, compoundId);
    await this.changes.change(meetingId, actorId, async (m, meeting) => {
      if (meeting.status !== 'scheduled') throw new AppError('MEETING_NOT_SCHEDULED');
      meeting.status = 'cancelled';
      meeting.cancelledAt = new Date();
      await m.save(meeting);
      return { events: [{ kind: 'meeting', meeting: await meetingView(m, meeting) }], result: {} };
    });
    return this.view(compoundId, meetingId);
  }

  // ----- state for joining clients -----

  /** The compound a meeting belongs to (meetings never move, so this is cached). */
  async compoundOf(meetingId: string): Promise<string | null> {
    const cached = this.compoundOfMeeting.get(meetingId);
    if (cached) return cached;
    const meeting = await this.db.getRepository(Meeting).findOne({ where: { id: meetingId }, select: { id: true, compoundId: true } });
    if (meeting) this.compoundOfMeeting.set(meetingId, meeting.compoundId);
    return meeting?.compoundId ?? null;
  }

  /** The whole state, read in one repeatable-read snapshot so its parts agree with its seq. A guest sees only their compound's items. */
  async state(meetingId: string, viewer: Actor): Promise<Omit<MeetingState, 'presence'>> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const meeting = await m.findOneByOrFail(Meeting, { id: meetingId });
      const host = (viewer.compoundId ?? meeting.compoundId) === meeting.compoundId;
      return {
        seq: Number(meeting.seq),
        serverTime: new Date().toISOString(),
        meeting: await meetingView(m, meeting, viewer.compoundId),
        ...(await attendanceSlice(m, meeting)),
        speakers: await speakersSlice(m, meetingId),
        chat: await chatSlice(m, meetingId, host && viewer.roles.includes('chair')),
      };
    });
  }

  /** Events after `sinceSeq`, or null when the client is too far behind (or ahead) to catch up by replay. */
  async eventsSince(meetingId: string, sinceSeq: number): Promise<MeetingEvent[] | null> {
    const meeting = await this.db.getRepository(Meeting).findOneByOrFail({ id: meetingId });
    const latest = Number(meeting.seq);
    if (sinceSeq > latest || latest - sinceSeq > MAX_REPLAY) return null;
    const rows: Array<{ seq: string; payload: object; created_at: Date }> = await this.db.query(
      `SELECT seq, payload, created_at FROM meeting_event WHERE meeting_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [meetingId, sinceSeq, MAX_REPLAY],
    );
    return rows.map((r) => ({ ...r.payload, meetingId, seq: Number(r.seq), at: r.created_at.toISOString() }) as MeetingEvent);
  }

  // ----- running a live meeting (socket commands) -----

  async open(actor: Actor, meetingId: string) {
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      if (meeting.status !== 'scheduled') throw new AppError('MEETING_NOT_SCHEDULED');
      meeting.status = 'live';
      meeting.openedAt = new Date();
      const first = await m.findOne(AgendaItem, { where: { meetingId }, order: { position: 'ASC' } });
      if (first && !meeting.currentAgendaItemId) {
        meeting.currentAgendaItemId = first.id;
        await m.update(AgendaItem, { id: first.id }, { status: 'current' });
      }
      await m.save(meeting);
      return { events: [{ kind: 'meeting', meeting: await meetingView(m, meeting) }], result: {} };
    });
  }

  async adjourn(actor: Actor, meetingId: string) {
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      if (meeting.status !== 'live') throw new AppError('MEETING_NOT_LIVE');
      const now = new Date();
      meeting.status = 'adjourned';
      meeting.adjournedAt = now;
      await m.update(AgendaItem, { meetingId, status: 'current' }, { status: 'done' });
      await m.save(meeting);
      await m.update(Speaker, { meetingId, status: 'speaking' }, { status: 'done', endedAt: now, endReason: 'adjourned' });
      await m.update(Speaker, { meetingId, status: 'waiting' }, { status: 'withdrawn', endedAt: now, endReason: 'adjourned' });
      return {
        events: [
          { kind: 'meeting', meeting: await meetingView(m, meeting) },
          { kind: 'speakers', speakers: await speakersSlice(m, meetingId) },
        ],
        result: {},
      };
    });
  }

  async setCurrentAgendaItem(actor: Actor, meetingId: string, agendaItemId: string) {
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      mustBeLive(meeting);
      const item = await m.findOneBy(AgendaItem, { id: agendaItemId, meetingId });
      if (!item) throw new AppError('NOT_FOUND');
      if (meeting.currentAgendaItemId === item.id) return { events: [], result: {} };
      await m.update(AgendaItem, { meetingId, status: 'current' }, { status: 'done' });
      await m.update(AgendaItem, { id: item.id }, { status: 'current' });
      meeting.currentAgendaItemId = item.id;
      await m.save(meeting);
      return { events: [{ kind: 'meeting', meeting: await meetingView(m, meeting) }], result: {} };
    });
  }

  private async assertInCompound(meetingId: string, compoundId: string): Promise<void> {
    if ((await this.compoundOf(meetingId)) !== compoundId) throw new AppError('NOT_FOUND');
  }

  private async checkBuildings(m: EntityManager, compoundId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const found = await m.count(Building, { where: { id: In(ids), compoundId } });
    if (found !== new Set(ids).size)
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ path: 'buildingIds', message: 'not all of these buildings are in this compound' }],
      });
  }

  /** Items about other compounds: only in a community or street meeting, and only of compounds within its scope. */
  private async checkAgendaCompounds(
    m: EntityManager,
    hostId: string,
    scope: MeetingScope,
    agenda: Array<{ compoundId?: string | null }>,
  ): Promise<void> {
    const guests = new Set(agenda.map((a) => a.compoundId).filter((id): id is string => !!id && id !== hostId));
    if (guests.size === 0) return;
    const rows: Array<{ compoundId: string; communityId: string; street: string }> = await m.query(
      `SELECT c.id AS "compoundId", c.community_id AS "communityId", cm.street FROM compound c JOIN community cm ON cm.id = c.community_id WHERE c.id = ANY($1)`,
      [[hostId, ...guests]],
    );
    const host = rows.find((r) => r.compoundId === hostId)!;
    agenda.forEach((a, i) => {
      if (!a.compoundId || a.compoundId === hostId) return;
      const other = rows.find((r) => r.compoundId === a.compoundId);
      if (!other || !scopeCovers(scope, host, other))
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ path: `agenda.${i}.compoundId`, message: `this compound is not within the meeting's scope (${scope})` }],
        });
    });
  }

  private async writeAgenda(
    m: EntityManager,
    meetingId: string,
    agenda: Array<{ title: string; notes: string; compoundId?: string | null }>,
  ): Promise<void> {
    if (agenda.length === 0) return;
    await m.insert(
      AgendaItem,
      agenda.map((a, i) => ({
        meetingId,
        position: i + 1,
        title: a.title,
        notes: a.notes,
        status: 'pending' as const,
        compoundId: a.compoundId ?? null,
      })),
    );
  }
}
