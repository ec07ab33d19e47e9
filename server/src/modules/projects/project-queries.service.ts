import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DemandProjects,
  ProjectCounts,
  ProjectDetailView,
  ProjectListQuery,
  projectListQuerySchema,
  ProjectPage,
  ProjectView,
  ResourceKind,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { likePattern } from '../resources/resources.service';

type ListQuery = z.output<typeof projectListQuerySchema> & ProjectListQuery;

const SELECT_PROJECT = `
  SELECT p.id, p.title, p.status, p.summary, p.stop_reason, p.owner_id, u.display_name AS owner_name, p.created_at, p.ended_at,
         p.adopted_proposal_id,
         (SELECT count(*)::int FROM project_demand d WHERE d.project_id = p.id) AS demand_count,
         (SELECT count(*)::int FROM project_milestone ms WHERE ms.project_id = p.id) AS milestones_total,
         (SELECT count(*)::int FROM project_milestone ms WHERE ms.project_id = p.id AND ms.done_at IS NOT NULL) AS milestones_done,
         (SELECT count(*)::int FROM project_acceptance a WHERE a.project_id = p.id AND a.satisfied) AS satisfied,
         (SELECT count(*)::int FROM project_acceptance a WHERE a.project_id = p.id AND NOT a.satisfied) AS unsatisfied
  FROM project p LEFT JOIN app_user u ON u.id = p.owner_id`;

interface ProjectRow {
  id: string;
  title: string;
  status: ProjectView['status'];
  summary: string;
  stop_reason: string | null;
  owner_id: string | null;
  owner_name: string | null;
  created_at: Date;
  ended_at: Date | null;
  adopted_proposal_id: string | null;
  demand_count: number;
  milestones_total: number;
  milestones_done: number;
  satisfied: number;
  unsatisfied: number;
}

const listView = (r: ProjectRow): ProjectView => ({
  id: r.id,
  title: r.title,
  status: r.status,
  ownerName: r.owner_name,
  demandCount: r.demand_count,
  milestonesDone: r.milestones_done,
  milestonesTotal: r.milestones_total,
  acceptance: { satisfied: r.satisfied, unsatisfied: r.unsatisfied },
  createdAt: r.created_at.toISOString(),
  endedAt: r.ended_at?.toISOString() ?? null,
});

const iso = (d: Date) => d.toISOString();

