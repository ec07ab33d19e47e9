import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DemandCounts, DemandDetailView, DemandPage, DemandSort, DemandView, demandListQuerySchema } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';

type ListQuery = z.output<typeof demandListQuerySchema>;

/** The view's columns, over a subquery `d` of demand rows; $1 is the compound, $2 the viewer. */
const VIEW_COLUMNS = `
  d.id, d.scope, d.building_id, b.name AS building_name, d.gate_id, g.name AS gate_name, d.category, d.channel,
  d.title, d.body, d.status, d.decline_reason, d.raised_by, d.raised_by_name, ru.display_name AS raised_by_user_name,
  d.entered_by, eu.display_name AS entered_by_name, d.named_consent, d.seconds, d.created_at, d.created_at::text AS created_key, d.updated_at,
  (SELECT count(*) FROM demand_photo p WHERE p.demand_id = d.id)::int AS photo_count,
  EXISTS (SELECT 1 FROM demand_second s WHERE s.demand_id = d.id AND s.user_id = $2) AS seconded_by_me,
  coalesce((SELECT json_agg(json_build_object('id', pr.id, 'title', pr.title) ORDER BY pr.created_at)
            FROM project_demand pd JOIN project pr ON pr.id = pd.project_id WHERE pd.demand_id = d.id), '[]') AS projects`;
const VIEW_JOINS = `
  LEFT JOIN building b ON b.id = d.building_id
  LEFT JOIN building_gate g ON g.id = d.gate_id
  LEFT JOIN app_user ru ON ru.id = d.raised_by
  JOIN app_user eu ON eu.id = d.entered_by`;

/**
 * How each order sorts, and the keyset its cursor carries: the last row's values, then its id.
 * The time travels as PostgreSQL's own text of it, so no microsecond is lost on the way.
 */
const ORDERS: Record<DemandSort, { by: string; after: (n: number) => string; key: (r: Row) => Array<string | number> }> = {
  newest: {
    by: 'created_at DESC, id DESC',
    after: (n) => `(created_at, id) < ($${n}::timestamptz, $${n + 1}::uuid)`,
    key: (r) => [r.created_key, r.id],
  },
  oldest: {
    by: 'created_at ASC, id ASC',
    after: (n) => `(created_at, id) > ($${n}::timestamptz, $${n + 1}::uuid)`,
    key: (r) => [r.created_key, r.id],
  },
  most_seconded: {
    by: 'seconds DESC, created_at DESC, id DESC',
    after: (n) => `(seconds, created_at, id) < ($${n}::int, $${n + 1}::timestamptz, $${n + 2}::uuid)`,
    key: (r) => [r.seconds, r.created_key, r.id],
  },
};

interface Row {
  id: string;
  scope: DemandView['scope'];
  building_id: string | null;
  building_name: string | null;
  gate_id: string | null;
  gate_name: string | null;
  category: DemandView['category'];
  channel: DemandView['channel'];
  title: string;
  body: string;
  status: DemandView['status'];
  decline_reason: string | null;
  raised_by: string | null;
  raised_by_name: string | null;
  raised_by_user_name: string | null;
  entered_by: string;
  entered_by_name: string;
  named_consent: boolean;
  seconds: number;
  created_at: Date;
  created_key: string;
  updated_at: Date;
  photo_count: number;
  seconded_by_me: boolean;
  projects: DemandView['projects'];
}

/** The chair and gate leaders (who hold the register) see every name; others only where the person agreed. */
export function seesAllNames(access: CompoundAccess): boolean {
  return access.roles.includes('chair') || access.roles.includes('gate_leader');
}

