import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Choice,
  type MyBallotView,
  type ObjectionView,
  type ProposalStatus,
  type ReceiptView,
  type RoundQuestion,
  type RollCallEntry,
  type RoundResultView,
  type RoundStatus,
  type RoundView,
  type RuleId,
  type VoteCounts,
} from '@yishi/shared';
import type { DataSource } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import type { CompoundAccess } from '../memberships/compound-access';
import { type Elector, RoundFactsService } from './round-facts.service';

/**
 * A round with what its view needs besides the row: its revision's hash and the proposal's status.
 * Not `r.*`: the frozen electorate (about 1 MB of JSON for 5,000 households) would be read and
 * parsed for every view, e.g. once per follower joining the round, and none of it is shown.
 */
const ROUND_VIEW_SQL = `SELECT r.id, r.compound_id, r.proposal_id, r.number, r.revision_id, r.revision_number, r.meeting_id, r.question,
    r.question_default, r.rule, r.art278_item, r.building_ids, r.status, r.totals, r.opened_at, r.opened_by, r.closes_at,
    r.closed_at, r.close_reason, r.result, v.hash AS revision_hash, p.status AS proposal_status
  FROM vote_round r JOIN revision v ON v.id = r.revision_id JOIN proposal p ON p.id = r.proposal_id`;

/** A row of ROUND_VIEW_SQL. */
interface RoundViewRow {
  id: string;
  compound_id: string;
  proposal_id: string;
  number: number;
  revision_id: string;
  revision_number: number;
  revision_hash: string;
  meeting_id: string | null;
  /** The chair's own question, or null for the default one in `question_default`. */
  question: string | null;
  question_default: Extract<RoundQuestion, { key: string }> | null;
  rule: RuleId;
  art278_item: number | null;
  building_ids: string[];
  status: RoundStatus;
  totals: VoteCounts;
  opened_at: Date;
  opened_by: string;
  closes_at: Date | null;
  closed_at: Date | null;
  close_reason: 'chair' | 'deadline' | null;
  result: RoundResultView | null;
  proposal_status: ProposalStatus;
}

/**
 * Reading rounds: their views, a proposal's and a meeting's rounds, the caller's own ballots, the
 * named roll-call, receipts, objections and the names a printed record needs.
 */
