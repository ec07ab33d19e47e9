import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { allows, DEMAND_CHANNELS, DEMAND_STATUSES, MEETING_KINDS, type StatisticsQuery, type StatisticsView } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';

const DAY_MS = 86_400_000;

/** A range of days in China time, both ends included, as the instants that bound it. */
function bounds(from: string, to: string): [Date, Date] {
  return [new Date(`${from}T00:00:00+08:00`), new Date(Date.parse(`${to}T00:00:00+08:00`) + DAY_MS)];
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/**
 * The record in figures (issue 16). Each figure is one aggregate query over an index that
 * covers the columns it reads (migration 1765400000000); the six run side by side.
 */
@Injectable()
export class StatisticsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async figures(access: CompoundAccess, q: Required<StatisticsQuery>): Promise<StatisticsView> {
    const compoundIds = await this.compounds(access, q.scope);
    const [start, end] = bounds(q.from, q.to);
    const args = [compoundIds, start, end];
    const [meetings, attendance, rounds, demands, whistles, projects] = await Promise.all([
      this.db.query(
        `SELECT kind, count(*)::int AS n FROM meeting
          WHERE compound_id = ANY($1) AND scheduled_at >= $2 AND scheduled_at < $3 AND status <> 'cancelled' GROUP BY kind`,
        args,
      ),
      // Attendance against the invited: households for meetings of everyone or of the residents,
      // the compound's party members for party meetings (their check-ins; a household registered
      // at a party meeting invites no one). Both are counted as registered now: neither the
      // register nor party membership keeps a history of its size.
      this.db.query(
        `WITH m AS (SELECT id, compound_id, audience = 'party_members' AS party FROM meeting
                     WHERE compound_id = ANY($1) AND scheduled_at >= $2 AND scheduled_at < $3 AND status = 'adjourned')
         SELECT (SELECT count(*)::int FROM m) AS meetings,
                (SELECT count(*)::int FROM (SELECT DISTINCT a.meeting_id, h FROM m JOIN attendance a ON a.meeting_id = m.id,
                                              unnest(a.household_ids) AS h WHERE NOT m.party) p)
              + (SELECT count(*)::int FROM (SELECT DISTINCT a.meeting_id, a.user_id FROM m JOIN attendance a ON a.meeting_id = m.id
                                              JOIN membership pm ON pm.user_id = a.user_id AND pm.compound_id = m.compound_id
                                                                AND pm.party_member
                                             WHERE m.party) q) AS present,
                (SELECT coalesce(sum(CASE WHEN m.party THEN c.party ELSE c.households END), 0)::int
                   FROM m JOIN (SELECT c.id,
                                       (SELECT count(*) FROM household h WHERE h.compound_id = c.id) AS households,
                                       (SELECT count(DISTINCT pm.user_id) FROM membership pm
                                         WHERE pm.compound_id = c.id AND pm.party_member) AS party
                                  FROM compound c WHERE c.id = ANY($1)) c ON c.id = m.compound_id) AS eligible`,
        args,
      ),
      this.db.query(
        `SELECT count(*)::int AS closed, count(*) FILTER (WHERE passed)::int AS passed FROM vote_round
          WHERE compound_id = ANY($1) AND status = 'closed' AND closed_at >= $2 AND closed_at < $3`,
        args,
      ),
      this.db.query(
        `SELECT status, channel, count(*)::int AS n FROM demand
          WHERE compound_id = ANY($1) AND created_at >= $2 AND created_at < $3 GROUP BY status, channel`,
        args,
      ),
      this.db.query(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE all_answered AND last_answer <= deadline)::int AS "inTime",
                count(*) FILTER (WHERE all_answered AND last_answer > deadline)::int AS late
           FROM (SELECT w.deadline, bool_and(t.answered_at IS NOT NULL) AS all_answered, max(t.answered_at) AS last_answer
                   FROM whistle w JOIN whistle_target t ON t.whistle_id = w.id
                  WHERE w.compound_id = ANY($1) AND w.created_at >= $2 AND w.created_at < $3
                  GROUP BY w.id, w.deadline) x`,
        args,
      ),
      this.db.query(
        `SELECT count(*) FILTER (WHERE status = 'done' AND ended_at >= $2 AND ended_at < $3)::int AS done,
                count(*) FILTER (WHERE status = 'stopped' AND ended_at >= $2 AND ended_at < $3)::int AS stopped,
                count(*) FILTER (WHERE status = 'active')::int AS active
           FROM project WHERE compound_id = ANY($1)`,
        args,
      ),
    ]);
    const meetingsByKind = zeroes(MEETING_KINDS);
    for (const r of meetings) meetingsByKind[r.kind as keyof typeof meetingsByKind] = r.n;
    const demandsByStatus = zeroes(DEMAND_STATUSES);
    const demandsByChannel = zeroes(DEMAND_CHANNELS);
    for (const r of demands) {
      demandsByStatus[r.status as keyof typeof demandsByStatus] += r.n;
      demandsByChannel[r.channel as keyof typeof demandsByChannel] += r.n;
    }
    const [a] = attendance;
    const [w] = whistles;
    return {
      scope: q.scope,
      compounds: compoundIds.length,
      from: q.from,
      to: q.to,
      meetingsByKind,
      attendance: { meetings: a.meetings, num: a.present, den: a.eligible },
      rounds: rounds[0],
      demandsByStatus,
      demandsByChannel,
      whistles: { total: w.total, inTime: w.inTime, late: w.late, unanswered: w.total - w.inTime - w.late },
      projects: projects[0],
    };
  }

  /** The compound of the route, or with `community` every compound of its community (the chair's figure). */
  private async compounds(access: CompoundAccess, scope: 'compound' | 'community'): Promise<string[]> {
    if (scope === 'compound') return [access.compoundId];
    if (!allows(access.roles, 'statistics.community')) throw new AppError('FORBIDDEN');
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM compound WHERE community_id = (SELECT community_id FROM compound WHERE id = $1) ORDER BY id`,
      [access.compoundId],
    );
    return rows.map((r) => r.id);
  }
}
