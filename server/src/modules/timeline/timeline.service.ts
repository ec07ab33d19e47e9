import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { allows, buildTimeline, type ProposalTimeline, type TimelineCounts, type TimelineFacts } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * A proposal's whole path, read from the rows where each step is stored (every query by an
 * indexed key of the proposal, its rounds or its projects) and put in order by shared's pure
 * buildTimeline. Demands and projects appear only to those who may see those lists.
 */
@Injectable()
export class TimelineService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async forProposal(access: CompoundAccess, proposalId: string): Promise<ProposalTimeline> {
    // One snapshot, so that a round closing meanwhile is either wholly in or wholly out.
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const [p] = await m.query(`SELECT id, title, status, adopted_at, agenda_item_ids FROM proposal WHERE id = $1 AND compound_id = $2`, [
        proposalId,
        access.compoundId,
      ]);
      if (!p) throw new AppError('NOT_FOUND');
      const seesLists = allows(access.roles, 'project.view');
      // One after another: the queries share the transaction's one connection.
      const q = (sql: string, params: unknown[]): Promise<Row[]> => m.query(sql, params);
      const meetings = await q(
        `SELECT id, title, scheduled_at, status FROM meeting
          WHERE id IN (SELECT meeting_id FROM agenda_item WHERE id = ANY($2::uuid[])
                       UNION SELECT meeting_id FROM vote_round WHERE proposal_id = $1 AND meeting_id IS NOT NULL)
            AND compound_id = $3 AND status <> 'cancelled'`,
        [proposalId, p.agenda_item_ids, access.compoundId],
      );
      const revisions = await q(`SELECT id, number, frozen_at, hash FROM revision WHERE proposal_id = $1`, [proposalId]);
      const rounds = await q(
        `SELECT id, number, revision_number, meeting_id, opened_at, closed_at, passed, result->'tally' AS tally
             FROM vote_round WHERE proposal_id = $1`,
        [proposalId],
      );
      const objections = await q(
        `SELECT c.id, c.round_id, c.objection, c.body, c.created_at,
                  (c.resolved_at IS NOT NULL OR EXISTS (SELECT 1 FROM comment r WHERE r.proposal_id = c.proposal_id AND r.parent_id = c.id)) AS answered
             FROM comment c WHERE c.proposal_id = $1 AND c.objection IS NOT NULL AND c.round_id IS NOT NULL AND c.parent_id IS NULL`,
        [proposalId],
      );
      const signOffs = await q(
        `SELECT s.id, o.name, s.decision, r.number AS revision_number, s.signed_at
             FROM sign_off s JOIN organisation o ON o.id = s.organisation_id JOIN revision r ON r.id = s.revision_id
            WHERE s.proposal_id = $1`,
        [proposalId],
      );
      const projects = seesLists
        ? await q(
            `SELECT p.id, p.title, p.status, p.created_at, p.ended_at,
                      (SELECT count(*) FILTER (WHERE satisfied)::int FROM project_acceptance a WHERE a.project_id = p.id) AS satisfied,
                      (SELECT count(*) FILTER (WHERE NOT satisfied)::int FROM project_acceptance a WHERE a.project_id = p.id) AS unsatisfied
                 FROM project p WHERE p.adopted_proposal_id = $1 AND p.compound_id = $2`,
            [proposalId, access.compoundId],
          )
        : [];
      const projectIds = projects.map((x) => x.id as string);
      const demands =
        seesLists && allows(access.roles, 'demand.view')
          ? await q(
              `SELECT DISTINCT d.id, d.title, d.status, d.created_at FROM project_demand pd JOIN demand d ON d.id = pd.demand_id
                WHERE pd.project_id = ANY($1::uuid[])`,
              [projectIds],
            )
          : [];
      const notices = await q(
        `SELECT n.id, n.published_at, n.ends_at, n.withdrawn_at,
                  (SELECT count(*)::int FROM notice_objection o WHERE o.notice_id = n.id) AS objections,
                  (SELECT count(*)::int FROM notice_objection o WHERE o.notice_id = n.id AND o.answer IS NULL) AS unanswered
             FROM notice n WHERE n.proposal_id = $1 OR n.project_id = ANY($2::uuid[])`,
        [proposalId, projectIds],
      );
      const facts: TimelineFacts = {
        demands: demands.map((d) => ({ id: d.id, title: d.title, status: d.status, createdAt: iso(d.created_at)! })),
        meetings: meetings.map((x) => ({ id: x.id, title: x.title, scheduledAt: iso(x.scheduled_at)!, status: x.status })),
        revisions: revisions.map((r) => ({ id: r.id, number: r.number, frozenAt: iso(r.frozen_at)!, hash: r.hash })),
        rounds: rounds.map((r) => ({
          id: r.id,
          number: r.number,
          revisionNumber: r.revision_number,
          meetingId: r.meeting_id,
          openedAt: iso(r.opened_at)!,
          closedAt: iso(r.closed_at),
          passed: r.passed,
          for: (r.tally?.for as TimelineCounts) ?? null,
          against: (r.tally?.against as TimelineCounts) ?? null,
          abstain: (r.tally?.abstain as TimelineCounts) ?? null,
        })),
        objections: objections.map((o) => ({
          id: o.id,
          roundId: o.round_id,
          choice: o.objection,
          body: o.body,
          answered: o.answered,
          createdAt: iso(o.created_at)!,
        })),
        signOffs: signOffs.map((s) => ({
          id: s.id,
          organisationName: s.name,
          decision: s.decision,
          revisionNumber: s.revision_number,
          signedAt: iso(s.signed_at)!,
        })),
        adoptedAt: iso(p.adopted_at),
        notices: notices.map((n) => ({
          id: n.id,
          publishedAt: iso(n.published_at)!,
          endsAt: iso(n.ends_at)!,
          withdrawnAt: iso(n.withdrawn_at),
          objections: n.objections,
          unanswered: n.unanswered,
        })),
        projects: projects.map((x) => ({
          id: x.id,
          title: x.title,
          status: x.status,
          createdAt: iso(x.created_at)!,
          endedAt: iso(x.ended_at),
          satisfied: x.satisfied,
          unsatisfied: x.unsatisfied,
        })),
      };
      return { proposalId, title: p.title, status: p.status, ...buildTimeline(facts) };
    });
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw rows, typed field by field above
type Row = Record<string, any>;
