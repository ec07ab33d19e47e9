import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  createResourceSchema,
  ResourceListQuery,
  resourceListQuerySchema,
  ResourcePage,
  ResourceView,
  zoneSchema,
  ZoneView,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';

type ResourceInput = z.output<typeof createResourceSchema>;
type ListQuery = z.output<typeof resourceListQuerySchema> & ResourceListQuery;

interface ResourceRow {
  id: string;
  kind: ResourceView['kind'];
  name: string;
  organisation_id: string | null;
  organisation_name: string | null;
  partner_type: string | null;
  amount_fen: string | null;
  source: string | null;
  availability: ResourceView['availability'];
  user_id: string | null;
  contact: string | null;
  notes: string;
  zones: string[];
  archived_at: Date | null;
  updated_at: Date;
}

const SELECT_RESOURCE = `
  SELECT r.id, r.kind, r.name, r.organisation_id, o.name AS organisation_name, o.partner_type, r.amount_fen, r.source,
         r.availability, r.user_id, r.contact, r.notes, r.archived_at, r.updated_at,
         coalesce((SELECT array_agg(z.space_name ORDER BY z.space_name) FROM responsibility_zone z WHERE z.team_resource_id = r.id), '{}') AS zones
  FROM resource r LEFT JOIN organisation o ON o.id = r.organisation_id`;

const view = (r: ResourceRow): ResourceView => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  organisationType: r.partner_type,
  amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
  source: r.source,
  availability: r.availability,
  userId: r.user_id,
  contact: r.contact,
  notes: r.notes,
  zones: r.zones,
  archived: r.archived_at !== null,
  updatedAt: r.updated_at.toISOString(),
});

/** Escapes LIKE's wildcards so a search for "50%" finds that text. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * 资源清单: the compound's venues, teams, people, services and funds, its own or offered by
 * partner units of its community, and 责任田, the spaces each team looks after. Every query is
 * bounded by the caller's compound, so another compound's resources are simply not found.
 */