/** What the project list and a project page show; every query bounded by the caller's compound. */
@Injectable()
export class ProjectQueriesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(compoundId: string, q: ListQuery): Promise<ProjectPage> {
    const where = ['p.compound_id = $1'];
    const params: unknown[] = [compoundId];
    if (q.status) {
      params.push(q.status);
      where.push(`p.status = $${params.length}`);
    }
    if (q.q) {
      params.push(likePattern(q.q));
      where.push(`(p.title ILIKE $${params.length} OR p.summary ILIKE $${params.length})`);
    }
    const filter = where.join(' AND ');
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM project p WHERE ${filter}`, params);
    // Active ones first (what is going on now), then the most recently ended.
    const rows: ProjectRow[] = await this.db.query(
      `${SELECT_PROJECT} WHERE ${filter}
       ORDER BY (p.status = 'active') DESC, coalesce(p.ended_at, p.created_at) DESC, p.id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.limit, q.offset],
    );
    return { items: rows.map(listView), total, offset: q.offset, limit: q.limit };
  }

  async counts(compoundId: string): Promise<ProjectCounts> {
    const rows: Array<{ status: ProjectView['status']; n: number }> = await this.db.query(
      `SELECT status, count(*)::int AS n FROM project WHERE compound_id = $1 GROUP BY status`,
      [compoundId],
    );
    const of = (s: ProjectView['status']) => rows.find((r) => r.status === s)?.n ?? 0;
    return { total: of('active') + of('done') + of('stopped'), active: of('active'), done: of('done'), stopped: of('stopped') };
  }

  async byDemand(compoundId: string, demandIds: string[]): Promise<DemandProjects[]> {
    const rows: Array<{ demand_id: string; id: string; title: string; status: ProjectView['status'] }> = await this.db.query(
      `SELECT pd.demand_id, p.id, p.title, p.status FROM project_demand pd JOIN project p ON p.id = pd.project_id
       WHERE p.compound_id = $1 AND pd.demand_id = ANY($2::uuid[]) ORDER BY p.created_at`,
      [compoundId, demandIds],
    );
    return demandIds.map((demandId) => ({
      demandId,
      projects: rows.filter((r) => r.demand_id === demandId).map((r) => ({ id: r.id, title: r.title, status: r.status })),
    }));
  }

  async detail(compoundId: string, id: string, viewerId: string, m: EntityManager = this.db.manager): Promise<ProjectDetailView> {
    const [p]: ProjectRow[] = await m.query(`${SELECT_PROJECT} WHERE p.compound_id = $1 AND p.id = $2`, [compoundId, id]);
    if (!p) throw new AppError('NOT_FOUND');
    // One after another: inside a transaction they share one connection.
    const queries: Array<[string, unknown[]]> = [
      [
        `SELECT d.id, d.title, d.status FROM project_demand pd JOIN demand d ON d.id = pd.demand_id WHERE pd.project_id = $1 ORDER BY d.created_at`,
        [id],
      ],
      [
        `SELECT mt.id, mt.title, mt.scheduled_at, mt.status FROM project_meeting pm JOIN meeting mt ON mt.id = pm.meeting_id
         WHERE pm.project_id = $1 ORDER BY mt.scheduled_at`,
        [id],
      ],
      [
        `SELECT r.id, r.name, r.kind, o.name AS organisation_name, pr.note FROM project_resource pr JOIN resource r ON r.id = pr.resource_id
         LEFT JOIN organisation o ON o.id = r.organisation_id WHERE pr.project_id = $1 ORDER BY r.kind, r.name`,
        [id],
      ],
      [
        `SELECT id, title, due_on::text AS due_on, done_at FROM project_milestone WHERE project_id = $1 ORDER BY due_on, sort, created_at`,
        [id],
      ],
      [
        `SELECT pu.id, pu.note, u.display_name AS author_name, pu.created_at,
                ARRAY(SELECT ph.id FROM project_update_photo ph WHERE ph.update_id = pu.id ORDER BY ph.uploaded_at, ph.id) AS photo_ids
           FROM project_update pu LEFT JOIN app_user u ON u.id = pu.author_id
         WHERE pu.project_id = $1 ORDER BY pu.created_at, pu.id`,
        [id],
      ],
      [`SELECT satisfied, comment FROM project_acceptance WHERE project_id = $1 AND user_id = $2`, [id, viewerId]],
      [`SELECT comment FROM project_acceptance WHERE project_id = $1 AND comment <> '' ORDER BY created_at`, [id]],
      [
        `SELECT e.kind, e.note, u.display_name AS actor_name, e.at FROM project_event e LEFT JOIN app_user u ON u.id = e.actor_id
         WHERE e.project_id = $1 ORDER BY e.at, e.id`,
        [id],
      ],
    ];
    const results: never[][] = [];
    for (const [sql, params] of queries) results.push(await m.query(sql, params));
    type Rows = never[];
    const [demands, meetings, resources, milestones, updates, , comments, history] = results as [
      Rows,
      Rows,
      Rows,
      Rows,
      Rows,
      Rows,
      Rows,
      Rows,
    ];
    const mine = results[5] as Array<{ satisfied: boolean; comment: string }>;
    return {
      ...listView(p),
      summary: p.summary,
      stopReason: p.stop_reason,
      ownerId: p.owner_id,
      demands,
      meetings: meetings.map((x: { id: string; title: string; scheduled_at: Date; status: string }) => ({
        id: x.id,
        title: x.title,
        scheduledAt: iso(x.scheduled_at),
        status: x.status,
      })),
      proposal: p.adopted_proposal_id ? await this.proposal(m, p.adopted_proposal_id) : null,
      resources: resources.map((r: { id: string; name: string; kind: ResourceKind; organisation_name: string | null; note: string }) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        organisationName: r.organisation_name,
        note: r.note,
      })),
      milestones: milestones.map((x: { id: string; title: string; due_on: string; done_at: Date | null }) => ({
        id: x.id,
        title: x.title,
        dueOn: x.due_on,
        doneAt: x.done_at ? iso(x.done_at) : null,
      })),
      updates: updates.map((x: { id: string; note: string; author_name: string | null; created_at: Date; photo_ids: string[] }) => ({
        id: x.id,
        note: x.note,
        authorName: x.author_name,
        createdAt: iso(x.created_at),
        photoIds: x.photo_ids,
      })),
      myAcceptance: mine[0] ? { satisfied: mine[0].satisfied, comment: mine[0].comment } : null,
      acceptanceComments: comments.map((c: { comment: string }) => c.comment),
      history: history.map(
        (e: { kind: ProjectDetailView['history'][number]['kind']; note: string | null; actor_name: string | null; at: Date }) => ({
          kind: e.kind,
          note: e.note,
          actorName: e.actor_name,
          at: iso(e.at),
        }),
      ),
    };
  }

  /** The adopted proposal with the funding sign-offs given or refused on it (the latest per organisation). */
  private async proposal(m: EntityManager, proposalId: string): Promise<ProjectDetailView['proposal']> {
    const [proposal] = await m.query(`SELECT id, title, status FROM proposal WHERE id = $1`, [proposalId]);
    if (!proposal) return null;
    const signOffs = await m.query(
      `SELECT DISTINCT ON (s.organisation_id) o.name AS organisation_name, s.decision, s.amount_fen, s.signed_at
       FROM sign_off s JOIN organisation o ON o.id = s.organisation_id
       WHERE s.proposal_id = $1 ORDER BY s.organisation_id, s.signed_at DESC`,
      [proposalId],
    );
    return {
      id: proposal.id,
      title: proposal.title,
      status: proposal.status,
      signOffs: signOffs.map((s: { organisation_name: string; decision: 'given' | 'refused'; amount_fen: string; signed_at: Date }) => ({
        organisationName: s.organisation_name,
        decision: s.decision,
        amountFen: Number(s.amount_fen),
        signedAt: iso(s.signed_at),
      })),
    };
  }
}
