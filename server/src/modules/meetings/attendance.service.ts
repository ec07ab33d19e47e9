import { Injectable } from '@nestjs/common';
import { AppError } from '../../infra/errors/app-error';
import { householdLabels } from '../compounds/household-labels';
import { User } from '../users/user.entity';
import { Attendance } from './meeting.entities';
import { type Actor, MeetingChanges, mustBeInvited } from './meeting-changes.service';
import { attendanceSlice } from './meeting-views';

/** Who is present at a meeting: residents checking in, and households the chair registers on site. */
@Injectable()
export class AttendanceService {
  constructor(private readonly changes: MeetingChanges) {}

  /** Checking in twice changes nothing. A resident stands for their household(s), a guest for those in their own compound. */
  async checkIn(actor: Actor, meetingId: string, onSite: boolean) {
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
      if (meeting.status !== 'live' && meeting.status !== 'scheduled') throw new AppError('MEETING_NOT_LIVE');
      mustBeInvited(meeting, actor);
      const user = await m.findOneByOrFail(User, { id: actor.userId });
      const households: Array<{ id: string }> = await m.query(
        `SELECT household_id AS id FROM membership WHERE user_id = $1 AND compound_id = $2 AND household_id IS NOT NULL
         UNION SELECT id FROM household WHERE compound_id = $2 AND (voter_user_id = $1 OR proxy_user_id = $1)`,
        [actor.userId, actor.compoundId ?? meeting.compoundId],
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
    return this.changes.change(meetingId, actor.userId, async (m, meeting) => {
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
}
