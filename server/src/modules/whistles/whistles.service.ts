import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  demandMoveAllowed,
  type DemandStatus,
  type blowWhistleSchema,
  WHISTLE_TARGET_KINDS,
  WHISTLE_TRANSITIONS,
  type WhistleEventKind,
  type WhistleListQuery,
  type WhistleStatus,
  type WhistleView,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import type { CompoundAccess } from '../memberships/compound-access';
import { findWhistle, listWhistles, type WhistleViewer, whistleViewer } from './whistle-views';

/** The longest a department may be given to answer. */
const MAX_DEADLINE_MS = 366 * 86_400_000;

interface Locked {
  id: string;
  status: WhistleStatus;
  demand_id: string | null;
  project_id: string | null;
}

interface TargetState {
  organisation_id: string;
  accepted_at: Date | null;
  answered_at: Date | null;
}

const fieldError = (path: string, message: string) => new AppError('VALIDATION_FAILED', { fields: [{ path, message }] });

/**
 * 吹哨, 报到: the chair blows a whistle on a demand or a project's blocker to departments and
 * partner units; each target accepts (报到) and answers; the chair (or a target, once all have
 * answered) resolves it. Each step is one transaction that locks the whistle, checks the step is
 * next in order, and records who and when in whistle_event; listeners hear of it after the commit.
 */
