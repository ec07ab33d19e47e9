import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ChatMessageView,
  MeetingEvent,
  MeetingState,
  MeetingView,
  Role,
  scheduleMeetingSchema,
  UpdateMeetingRequest,
} from '@yishi/shared';
import { ruleItemMismatch } from '@yishi/shared';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { Building } from '../compounds/compound.entities';
import { householdLabels } from '../compounds/household-labels';
import { User } from '../users/user.entity';
import { AgendaItem, Attendance, ChatMessage, Meeting, Speaker } from './meeting.entities';
import { attendanceSlice, chatSlice, chatView, meetingView, speakersSlice } from './meeting-views';

/** Who acts, as the gateway or controller established it. */
export interface Actor {
  userId: string;
  roles: Role[];
}

type EventBody = MeetingEvent extends infer E ? (E extends MeetingEvent ? Omit<E, 'meetingId' | 'seq' | 'at'> : never) : never;

/** At most this many missed events are replayed; a client further behind gets the whole state. */
const MAX_REPLAY = 500;

/**
 * Meetings: scheduling, and every change of a live meeting. Each change runs in one transaction
 * that locks the meeting row, writes the change and its numbered event, and commits; only then
 * is the event published for delivery. So every client sees changes in the order they were
 * committed, and nothing is broadcast that is not in the database.
 */
