import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { type Action, type ScheduleMeetingRequest, scheduleMeetingSchema } from '@yishi/shared';
import * as Y from 'yjs';
import { DataSource } from 'typeorm';
import { AccessService } from '../modules/auth/access.service';
import { AttendanceService } from '../modules/meetings/attendance.service';
import { MeetingsService } from '../modules/meetings/meetings.service';
import { CommentsService } from '../modules/proposals/comments.service';
import { EditRightsService } from '../modules/proposals/edit-rights.service';
import { RevisionsService } from '../modules/proposals/revisions.service';
import { BallotsService } from '../modules/votes/ballots.service';
import { RoundsService } from '../modules/votes/rounds.service';
import { appendParagraphs } from './doc-content';
import { seedDemands } from './demo-demands';
import { seedMeetingHistory } from './demo-meeting-history';
import { seedProjects } from './demo-projects';
import { seedNotices } from './demo-notices';
import { seedWhistles } from './demo-whistles';

export const STORY = {
  meetings: ['第1次议事会：征集危旧平房改造需求', '第2次议事会：危旧平房改造方案表决', '第3次议事会：危旧平房改造方案（第二稿）'],
  objections: [
    {
      login: 'resident2',
      choice: 'against',
      reason: '施工期间临时安置怎么解决？',
      answer: '第二稿已写明：施工期间由产权单位提供临时安置，费用列入资金方案。',
    },
    {
      login: 'resident3',
      choice: 'abstain',
      reason: '翻建后的用房由谁管理？',
      answer: '第二稿已写明：建成后由社区居委会管理，物业公司负责日常维护。',
    },
  ],
  secondDraft: [
    '【第二稿补充】施工期间，产权单位为受影响的住户提供临时安置。',
    '【第二稿补充】建成后的社区服务用房由社区居委会管理，物业公司负责日常维护。',
  ],
} as const;

const DAY = 86_400_000;

/**
 * The seed story, told through the same services a user's requests go through (so every
 * decision is in its proposal's audit chain and a round verifies), on top of `seedDemo`:
 * two earlier meetings, adjourned, with their attendance; in the second, round 1 on the
 * bungalow plan's revision 1 failed (unanimity not reached) and the objections raised with the
 * ballots were answered; a second draft answering them is under discussion (not yet frozen,
 * the property company invited to co-edit it); the third meeting is open now.
 */
