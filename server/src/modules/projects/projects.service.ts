import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type acceptanceSchema,
  type createProjectSchema,
  demandMoveAllowed,
  type DemandStatus,
  type endProjectSchema,
  type milestoneSchema,
  type ProjectDetailView,
  type ProjectEventKind,
  type ProjectStatus,
  PROJECT_TRANSITIONS,
  type Role,
  type updateProjectSchema,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { storeListPhoto } from '../demands/list-photos';
import { fieldError } from '../resources/resources.service';
import { PaperPhotos } from '../votes/paper-photos';
import { ProjectQueriesService } from './project-queries.service';

type CreateInput = z.output<typeof createProjectSchema>;
type UpdateInput = z.output<typeof updateProjectSchema>;
/** A progress note keeps at most this many photos. */
const MAX_PHOTOS_PER_UPDATE = 6;

/**
 * 项目清单's life cycle: a project starts from demands that went through deliberation and moves
 * them to "became a project"; it gets milestones and progress notes; it ends done (its demands
 * done, residents then answer the satisfaction check) or stopped with a reason (its demands back
 * to deliberation). Each change and its history entry commit together.
 *
 * The demand moves are written here, straight to the demand table and its status history,
 * because they must share the project's transaction; the allowed moves are the shared table's.
 */