@Injectable()
export class MeetingsService {
  private readonly compoundOfMeeting = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
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
      const meeting = await m.save(
        m.create(Meeting, {
          compoundId,
          title: req.title,
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

  async list(compoundId: string): Promise<MeetingView[]> {
    const rows = await this.db.getRepository(Meeting).find({ where: { compoundId }, order: { scheduledAt: 'DESC' }, take: 200 });
    return Promise.all(rows.map((r) => meetingView(this.db.manager, r)));
  }

  async view(compoundId: string, meetingId: string): Promise<MeetingView> {
    const meeting = await this.db.getRepository(Meeting).findOneBy({ id: meetingId, compoundId });
    if (!meeting) throw new AppError('NOT_FOUND');
    return meetingView(this.db.manager, meeting);
  }

  /** Reschedule or edit a meeting that has not opened. */
  async update(compoundId: string, meetingId: string, actorId: string, req: UpdateMeetingRequest): Promise<MeetingView> {
    await this.assertInCompound(meetingId, compoundId);
    const r = await this.change(meetingId, actorId, async (m, meeting) => {
      if (meeting.status !== 'scheduled') throw new AppError('MEETING_NOT_SCHEDULED');
      if (req.buildingIds) await this.checkBuildings(m, compoundId, req.buildingIds);
      const { agenda, scheduledAt, ...rest } = req;
      Object.assign(meeting, rest, scheduledAt ? { scheduledAt: new Date(scheduledAt) } : {});
      await m.save(meeting);
      if (agenda) {
        await m.delete(AgendaItem, { meetingId });
        await this.writeAgenda(
          m,
          meetingId,
          agenda.map((a) => ({ title: a.title, notes: a.notes ?? '' })),
        );
      }
      return { events: [{ kind: 'meeting', meeting: await meetingView(m, meeting) }], result: {} };
    });
    return this.view(compoundId, r.meetingId);
  }

  async cancel(compoundId: string, meetingId: string, actorId: string): Promise<MeetingView> {
    await this.assertInCompound(meetingId, compoundId);
    await this.change(meetingId, actorId, async (m, meeting) => {
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

  /** The whole state, read in one repeatable-read snapshot so its parts agree with its seq. */
  async state(meetingId: string, viewer: Actor): Promise<Omit<MeetingState, 'presence'>> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const meeting = await m.findOneByOrFail(Meeting, { id: meetingId });
      return {
        seq: Number(meeting.seq),
        serverTime: new Date().toISOString(),
        meeting: await meetingView(m, meeting),
        ...(await attendanceSlice(m, meeting)),
        speakers: await speakersSlice(m, meetingId),
        chat: await chatSlice(m, meetingId, viewer.roles.includes('chair')),
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
    return this.change(meetingId, actor.userId, async (m, meeting) => {
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
    return this.change(meetingId, actor.userId, async (m, meeting) => {
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
    return this.change(meetingId, actor.userId, async (m, meeting) => {
      this.mustBeLive(meeting);
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

  /** Checking in twice changes nothing. A resident stands for their household(s). */
  async checkIn(actor: Actor, meetingId: string, onSite: boolean) {
    return this.change(meetingId, actor.userId, async (m, meeting) => {
      if (meeting.status !== 'live' && meeting.status !== 'scheduled') throw new AppError('MEETING_NOT_LIVE');
      const user = await m.findOneByOrFail(User, { id: actor.userId });
      const households: Array<{ id: string }> = await m.query(
        `SELECT household_id AS id FROM membership WHERE user_id = $1 AND compound_id = $2 AND household_id IS NOT NULL
         UNION SELECT id FROM household WHERE compound_id = $2 AND (voter_user_id = $1 OR proxy_user_id = $1)`,
        [actor.userId, meeting.compoundId],
      );
      const inserted = await m
        .createQueryBuilder()
        .insert()
        .into(Attendance)
        .values({
          meetingId,
          userId: actor.userId,
          displayName: user.displayName,
          householdIds: households.map((h) => h.id),
          method: onSite ? 'on_site' : 'online',
          registeredBy: null,
        })
        .orIgnore()
        .execute();
      if (inserted.identifiers.length === 0 || !inserted.identifiers[0]) return { events: [], result: {} };
      return { events: [{ kind: 'attendance', ...(await attendanceSlice(m, meeting)) }], result: {} };
    });
  }

  /** The chair records a household present on site whose people have no phone. */
  async registerAttendance(actor: Actor, meetingId: string, householdId: string) {
    return this.change(meetingId, actor.userId, async (m, meeting) => {
      if (meeting.status !== 'live' && meeting.status !== 'scheduled') throw new AppError('MEETING_NOT_LIVE');
      const labels = await householdLabels(m, [householdId]);
      const [inCompound] = await m.query(`SELECT 1 FROM household WHERE id = $1 AND compound_id = $2`, [householdId, meeting.compoundId]);
      if (!inCompound) throw new AppError('NOT_FOUND');
      const inserted = await m
        .createQueryBuilder()
        .insert()
        .into(Attendance)
        .values({
          meetingId,
          userId: null,
          displayName: labels.get(householdId)!,
          householdIds: [householdId],
          method: 'registered',
          registeredBy: actor.userId,
        })
        .orIgnore()
        .execute();
      if (!inserted.identifiers[0]) return { events: [], result: {} };
      return { events: [{ kind: 'attendance', ...(await attendanceSlice(m, meeting)) }], result: {} };
    });
  }

  async raiseHand(actor: Actor, meetingId: string) {
    return this.change(meetingId, actor.userId, async (m, meeting) => {
      this.mustBeLive(meeting);
      const existing = await m.findOneBy(Speaker, { meetingId, userId: actor.userId, status: 'waiting' });
      if (existing) return { events: [], result: { speakerId: existing.id } };
      const user = await m.findOneByOrFail(User, { id: actor.userId });
      const [{ next }] = await m.query(`SELECT coalesce(max(position), 0) + 1 AS next FROM speaker WHERE meeting_id = $1`, [meetingId]);
      const row = await m.save(
        m.create(Speaker, {
          meetingId,
          userId: actor.userId,
          displayName: user.displayName,
          position: Number(next),
          status: 'waiting',
          raisedAt: new Date(),
        }),
      );
      return { events: [{ kind: 'speakers', speakers: await speakersSlice(m, meetingId) }], result: { speakerId: row.id } };
    });
  }

  async lowerHand(actor: Actor, meetingId: string) {
    return this.change(meetingId, actor.userId, async (m, meeting) => {
      this.mustBeLive(meeting);
      const r = await m.update(
        Speaker,
        { meetingId, userId: actor.userId, status: 'waiting' },
        { status: 'withdrawn', endedAt: new Date(), endReason: 'withdrawn' },
      );
      if (!r.affected) return { events: [], result: {} };
      return { events: [{ kind: 'speakers', speakers: await speakersSlice(m, meetingId) }], result: {} };
    });
  }

  /** Gives the floor to a raised hand (the first when none is named); the previous turn ends. */
  async giveFloor(actor: Actor, meetingId: string, speakerId: string | undefined, timeLimitS: number | undefined) {
    return this.change(meetingId, actor.userId, async (m, meeting) => {
      this.mustBeLive(meeting);
      const next = speakerId
        ? await m.findOneBy(Speaker, { id: speakerId, meetingId, status: 'waiting' })
        : await m.findOne(Speaker, { where: { meetingId, status: 'waiting' }, order: { position: 'ASC' } });
      if (!next) throw new AppError(speakerId ? 'NOT_FOUND' : 'NO_SPEAKER_WAITING');
      // One clock for everyone: the database's, so every node computes the same deadline.
      await m.query(
        `UPDATE speaker SET status = 'done', ended_at = now(), end_reason = 'chair' WHERE meeting_id = $1 AND status = 'speaking'`,
        [meetingId],
      );
      await m.query(
        `UPDATE speaker SET status = 'speaking', started_at = now(), time_limit_s = $2,
                ends_at = CASE WHEN $2::int IS NULL THEN NULL ELSE now() + make_interval(secs => $2::int) END
         WHERE id = $1`,
        [next.id, timeLimitS ?? null],
      );
      return { events: [{ kind: 'speakers', speakers: await speakersSlice(m, meetingId) }], result: {} };
    });
  }

  async endFloor(actor: Actor, meetingId: string) {
    return this.change(meetingId, actor.userId, async (m, meeting) => {
      this.mustBeLive(meeting);
      const r = await m.query(
        `UPDATE speaker SET status = 'done', ended_at = now(), end_reason = 'chair' WHERE meeting_id = $1 AND status = 'speaking' RETURNING id`,
        [meetingId],
      );
      if (r[0].length === 0) return { events: [], result: {} };
      return { events: [{ kind: 'speakers', speakers: await speakersSlice(m, meetingId) }], result: {} };
    });
  }

  /** Ends a turn whose time is up; safe to call from every node, only one ends it. */
  async endTurnIfDue(meetingId: string, turnId: string) {
    return this.change(meetingId, null, async (m) => {
      const r = await m.query(
        `UPDATE speaker SET status = 'done', ended_at = ends_at, end_reason = 'time_up' WHERE id = $1 AND status = 'speaking' AND ends_at <= now() RETURNING id`,
        [turnId],
      );
      if (r[0].length === 0) return { events: [], result: {} };
      return { events: [{ kind: 'speakers', speakers: await speakersSlice(m, meetingId), reason: 'time_up' as const }], result: {} };
    });
  }

  async reorder(actor: Actor, meetingId: string, order: string[]) {
    return this.change(meetingId, actor.userId, async (m, meeting) => {
      this.mustBeLive(meeting);
      const waiting = await m.findBy(Speaker, { meetingId, status: 'waiting' });
      const same = order.length === waiting.length && new Set(order).size === order.length && waiting.every((w) => order.includes(w.id));
      if (!same)
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'order', message: 'must list every waiting speaker exactly once' }] });
      for (const [i, id] of order.entries()) await m.update(Speaker, { id }, { position: i + 1 });
      return { events: [{ kind: 'speakers', speakers: await speakersSlice(m, meetingId) }], result: {} };
    });
  }

  /** Idempotent: the same clientMessageId is stored once, and answered with the stored message. */
  async sendChat(actor: Actor, meetingId: string, clientMessageId: string, body: string) {
    return this.change(
      meetingId,
      actor.userId,
      async (m, meeting): Promise<{ events: EventBody[]; result: { message: ChatMessageView } }> => {
        this.mustBeLive(meeting);
        const existing = await m.findOneBy(ChatMessage, { meetingId, clientMessageId });
        if (existing) return { events: [], result: { message: chatView(existing, true) } };
        const user = await m.findOneByOrFail(User, { id: actor.userId });
        const row = await m.save(
          m.create(ChatMessage, {
            meetingId,
            clientMessageId,
            userId: actor.userId,
            displayName: user.displayName,
            body,
            sentAt: new Date(),
            hiddenAt: null,
            hiddenBy: null,
          }),
        );
        const message = chatView(row, true);
        return { events: [{ kind: 'chat', message }], result: { message } };
      },
    );
  }

  async hideChat(actor: Actor, meetingId: string, messageId: string) {
    return this.change(meetingId, actor.userId, async (m) => {
      const msg = await m.findOneBy(ChatMessage, { id: messageId, meetingId });
      if (!msg) throw new AppError('NOT_FOUND');
      if (msg.hiddenAt) return { events: [], result: {} };
      await m.update(ChatMessage, { id: messageId }, { hiddenAt: new Date(), hiddenBy: actor.userId });
      return { events: [{ kind: 'chat-hidden', messageId }], result: {} };
    });
  }

  /** Turns whose time limit has passed, for the timer that ends them. */
  async dueTurns(): Promise<Array<{ meetingId: string; turnId: string }>> {
    const rows: Array<{ id: string; meeting_id: string }> = await this.db.query(
      `SELECT id, meeting_id FROM speaker WHERE status = 'speaking' AND ends_at <= now() LIMIT 100`,
    );
    return rows.map((r) => ({ meetingId: r.meeting_id, turnId: r.id }));
  }

  // ----- the one way a meeting changes -----

  private async change<R extends object>(
    meetingId: string,
    actorId: string | null,
    fn: (m: EntityManager, meeting: Meeting) => Promise<{ events: EventBody[]; result: R }>,
  ): Promise<R & { seq: number; meetingId: string }> {
    const committed: MeetingEvent[] = [];
    const out = await this.db.transaction(async (m) => {
      const meeting = await m
        .getRepository(Meeting)
        .createQueryBuilder('m')
        .setLock('pessimistic_write')
        .where('m.id = :meetingId', { meetingId })
        .getOne();
      if (!meeting) throw new AppError('NOT_FOUND');
      const { events, result } = await fn(m, meeting);
      let seq = Number(meeting.seq);
      const at = new Date().toISOString();
      for (const body of events) {
        seq += 1;
        await m.query(`INSERT INTO meeting_event (meeting_id, seq, kind, payload, actor_id) VALUES ($1, $2, $3, $4, $5)`, [
          meetingId,
          seq,
          body.kind,
          JSON.stringify(body),
          actorId,
        ]);
        committed.push({ ...body, meetingId, seq, at } as MeetingEvent);
      }
      if (events.length) await m.update(Meeting, { id: meetingId }, { seq: String(seq) });
      return { ...result, seq, meetingId };
    });
    for (const e of committed) this.events.emit('meeting.event', e);
    return out;
  }

  private mustBeLive(meeting: Meeting): void {
    if (meeting.status !== 'live') throw new AppError('MEETING_NOT_LIVE');
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

  private async writeAgenda(m: EntityManager, meetingId: string, agenda: Array<{ title: string; notes: string }>): Promise<void> {
    if (agenda.length === 0) return;
    await m.insert(
      AgendaItem,
      agenda.map((a, i) => ({ meetingId, position: i + 1, title: a.title, notes: a.notes, status: 'pending' as const })),
    );
  }
}
