import { MEETING_KIND_TABLE } from '@yishi/shared';
import type { DataSource } from 'typeorm';

/**
 * The compound's earlier year of meetings, so the statistics page tells the seed story's counts:
 * 6 party lessons, 2 organisational-life meetings, 24 branch meetings and 25 deliberation
 * meetings (22 here and the story's 3). Inserted in SQL in one statement per table, dated 70 to
 * 400 days ago, each with about half of those it invites present: the households registered on
 * site, or for a party meeting its party members checked in.
 */
export const HISTORY_KINDS = { party_lesson: 6, organisational_life: 2, party_branch: 24, deliberation: 22 } as const;

const TITLES: Record<keyof typeof HISTORY_KINDS, string> = {
  party_lesson: '党课',
  organisational_life: '组织生活会',
  party_branch: '楼院党支部会议',
  deliberation: '议事协商会',
};

export async function seedMeetingHistory(db: DataSource): Promise<void> {
  const [{ id: compoundId }] = await db.query(`SELECT id FROM compound WHERE name = '霞光里35号院'`);
  const [{ id: chair }] = await db.query(`SELECT id FROM app_user WHERE username = 'chair'`);
  const kinds = Object.keys(HISTORY_KINDS) as Array<keyof typeof HISTORY_KINDS>;
  await db.query(
    `INSERT INTO meeting (compound_id, title, kind, audience, scheduled_at, place, online, status, building_ids, seq, created_by, opened_at, adjourned_at)
     SELECT $1, t.title || '（第' || g || '次）', t.kind, t.audience, at, '35号院活动室', false, 'adjourned', '{}', 0, $2, at, at + interval '90 minutes'
     FROM unnest($3::text[], $4::text[], $5::int[], $6::text[]) AS t(kind, title, n, audience), generate_series(1, t.n) g,
          LATERAL (SELECT date_trunc('hour', now() - interval '70 days' - (g * 330 / t.n) * interval '1 day') + interval '19 hours' AS at) d`,
    [
      compoundId,
      chair,
      kinds,
      kinds.map((k) => TITLES[k]),
      kinds.map((k) => HISTORY_KINDS[k]),
      kinds.map((k) => MEETING_KIND_TABLE[k].audience),
    ],
  );
  // Half the households, a different half each time (by the hash of meeting and household).
  await db.query(
    `INSERT INTO attendance (meeting_id, display_name, household_ids, method, registered_by, checked_in_at)
     SELECT m.id, '现场登记', ARRAY[h.id], 'registered', $2, m.scheduled_at
     FROM meeting m JOIN household h ON h.compound_id = m.compound_id
     WHERE m.compound_id = $1 AND m.title ~ '（第\\d+次）$' AND m.audience <> 'party_members' AND hashtext(m.id::text || h.id::text) % 2 = 0`,
    [compoundId, chair],
  );
  // Party meetings invite the party members: about half of them came, each in person.
  await db.query(
    `INSERT INTO attendance (meeting_id, user_id, display_name, household_ids, method, checked_in_at)
     SELECT m.id, u.id, u.display_name, '{}', 'on_site', m.scheduled_at
     FROM meeting m, app_user u
     WHERE m.compound_id = $1 AND m.title ~ '（第\\d+次）$' AND m.audience = 'party_members'
       AND u.id IN (SELECT user_id FROM membership WHERE compound_id = $1 AND party_member)
       AND hashtext(m.id::text || u.id::text) % 2 = 0`,
    [compoundId],
  );
}