@Injectable()
export class ProjectsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queries: ProjectQueriesService,
    private readonly events: DomainEvents,
    private readonly photos: PaperPhotos,
  ) {}

  /**
   * One change in one transaction; after the commit, whoever has the compound's lists open
   * hears of the project and of its demands (whose status or project may have moved with it).
   */
  private async change(compoundId: string, work: (m: EntityManager) => Promise<ProjectDetailView>): Promise<ProjectDetailView> {
    const view = await this.db.transaction(work);
    this.events.emit('lists.changed', { compoundId, demandIds: view.demands.map((d) => d.id), projectIds: [view.id] });
    return view;
  }

  async create(compoundId: string, userId: string, input: CreateInput): Promise<ProjectDetailView> {
    return this.change(compoundId, async (m) => {
      const demands: Array<{ id: string; status: DemandStatus }> = await m.query(
        `SELECT id, status FROM demand WHERE compound_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
        [compoundId, input.demandIds],
      );
      input.demandIds.forEach((id, i) => {
        const d = demands.find((x) => x.id === id);
        if (!d) throw fieldError(`demandIds.${i}`, 'no such demand in this compound');
        if (d.status !== 'became_project' && !demandMoveAllowed(d.status, 'became_project'))
          throw fieldError(`demandIds.${i}`, 'a demand must go through deliberation first');
      });
      await this.checkLinks(m, compoundId, input);
      const [p] = await m.query(
        `INSERT INTO project (compound_id, title, summary, owner_id, adopted_proposal_id, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [compoundId, input.title, input.summary, input.ownerId, input.adoptedProposalId, userId],
      );
      await m.query(`INSERT INTO project_demand (project_id, demand_id) SELECT $1, unnest($2::uuid[])`, [p.id, input.demandIds]);
      await this.linkMeetingsAndResources(m, p.id, input);
      for (const [i, ms] of input.milestones.entries()) {
        await m.query(`INSERT INTO project_milestone (project_id, title, due_on, sort) VALUES ($1, $2, $3, $4)`, [
          p.id,
          ms.title,
          ms.dueOn,
          i,
        ]);
      }
      await this.moveDemands(m, p.id, 'became_project', userId, `→ ${input.title}`);
      await this.record(m, p.id, 'created', input.title, userId);
      return this.queries.detail(compoundId, p.id, userId, m);
    });
  }

  async update(compoundId: string, userId: string, id: string, input: UpdateInput): Promise<ProjectDetailView> {
    return this.change(compoundId, async (m) => {
      await this.lockActive(m, compoundId, id);
      await this.checkLinks(m, compoundId, input);
      const sets: string[] = [];
      const params: unknown[] = [id];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (input.title !== undefined) set('title', input.title);
      if (input.summary !== undefined) set('summary', input.summary);
      if (input.ownerId !== undefined) set('owner_id', input.ownerId);
      if (input.adoptedProposalId !== undefined) set('adopted_proposal_id', input.adoptedProposalId);
      if (sets.length) await m.query(`UPDATE project SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
      if (input.meetingIds) await m.query(`DELETE FROM project_meeting WHERE project_id = $1`, [id]);
      if (input.resources) await m.query(`DELETE FROM project_resource WHERE project_id = $1`, [id]);
      await this.linkMeetingsAndResources(m, id, input);
      const changed = Object.keys(input).filter((k) => input[k as keyof UpdateInput] !== undefined);
      if (changed.length) await this.record(m, id, 'edited', changed.join(', '), userId);
      return this.queries.detail(compoundId, id, userId, m);
    });
  }

  async addMilestone(
    compoundId: string,
    userId: string,
    roles: readonly Role[],
    id: string,
    input: z.output<typeof milestoneSchema>,
  ): Promise<ProjectDetailView> {
    return this.change(compoundId, async (m) => {
      const p = await this.lockActive(m, compoundId, id);
      this.mayReport(p, userId, roles);
      await m.query(
        `INSERT INTO project_milestone (project_id, title, due_on, sort)
         VALUES ($1, $2, $3, (SELECT coalesce(max(sort) + 1, 0) FROM project_milestone WHERE project_id = $1))`,
        [id, input.title, input.dueOn],
      );
      await this.record(m, id, 'milestone_added', `${input.title} (${input.dueOn})`, userId);
      return this.queries.detail(compoundId, id, userId, m);
    });
  }

  async completeMilestone(compoundId: string, userId: string, roles: readonly Role[], id: string, milestoneId: string) {
    return this.change(compoundId, async (m) => {
      const p = await this.lockActive(m, compoundId, id);
      this.mayReport(p, userId, roles);
      const [ms] = await m.query(`SELECT title, done_at FROM project_milestone WHERE project_id = $1 AND id = $2 FOR UPDATE`, [
        id,
        milestoneId,
      ]);
      if (!ms) throw new AppError('NOT_FOUND');
      if (ms.done_at) throw new AppError('CONFLICT', { message: 'This milestone is already reached' });
      await m.query(`UPDATE project_milestone SET done_at = now() WHERE id = $1`, [milestoneId]);
      await this.record(m, id, 'milestone_done', ms.title, userId);
      return this.queries.detail(compoundId, id, userId, m);
    });
  }

  async progress(compoundId: string, userId: string, roles: readonly Role[], id: string, note: string): Promise<ProjectDetailView> {
    return this.change(compoundId, async (m) => {
      const p = await this.lockActive(m, compoundId, id);
      this.mayReport(p, userId, roles);
      await m.query(`INSERT INTO project_update (project_id, note, author_id) VALUES ($1, $2, $3)`, [id, note, userId]);
      await this.record(m, id, 'progress', note, userId);
      return this.queries.detail(compoundId, id, userId, m);
    });
  }

  /**
   * A photo of a progress note, normalised as demand photos are: by the project's owner or the
   * chair, while the project is active; at most six a note.
   */
  async addUpdatePhoto(
    compoundId: string,
    userId: string,
    roles: readonly Role[],
    id: string,
    updateId: string,
    file: { path: string; size: number },
  ): Promise<ProjectDetailView> {
    // Checked before the photo is decoded, and again under the lock when it is stored.
    const check = async (m: EntityManager, mode: string) => {
      const p = await this.lock(m, compoundId, id, mode);
      if (p.status !== 'active') throw new AppError('PROJECT_ENDED');
      this.mayReport(p, userId, roles);
      const [u] = await m.query(`SELECT 1 FROM project_update WHERE id = $1 AND project_id = $2`, [updateId, id]);
      if (!u) throw new AppError('NOT_FOUND');
    };
    await check(this.db.manager, '');
    const photo = await this.photos.normalise(file.path, file.size);
    return this.change(compoundId, async (m) => {
      await check(m, 'FOR UPDATE');
      await storeListPhoto(m, 'projectUpdate', updateId, photo, userId, MAX_PHOTOS_PER_UPDATE);
      return this.queries.detail(compoundId, id, userId, m);
    });
  }

  async photo(compoundId: string, id: string, photoId: string): Promise<Buffer> {
    const [row] = await this.db.query(
      `SELECT ph.bytes FROM project_update_photo ph JOIN project_update pu ON pu.id = ph.update_id JOIN project p ON p.id = pu.project_id
        WHERE ph.id = $1 AND p.id = $2 AND p.compound_id = $3`,
      [photoId, id, compoundId],
    );
    if (!row) throw new AppError('NOT_FOUND');
    return row.bytes;
  }

  async end(compoundId: string, userId: string, id: string, input: z.output<typeof endProjectSchema>): Promise<ProjectDetailView> {
    return this.change(compoundId, async (m) => {
      const p = await this.lock(m, compoundId, id);
      if (!PROJECT_TRANSITIONS[p.status].includes(input.to)) throw new AppError('PROJECT_ENDED');
      await m.query(`UPDATE project SET status = $2, stop_reason = $3, ended_at = now(), updated_at = now() WHERE id = $1`, [
        id,
        input.to,
        input.to === 'stopped' ? input.reason : null,
      ]);
      await this.moveDemands(m, id, input.to === 'done' ? 'done' : 'in_deliberation', userId, input.reason ?? null);
      await this.record(m, id, input.to, input.reason ?? null, userId);
      return this.queries.detail(compoundId, id, userId, m);
    });
  }

  async accept(compoundId: string, userId: string, id: string, input: z.output<typeof acceptanceSchema>): Promise<ProjectDetailView> {
    return this.change(compoundId, async (m) => {
      const p = await this.lock(m, compoundId, id, 'FOR SHARE');
      if (p.status !== 'done') throw new AppError('PROJECT_NOT_DONE');
      const inserted = await m.query(
        `INSERT INTO project_acceptance (project_id, user_id, satisfied, comment) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
        [id, userId, input.satisfied, input.comment],
      );
      if (inserted.length === 0) throw new AppError('ALREADY_ACCEPTED');
      return this.queries.detail(compoundId, id, userId, m);
    });
  }

  private async lock(m: EntityManager, compoundId: string, id: string, mode = 'FOR UPDATE') {
    const [p] = await m.query(`SELECT status, owner_id FROM project WHERE compound_id = $1 AND id = $2 ${mode}`, [compoundId, id]);
    if (!p) throw new AppError('NOT_FOUND');
    return p as { status: ProjectStatus; owner_id: string | null };
  }

  private async lockActive(m: EntityManager, compoundId: string, id: string) {
    const p = await this.lock(m, compoundId, id);
    if (p.status !== 'active') throw new AppError('PROJECT_ENDED');
    return p;
  }

  /** Progress and milestones: the chair, or the project's owner. */
  private mayReport(p: { owner_id: string | null }, userId: string, roles: readonly Role[]): void {
    if (!roles.includes('chair') && p.owner_id !== userId)
      throw new AppError('FORBIDDEN', { message: 'Only the project’s owner or the chair reports its progress' });
  }

  /**
   * Moves the project's demands that stand at "became a project" and that no other active
   * project still answers, recording each move in the demand's history.
   */
  private async moveDemands(m: EntityManager, projectId: string, to: DemandStatus, userId: string, note: string | null) {
    const rows: Array<{ id: string; status: DemandStatus }> = await m.query(
      `SELECT d.id, d.status FROM project_demand pd JOIN demand d ON d.id = pd.demand_id
       WHERE pd.project_id = $1 AND d.status IS DISTINCT FROM $2 ORDER BY d.id FOR UPDATE OF d`,
      [projectId, to],
    );
    for (const d of rows) {
      if (!demandMoveAllowed(d.status, to)) continue;
      if (to !== 'became_project') {
        const [other] = await m.query(
          `SELECT 1 FROM project_demand pd JOIN project p ON p.id = pd.project_id
           WHERE pd.demand_id = $1 AND pd.project_id <> $2 AND p.status = 'active' LIMIT 1`,
          [d.id, projectId],
        );
        if (other) continue;
      }
      await m.query(`UPDATE demand SET status = $2, updated_at = now() WHERE id = $1`, [d.id, to]);
      await m.query(`INSERT INTO demand_status_change (demand_id, from_status, to_status, note, changed_by) VALUES ($1, $2, $3, $4, $5)`, [
        d.id,
        d.status,
        to,
        note,
        userId,
      ]);
    }
  }

  private async record(m: EntityManager, projectId: string, kind: ProjectEventKind, note: string | null, userId: string) {
    await m.query(`INSERT INTO project_event (project_id, kind, note, actor_id) VALUES ($1, $2, $3, $4)`, [projectId, kind, note, userId]);
  }

  private async linkMeetingsAndResources(m: EntityManager, projectId: string, input: Pick<UpdateInput, 'meetingIds' | 'resources'>) {
    if (input.meetingIds?.length)
      await m.query(`INSERT INTO project_meeting (project_id, meeting_id) SELECT $1, unnest($2::uuid[])`, [projectId, input.meetingIds]);
    for (const r of input.resources ?? [])
      await m.query(`INSERT INTO project_resource (project_id, resource_id, note) VALUES ($1, $2, $3)`, [projectId, r.resourceId, r.note]);
  }

  /** Meetings, the proposal, the owner and resources must all belong to the compound. */
  private async checkLinks(m: EntityManager, compoundId: string, input: UpdateInput): Promise<void> {
    for (const [i, meetingId] of (input.meetingIds ?? []).entries()) {
      const [found] = await m.query(`SELECT 1 FROM meeting WHERE compound_id = $1 AND id = $2`, [compoundId, meetingId]);
      if (!found) throw fieldError(`meetingIds.${i}`, 'no such meeting in this compound');
    }
    if (input.adoptedProposalId) {
      const [proposal] = await m.query(`SELECT status FROM proposal WHERE compound_id = $1 AND id = $2`, [
        compoundId,
        input.adoptedProposalId,
      ]);
      if (!proposal) throw fieldError('adoptedProposalId', 'no such proposal in this compound');
      if (proposal.status !== 'adopted') throw fieldError('adoptedProposalId', 'this proposal has not been adopted');
    }
    if (input.ownerId) {
      const [member] = await m.query(`SELECT 1 FROM membership WHERE compound_id = $1 AND user_id = $2 LIMIT 1`, [
        compoundId,
        input.ownerId,
      ]);
      if (!member) throw fieldError('ownerId', 'the owner must be a member of the compound');
    }
    const seen = new Set<string>();
    for (const [i, r] of (input.resources ?? []).entries()) {
      if (seen.has(r.resourceId)) throw fieldError(`resources.${i}.resourceId`, 'a resource is named twice');
      seen.add(r.resourceId);
      const [found] = await m.query(`SELECT 1 FROM resource WHERE compound_id = $1 AND id = $2 AND archived_at IS NULL`, [
        compoundId,
        r.resourceId,
      ]);
      if (!found) throw fieldError(`resources.${i}.resourceId`, 'no such resource in this compound');
    }
  }
}
