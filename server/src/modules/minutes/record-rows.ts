import type { EntityManager } from 'typeorm';
import { eligibleHouseholds } from '../meetings/meeting-views';
import type { Meeting } from '../meetings/meeting.entities';
import type { RecordRows } from './meeting-record';

/**
 * Reads what a meeting left in the database, for buildMeetingRecord: check-ins, the agenda, the
 * turns that had the floor, the rounds held in it (with their proposals' titles), the objections
 * given with their ballots and the answers in those threads, and the whistles blown in the
 * compound between opening and adjournment.
 */
export async function readRecordRows(m: EntityManager, meeting: Meeting): Promise<RecordRows> {
  const id = meeting.id;
  const [{ now }] = await m.query(`SELECT now() AS now`);
  const [electorate, attendance, agenda, turns, rounds] = [
    await eligibleHouseholds(m, meeting),
    await m.query(`SELECT display_name, method, household_ids FROM attendance WHERE meeting_id = $1 ORDER BY checked_in_at, id`, [id]),
    await m.query(`SELECT position, title, status FROM agenda_item WHERE meeting_id = $1 ORDER BY position`, [id]),
    await m.query(
      `SELECT user_id, display_name, started_at, ended_at FROM speaker WHERE meeting_id = $1 AND started_at IS NOT NULL ORDER BY started_at, id`,
      [id],
    ),
    await m.query(
      `SELECT r.id, p.title AS proposal_title, r.number, r.revision_number, r.rule, r.art278_item, r.passed, r.result,
              coalesce(r.question_default, jsonb_build_object('text', r.question)) AS question
       FROM vote_round r JOIN proposal p ON p.id = r.proposal_id WHERE r.meeting_id = $1 ORDER BY r.opened_at, r.id`,
      [id],
    ),
  ];
  const roundIds = rounds.map((r: { id: string }) => r.id);
  const comments = await m.query(
    `SELECT c.id, c.thread_id, c.parent_id, c.round_id, c.objection, c.author_name, c.body FROM comment c
     WHERE c.thread_id IN (SELECT id FROM comment WHERE round_id = ANY($1::uuid[]) AND objection IS NOT NULL)
     ORDER BY c.created_at, c.id`,
    [roundIds],
  );
  const whistles = meeting.openedAt
    ? await m.query(
        `SELECT w.question, w.deadline, w.status, w.created_at,
                coalesce(array_agg(o.name ORDER BY o.name) FILTER (WHERE o.name IS NOT NULL), '{}') AS targets
         FROM whistle w LEFT JOIN whistle_target t ON t.whistle_id = w.id LEFT JOIN organisation o ON o.id = t.organisation_id
         WHERE w.compound_id = $1 AND w.created_at >= $2 AND w.created_at <= coalesce($3, now())
         GROUP BY w.id ORDER BY w.created_at, w.id`,
        [meeting.compoundId, meeting.openedAt, meeting.adjournedAt],
      )
    : [];
  return {
    meeting: {
      id,
      title: meeting.title,
      place: meeting.place,
      scheduled_at: meeting.scheduledAt,
      opened_at: meeting.openedAt,
      adjourned_at: meeting.adjournedAt,
    },
    electorate,
    attendance,
    agenda,
    turns,
    rounds,
    comments,
    whistles,
    now,
  };
}
