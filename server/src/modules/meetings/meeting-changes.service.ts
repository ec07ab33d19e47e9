import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isInvited, type MeetingEvent, type Role } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { Meeting } from './meeting.entities';

/** Who acts, as the gateway or controller established it. */
export interface Actor {
  userId: string;
  roles: Role[];
  /** The compound the roles are held in: the host's, or a guest compound's in a wider meeting (absent: the host). */
  compoundId?: string;
  /** A party member (党员) in that compound; party meetings invite only them (and the chair). */
  partyMember?: boolean;
}

export type EventBody = MeetingEvent extends infer E ? (E extends MeetingEvent ? Omit<E, 'meetingId' | 'seq' | 'at'> : never) : never;

/**
 * The one way a meeting changes. Each change runs in one transaction that locks the meeting row,
 * writes the change and its numbered event, and commits; only then is the event published for
 * delivery. So every client sees changes in the order they were committed, and nothing is
 * broadcast that is not in the database.
 */
@Injectable()
export class MeetingChanges {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async change<R extends object>(
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
}

export function mustBeLive(meeting: Meeting): void {
  if (meeting.status !== 'live') throw new AppError('MEETING_NOT_LIVE');
}

/** Taking part (checking in, raising a hand, chatting) is for those the meeting invites; others only follow. */
export function mustBeInvited(meeting: Meeting, actor: Actor): void {
  if (!isInvited(meeting.audience, { roles: actor.roles, partyMember: actor.partyMember ?? false })) throw new AppError('NOT_INVITED');
}
