import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { User } from '../users/user.entity';
import { Speaker } from './meeting.entities';
import { type Actor, MeetingChanges, mustBeInvited, mustBeLive } from './meeting-changes.service';
import { speakersSlice } from './meeting-views';

/** The floor of a live meeting: raised hands, the speakers' queue, and turns with their time limits. */
@Injectable()
export class FloorService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly changes: MeetingChanges,
  ) {}

  async raiseHand(actor: Actor, meetingId: string) {
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      mustBeLive(meeting);
      mustBeInvited(meeting, actor);
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
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      mustBeLive(meeting);
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
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      mustBeLive(meeting);
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
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      mustBeLive(meeting);
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
    return this.changes.change(meetingId, null, async (m) => {
      const r = await m.query(
        `UPDATE speaker SET status = 'done', ended_at = ends_at, end_reason = 'time_up' WHERE id = $1 AND status = 'speaking' AND ends_at <= now() RETURNING id`,
        [turnId],
      );
      if (r[0].length === 0) return { events: [], result: {} };
      return { events: [{ kind: 'speakers', speakers: await speakersSlice(m, meetingId), reason: 'time_up' as const }], result: {} };
    });
  }

  async reorder(actor: Actor, meetingId: string, order: string[]) {
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      mustBeLive(meeting);
      const waiting = await m.findBy(Speaker, { meetingId, status: 'waiting' });
      const same = order.length === waiting.length && new Set(order).size === order.length && waiting.every((w) => order.includes(w.id));
      if (!same)
        throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'order', message: 'must list every waiting speaker exactly once' }] });
      for (const [i, id] of order.entries()) await m.update(Speaker, { id }, { position: i + 1 });
      return { events: [{ kind: 'speakers', speakers: await speakersSlice(m, meetingId) }], result: {} };
    });
  }

  /** Turns whose time limit has passed, for the timer that ends them. */
  async dueTurns(): Promise<Array<{ meetingId: string; turnId: string }>> {
    const rows: Array<{ id: string; meeting_id: string }> = await this.db.query(
      `SELECT id, meeting_id FROM speaker WHERE status = 'speaking' AND ends_at <= now() LIMIT 100`,
    );
    return rows.map((r) => ({ meetingId: r.meeting_id, turnId: r.id }));
  }
}
