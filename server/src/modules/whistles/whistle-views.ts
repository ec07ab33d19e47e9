import { allows, type WhistleEventView, type WhistleListQuery, type WhistleTargetView, type WhistleView } from '@yishi/shared';
import type { EntityManager } from 'typeorm';
import type { CompoundAccess } from '../memberships/compound-access';

/** Who the caller is towards whistles: the chair sees all; others what concerns them. */
export interface WhistleViewer {
  userId: string;
  compoundId: string;
  /** Sees every whistle of the compound and may resolve or reopen any. */
  chair: boolean;
  /** The organisations the caller may act for (报到, answer): empty unless their role may respond. */
  organisationIds: string[];
}

/** The caller's organisations in this compound's community: as a member of the organisation or by an organisation role. */
export async function whistleViewer(m: EntityManager, access: CompoundAccess, userId: string): Promise<WhistleViewer> {
  const chair = allows(access.roles, 'whistle.raise');
  let organisationIds: string[] = [];
  if (allows(access.roles, 'whistle.respond')) {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT om.organisation_id AS id FROM organisation_member om
         JOIN organisation o ON o.id = om.organisation_id
         JOIN compound c ON c.community_id = o.community_id
        WHERE om.user_id = $1 AND c.id = $2
       UNION
       SELECT organisation_id FROM membership WHERE user_id = $1 AND compound_id = $2 AND organisation_id IS NOT NULL`,
      [userId, access.compoundId],
    );
    organisationIds = rows.map((r) => r.id);
  }
  return { userId, compoundId: access.compoundId, chair, organisationIds };
}

/**
 * The whistles a viewer may see, as a condition on `w`: the chair all of the compound's; a
 * target organisation's member those blown to it; a resident those about a demand they raised
 * or seconded, or about a project that grew from one. Parameters $1 compound, $2 user, $3 chair, $4 organisations.
 */
const VISIBLE = `w.compound_id = $1 AND ($3::boolean
  OR EXISTS (SELECT 1 FROM whistle_target vt WHERE vt.whistle_id = w.id AND vt.organisation_id = ANY($4::uuid[]))
  OR EXISTS (SELECT 1 FROM demand d WHERE d.id = w.demand_id
               AND (d.raised_by = $2 OR EXISTS (SELECT 1 FROM demand_second s WHERE s.demand_id = d.id AND s.user_id = $2)))
  OR EXISTS (SELECT 1 FROM project_demand pd JOIN demand d ON d.id = pd.demand_id WHERE pd.project_id = w.project_id
               AND (d.raised_by = $2 OR EXISTS (SELECT 1 FROM demand_second s WHERE s.demand_id = d.id AND s.user_id = $2))))`;

const OVERDUE_TARGET = `t.answered_at IS NULL AND w.status <> 'resolved' AND w.deadline < now()`;
const OVERDUE = `EXISTS (SELECT 1 FROM whistle_target t WHERE t.whistle_id = w.id AND ${OVERDUE_TARGET})`;

interface WhistleRow {
  id: string;
  compound_id: string;
  demand_id: string | null;
  project_id: string | null;
  subject_title: string;
  question: string;
  deadline: Date;
  status: WhistleView['status'];
  created_by_name: string;
  created_at: Date;
  resolved_at: Date | null;
}

interface TargetRow {
  whistle_id: string;
  organisation_id: string;
  name: string;
  kind: WhistleTargetView['kind'];
  partner_type: string | null;
  accepted_at: Date | null;
  accepted_by_name: string | null;
  answered_at: Date | null;
  answered_by_name: string | null;
  answer: string | null;
  overdue: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const LIST_LIMIT = 200;

/** Visible whistles, filtered: overdue ones first, then the open ones by deadline, resolved ones last. */
export async function listWhistles(m: EntityManager, v: WhistleViewer, q: WhistleListQuery): Promise<WhistleView[]> {
  const params: unknown[] = [v.compoundId, v.userId, v.chair, v.organisationIds];
  const where = [VISIBLE];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.status) add('w.status = ?', q.status);
  if (q.demandId) add('w.demand_id = ?', q.demandId);
  if (q.projectId) add('w.project_id = ?', q.projectId);
  if (q.organisationId)
    add('EXISTS (SELECT 1 FROM whistle_target ft WHERE ft.whistle_id = w.id AND ft.organisation_id = ?)', q.organisationId);
  if (q.overdue) where.push(q.overdue === 'true' ? OVERDUE : `NOT ${OVERDUE}`);
  const order = `ORDER BY (w.status = 'resolved'), NOT ${OVERDUE}, w.deadline, w.id LIMIT ${LIST_LIMIT}`;
  const rows = await whistleRows(m, where.join(' AND '), params, order);
  return views(m, v, rows);
}

/** One whistle with its history, or null when the viewer may not see it. */
export async function findWhistle(m: EntityManager, v: WhistleViewer, whistleId: string): Promise<WhistleView | null> {
  const rows = await whistleRows(m, `${VISIBLE} AND w.id = $5`, [v.compoundId, v.userId, v.chair, v.organisationIds, whistleId], '');
  const [view] = await views(m, v, rows);
  if (!view) return null;
  const events: Array<{
    kind: WhistleEventView['kind'];
    organisation_name: string | null;
    note: string | null;
    actor_name: string;
    at: Date;
  }> = await m.query(
    `SELECT e.kind, o.name AS organisation_name, e.note, u.display_name AS actor_name, e.at
         FROM whistle_event e JOIN app_user u ON u.id = e.actor_id LEFT JOIN organisation o ON o.id = e.organisation_id
        WHERE e.whistle_id = $1 ORDER BY e.at, e.id`,
    [whistleId],
  );
  view.history = events.map((e) => ({
    kind: e.kind,
    organisationName: e.organisation_name,
    note: e.note,
    actorName: e.actor_name,
    at: e.at.toISOString(),
  }));
  return view;
}

function whistleRows(m: EntityManager, where: string, params: unknown[], tail: string): Promise<WhistleRow[]> {
  return m.query(
    `SELECT w.id, w.compound_id, w.demand_id, w.project_id, coalesce(d.title, p.title) AS subject_title, w.question,
            w.deadline, w.status, u.display_name AS created_by_name, w.created_at, w.resolved_at
       FROM whistle w JOIN app_user u ON u.id = w.created_by
       LEFT JOIN demand d ON d.id = w.demand_id LEFT JOIN project p ON p.id = w.project_id
      WHERE ${where} ${tail}`,
    params,
  );
}

async function views(m: EntityManager, v: WhistleViewer, rows: WhistleRow[]): Promise<WhistleView[]> {
  if (rows.length === 0) return [];
  const targets: TargetRow[] = await m.query(
    `SELECT t.whistle_id, t.organisation_id, o.name, o.kind, o.partner_type, t.accepted_at, ua.display_name AS accepted_by_name,
            t.answered_at, un.display_name AS answered_by_name, t.answer, (${OVERDUE_TARGET}) AS overdue
       FROM whistle_target t JOIN whistle w ON w.id = t.whistle_id JOIN organisation o ON o.id = t.organisation_id
       LEFT JOIN app_user ua ON ua.id = t.accepted_by LEFT JOIN app_user un ON un.id = t.answered_by
      WHERE t.whistle_id = ANY($1::uuid[]) ORDER BY o.name`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => {
    const mine = targets.filter((t) => t.whistle_id === r.id);
    const open = r.status !== 'resolved';
    const own = mine.filter((t) => v.organisationIds.includes(t.organisation_id));
    return {
      id: r.id,
      compoundId: r.compound_id,
      subject: r.demand_id
        ? { kind: 'demand', id: r.demand_id, title: r.subject_title }
        : { kind: 'project', id: r.project_id!, title: r.subject_title },
      question: r.question,
      deadline: r.deadline.toISOString(),
      status: r.status,
      overdue: mine.some((t) => t.overdue),
      createdByName: r.created_by_name,
      createdAt: r.created_at.toISOString(),
      resolvedAt: iso(r.resolved_at),
      targets: mine.map((t) => ({
        organisationId: t.organisation_id,
        name: t.name,
        kind: t.kind,
        partnerType: t.partner_type,
        acceptedAt: iso(t.accepted_at),
        acceptedByName: t.accepted_by_name,
        answeredAt: iso(t.answered_at),
        answeredByName: t.answered_by_name,
        answer: t.answer,
        overdue: t.overdue,
      })),
      can: {
        accept: open ? own.filter((t) => !t.accepted_at).map((t) => t.organisation_id) : [],
        answer: open ? own.filter((t) => t.accepted_at && !t.answered_at).map((t) => t.organisation_id) : [],
        resolve: open && (v.chair || (r.status === 'answered' && own.length > 0)),
        reopen: !open && v.chair,
      },
    };
  });
}