@Injectable()
export class WhistlesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: DomainEvents,
  ) {}

  async list(access: CompoundAccess, userId: string, q: WhistleListQuery): Promise<WhistleView[]> {
    return listWhistles(this.db.manager, await whistleViewer(this.db.manager, access, userId), q);
  }

  async get(access: CompoundAccess, userId: string, whistleId: string): Promise<WhistleView> {
    const view = await findWhistle(this.db.manager, await whistleViewer(this.db.manager, access, userId), whistleId);
    if (!view) throw new AppError('NOT_FOUND');
    return view;
  }

  async blow(access: CompoundAccess, userId: string, req: z.output<typeof blowWhistleSchema>): Promise<WhistleView> {
    const deadline = new Date(req.deadline);
    const now = Date.now();
    if (deadline.getTime() <= now) throw fieldError('deadline', 'the deadline must be in the future');
    if (deadline.getTime() > now + MAX_DEADLINE_MS) throw fieldError('deadline', 'the deadline must be within a year');
    const id = await this.db.transaction(async (m) => {
      if (req.demandId) await this.escalateDemand(m, access.compoundId, userId, req.demandId);
      else await this.checkProject(m, access.compoundId, req.projectId!);
      const orgs: Array<{ id: string }> = await m.query(
        `SELECT o.id FROM organisation o JOIN compound c ON c.community_id = o.community_id
          WHERE c.id = $1 AND o.id = ANY($2::uuid[]) AND o.kind = ANY($3::text[])`,
        [access.compoundId, req.organisationIds, WHISTLE_TARGET_KINDS],
      );
      if (orgs.length !== req.organisationIds.length)
        throw fieldError('organisationIds', "choose departments or partner units of this compound's community");
      const [w] = await m.query(
        `INSERT INTO whistle (compound_id, demand_id, project_id, question, deadline, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [access.compoundId, req.demandId ?? null, req.projectId ?? null, req.question, deadline, userId],
      );
      await m.query(`INSERT INTO whistle_target (whistle_id, organisation_id) SELECT $1, unnest($2::uuid[])`, [w.id, req.organisationIds]);
      await this.record(m, w.id, 'raised', null, userId, req.question);
      return w.id as string;
    });
    // The demand may have moved to "to escalate": the compound's list shows it.
    if (req.demandId) this.events.emit('lists.changed', { compoundId: access.compoundId, demandIds: [req.demandId], projectIds: [] });
    return this.changed(access, userId, id);
  }

  /** 报到: the caller's organisation takes the whistle on. */
  async accept(access: CompoundAccess, userId: string, whistleId: string, organisationId?: string): Promise<WhistleView> {
    await this.db.transaction(async (m) => {
      const viewer = await whistleViewer(m, access, userId);
      const w = await this.lock(m, viewer, whistleId);
      const target = await this.ownTarget(m, viewer, w.id, organisationId);
      if (w.status === 'resolved' || target.accepted_at)
        throw new AppError('WHISTLE_STATUS', { message: target.accepted_at ? 'already accepted' : 'the whistle is resolved' });
      await m.query(`UPDATE whistle_target SET accepted_at = now(), accepted_by = $3 WHERE whistle_id = $1 AND organisation_id = $2`, [
        w.id,
        target.organisation_id,
        userId,
      ]);
      await this.record(m, w.id, 'accepted', target.organisation_id, userId, null);
      await this.settle(m, w);
    });
    return this.changed(access, userId, whistleId);
  }

  async answer(access: CompoundAccess, userId: string, whistleId: string, answer: string, organisationId?: string): Promise<WhistleView> {
    await this.db.transaction(async (m) => {
      const viewer = await whistleViewer(m, access, userId);
      const w = await this.lock(m, viewer, whistleId);
      const target = await this.ownTarget(m, viewer, w.id, organisationId);
      if (w.status === 'resolved') throw new AppError('WHISTLE_STATUS', { message: 'the whistle is resolved' });
      if (!target.accepted_at) throw new AppError('WHISTLE_STATUS', { message: 'accept the whistle (报到) before answering it' });
      if (target.answered_at) throw new AppError('WHISTLE_STATUS', { message: 'already answered' });
      await m.query(
        `UPDATE whistle_target SET answered_at = now(), answered_by = $3, answer = $4 WHERE whistle_id = $1 AND organisation_id = $2`,
        [w.id, target.organisation_id, userId, answer],
      );
      await this.record(m, w.id, 'answered', target.organisation_id, userId, answer);
      await this.settle(m, w);
    });
    return this.changed(access, userId, whistleId);
  }

  /** The chair closes it at any step; a target's member only once every target has answered. */
  async resolve(access: CompoundAccess, userId: string, whistleId: string, note?: string): Promise<WhistleView> {
    await this.db.transaction(async (m) => {
      const viewer = await whistleViewer(m, access, userId);
      const w = await this.lock(m, viewer, whistleId);
      if (!viewer.chair) {
        await this.ownTarget(m, viewer, w.id, undefined, true);
        if (w.status !== 'answered') throw new AppError('WHISTLE_STATUS', { message: 'every target must answer before it is resolved' });
      }
      this.move(w, 'resolved');
      await m.query(`UPDATE whistle SET status = 'resolved', resolved_at = now(), updated_at = now() WHERE id = $1`, [w.id]);
      await this.record(m, w.id, 'resolved', null, userId, note || null);
    });
    return this.changed(access, userId, whistleId);
  }

  /** The chair reopens a resolved whistle: every target reports (报到) and answers again; earlier answers stay in the history. */
  async reopen(access: CompoundAccess, userId: string, whistleId: string, note?: string): Promise<WhistleView> {
    await this.db.transaction(async (m) => {
      const w = await this.lock(m, await whistleViewer(m, access, userId), whistleId);
      this.move(w, 'open');
      await m.query(
        `UPDATE whistle_target SET accepted_at = NULL, accepted_by = NULL, answered_at = NULL, answered_by = NULL, answer = NULL WHERE whistle_id = $1`,
        [w.id],
      );
      await m.query(`UPDATE whistle SET status = 'open', resolved_at = NULL, updated_at = now() WHERE id = $1`, [w.id]);
      await this.record(m, w.id, 'reopened', null, userId, note || null);
    });
    return this.changed(access, userId, whistleId);
  }

  /** The whistle, locked, if the caller may see it (a whistle they may not see does not exist for them). */
  private async lock(m: EntityManager, viewer: WhistleViewer, whistleId: string): Promise<Locked> {
    if (!(await findWhistle(m, viewer, whistleId))) throw new AppError('NOT_FOUND');
    const [w] = await m.query(`SELECT id, status, demand_id, project_id FROM whistle WHERE id = $1 FOR UPDATE`, [whistleId]);
    return w as Locked;
  }

  /** The target the caller acts for: one of their organisations among the whistle's targets. */
  private async ownTarget(
    m: EntityManager,
    viewer: WhistleViewer,
    whistleId: string,
    organisationId?: string,
    any = false,
  ): Promise<TargetState> {
    const rows: TargetState[] = await m.query(
      `SELECT organisation_id, accepted_at, answered_at FROM whistle_target WHERE whistle_id = $1 AND organisation_id = ANY($2::uuid[])`,
      [whistleId, viewer.organisationIds],
    );
    if (rows.length === 0) throw new AppError('FORBIDDEN', { message: 'the whistle was not blown to your organisation' });
    if (organisationId) {
      const row = rows.find((r) => r.organisation_id === organisationId);
      if (!row) throw new AppError('FORBIDDEN', { message: 'the whistle was not blown to that organisation of yours' });
      return row;
    }
    if (rows.length > 1 && !any) throw fieldError('organisationId', 'say which of your organisations acts');
    return rows[0]!;
  }

  private move(w: Locked, to: WhistleStatus): void {
    if (!WHISTLE_TRANSITIONS[w.status].includes(to))
      throw new AppError('WHISTLE_STATUS', { message: `a whistle that is ${w.status} cannot become ${to}` });
  }

  /** The whistle's status follows its targets: answered when all have answered, accepted once any has accepted. */
  private async settle(m: EntityManager, w: Locked): Promise<void> {
    const [c] = await m.query(
      `SELECT count(*) FILTER (WHERE accepted_at IS NOT NULL)::int AS accepted, count(*) FILTER (WHERE answered_at IS NOT NULL)::int AS answered,
              count(*)::int AS n FROM whistle_target WHERE whistle_id = $1`,
      [w.id],
    );
    const to: WhistleStatus = c.answered === c.n ? 'answered' : c.accepted > 0 ? 'accepted' : 'open';
    if (to === w.status) return;
    await m.query(`UPDATE whistle SET status = $2, updated_at = now() WHERE id = $1`, [w.id, to]);
  }

  private async record(
    m: EntityManager,
    whistleId: string,
    kind: WhistleEventKind,
    organisationId: string | null,
    actorId: string,
    note: string | null,
  ) {
    await m.query(`INSERT INTO whistle_event (whistle_id, organisation_id, kind, note, actor_id) VALUES ($1, $2, $3, $4, $5)`, [
      whistleId,
      organisationId,
      kind,
      note,
      actorId,
    ]);
  }

  /**
   * A whistle on a demand marks it to escalate, where its transitions allow, with the change
   * recorded (a minimal direct update: the demand list's own service owns everything else).
   * A demand that is done or declined is closed; one that became a project stays so.
   */
  private async escalateDemand(m: EntityManager, compoundId: string, userId: string, demandId: string): Promise<void> {
    const [d]: Array<{ status: DemandStatus }> = await m.query(`SELECT status FROM demand WHERE id = $1 AND compound_id = $2 FOR UPDATE`, [
      demandId,
      compoundId,
    ]);
    if (!d) throw fieldError('demandId', 'no such demand in this compound');
    if (d.status === 'done' || d.status === 'declined')
      throw new AppError('CONFLICT', { message: 'the demand is closed (done or declined)' });
    if (d.status === 'to_escalate' || !demandMoveAllowed(d.status, 'to_escalate')) return;
    await m.query(`UPDATE demand SET status = 'to_escalate', updated_at = now() WHERE id = $1`, [demandId]);
    await m.query(
      `INSERT INTO demand_status_change (demand_id, from_status, to_status, note, changed_by) VALUES ($1, $2, 'to_escalate', '吹哨', $3)`,
      [demandId, d.status, userId],
    );
  }

  private async checkProject(m: EntityManager, compoundId: string, projectId: string): Promise<void> {
    const [p] = await m.query(`SELECT status FROM project WHERE id = $1 AND compound_id = $2`, [projectId, compoundId]);
    if (!p) throw fieldError('projectId', 'no such project in this compound');
    if (p.status !== 'active') throw new AppError('CONFLICT', { message: 'the project has ended' });
  }

  /**
   * After the commit: tells everyone who may see the whistle (the chairs, the targets' members,
   * the residents who raised or seconded the demand) and answers with the caller's view.
   */
  private async changed(access: CompoundAccess, userId: string, whistleId: string): Promise<WhistleView> {
    const rows: Array<{ user_id: string; status: WhistleStatus }> = await this.db.query(
      `WITH w AS (SELECT id, compound_id, demand_id, project_id, status FROM whistle WHERE id = $1)
       SELECT DISTINCT u.user_id, w.status FROM w, LATERAL (
         SELECT m.user_id FROM membership m WHERE m.compound_id = w.compound_id AND m.role = 'chair'
         UNION SELECT om.user_id FROM whistle_target t JOIN organisation_member om ON om.organisation_id = t.organisation_id
                WHERE t.whistle_id = w.id AND EXISTS (SELECT 1 FROM membership m WHERE m.user_id = om.user_id AND m.compound_id = w.compound_id)
         UNION SELECT m.user_id FROM whistle_target t JOIN membership m ON m.organisation_id = t.organisation_id AND m.compound_id = w.compound_id
                WHERE t.whistle_id = w.id
         UNION SELECT d.raised_by FROM demand d WHERE d.raised_by IS NOT NULL
                AND (d.id = w.demand_id OR d.id IN (SELECT demand_id FROM project_demand WHERE project_id = w.project_id))
         UNION SELECT s.user_id FROM demand_second s
                WHERE s.demand_id = w.demand_id OR s.demand_id IN (SELECT demand_id FROM project_demand WHERE project_id = w.project_id)
       ) u`,
      [whistleId],
    );
    if (rows[0])
      this.events.emit('whistle.changed', {
        whistleId,
        compoundId: access.compoundId,
        status: rows[0].status,
        userIds: rows.map((r) => r.user_id),
      });
    return this.get(access, userId, whistleId);
  }
}