@Injectable()
export class ResourcesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(compoundId: string, q: ListQuery): Promise<ResourcePage> {
    const where = ['r.compound_id = $1', q.archived === 'true' ? 'r.archived_at IS NOT NULL' : 'r.archived_at IS NULL'];
    const params: unknown[] = [compoundId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.kind) add('r.kind = ?', q.kind);
    if (q.availability) add('r.availability = ?', q.availability);
    if (q.origin === 'internal') where.push('r.organisation_id IS NULL');
    if (q.origin === 'partner') where.push('r.organisation_id IS NOT NULL');
    if (q.organisationId) add('r.organisation_id = ?', q.organisationId);
    if (q.q) add(`(r.name ILIKE ? OR r.notes ILIKE $${params.length + 1} OR o.name ILIKE $${params.length + 1})`, likePattern(q.q));
    const filter = where.join(' AND ');
    const [totals] = await this.db.query(
      `SELECT count(*)::int AS total, coalesce(sum(r.amount_fen), 0)::text AS fund_total
       FROM resource r LEFT JOIN organisation o ON o.id = r.organisation_id WHERE ${filter}`,
      params,
    );
    const rows: ResourceRow[] = await this.db.query(
      `${SELECT_RESOURCE} WHERE ${filter} ORDER BY r.kind, r.name, r.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.limit, q.offset],
    );
    return { items: rows.map(view), total: totals.total, fundTotalFen: Number(totals.fund_total), offset: q.offset, limit: q.limit };
  }

  async get(compoundId: string, id: string, m: EntityManager = this.db.manager): Promise<ResourceView> {
    const [row] = await m.query(`${SELECT_RESOURCE} WHERE r.compound_id = $1 AND r.id = $2`, [compoundId, id]);
    if (!row) throw new AppError('NOT_FOUND');
    return view(row as ResourceRow);
  }

  async create(compoundId: string, userId: string, input: ResourceInput): Promise<ResourceView> {
    return this.db.transaction(async (m) => {
      await this.checkLinks(m, compoundId, input);
      const [row] = await m.query(
        `INSERT INTO resource (compound_id, kind, name, organisation_id, amount_fen, source, availability, user_id, contact, notes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [compoundId, ...columns(input), userId],
      );
      return this.get(compoundId, row.id, m);
    });
  }

  async update(compoundId: string, id: string, input: ResourceInput): Promise<ResourceView> {
    return this.db.transaction(async (m) => {
      const [current] = await m.query(`SELECT kind FROM resource WHERE compound_id = $1 AND id = $2 FOR UPDATE`, [compoundId, id]);
      if (!current) throw new AppError('NOT_FOUND');
      // A team that looks after zones stays a team: its zones would otherwise name a non-team.
      if (current.kind === 'team' && input.kind !== 'team') {
        const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM responsibility_zone WHERE team_resource_id = $1`, [id]);
        if (n > 0) throw fieldError('kind', 'this team looks after responsibility zones; hand them to another team first');
      }
      await this.checkLinks(m, compoundId, input);
      await m.query(
        `UPDATE resource SET kind = $3, name = $4, organisation_id = $5, amount_fen = $6, source = $7, availability = $8,
           user_id = $9, contact = $10, notes = $11, updated_at = now()
         WHERE compound_id = $1 AND id = $2`,
        [compoundId, id, ...columns(input)],
      );
      return this.get(compoundId, id, m);
    });
  }

  /** Archived, not deleted: projects that used it still name it. */
  async setArchived(compoundId: string, id: string, archived: boolean): Promise<ResourceView> {
    const [, n] = await this.db.query(
      `UPDATE resource SET archived_at = CASE WHEN $3 THEN coalesce(archived_at, now()) END, updated_at = now() WHERE compound_id = $1 AND id = $2`,
      [compoundId, id, archived],
    );
    if (n === 0) throw new AppError('NOT_FOUND');
    return this.get(compoundId, id);
  }

  async zones(compoundId: string): Promise<ZoneView[]> {
    const rows = await this.db.query(
      `SELECT z.id, z.space_name, z.team_resource_id, r.name AS team_name, z.notes
       FROM responsibility_zone z JOIN resource r ON r.id = z.team_resource_id
       WHERE z.compound_id = $1 ORDER BY z.space_name`,
      [compoundId],
    );
    return rows.map(zoneView);
  }

  async createZone(compoundId: string, input: z.output<typeof zoneSchema>): Promise<ZoneView> {
    return this.db.transaction(async (m) => {
      await this.checkTeam(m, compoundId, input.teamResourceId);
      const [taken] = await m.query(`SELECT 1 FROM responsibility_zone WHERE compound_id = $1 AND space_name = $2`, [
        compoundId,
        input.spaceName,
      ]);
      if (taken) throw fieldError('spaceName', 'this space already has a team');
      const [row] = await m.query(
        `INSERT INTO responsibility_zone (compound_id, space_name, team_resource_id, notes) VALUES ($1, $2, $3, $4) RETURNING id`,
        [compoundId, input.spaceName, input.teamResourceId, input.notes],
      );
      return this.zone(m, compoundId, row.id);
    });
  }

  async updateZone(compoundId: string, id: string, input: z.output<typeof zoneSchema>): Promise<ZoneView> {
    return this.db.transaction(async (m) => {
      await this.checkTeam(m, compoundId, input.teamResourceId);
      const [taken] = await m.query(`SELECT 1 FROM responsibility_zone WHERE compound_id = $1 AND space_name = $2 AND id <> $3`, [
        compoundId,
        input.spaceName,
        id,
      ]);
      if (taken) throw fieldError('spaceName', 'this space already has a team');
      const [, n] = await m.query(
        `UPDATE responsibility_zone SET space_name = $3, team_resource_id = $4, notes = $5 WHERE compound_id = $1 AND id = $2`,
        [compoundId, id, input.spaceName, input.teamResourceId, input.notes],
      );
      if (n === 0) throw new AppError('NOT_FOUND');
      return this.zone(m, compoundId, id);
    });
  }

  async deleteZone(compoundId: string, id: string): Promise<void> {
    const [, n] = await this.db.query(`DELETE FROM responsibility_zone WHERE compound_id = $1 AND id = $2`, [compoundId, id]);
    if (n === 0) throw new AppError('NOT_FOUND');
  }

  private async zone(m: EntityManager, compoundId: string, id: string): Promise<ZoneView> {
    const [row] = await m.query(
      `SELECT z.id, z.space_name, z.team_resource_id, r.name AS team_name, z.notes
       FROM responsibility_zone z JOIN resource r ON r.id = z.team_resource_id WHERE z.compound_id = $1 AND z.id = $2`,
      [compoundId, id],
    );
    return zoneView(row);
  }

  private async checkTeam(m: EntityManager, compoundId: string, teamId: string): Promise<void> {
    const [team] = await m.query(`SELECT kind FROM resource WHERE compound_id = $1 AND id = $2 AND archived_at IS NULL`, [
      compoundId,
      teamId,
    ]);
    if (!team || team.kind !== 'team') throw fieldError('teamResourceId', 'choose one of the compound’s teams');
  }

  /** The partner unit must serve the compound's community; the person's account must be a member here. */
  private async checkLinks(m: EntityManager, compoundId: string, input: ResourceInput): Promise<void> {
    if (input.organisationId) {
      const [org] = await m.query(
        `SELECT 1 FROM organisation o JOIN compound c ON c.community_id = o.community_id WHERE c.id = $1 AND o.id = $2`,
        [compoundId, input.organisationId],
      );
      if (!org) throw fieldError('organisationId', 'choose an organisation of this community');
    }
    if (input.userId) {
      const [member] = await m.query(`SELECT 1 FROM membership WHERE compound_id = $1 AND user_id = $2 LIMIT 1`, [
        compoundId,
        input.userId,
      ]);
      if (!member) throw fieldError('userId', 'this person is not a member of the compound');
    }
  }
}

const columns = (i: ResourceInput) => [
  i.kind,
  i.name,
  i.organisationId ?? null,
  i.kind === 'fund' ? (i.amountFen ?? null) : null,
  i.source || null,
  i.availability,
  i.kind === 'person' ? (i.userId ?? null) : null,
  i.contact || null,
  i.notes,
];

const zoneView = (r: { id: string; space_name: string; team_resource_id: string; team_name: string; notes: string }): ZoneView => ({
  id: r.id,
  spaceName: r.space_name,
  teamResourceId: r.team_resource_id,
  teamName: r.team_name,
  notes: r.notes,
});

export const fieldError = (path: string, message: string) => new AppError('VALIDATION_FAILED', { fields: [{ path, message }] });
