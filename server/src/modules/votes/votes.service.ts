import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type BallotReceipt,
  type Choice,
  decide,
  type ElectorateHousehold,
  electorateTotals,
  headGroups,
  isFinalStatus,
  type MyBallotView,
  type ObjectionView,
  type openRoundSchema,
  type ProposalStatus,
  type ReceiptView,
  type RollCallEntry,
  type RoundView,
  ruleItemMismatch,
  type RuleId,
  RULES,
  shareOfWhole,
  tally,
  type Tally,
  type TallyView,
  type VoteCounts,
} from '@yishi/shared';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import type { CompoundAccess } from '../auth/access.decorators';
import { AUDIT_INSERT, AuditService, link } from '../audit/audit.service';
import { lifecycleRefusal, ProposalLifecycleService } from '../proposals/proposal-lifecycle.service';

/** A household of the frozen electorate, with what the roll-call shows of it. */
export interface Elector extends ElectorateHousehold {
  label: string;
  gateId: string | null;
}

/** What stays the same for the life of a round, cached per node. */
interface RoundFacts {
  id: string;
  compoundId: string;
  proposalId: string;
  revisionId: string;
  rule: RuleId;
  electorate: Elector[];
  byId: Map<string, Elector>;
  totals: VoteCounts;
  /** Household id → its head's index and all of that head's units (one owner's units carry one stance). */
  headOf: Map<string, { head: number; units: string[] }>;
}

/** One cast on its way into the database. */
export interface CastRequest {
  roundId: string;
  ballotId: string;
  householdId: string;
  revisionId: string;
  choice: Choice;
  reason?: string;
  anchor?: { start: string; end: string; quote: string };
  /** The person whose ballot it is; null for a paper ballot of an owner without an account. */
  voterUserId: string | null;
  recordedBy: string;
  viaProxy: boolean;
  assisted: boolean;
  paper?: { id: string; sha256: string; signer: string };
  /** A paper ballot's one-time code (its hash): consumed in the ballot's transaction, or the cast is refused. */
  codeHash?: string;
}

interface Pending {
  req: CastRequest;
  resolve: (r: BallotReceipt) => void;
  reject: (e: unknown) => void;
}

/** At most this many casts go into one transaction. */
const MAX_BATCH = 2000;
/** A round with what its view needs besides the row: its revision's hash and the proposal's status. */
const ROUND_VIEW_SQL = `SELECT r.*, v.hash AS revision_hash, p.status AS proposal_status
  FROM vote_round r JOIN revision v ON v.id = r.revision_id JOIN proposal p ON p.id = r.proposal_id`;

/** Rounds whose facts (electorate) a node keeps in memory; older ones are read again when needed. */
const MAX_CACHED_ROUNDS = 200;
/** Live tallies of a round go out at most this often (ms). */
const TALLY_EVERY_MS = 250;

/**
 * Vote rounds and ballots. A cast is acknowledged only after it is committed together with its
 * audit entry. Casts are group-committed per round: everything that arrived while the previous
 * batch was being written goes into the next single transaction, which locks the round row
 * (so a close and every node's batches are serialised) and the proposal's audit chain once,
 * then writes all entries, ballots and casts with one statement each.
 */
