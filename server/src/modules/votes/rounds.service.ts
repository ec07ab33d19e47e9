import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  electorateTotals,
  isFinalStatus,
  type openRoundSchema,
  type RoundQuestion,
  type RoundView,
  ruleItemMismatch,
  RULES,
  voteRefusal,
} from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import type { CompoundAccess } from '../memberships/compound-access';
import { AuditService } from '../audit/audit.service';
import { lifecycleRefusal, ProposalLifecycleService } from '../proposals/proposal-lifecycle.service';
import { type Elector, RoundFactsService } from './round-facts.service';
import { RoundQueriesService } from './round-queries.service';
import { type CountedBallot, computeResult, TallyService } from './tally.service';

/**
 * Opening and closing rounds. Opening freezes the electorate of the round; closing takes the
 * round's lock, so its result holds exactly the ballots committed before it, and stores and
 * chains the result in the same transaction.
 */
@Injectable()
export class RoundsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly lifecycle: ProposalLifecycleService,
    private readonly facts: RoundFactsService,
    private readonly queries: RoundQueriesService,
    private readonly tally: TallyService,
  ) {}

  async open(access: CompoundAccess, userId: string, proposalId: string, req: z.output<typeof openRoundSchema>): Promise<RoundView> {
    const mismatch = ruleItemMismatch(req.rule, req.art278Item);
    if (mismatch) throw new AppError('RULE_MISMATCH', { fields: [{ path: 'rule', message: mismatch.en }] });
    if (req.closesAt && Date.parse(req.closesAt) <= Date.now())
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'closesAt', message: 'must be in the future' }] });
    const id = await this.db.transaction(async (m) => {
      const { status } = await this.lifecycle.lock(m, proposalId, access.compoundId);
      // No round can follow adoption, withdrawal or a pass awaiting sign-offs: say so before anything else.
      if (isFinalStatus(status) || status === 'passed') throw lifecycleRefusal(status, 'open_round');
      const [revision] = await m.query(`SELECT id, number, hash, text FROM revision WHERE proposal_id = $1 AND number = $2`, [
        proposalId,
        req.revisionNumber,
      ]);
      if (!revision) throw new AppError('NOT_FROZEN', { fields: [{ path: 'revisionNumber', message: 'no such frozen revision' }] });
      if (revision.text.trim() === '')
        throw new AppError('EMPTY_PROPOSAL', { fields: [{ path: 'revisionNumber', message: `revision ${revision.number} has no text` }] });
      const [open] = await m.query(`SELECT 1 FROM vote_round WHERE proposal_id = $1 AND status = 'open'`, [proposalId]);
      // Without the chair's own words, the default question: a key and its parameters, worded in each reader's language.
      const [{ title }] = await m.query(`SELECT title FROM proposal WHERE id = $1`, [proposalId]);
      const question: RoundQuestion =
        req.question === null ? { key: 'vote.defaultQuestion', params: { title, n: revision.number } } : { text: req.question };
      if (open) throw new AppError('ROUND_ALREADY_OPEN');
      const [last] = await m.query(
        `SELECT max(revision_number) AS n, coalesce(max(number), 0) AS rounds FROM vote_round WHERE proposal_id = $1`,
        [proposalId],
      );
      if (last.n !== null && revision.number <= last.n)
        throw new AppError('REVISION_ALREADY_VOTED', {
          fields: [{ path: 'revisionNumber', message: `round ${last.rounds} was on revision ${last.n}` }],
        });
      if (req.meetingId) {
        // The compound's own meeting, or a community or street meeting that took up an item about it.
        const [meeting] = await m.query(
          `SELECT rule, art278_item, kind FROM meeting WHERE id = $1
             AND (compound_id = $2 OR EXISTS (SELECT 1 FROM agenda_item WHERE meeting_id = $1 AND compound_id = $2))`,
          [req.meetingId, access.compoundId],
        );
        if (!meeting)
          throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'meetingId', message: 'no such meeting in this compound' }] });
        const refusal = voteRefusal(meeting.kind);
        if (refusal) throw new AppError('MEETING_HOLDS_NO_VOTES', { fields: [{ path: 'meetingId', message: refusal.en }] });
        // A meeting scheduled with a rule (and item) holds its votes under that rule and item only.
        if (meeting.rule !== null && (meeting.rule !== req.rule || meeting.art278_item !== req.art278Item)) {
          const item = meeting.art278_item === null ? '' : `, item ${meeting.art278_item}`;
          throw new AppError('NOT_MEETING_RULE', {
            fields: [{ path: 'rule', message: `this meeting votes under ${meeting.rule}${item}` }],
          });
        }
      }
      if (req.buildingIds.length) {
        const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM building WHERE id = ANY($1) AND compound_id = $2`, [
          req.buildingIds,
          access.compoundId,
        ]);
        if (n !== new Set(req.buildingIds).size)
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ path: 'buildingIds', message: 'not all of these buildings are in this compound' }],
          });
      }
      const electorate = await this.electorate(m, access.compoundId, req.buildingIds);
      const totals = electorateTotals(electorate);
      // Shares of nothing cannot be weighed: an Article 278 electorate without area is a register error.
      if (RULES[req.rule].usesParticipationThreshold && totals.areaCentiM2 === 0) {
        throw new AppError('ZERO_AREA_ELECTORATE', {
          details: { households: totals.households, areaCentiM2: 0, buildingIds: req.buildingIds },
        });
      }
      const [row] = await m.query(
        `INSERT INTO vote_round (compound_id, proposal_id, number, revision_id, revision_number, meeting_id, question, question_default, rule, art278_item, building_ids, status, electorate, totals, opened_by, closes_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12, $13, $14, $15) RETURNING id, opened_at`,
        [
          access.compoundId,
          proposalId,
          Number(last.rounds) + 1,
          revision.id,
          revision.number,
          req.meetingId,
          'text' in question ? question.text : null,
          'key' in question ? JSON.stringify(question) : null,
          req.rule,
          req.art278Item,
          req.buildingIds,
          JSON.stringify(electorate),
          JSON.stringify(totals),
          userId,
          req.closesAt,
        ],
      );
      // The life cycle decides (adopted, passed, withdrawn, a round already open: refused); before the audit entry.
      await this.lifecycle.apply(m, proposalId, 'open_round');
      await this.audit.append(m, proposalId, [
        {
          kind: 'round.opened',
          roundId: row.id,
          body: {
            round: row.id,
            number: Number(last.rounds) + 1,
            revision: revision.id,
            revisionHash: revision.hash,
            question,
            rule: req.rule,
            art278Item: req.art278Item,
            buildings: req.buildingIds,
            closesAt: req.closesAt,
            openedBy: userId,
            totals,
            electorate: electorate.map((h) => ({ id: h.id, area: h.areaCentiM2, owners: h.ownerIds, developer: h.developerHeld })),
          },
        },
      ]);
      return row.id as string;
    });
    const view = await this.queries.view(id);
    this.events.emit('vote.round', view);
    return view;
  }

  /**
   * Closes a round and computes its result in the same transaction, after every batch committed
   * before it and before any batch waiting for the round's lock (those are refused). Closing a
   * closed round changes nothing.
   */
  async close(roundId: string, closedBy: string | null, reason: 'chair' | 'deadline', compoundId?: string): Promise<RoundView> {
    const closed = await this.db.transaction(async (m) => {
      const [round] = await m.query(
        `SELECT compound_id, proposal_id, status, coalesce(closes_at <= now(), false) AS past_deadline FROM vote_round WHERE id = $1 FOR UPDATE`,
        [roundId],
      );
      if (!round || (compoundId && round.compound_id !== compoundId)) throw new AppError('NOT_FOUND');
      if (round.status === 'closed') return false;
      if (reason === 'deadline' && !round.past_deadline) return false;
      const facts = await this.facts.get(roundId);
      const ballots: CountedBallot[] = await m.query(`SELECT household_id, choice, assisted FROM ballot WHERE round_id = $1`, [roundId]);
      const result = computeResult(facts, ballots);
      const [entry] = await this.audit.append(m, round.proposal_id, [
        {
          kind: 'round.closed',
          roundId,
          body: {
            round: roundId,
            closedBy,
            reason,
            ballots: ballots.length,
            tally: result.tally,
            passed: result.decision.passed,
            failures: result.decision.failures,
          },
        },
      ]);
      await m.query(
        `UPDATE vote_round SET status = 'closed', closed_at = now(), closed_by = $2, close_reason = $3, result = $4, passed = $5 WHERE id = $1`,
        [roundId, closedBy, reason, JSON.stringify({ ...result, ballots: ballots.length, closeHash: entry.hash }), result.decision.passed],
      );
      // A failed round leaves the proposal failed: the next round needs a new revision.
      await this.lifecycle.apply(m, round.proposal_id, result.decision.passed ? 'round_passed' : 'round_failed');
      if (result.decision.passed) await this.lifecycle.adoptIfComplete(m, round.proposal_id);
      return true;
    });
    const view = await this.queries.view(roundId);
    if (closed) {
      this.events.emit('vote.round', view);
      this.events.emit('vote.tally', await this.tally.view(roundId));
    }
    return view;
  }

  /** Rounds whose deadline has passed, for the timer that closes them. */
  async dueRounds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM vote_round WHERE status = 'open' AND closes_at <= now() LIMIT 100`,
    );
    return rows.map((r) => r.id);
  }

  /** After a sign-off committed: tell the rooms about the proposal's latest round (it may be adopted now). */
  async announceProposal(proposalId: string): Promise<void> {
    const [round] = await this.db.query(`SELECT id FROM vote_round WHERE proposal_id = $1 ORDER BY number DESC LIMIT 1`, [proposalId]);
    if (round) this.events.emit('vote.round', await this.queries.view(round.id));
  }

  /** The households of the compound, or of the given buildings, as the round's electorate (frozen at opening). */
  private async electorate(m: EntityManager, compoundId: string, buildingIds: string[]): Promise<Elector[]> {
    const rows: Array<{ id: string; area: number; developer_held: boolean; owner_ids: string[]; label: string; gate_id: string | null }> =
      await m.query(
        `SELECT h.id, h.area_centi_m2 AS area, h.developer_held, h.gate_id, concat_ws(' ', b.name, g.name, h.unit) AS label,
              coalesce(array_agg(ho.owner_id ORDER BY ho.owner_id) FILTER (WHERE ho.owner_id IS NOT NULL), '{}') AS owner_ids
       FROM household h JOIN building b ON b.id = h.building_id LEFT JOIN building_gate g ON g.id = h.gate_id
       LEFT JOIN household_owner ho ON ho.household_id = h.id
       WHERE h.compound_id = $1 AND (cardinality($2::uuid[]) = 0 OR h.building_id = ANY($2::uuid[]))
       GROUP BY h.id, b.name, g.name ORDER BY h.id`,
        [compoundId, buildingIds],
      );
    return rows.map((r) => ({
      id: r.id,
      areaCentiM2: r.area,
      developerHeld: r.developer_held,
      ownerIds: r.owner_ids,
      label: r.label,
      gateId: r.gate_id,
    }));
  }
}