export async function seedStory(app: INestApplication): Promise<void> {
  const db = app.get(DataSource);
  const meetings = app.get(MeetingsService);
  const attendance = app.get(AttendanceService);
  const revisions = app.get(RevisionsService);
  const comments = app.get(CommentsService);
  const editRights = app.get(EditRightsService);
  const votes = app.get(RoundsService);
  const ballots = app.get(BallotsService);
  const accessService = app.get(AccessService);

  const [{ id: compoundId }] = await db.query(`SELECT id FROM compound WHERE name = '霞光里35号院'`);
  const [proposal] = await db.query(`SELECT id FROM proposal WHERE compound_id = $1 AND title = '霞光里35号院危旧平房改造方案'`, [
    compoundId,
  ]);
  const users: Array<{ id: string; username: string; display_name: string }> = await db.query(
    `SELECT id, username, display_name FROM app_user WHERE username IS NOT NULL`,
  );
  const user = (login: string) => users.find((u) => u.username === login)!;
  const access = (login: string, action: Action) => accessService.authorize(user(login).id, compoundId, action);
  const chairAccess = await access('chair', 'meeting.run');
  const chair = { userId: user('chair').id, roles: chairAccess.roles };
  const attendees = ['chair', 'gate1', 'resident1', 'resident2', 'resident3', 'property', 'rights'];

  /** Schedules, opens and (unless it is the live one) adjourns a meeting with its attendance, then dates it `daysAgo`. */
  const meeting = async (
    title: string,
    daysAgo: number,
    agenda: string[],
    who: string[],
    during?: (meetingId: string) => Promise<void>,
    live = false,
  ) => {
    const req: ScheduleMeetingRequest = {
      title,
      scheduledAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
      place: '35号院活动室',
      online: true,
      rule: 'unanimous',
      agenda: agenda.map((a) => ({ title: a })),
    };
    const m = await meetings.schedule(compoundId, chair.userId, scheduleMeetingSchema.parse(req));
    await meetings.open(chair, m.id);
    for (const login of who)
      await attendance.checkIn({ userId: user(login).id, roles: [] }, m.id, login !== 'property' && login !== 'rights');
    if (during) await during(m.id);
    if (!live) await meetings.adjourn(chair, m.id);
    // What happened then is shown as of then (the audit chain keeps its own times).
    const at = new Date(Date.now() - daysAgo * DAY);
    await db.query(
      `UPDATE meeting SET scheduled_at = $2::timestamptz, created_at = $2::timestamptz - interval '7 days', opened_at = $2::timestamptz,
              adjourned_at = CASE WHEN status = 'adjourned' THEN $2::timestamptz + interval '2 hours' END WHERE id = $1`,
      [m.id, at],
    );
    await db.query(`UPDATE attendance SET checked_in_at = $2::timestamptz + interval '5 minutes' WHERE meeting_id = $1`, [m.id, at]);
    return m;
  };
  const agendaIds = async (meetingId: string): Promise<string[]> =>
    (await db.query(`SELECT id FROM agenda_item WHERE meeting_id = $1 ORDER BY position`, [meetingId])).map((r: { id: string }) => r.id);

  const m1 = await meeting(STORY.meetings[0], 60, ['危旧平房现状与住户需求', '资金来源'], attendees);

  const m2 = await meeting(STORY.meetings[1], 30, ['危旧平房改造方案（第一稿）表决'], attendees.slice(0, 6), async (meetingId) => {
    const rev = await revisions.freeze(chairAccess, chair.userId, proposal.id);
    const round = await votes.open(chairAccess, chair.userId, proposal.id, {
      revisionNumber: rev.number,
      // The default question: each reader sees it in their own language.
      question: null,
      rule: 'unanimous',
      art278Item: null,
      buildingIds: [],
      closesAt: null,
      meetingId,
    });
    const voters: Array<{ login: string; choice: 'for' | 'against' | 'abstain'; reason?: string }> = [
      { login: 'gate1', choice: 'for' },
      { login: 'resident1', choice: 'for' },
      ...STORY.objections.map((o) => ({ login: o.login, choice: o.choice, reason: o.reason })),
    ];
    for (const v of voters) {
      const [h] = await db.query(`SELECT id FROM household WHERE compound_id = $1 AND voter_user_id = $2 LIMIT 1`, [
        compoundId,
        user(v.login).id,
      ]);
      await ballots.castOnline(user(v.login).id, compoundId, {
        roundId: round.id,
        ballotId: randomUUID(),
        householdId: h.id,
        revisionId: rev.id,
        choice: v.choice,
        reason: v.reason,
      });
    }
    await votes.close(round.id, chair.userId, 'chair', compoundId);
    // The chair answers each objection and marks it answered.
    const threads: Array<{ id: string; body: string }> = await db.query(
      `SELECT id, body FROM comment WHERE proposal_id = $1 AND objection IS NOT NULL`,
      [proposal.id],
    );
    for (const o of STORY.objections) {
      const thread = threads.find((c) => c.body === o.reason)!;
      await comments.reply(compoundId, proposal.id, thread.id, { id: chair.userId, name: user('chair').display_name }, o.answer);
      await comments.resolve(chairAccess, chair.userId, proposal.id, thread.id, true);
    }
  });

  // The second draft answers the objections; the property company, which will maintain the building, is invited to co-edit it.
  // Yjs on the main thread is safe here: the seed reads back a revision it has just made itself
  // from its own text, in an empty database; nothing a client sent is involved.
  const doc = new Y.Doc();
  const [{ state }] = await db.query(`SELECT doc_state AS state FROM revision WHERE proposal_id = $1 AND number = 1`, [proposal.id]);
  Y.applyUpdate(doc, state);
  const before = Y.encodeStateVector(doc);
  appendParagraphs(doc, [...STORY.secondDraft]);
  await db.query(`INSERT INTO doc_update (doc_id, update, user_id) VALUES ($1, $2, $3)`, [
    proposal.id,
    Buffer.from(Y.encodeStateAsUpdate(doc, before)),
    chair.userId,
  ]);
  doc.destroy();
  const [property] = await db.query(`SELECT id FROM organisation WHERE kind = 'property_company'`);
  await editRights.grantEdit(await access('chair', 'proposal.manage'), chair.userId, proposal.id, { organisationId: property.id });

  const m3 = await meeting(
    STORY.meetings[2],
    0,
    ['危旧平房改造方案（第二稿）讨论', '其他事项'],
    ['chair', 'gate1', 'rights'],
    undefined,
    true,
  );
  const [now] = await agendaIds(m3.id);
  if (!now) throw new Error('the third meeting of the story has no agenda');
  await meetings.setCurrentAgendaItem(chair, m3.id, now);
  await db.query(`UPDATE proposal SET agenda_item_ids = $2 WHERE id = $1`, [
    proposal.id,
    [...(await agendaIds(m1.id)).slice(0, 1), ...(await agendaIds(m2.id)), now],
  ]);
  await seedDemands(db);
  await seedWhistles(db);
  await seedProjects(db);
  await seedNotices(app);
  await seedMeetingHistory(db);
}
