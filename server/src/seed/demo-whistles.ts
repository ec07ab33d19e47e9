import type { DataSource, EntityManager } from 'typeorm';

const DAY = 86_400_000;

/** The partner unit of the demo and its one member's sign-in (the README lists it). */
export const DEMO_PARTNER = {
  login: 'partner1',
  phone: '13800000011',
  name: '冯医生（社区卫生服务中心）',
  organisation: '麦子店社区卫生服务中心',
  partnerType: '社区卫生服务中心',
};

/**
 * 街乡吹哨、部门报到 in the demo: a partner unit (the health centre) with a member, two needs
 * the community could not solve, one whistle the city-management section answered in time and
 * one the community-building section let pass its deadline (the health centre reported but has
 * not answered). Dated in the past, every step in whistle_event as the service would record it.
 */
export async function seedWhistles(db: DataSource): Promise<void> {
  await db.transaction(async (m) => {
    const [c] = await m.query(`SELECT id, community_id FROM compound WHERE name = '霞光里35号院'`);
    const users: Array<{ id: string; username: string }> = await m.query(`SELECT id, username FROM app_user WHERE username IS NOT NULL`);
    const user = (login: string) => users.find((u) => u.username === login)!.id;
    const orgs: Array<{ id: string; name: string }> = await m.query(`SELECT id, name FROM organisation WHERE community_id = $1`, [
      c.community_id,
    ]);
    const org = (name: string) => orgs.find((o) => o.name === name)!.id;

    const [health] = await m.query(
      `INSERT INTO organisation (community_id, kind, name, partner_type, contact) VALUES ($1, 'partner_unit', $2, $3, '010-6500 1234') ON CONFLICT (community_id, kind, name) DO UPDATE SET partner_type = excluded.partner_type RETURNING id`,
      [c.community_id, DEMO_PARTNER.organisation, DEMO_PARTNER.partnerType],
    );
    const [partner] = await m.query(
      `INSERT INTO app_user (username, phone, display_name, password_hash) SELECT $1, $2, $3, password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
      [DEMO_PARTNER.login, DEMO_PARTNER.phone, DEMO_PARTNER.name],
    );
    // A partner unit's person: a member of the compound for their unit, as an invitation makes one.
    await m.query(`INSERT INTO membership (user_id, compound_id, role, organisation_id) VALUES ($1, $2, 'partner_unit', $3)`, [
      partner.id,
      c.id,
      health.id,
    ]);
    await m.query(`INSERT INTO organisation_member (organisation_id, user_id) VALUES ($1, $2)`, [health.id, partner.id]);

    const chair = user('chair');
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const drain = await demand(
      m,
      c.id,
      '3号楼北侧雨水管堵塞，雨天院内积水',
      'home_visit',
      user('resident1'),
      user('gate1'),
      chair,
      ago(14),
    );
    await m.query(`INSERT INTO demand_second (demand_id, user_id, created_at) VALUES ($1, $2, $3)`, [drain, user('resident2'), ago(13)]);
    await m.query(`UPDATE demand SET seconds = 1 WHERE id = $1`, [drain]);
    const shed = await demand(
      m,
      c.id,
      '院内私搭乱建占用消防通道，老人轮椅过不去',
      'hotline_12345',
      user('resident3'),
      user('resident3'),
      chair,
      ago(10),
    );

    const answered = await whistle(m, c.id, drain, '雨水管网属市政管线，社区无权开挖，请城管科协调排水集团疏通。', ago(12), ago(5), chair);
    await target(m, answered, org('麦子店街道城市管理科'), user('street1'), ago(11), {
      at: ago(8),
      answer: '已协调排水集团，管线于本周二疏通完毕，并加装了防堵篦子。',
    });
    await m.query(`UPDATE whistle SET status = 'answered', updated_at = $2 WHERE id = $1`, [answered, ago(8)]);

    const overdue = await whistle(m, c.id, shed, '违建需街道依法拆除；通道打通后请卫生服务中心评估老人出行需要。', ago(9), ago(2), chair);
    await target(m, overdue, org('麦子店街道社区建设科'), null, null, null);
    await target(m, overdue, health.id, partner.id, ago(8), null);
    await m.query(`UPDATE whistle SET status = 'accepted', updated_at = $2 WHERE id = $1`, [overdue, ago(8)]);
  });
}

async function demand(
  m: EntityManager,
  compoundId: string,
  title: string,
  channel: string,
  raisedBy: string,
  enteredBy: string,
  chair: string,
  at: Date,
): Promise<string> {
  const [d] = await m.query(
    `INSERT INTO demand (compound_id, category, channel, title, raised_by, entered_by, named_consent, status, created_at, updated_at)
     VALUES ($1, 'infrastructure', $2, $3, $4, $5, false, 'to_escalate', $6, $6) RETURNING id`,
    [compoundId, channel, title, raisedBy, enteredBy, at],
  );
  await m.query(
    `INSERT INTO demand_status_change (demand_id, from_status, to_status, changed_by, changed_at) VALUES ($1, NULL, 'new', $2, $3), ($1, 'new', 'to_escalate', $4, $5)`,
    [d.id, enteredBy, at, chair, new Date(at.getTime() + DAY)],
  );
  return d.id;
}

async function whistle(m: EntityManager, compoundId: string, demandId: string, question: string, at: Date, deadline: Date, chair: string) {
  const [w] = await m.query(
    `INSERT INTO whistle (compound_id, demand_id, question, deadline, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
    [compoundId, demandId, question, deadline, chair, at],
  );
  await event(m, w.id, 'raised', null, chair, at, question);
  return w.id as string;
}

async function target(
  m: EntityManager,
  whistleId: string,
  organisationId: string,
  member: string | null,
  acceptedAt: Date | null,
  answer: { at: Date; answer: string } | null,
): Promise<void> {
  await m.query(
    `INSERT INTO whistle_target (whistle_id, organisation_id, accepted_at, accepted_by, answered_at, answered_by, answer) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [whistleId, organisationId, acceptedAt, acceptedAt && member, answer?.at ?? null, answer ? member : null, answer?.answer ?? null],
  );
  if (acceptedAt && member) await event(m, whistleId, 'accepted', organisationId, member, acceptedAt, null);
  if (answer && member) await event(m, whistleId, 'answered', organisationId, member, answer.at, answer.answer);
}

async function event(
  m: EntityManager,
  whistleId: string,
  kind: string,
  organisationId: string | null,
  actorId: string,
  at: Date,
  note: string | null,
) {
  await m.query(`INSERT INTO whistle_event (whistle_id, organisation_id, kind, note, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)`, [
    whistleId,
    organisationId,
    kind,
    note,
    actorId,
    at,
  ]);
}