/** Reading the demand list: one page, the counts, one demand with its history. */
@Injectable()
export class DemandQueriesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(access: CompoundAccess, userId: string, q: ListQuery): Promise<DemandPage> {
    const params: unknown[] = [access.compoundId, userId];
    const where = ['compound_id = $1'];
    const add = (sql: (n: number) => string, ...values: unknown[]) => {
      where.push(sql(params.length + 1));
      params.push(...values);
    };
    if (q.status) add((n) => `status = $${n}`, q.status);
    if (q.category) add((n) => `category = $${n}`, q.category);
    if (q.channel) add((n) => `channel = $${n}`, q.channel);
    if (q.buildingId) add((n) => `building_id = $${n}`, q.buildingId);
    if (q.q) {
      // The grams narrow through the GIN index; strpos decides. (ILIKE would do as well, but the
      // planner takes it for very selective and then scans a common word's thousands of rows
      // to sort them, where walking the newest first finds a page at once.)
      add((n) => `search_grams @> lists_query_grams($${n}) AND strpos(lower(title || ' ' || body), lower($${n})) > 0`, q.q);
    }
    const order = ORDERS[q.sort];
    if (q.cursor) add(order.after, ...decodeCursor(q.cursor, q.sort === 'most_seconded'));
    params.push(q.limit + 1);
    const rows: Row[] = await this.db.query(
      `SELECT ${VIEW_COLUMNS}
       FROM (SELECT * FROM demand WHERE ${where.join(' AND ')} ORDER BY ${order.by} LIMIT $${params.length}) d
       ${VIEW_JOINS}
       ORDER BY ${order.by.replace(/(\w+) (ASC|DESC)/g, 'd.$1 $2')}`,
      params,
    );
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    return {
      items: items.map((r) => toView(r, access, userId)),
      nextCursor: more ? encodeCursor(order.key(items.at(-1)!)) : null,
    };
  }

  /** Counts by status, category, channel and building, in one pass over the compound's demands. */
  async counts(access: CompoundAccess): Promise<DemandCounts> {
    const rows: Array<{
      status: string | null;
      category: string | null;
      channel: string | null;
      building_id: string | null;
      n: number;
      g: number;
    }> = await this.db.query(
      `SELECT status, category, channel, building_id, count(*)::int AS n,
                GROUPING(status, category, channel, building_id) AS g
         FROM demand WHERE compound_id = $1
         GROUP BY GROUPING SETS ((status), (category), (channel), (building_id), ())`,
      [access.compoundId],
    );
    const names = new Map<string, string>(
      (await this.db.query(`SELECT id, name FROM building WHERE compound_id = $1`, [access.compoundId])).map(
        (b: { id: string; name: string }) => [b.id, b.name],
      ),
    );
    // GROUPING's bits, most significant first: status, category, channel, building_id (1 = rolled up).
    const of = (g: number) => rows.filter((r) => r.g === g).sort((a, b) => b.n - a.n);
    return {
      total: rows.find((r) => r.g === 0b1111)?.n ?? 0,
      byStatus: of(0b0111).map((r) => ({ key: r.status as DemandView['status'], count: r.n })),
      byCategory: of(0b1011).map((r) => ({ key: r.category as DemandView['category'], count: r.n })),
      byChannel: of(0b1101).map((r) => ({ key: r.channel as DemandView['channel'], count: r.n })),
      byBuilding: of(0b1110).map((r) => ({
        buildingId: r.building_id,
        buildingName: r.building_id ? (names.get(r.building_id) ?? null) : null,
        count: r.n,
      })),
    };
  }

  /** One demand of the compound with its history, photos and named seconders; 404 for any other. */
  async detail(access: CompoundAccess, userId: string, id: string, m: EntityManager = this.db.manager): Promise<DemandDetailView> {
    const [row]: Row[] = await m.query(`SELECT ${VIEW_COLUMNS} FROM demand d ${VIEW_JOINS} WHERE d.id = $3 AND d.compound_id = $1`, [
      access.compoundId,
      userId,
      id,
    ]);
    if (!row) throw new AppError('NOT_FOUND');
    const [history, photos, seconders] = await Promise.all([
      m.query(
        `SELECT c.from_status, c.to_status, c.note, c.changed_by, u.display_name, c.changed_at
         FROM demand_status_change c JOIN app_user u ON u.id = c.changed_by WHERE c.demand_id = $1 ORDER BY c.id`,
        [id],
      ),
      m.query(`SELECT id FROM demand_photo WHERE demand_id = $1 ORDER BY uploaded_at, id`, [id]),
      m.query(
        `SELECT u.display_name FROM demand_second s JOIN app_user u ON u.id = s.user_id
         WHERE s.demand_id = $1 AND (s.named_consent OR $2) ORDER BY s.created_at`,
        [id, seesAllNames(access)],
      ),
    ]);
    const view = toView(row, access, userId);
    // The recording is named as the demand is: the raiser not without their consent, and who
    // entered it for someone else only to those who see every name.
    const hidden = (by: string) =>
      (by === row.raised_by && view.raisedByName === null) || (by === row.entered_by && view.onBehalf && view.enteredByName === null);
    return {
      ...view,
      history: history.map(
        (h: {
          from_status: string | null;
          to_status: string;
          note: string | null;
          changed_by: string;
          display_name: string;
          changed_at: Date;
        }) => ({
          from: h.from_status as DemandView['status'] | null,
          to: h.to_status as DemandView['status'],
          note: h.note,
          changedByName: hidden(h.changed_by) ? null : h.display_name,
          changedAt: h.changed_at.toISOString(),
        }),
      ),
      photoIds: photos.map((p: { id: string }) => p.id),
      secondedByNames: seconders.map((s: { display_name: string }) => s.display_name),
    };
  }
}

function toView(r: Row, access: CompoundAccess, userId: string): DemandView {
  const mine = r.raised_by === userId;
  const named = mine || r.named_consent || seesAllNames(access);
  return {
    id: r.id,
    scope: r.scope,
    buildingId: r.building_id,
    buildingName: r.building_name,
    gateId: r.gate_id,
    gateName: r.gate_name,
    category: r.category,
    channel: r.channel,
    title: r.title,
    body: r.body,
    status: r.status,
    declineReason: r.decline_reason,
    raisedByName: named ? (r.raised_by_user_name ?? r.raised_by_name) : null,
    onBehalf: r.raised_by !== r.entered_by,
    enteredByName: seesAllNames(access) ? r.entered_by_name : null,
    seconds: r.seconds,
    secondedByMe: r.seconded_by_me,
    mine,
    photoCount: r.photo_count,
    projects: r.projects,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** A cursor is only ever one this server made; anything else is a 400 on `cursor`. */
function decodeCursor(cursor: string, withSeconds: boolean): unknown[] {
  const bad = () => new AppError('VALIDATION_FAILED', { fields: [{ path: 'cursor', message: 'not a cursor of this list' }] });
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(values) || values.length !== (withSeconds ? 3 : 2)) throw bad();
  const [at, id] = values.slice(-2);
  const time = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (typeof at !== 'string' || !time.test(at) || typeof id !== 'string' || !uuid.test(id)) throw bad();
  if (withSeconds && !(Number.isInteger(values[0]) && values[0] >= 0 && values[0] < 2 ** 31)) throw bad();
  return values;
}