@Injectable()
export class VotesService implements OnApplicationShutdown {
  private readonly facts = new Map<string, Promise<RoundFacts>>();
  private readonly queues = new Map<string, Pending[]>();
  private readonly flushing = new Set<string>();
  private readonly tallyTimers = new Map<string, NodeJS.Timeout>();
  /** Each round's counted choices as this node last read them, and the audit seq they are as of. */
  private readonly live = new Map<string, { asOf: number; choices: Map<string, { household_id: string; choice: Choice; assisted: boolean }> }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly lifecycle: ProposalLifecycleService,
  ) {}

  onApplicationShutdown(): void {
    for (const t of this.tallyTimers.values()) clearTimeout(t);
  }

  // ----- opening and closing -----

  async open(access: CompoundAccess, userId: string, proposalId: string, req: z.output<typeof openRoundSchema>): Promise<RoundView> {
    const mismatch = ruleItemMismatch(req.rule, req.art278Item);
    if (mismatch) throw new AppError('RULE_MISMATCH', { fields: [{ path: 'rule', message: mismatch.en }] });
    if (req.closesAt && Date.parse(req.closesAt) <= Date.now()) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'closesAt', message: 'must be in the future' }] });
    const id = await this.db.transaction(async (m) => {
      const { status } = await this.lifecycle.lock(m, proposalId, access.compoundId);
      // No round can follow adoption, withdrawal or a pass awaiting sign-offs: say so before anything else.
      if (isFinalStatus(status) || status === 'passed') throw lifecycleRefusal(status, 'open_round');
      const [revision] = await m.query(`SELECT id, number, hash, text FROM revision WHERE proposal_id = $1 AND number = $2`, [proposalId, req.revisionNumber]);
      if (!revision) throw new AppError('NOT_FROZEN', { fields: [{ path: 'revisionNumber', message: 'no such frozen revision' }] });
      if (revision.text.trim() === '') throw new AppError('EMPTY_PROPOSAL', { fields: [{ path: 'revisionNumber', message: `revision ${revision.number} has no text` }] });
      const [open] = await m.query(`SELECT 1 FROM vote_round WHERE proposal_id = $1 AND status = 'open'`, [proposalId]);
      if (open) throw new AppError('ROUND_ALREADY_OPEN');
      const [last] = await m.query(`SELECT max(revision_number) AS n, coalesce(max(number), 0) AS rounds FROM vote_round WHERE proposal_id = $1`, [proposalId]);
      if (last.n !== null && revision.number <= last.n) throw new AppError('REVISION_ALREADY_VOTED', { fields: [{ path: 'revisionNumber', message: `round ${last.rounds} was on revision ${last.n}` }] });
      if (req.meetingId) {
        const [meeting] = await m.query(`SELECT rule, art278_item FROM meeting WHERE id = $1 AND compound_id = $2`, [req.meetingId, access.compoundId]);
        if (!meeting) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'meetingId', message: 'no such meeting in this compound' }] });
        // A meeting scheduled with a rule (and item) holds its votes under that rule and item only.
        if (meeting.rule !== null && (meeting.rule !== req.rule || meeting.art278_item !== req.art278Item)) {
          const item = meeting.art278_item === null ? '' : `, item ${meeting.art278_item}`;
          throw new AppError('NOT_MEETING_RULE', { fields: [{ path: 'rule', message: `this meeting votes under ${meeting.rule}${item}` }] });
        }
      }
      if (req.buildingIds.length) {
        const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM building WHERE id = ANY($1) AND compound_id = $2`, [req.buildingIds, access.compoundId]);
        if (n !== new Set(req.buildingIds).size) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'buildingIds', message: 'not all of these buildings are in this compound' }] });
      }
      const electorate = await this.electorate(m, access.compoundId, req.buildingIds);
      const totals = electorateTotals(electorate);
      // Shares of nothing cannot be weighed: an Article 278 electorate without area is a register error.
      if (RULES[req.rule].usesParticipationThreshold && totals.areaCentiM2 === 0) {
        throw new AppError('ZERO_AREA_ELECTORATE', { details: { households: totals.households, areaCentiM2: 0, buildingIds: req.buildingIds } });
      }
      const [row] = await m.query(
        `INSERT INTO vote_round (compound_id, proposal_id, number, revision_id, revision_number, meeting_id, question, rule, art278_item, building_ids, status, electorate, totals, opened_by, closes_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12, $13, $14) RETURNING id, opened_at`,
        [access.compoundId, proposalId, Number(last.rounds) + 1, revision.id, revision.number, req.meetingId, req.question, req.rule, req.art278Item, req.buildingIds, JSON.stringify(electorate), JSON.stringify(totals), userId, req.closesAt],
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
            question: req.question,
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
    const view = await this.view(id);
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
      const [round] = await m.query(`SELECT *, coalesce(closes_at <= now(), false) AS past_deadline FROM vote_round WHERE id = $1 FOR UPDATE`, [roundId]);
      if (!round || (compoundId && round.compound_id !== compoundId)) throw new AppError('NOT_FOUND');
      if (round.status === 'closed') return false;
      if (reason === 'deadline' && !round.past_deadline) return false;
      const facts = await this.roundFacts(roundId);
      const ballots: Array<{ household_id: string; choice: Choice; assisted: boolean }> = await m.query(`SELECT household_id, choice, assisted FROM ballot WHERE round_id = $1`, [roundId]);
      const result = computeResult(facts, ballots);
      const [entry] = await this.audit.append(m, round.proposal_id, [
        {
          kind: 'round.closed',
          roundId,
          body: { round: roundId, closedBy, reason, ballots: ballots.length, tally: result.tally, passed: result.decision.passed, failures: result.decision.failures },
        },
      ]);
      await m.query(`UPDATE vote_round SET status = 'closed', closed_at = now(), closed_by = $2, close_reason = $3, result = $4, passed = $5 WHERE id = $1`, [
        roundId,
        closedBy,
        reason,
        JSON.stringify({ ...result, ballots: ballots.length, closeHash: entry.hash }),
        result.decision.passed,
      ]);
      // A failed round leaves the proposal failed: the next round needs a new revision.
      await this.lifecycle.apply(m, round.proposal_id, result.decision.passed ? 'round_passed' : 'round_failed');
      if (result.decision.passed) await this.lifecycle.adoptIfComplete(m, round.proposal_id);
      return true;
    });
    const view = await this.view(roundId);
    if (closed) {
      this.events.emit('vote.round', view);
      this.events.emit('vote.tally', await this.tallyView(roundId));
    }
    return view;
  }

  /** Rounds whose deadline has passed, for the timer that closes them. */
  async dueRounds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM vote_round WHERE status = 'open' AND closes_at <= now() LIMIT 100`);
    return rows.map((r) => r.id);
  }

  /** After a sign-off committed: tell the rooms about the proposal's latest round (it may be adopted now). */
  async announceProposal(proposalId: string): Promise<void> {
    const [round] = await this.db.query(`SELECT id FROM vote_round WHERE proposal_id = $1 ORDER BY number DESC LIMIT 1`, [proposalId]);
    if (round) this.events.emit('vote.round', await this.view(round.id));
  }

  // ----- casting -----

  /** Queues a cast for the round's next batch; resolves once committed. */
  cast(req: CastRequest): Promise<BallotReceipt> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(req.roundId) ?? [];
      queue.push({ req, resolve, reject });
      this.queues.set(req.roundId, queue);
      void this.flush(req.roundId);
    });
  }

  private async flush(roundId: string): Promise<void> {
    if (this.flushing.has(roundId)) return;
    this.flushing.add(roundId);
    try {
      for (;;) {
        const queue = this.queues.get(roundId);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, MAX_BATCH);
        try {
          const results = await this.writeBatch(roundId, batch.map((p) => p.req));
          batch.forEach((p, i) => {
            const r = results[i];
            if (r instanceof AppError) p.reject(r);
            else p.resolve(r);
          });
          this.scheduleTally(roundId);
          // Objections are comment threads: followers of the text see them appear.
          const facts = await this.roundFacts(roundId);
          if (batch.some((p, i) => p.req.reason && !(results[i] instanceof AppError))) this.events.emit('comments.changed', { proposalId: facts.proposalId });
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.queues.delete(roundId);
      this.flushing.delete(roundId);
      // A cast may have arrived between the last check and the cleanup.
      if (this.queues.get(roundId)?.length) void this.flush(roundId);
    }
  }

  /**
   * Writes one batch in one transaction of four round trips: lock the round; read, in one query,
   * the chain head (locked), who may cast for the households, the ballot ids seen before and
   * which households already have a ballot; write entries, casts, counted ballots and the new
   * head in one statement; commit. Every cast gets its receipt or the reason it was refused.
   * Fewer round trips matter more than fewer rows: the round is locked for the whole
   * transaction, and each trip waits for a busy event loop.
   */
  private async writeBatch(roundId: string, casts: CastRequest[]): Promise<Array<BallotReceipt | AppError>> {
    const facts = await this.roundFacts(roundId);
    const out: Array<BallotReceipt | AppError | undefined> = casts.map((c) => {
      if (!facts.byId.has(c.householdId)) return new AppError('NOT_ELIGIBLE', { message: 'this household does not vote in this round' });
      if (c.revisionId !== facts.revisionId) return new AppError('WRONG_REVISION');
      return undefined;
    });
    if (out.every((r) => r)) return out as Array<BallotReceipt | AppError>;
    // The households cast for, and the other units of their owners, whose ballots must agree.
    const households = [...new Set(casts.filter((_, i) => !out[i]).flatMap((c) => facts.headOf.get(c.householdId)!.units))];
    const ballotIds = casts.filter((_, i) => !out[i]).map((c) => c.ballotId);

    return this.db.transaction(async (m) => {
      // The database's clock decides the deadline, the same one the sweeper on every node uses.
      const [round] = await m.query(`SELECT status, coalesce(closes_at <= now(), false) AS past_deadline, proposal_id FROM vote_round WHERE id = $1 FOR UPDATE`, [roundId]);
      if (round.status !== 'open' || round.past_deadline) return out.map((r) => r ?? new AppError('ROUND_CLOSED'));

      const [state]: Array<{
        head: { head_seq: number; head_hash: string };
        who: Array<[string, string | null, string | null]>;
        seen: Array<[string, string, string, number, string, string]>;
        existing: Array<[string, Choice, boolean]>;
      }> = await m.query(
        `SELECT (SELECT row_to_json(c) FROM (SELECT head_seq, head_hash FROM audit_chain WHERE chain_id = $1 FOR UPDATE) c) AS head,
                (SELECT coalesce(json_agg(json_build_array(id, voter_user_id, proxy_user_id)), '[]') FROM household WHERE id = ANY($2)) AS who,
                (SELECT coalesce(json_agg(json_build_array(ballot_id, round_id, household_id, seq, receipt, cast_at)), '[]') FROM ballot_cast WHERE ballot_id = ANY($3)) AS seen,
                (SELECT coalesce(json_agg(json_build_array(household_id, choice, assisted)), '[]') FROM ballot WHERE round_id = $4 AND household_id = ANY($2)) AS existing`,
        [round.proposal_id, households, ballotIds, roundId],
      );

      // Who may cast for each household is read now, so a proxy registered during the round counts.
      const who = new Map(state.who.map(([id, voter, proxy]) => [id, { voter, proxy }]));
      casts.forEach((c, i) => {
        if (out[i] || c.assisted) return;
        const h = who.get(c.householdId);
        if (h?.voter === c.voterUserId) c.viaProxy = false;
        else if (h?.proxy === c.voterUserId) c.viaProxy = true;
        else out[i] = new AppError('NOT_ELIGIBLE');
      });

      // A ballot id seen before is answered with what was stored for it, and written once.
      const stored = new Map(state.seen.map(([ballotId, r, h, seq, receipt, castAt]) => [ballotId, { roundId: r, householdId: h, seq, receipt, castAt }]));
      await this.consumeCodes(m, roundId, casts, out, stored, new Set(state.existing.filter(([, , assisted]) => !assisted).map(([h]) => h)));
      // Each household's counted choice as this batch goes along.
      const current = new Map<string, Choice>(state.existing.map(([h, c]) => [h, c]));
      // i is the cast's place in `casts`, or -1 for a unit a cast was applied to (see below).
      const fresh: Array<{ i: number; c: CastRequest; changed: boolean }> = [];
      const inBatch = new Map<string, number>();
      casts.forEach((c, i) => {
        if (out[i]) return;
        const s = stored.get(c.ballotId);
        if (s) {
          if (s.roundId !== roundId || s.householdId !== c.householdId) out[i] = new AppError('CONFLICT', { message: 'this ballot id was used for another ballot' });
          else out[i] = { receipt: s.receipt, seq: Number(s.seq), changed: false, castAt: new Date(s.castAt).toISOString() };
          return;
        }
        if (inBatch.has(c.ballotId)) return; // answered below with its twin's receipt
        // One owner's units carry one stance (docs/rules.md). An online ballot is applied to every
        // other unit of the same owner that the caster votes for; a unit of that owner voted by
        // someone else, or a paper ballot, must already agree with it, or the cast is refused.
        const others = facts.headOf.get(c.householdId)!.units.filter((u) => u !== c.householdId);
        const mine = c.assisted ? [] : others.filter((u) => who.get(u)?.voter === c.voterUserId || who.get(u)?.proxy === c.voterUserId);
        const split = others.find((u) => !mine.includes(u) && current.has(u) && current.get(u) !== c.choice);
        if (split) {
          out[i] = new AppError('SPLIT_STANCE', { details: { household: split, choice: current.get(split) } });
          return;
        }
        inBatch.set(c.ballotId, i);
        fresh.push({ i, c, changed: current.has(c.householdId) });
        current.set(c.householdId, c.choice);
        for (const u of mine) {
          if (current.get(u) === c.choice) continue;
          const viaProxy = who.get(u)!.voter !== c.voterUserId;
          fresh.push({ i: -1, c: { ...c, ballotId: randomUUID(), householdId: u, viaProxy, reason: undefined, anchor: undefined }, changed: current.has(u) });
          current.set(u, c.choice);
        }
      });

      if (fresh.length) {
        const at = new Date();
        const linked = link(
          round.proposal_id,
          { seq: Number(state.head.head_seq), hash: state.head.head_hash },
          fresh.map(({ c, changed }) => ({
            kind: changed ? ('ballot.changed' as const) : ('ballot.cast' as const),
            roundId,
            body: {
              round: roundId,
              household: c.householdId,
              ballot: c.ballotId,
              choice: c.choice,
              revision: c.revisionId,
              voter: c.voterUserId,
              recordedBy: c.recordedBy,
              viaProxy: c.viaProxy,
              assisted: c.assisted,
              paper: c.paper?.sha256 ?? null,
              signer: c.paper?.signer,
              reason: c.reason ?? null,
            },
          })),
        );
        const entries = linked.stored;
        fresh.forEach((f, k) => {
          if (f.i >= 0) out[f.i] = { receipt: entries[k].hash, seq: entries[k].seq, changed: f.changed, castAt: at.toISOString() };
        });

        // The last cast of each household in the batch is the one that counts.
        const last = new Map<string, number>();
        fresh.forEach((f, k) => last.set(f.c.householdId, k));
        const counted = [...last.values()].map((k) => ({ ...fresh[k], entry: entries[k] }));
        const castsIn = new Map<string, number>();
        for (const f of fresh) castsIn.set(f.c.householdId, (castsIn.get(f.c.householdId) ?? 0) + 1);
        await m.query(
          `WITH entries AS (${AUDIT_INSERT} SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[])),
                head AS (UPDATE audit_chain SET head_seq = $8, head_hash = $9 WHERE chain_id = $1),
                casts AS (INSERT INTO ballot_cast (ballot_id, round_id, household_id, seq, receipt, cast_at, paper_id)
                          SELECT b, $10, h, s, r, $11, p FROM unnest($12::uuid[], $13::uuid[], $14::bigint[], $15::text[], $16::uuid[]) AS t(b, h, s, r, p))
           INSERT INTO ballot (round_id, household_id, ballot_id, choice, voter_user_id, recorded_by, via_proxy, assisted, paper_id, reason, cast_at, changes, receipt, seq)
           SELECT $10, h, b, c, v, r, p, a, pa, re, $11, ch, rc, sq
           FROM unnest($17::uuid[], $18::uuid[], $19::text[], $20::uuid[], $21::uuid[], $22::bool[], $23::bool[], $24::uuid[], $25::text[], $26::int[], $27::text[], $28::bigint[])
             AS t(h, b, c, v, r, p, a, pa, re, ch, rc, sq)
           ON CONFLICT (round_id, household_id) DO UPDATE SET
             ballot_id = excluded.ballot_id, choice = excluded.choice, voter_user_id = excluded.voter_user_id, recorded_by = excluded.recorded_by,
             via_proxy = excluded.via_proxy, assisted = excluded.assisted, paper_id = excluded.paper_id, reason = excluded.reason,
             cast_at = excluded.cast_at, receipt = excluded.receipt, seq = excluded.seq, changes = ballot.changes + excluded.changes + 1`,
          [
            round.proposal_id,
            ...linked.columns,
            linked.head.seq,
            linked.head.hash,
            roundId,
            at,
            fresh.map((f) => f.c.ballotId),
            fresh.map((f) => f.c.householdId),
            entries.map((e) => e.seq),
            entries.map((e) => e.hash),
            fresh.map((f) => f.c.paper?.id ?? null),
            counted.map((f) => f.c.householdId),
            counted.map((f) => f.c.ballotId),
            counted.map((f) => f.c.choice),
            counted.map((f) => f.c.voterUserId),
            counted.map((f) => f.c.recordedBy),
            counted.map((f) => f.c.viaProxy),
            counted.map((f) => f.c.assisted),
            counted.map((f) => f.c.paper?.id ?? null),
            counted.map((f) => f.c.reason ?? null),
            // casts beyond the first within this batch (a household cast twice in one batch)
            counted.map((f) => castsIn.get(f.c.householdId)! - 1),
            counted.map((f) => f.entry.hash),
            counted.map((f) => f.entry.seq),
          ],
        );
        await this.writeObjections(m, round.proposal_id, roundId, fresh.map((f) => f.c).filter((c) => c.reason && c.choice !== 'for'));
      }
      // Twins (the same ballot id twice in one batch) get the first one's answer.
      casts.forEach((c, i) => {
        if (!out[i]) out[i] = out[inBatch.get(c.ballotId)!];
      });
      return out as Array<BallotReceipt | AppError>;
    });
  }

  /**
   * Paper casts of the batch: refused over a household's online ballot (its voter changes that
   * online), and each consumes its household's unused one-time code here, in the ballot's own
   * transaction, so a code can never count twice, whichever node took it.
   */
  private async consumeCodes(m: EntityManager, roundId: string, casts: CastRequest[], out: Array<BallotReceipt | AppError | undefined>, stored: Map<string, unknown>, online: Set<string>): Promise<void> {
    const tries: number[] = [];
    const households = new Set<string>();
    casts.forEach((c, i) => {
      if (out[i] || !c.codeHash || stored.has(c.ballotId)) return;
      if (online.has(c.householdId)) out[i] = new AppError('PAPER_OVER_ONLINE');
      else if (households.has(c.householdId)) out[i] = new AppError('PAPER_CODE_USED');
      else {
        households.add(c.householdId);
        tries.push(i);
      }
    });
    if (tries.length === 0) return;
    const used: Array<{ household_id: string }> = await m.query(
      `WITH used AS (UPDATE ballot_code b SET used_at = now(), used_by = t.u FROM unnest($2::uuid[], $3::text[], $4::uuid[]) AS t(h, k, u)
         WHERE b.round_id = $1 AND b.household_id = t.h AND b.code_hash = t.k AND b.used_at IS NULL RETURNING b.household_id)
       SELECT household_id FROM used`,
      [roundId, tries.map((i) => casts[i].householdId), tries.map((i) => casts[i].codeHash), tries.map((i) => casts[i].recordedBy)],
    );
    const ok = new Set(used.map((u) => u.household_id));
    for (const i of tries) if (!ok.has(casts[i].householdId)) out[i] = new AppError('PAPER_CODE_USED');
  }

  /** A reason given with a vote against or an abstention becomes an objection thread on the proposal. */
  private async writeObjections(m: EntityManager, proposalId: string, roundId: string, casts: CastRequest[]): Promise<void> {
    if (casts.length === 0) return;
    const authors = casts.map((c) => c.voterUserId ?? c.recordedBy);
    const names: Array<{ id: string; display_name: string }> = await m.query(`SELECT id, display_name FROM app_user WHERE id = ANY($1)`, [[...new Set(authors)]]);
    const nameOf = new Map(names.map((n) => [n.id, n.display_name]));
    await m.query(
      `INSERT INTO comment (id, proposal_id, thread_id, author_id, author_name, body, anchor_start, anchor_end, quote, round_id, objection)
       SELECT g, $1, g, a, n, b, s, e, q, $2, o
       FROM (SELECT gen_random_uuid() AS g, * FROM unnest($3::uuid[], $4::text[], $5::text[], $6::bytea[], $7::bytea[], $8::text[], $9::text[]) AS t(a, n, b, s, e, q, o)) x`,
      [
        proposalId,
        roundId,
        authors,
        authors.map((a) => nameOf.get(a) ?? ''),
        casts.map((c) => c.reason!),
        casts.map((c) => (c.anchor ? Buffer.from(c.anchor.start, 'base64') : null)),
        casts.map((c) => (c.anchor ? Buffer.from(c.anchor.end, 'base64') : null)),
        casts.map((c) => c.anchor?.quote ?? null),
        casts.map((c) => c.choice),
      ],
    );
  }

  // ----- reading -----

  async view(roundId: string, compoundId?: string): Promise<RoundView> {
    const [r] = await this.db.query(
      `${ROUND_VIEW_SQL} WHERE r.id = $1`,
      [roundId],
    );
    if (!r || (compoundId && r.compound_id !== compoundId)) throw new AppError('NOT_FOUND');
    return roundView(r);
  }

  async listForProposal(compoundId: string, proposalId: string): Promise<RoundView[]> {
    const rows = await this.db.query(
      `${ROUND_VIEW_SQL}
       WHERE r.proposal_id = $1 AND r.compound_id = $2 ORDER BY r.number`,
      [proposalId, compoundId],
    );
    return rows.map(roundView);
  }

  async listForMeeting(meetingId: string): Promise<RoundView[]> {
    const rows = await this.db.query(
      `${ROUND_VIEW_SQL}
       WHERE r.meeting_id = $1 ORDER BY r.opened_at DESC LIMIT 50`,
      [meetingId],
    );
    return rows.map(roundView);
  }

  /** The compound a round belongs to (rounds never move). */
  async compoundOf(roundId: string): Promise<string | null> {
    const cached = this.facts.get(roundId);
    if (cached) return cached.then((f) => f.compoundId, () => null);
    const [r] = await this.db.query(`SELECT compound_id FROM vote_round WHERE id = $1`, [roundId]);
    return r?.compound_id ?? null;
  }

  /**
   * The count now. The node keeps each round's counted choices and reads only the ballot rows
   * newer than the audit position it has (one repeatable-read snapshot with the chain head, and
   * entries commit in seq order under the chain lock), so a live tally does not re-read the
   * whole round every time.
   */
  async tallyView(roundId: string): Promise<TallyView> {
    const facts = await this.roundFacts(roundId);
    let live = this.live.get(roundId);
    if (!live) {
      live = { asOf: 0, choices: new Map() };
      this.live.set(roundId, live);
      if (this.live.size > MAX_CACHED_ROUNDS) this.live.delete(this.live.keys().next().value!);
    }
    const from = live.asOf;
    const { rows, head } = await this.db.transaction('REPEATABLE READ', async (m) => {
      const [h] = await m.query(`SELECT head_seq FROM audit_chain WHERE chain_id = $1`, [facts.proposalId]);
      const r = await m.query(`SELECT household_id, choice, assisted FROM ballot WHERE round_id = $1 AND seq > $2`, [roundId, from]);
      return { rows: r as Array<{ household_id: string; choice: Choice; assisted: boolean }>, head: Number(h?.head_seq ?? 0) };
    });
    // Two reads may overlap; apply only what moves this node's view forward.
    if (head > live.asOf) {
      for (const b of rows) live.choices.set(b.household_id, b);
      live.asOf = head;
    }
    const r = computeResult(facts, [...live.choices.values()]);
    return { roundId, asOfSeq: live.asOf, totals: facts.totals, tally: r.tally, decision: r.decision, supportOfWhole: r.supportOfWhole, assisted: r.assisted };
  }

  /** The caller's households in the round, as voter or proxy, with their current ballots. */
  async mine(roundId: string, userId: string): Promise<MyBallotView[]> {
    const facts = await this.roundFacts(roundId);
    const rows: Array<{ id: string; voter_user_id: string | null; ballot_id: string | null; choice: Choice | null; cast_at: Date | null; receipt: string | null; assisted: boolean | null; changes: number | null }> =
      await this.db.query(
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
        ballot: r.ballot_id ? { ballotId: r.ballot_id, choice: r.choice!, castAt: r.cast_at!.toISOString(), receipt: r.receipt!, assisted: r.assisted!, changes: r.changes! } : null,
      }));
  }

  /** The named roll-call: the chair at any time, everyone once the round has closed. */
  async rollCall(access: CompoundAccess, roundId: string, photoVisible: (h: Elector) => boolean = () => false): Promise<RollCallEntry[]> {
    const round = await this.view(roundId, access.compoundId);
    if (round.status !== 'closed' && !access.roles.includes('chair')) throw new AppError('ROLL_CALL_AFTER_CLOSE');
    const facts = await this.roundFacts(roundId);
    const rows: Array<{ household_id: string; choice: Choice; cast_at: Date; voter: string | null; via_proxy: boolean; assisted: boolean; recorder: string; paper_id: string | null; signer: string | null; changes: number; reason: string | null; receipt: string; disputed: boolean }> =
      await this.db.query(
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

  async receipt(compoundId: string, roundId: string, hash: string): Promise<ReceiptView> {
    const facts = await this.roundFacts(roundId);
    if (facts.compoundId !== compoundId) throw new AppError('NOT_FOUND');
    const [e] = await this.db.query(`SELECT seq, kind, body FROM audit_entry WHERE hash = $1 AND round_id = $2 AND kind IN ('ballot.cast', 'ballot.changed')`, [hash, roundId]);
    if (!e) throw new AppError('NOT_FOUND');
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
    const rows: Array<{ id: string; round_id: string; number: number; revision_number: number; body: string; quote: string | null; resolved_at: Date | null; created_at: Date; objection: 'against' | 'abstain'; answer: string | null }> =
      await this.db.query(
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
    const [r] = await this.db.query(`SELECT c.name AS compound, p.title FROM vote_round r JOIN compound c ON c.id = r.compound_id JOIN proposal p ON p.id = r.proposal_id WHERE r.id = $1`, [roundId]);
    return { compoundName: r.compound, proposalTitle: r.title };
  }

  /** The round's unchanging facts (electorate, rule), loaded once per node. */
  roundFacts(roundId: string): Promise<RoundFacts> {
    let p = this.facts.get(roundId);
    if (!p) {
      p = (async () => {
        const [r] = await this.db.query(`SELECT id, compound_id, proposal_id, revision_id, rule, electorate, totals FROM vote_round WHERE id = $1`, [roundId]);
        if (!r) throw new AppError('NOT_FOUND');
        const electorate: Elector[] = r.electorate;
        const groups = headGroups(electorate);
        const unitsOf = new Map<number, string[]>();
        for (const [id, head] of groups) unitsOf.set(head, [...(unitsOf.get(head) ?? []), id]);
        const headOf = new Map([...groups].map(([id, head]) => [id, { head, units: unitsOf.get(head)! }]));
        return { id: r.id, compoundId: r.compound_id, proposalId: r.proposal_id, revisionId: r.revision_id, rule: r.rule, electorate, byId: new Map(electorate.map((h) => [h.id, h])), totals: r.totals, headOf };
      })();
      p.catch(() => this.facts.delete(roundId));
      this.facts.set(roundId, p);
      if (this.facts.size > MAX_CACHED_ROUNDS) this.facts.delete(this.facts.keys().next().value!);
    }
    return p;
  }

  private async electorate(m: EntityManager, compoundId: string, buildingIds: string[]): Promise<Elector[]> {
    const rows: Array<{ id: string; area: number; developer_held: boolean; owner_ids: string[]; label: string; gate_id: string | null }> = await m.query(
      `SELECT h.id, h.area_centi_m2 AS area, h.developer_held, h.gate_id, concat_ws(' ', b.name, g.name, h.unit) AS label,
              coalesce(array_agg(ho.owner_id ORDER BY ho.owner_id) FILTER (WHERE ho.owner_id IS NOT NULL), '{}') AS owner_ids
       FROM household h JOIN building b ON b.id = h.building_id LEFT JOIN building_gate g ON g.id = h.gate_id
       LEFT JOIN household_owner ho ON ho.household_id = h.id
       WHERE h.compound_id = $1 AND (cardinality($2::uuid[]) = 0 OR h.building_id = ANY($2::uuid[]))
       GROUP BY h.id, b.name, g.name ORDER BY h.id`,
      [compoundId, buildingIds],
    );
    return rows.map((r) => ({ id: r.id, areaCentiM2: r.area, developerHeld: r.developer_held, ownerIds: r.owner_ids, label: r.label, gateId: r.gate_id }));
  }

  private scheduleTally(roundId: string): void {
    if (this.tallyTimers.has(roundId)) return;
    const timer = setTimeout(() => {
      this.tallyTimers.delete(roundId);
      this.tallyView(roundId)
        .then((t) => this.events.emit('vote.tally', t))
        .catch((err: unknown) => this.log.warn({ err, roundId }, 'tally broadcast failed'));
    }, TALLY_EVERY_MS);
    timer.unref();
    this.tallyTimers.set(roundId, timer);
  }
}

/** Tally, decision and shares of the whole, from the counted ballots. */
export function computeResult(facts: Pick<RoundFacts, 'electorate' | 'rule' | 'totals'>, ballots: Array<{ household_id: string; choice: Choice; assisted: boolean }>) {
  const t: Tally = tally(facts.electorate, new Map(ballots.map((b) => [b.household_id, b.choice])));
  const decision = decide(facts.rule, facts.totals, t);
  return {
    tally: t,
    totals: facts.totals,
    decision,
    supportOfWhole: {
      householdsPermille: shareOfWhole(t.for.households, facts.totals.households).permille,
      areaPermille: shareOfWhole(t.for.areaCentiM2, facts.totals.areaCentiM2).permille,
      headsPermille: shareOfWhole(t.for.heads, facts.totals.heads).permille,
    },
    assisted: ballots.filter((b) => b.assisted).length,
  };
}

function roundView(r: Record<string, any>): RoundView {
  return {
    id: r.id,
    compoundId: r.compound_id,
    proposalId: r.proposal_id,
    number: r.number,
    revisionId: r.revision_id,
    revisionNumber: r.revision_number,
    revisionHash: r.revision_hash,
    meetingId: r.meeting_id,
    question: r.question,
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
    proposalStatus: r.proposal_status as ProposalStatus,
  };
}