@Injectable()
export class RoundQueriesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: RoundFactsService,
  ) {}

  /** A round's view; NOT_FOUND when it is not in `compoundId` (when given). */
  async view(roundId: string, compoundId?: string): Promise<RoundView> {
    const [r]: RoundViewRow[] = await this.db.query(`${ROUND_VIEW_SQL} WHERE r.id = $1`, [roundId]);
    if (!r || (compoundId && r.compound_id !== compoundId)) throw new AppError('NOT_FOUND');
    return roundView(r);
  }

  async listForProposal(compoundId: string, proposalId: string): Promise<RoundView[]> {
    const rows: RoundViewRow[] = await this.db.query(
      `${ROUND_VIEW_SQL}
       WHERE r.proposal_id = $1 AND r.compound_id = $2 ORDER BY r.number`,
      [proposalId, compoundId],
    );
    return rows.map(roundView);
  }

  async listForMeeting(meetingId: string): Promise<RoundView[]> {
    const rows: RoundViewRow[] = await this.db.query(
      `${ROUND_VIEW_SQL}
       WHERE r.meeting_id = $1 ORDER BY r.opened_at DESC LIMIT 50`,
      [meetingId],
    );
    return rows.map(roundView);
  }

  /** The compound a round belongs to (rounds never move). */
  async compoundOf(roundId: string): Promise<string | null> {
    const cached = this.facts.cached(roundId);
    if (cached)
      return cached.then(
        (f) => f.compoundId,
        () => null,
      );
    const [r] = await this.db.query(`SELECT compound_id FROM vote_round WHERE id = $1`, [roundId]);
    return r?.compound_id ?? null;
  }

  /** The caller's households in the round, as voter or proxy, with their current ballots. */
  async mine(roundId: string, userId: string): Promise<MyBallotView[]> {
    const facts = await this.facts.get(roundId);
    const rows: Array<{
      id: string;
      voter_user_id: string | null;
      ballot_id: string | null;
      choice: Choice | null;
      cast_at: Date | null;
      receipt: string | null;
      assisted: boolean | null;
      changes: number | null;
    }> = await this.db.query(
      `SELECT h.id, h.voter_user_id, b.ballot_id, b.choice, b.cast_at, b.receipt, b.assisted, b.changes
         FROM household h LEFT JOIN ballot b ON b.household_id = h.id AND b.round_id = $1
         WHERE h.compound_id = $2 AND (h.voter_user_id = $3 OR h.proxy_user_id = $3)`,
      [roundId, facts.compoundId, userId],
    );
    return rows
      .filter((r) => facts.byId.has(r.id))
      .map((r) => ({
        householdId: r.id,
        label: facts.byId.get(r.id)!.label,
        as: r.voter_user_id === userId ? 'voter' : 'proxy',
        head: facts.headOf.get(r.id)!.head,
        sameOwnerUnits: facts.headOf.get(r.id)!.units.map((u) => facts.byId.get(u)!.label),
        ballot: r.ballot_id
          ? {
              ballotId: r.ballot_id,
              choice: r.choice!,
              castAt: r.cast_at!.toISOString(),
              receipt: r.receipt!,
              assisted: r.assisted!,
              changes: r.changes!,
            }
          : null,
      }));
  }

  /** The named roll-call: the chair at any time, everyone once the round has closed. */
  async rollCall(access: CompoundAccess, roundId: string, photoVisible: (h: Elector) => boolean = () => false): Promise<RollCallEntry[]> {
    const round = await this.view(roundId, access.compoundId);
    if (round.status !== 'closed' && !access.roles.includes('chair')) throw new AppError('ROLL_CALL_AFTER_CLOSE');
    const facts = await this.facts.get(roundId);
    const rows: Array<{
      household_id: string;
      choice: Choice;
      cast_at: Date;
      voter: string | null;
      via_proxy: boolean;
      assisted: boolean;
      recorder: string;
      paper_id: string | null;
      signer: string | null;
      changes: number;
      reason: string | null;
      receipt: string;
      disputed: boolean;
    }> = await this.db.query(
      `SELECT b.household_id, b.choice, b.cast_at, v.display_name AS voter, b.via_proxy, b.assisted, rb.display_name AS recorder, b.paper_id, p.signer_name AS signer, b.changes, b.reason, b.receipt,
                EXISTS (SELECT 1 FROM paper_dispute d WHERE d.round_id = b.round_id AND d.household_id = b.household_id AND d.answered_at IS NULL) AS disputed
         FROM ballot b LEFT JOIN app_user v ON v.id = b.voter_user_id JOIN app_user rb ON rb.id = b.recorded_by LEFT JOIN ballot_paper p ON p.id = b.paper_id
         WHERE b.round_id = $1`,
      [roundId],
    );
    const byHousehold = new Map(rows.map((r) => [r.household_id, r]));
    return facts.electorate
      .map((h) => {
        const b = byHousehold.get(h.id);
        return {
          householdId: h.id,
          label: h.label,
          areaCentiM2: h.areaCentiM2,
          choice: b?.choice ?? null,
          castAt: b?.cast_at.toISOString() ?? null,
          voterName: b?.voter ?? null,
          viaProxy: b?.via_proxy ?? false,
          assisted: b?.assisted ?? false,
          recordedByName: b?.assisted ? b.recorder : null,
          hasPaper: !!b?.paper_id,
          paper: b?.assisted && b.signer ? { signerName: b.signer, enteredByName: b.recorder, enteredAt: b.cast_at.toISOString() } : null,
          photoId: b?.paper_id && photoVisible(h) ? b.paper_id : null,
          disputed: b?.disputed ?? false,
          changes: b?.changes ?? 0,
          reason: b?.reason ?? null,
          receipt: b?.receipt ?? null,
        };
      })
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }));
  }

  /**
   * A receipt by its whole hash, or by the first 8 hex digits the voter's screen shows. A short
   * receipt that two ballots of the round share finds neither: the whole hash tells them apart.
   */
  async receipt(compoundId: string, roundId: string, receipt: string): Promise<ReceiptView> {
    const facts = await this.facts.get(roundId);
    if (facts.compoundId !== compoundId) throw new AppError('NOT_FOUND');
    const entries: Array<{ seq: string; kind: ReceiptView['kind']; body: string; hash: string }> = await this.db.query(
      `SELECT seq, kind, body, hash FROM audit_entry
         WHERE round_id = $2 AND kind IN ('ballot.cast', 'ballot.changed') AND ${receipt.length === 64 ? 'hash = $1' : 'left(hash, 8) = $1'}
         LIMIT 2`,
      [receipt, roundId],
    );
    const [e] = entries;
    if (!e || entries.length > 1) throw new AppError('NOT_FOUND');
    const hash = e.hash;
    const body = JSON.parse(e.body);
    const [counted] = await this.db.query(`SELECT 1 FROM ballot WHERE round_id = $1 AND receipt = $2`, [roundId, hash]);
    return {
      receipt: hash,
      roundId,
      seq: Number(e.seq),
      kind: e.kind,
      householdLabel: facts.byId.get(body.household)?.label ?? '',
      choice: body.choice,
      at: body.at,
      counted: !!counted,
      assisted: body.assisted,
    };
  }

  /** Objections raised with votes against or abstentions, and whether each was answered. */
  async objections(compoundId: string, proposalId: string): Promise<ObjectionView[]> {
    const rows: Array<{
      id: string;
      round_id: string;
      number: number;
      revision_number: number;
      body: string;
      quote: string | null;
      resolved_at: Date | null;
      created_at: Date;
      objection: 'against' | 'abstain';
      answer: string | null;
    }> = await this.db.query(
      `SELECT c.id, c.round_id, r.number, r.revision_number, c.body, c.quote, c.resolved_at, c.created_at, c.objection,
                (SELECT a.body FROM comment a WHERE a.thread_id = c.id AND a.id <> c.id ORDER BY a.created_at DESC LIMIT 1) AS answer
         FROM comment c JOIN vote_round r ON r.id = c.round_id
         WHERE c.proposal_id = $1 AND r.compound_id = $2 AND c.objection IS NOT NULL AND c.thread_id = c.id ORDER BY c.created_at`,
      [proposalId, compoundId],
    );
    return rows.map((r) => ({
      threadId: r.id,
      roundId: r.round_id,
      roundNumber: r.number,
      revisionNumber: r.revision_number,
      choice: r.objection,
      body: r.body,
      quote: r.quote,
      answered: r.resolved_at !== null,
      answer: r.answer,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** Names for a printed record. */
  async printContext(roundId: string): Promise<{ compoundName: string; proposalTitle: string }> {
    const [r] = await this.db.query(
      `SELECT c.name AS compound, p.title FROM vote_round r JOIN compound c ON c.id = r.compound_id JOIN proposal p ON p.id = r.proposal_id WHERE r.id = $1`,
      [roundId],
    );
    return { compoundName: r.compound, proposalTitle: r.title };
  }
}

function roundView(r: RoundViewRow): RoundView {
  return {
    id: r.id,
    compoundId: r.compound_id,
    proposalId: r.proposal_id,
    number: r.number,
    revisionId: r.revision_id,
    revisionNumber: r.revision_number,
    revisionHash: r.revision_hash,
    meetingId: r.meeting_id,
    question: r.question_default ?? { text: r.question ?? '' },
    rule: r.rule,
    art278Item: r.art278_item,
    buildingIds: r.building_ids,
    status: r.status,
    totals: r.totals,
    openedAt: r.opened_at.toISOString(),
    openedBy: r.opened_by,
    closesAt: r.closes_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    closeReason: r.close_reason,
    result: r.result,
    proposalStatus: r.proposal_status,
  };
}
