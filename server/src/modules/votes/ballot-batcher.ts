import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BallotReceipt, Choice } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { Metrics } from '../../infra/metrics/metrics';
import { AUDIT_INSERT, auditRowsFrom, link } from '../audit/audit.service';
import { writeObjections } from './ballot-objections';
import { ballotEntryBody, type BallotEntryFields } from './ballot-entry';
import { RoundFactsService } from './round-facts.service';
import { TallyService } from './tally.service';

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
  /** performance.now() when queued. */
  queuedAt: number;
  resolve: (r: BallotReceipt) => void;
  reject: (e: unknown) => void;
}

/** At most this many casts go into one transaction. */
const MAX_BATCH = 2000;

/**
 * Ballots into the database. A cast is acknowledged only after it is committed together with its
 * audit entry. Casts are group-committed per round: everything that arrived while the previous
 * batch was being written goes into the next single transaction, which locks the round row
 * (so a close and every node's batches are serialised) and the proposal's audit chain once,
 * then writes all entries, ballots and casts with one statement each. The next batch starts
 * while the previous one's COMMIT is on its way (flush).
 */
@Injectable()
export class BallotBatcher {
  private readonly queues = new Map<string, Pending[]>();
  /** Rounds whose latest batch is still before its commit: the next waits for that. */
  private readonly filling = new Set<string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: RoundFactsService,
    private readonly tally: TallyService,
    private readonly events: DomainEvents,
    private readonly metrics: Metrics,
  ) {}

  /** Queues a cast for the round's next batch; resolves once committed. */
  cast(req: CastRequest): Promise<BallotReceipt> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(req.roundId) ?? [];
      queue.push({ req, queuedAt: performance.now(), resolve, reject });
      this.queues.set(req.roundId, queue);
      this.flush(req.roundId);
    });
  }

  /**
   * Starts the round's next batch unless one is still before its commit. A batch that has written
   * everything and is only waiting for its COMMIT lets the next one begin: that one's BEGIN and
   * round lock travel while the COMMIT does, and it reads the chain head once the lock is granted,
   * that is after the commit (or the rollback) of the one before. So batches never overlap in the
   * database, and the round's serial part is lock → writes → commit, not the round trips and
   * acknowledgements in between: the median cast is acknowledged in half the time
   * (docs/benchmarks.md, "The next batch starts while the previous one commits").
   */
  private flush(roundId: string): void {
    if (this.filling.has(roundId)) return;
    const queue = this.queues.get(roundId);
    if (!queue?.length) return;
    const batch = queue.splice(0, MAX_BATCH);
    if (!queue.length) this.queues.delete(roundId);
    this.filling.add(roundId);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.filling.delete(roundId);
      this.flush(roundId);
    };
    void this.write(roundId, batch, release).finally(release);
  }

  private async write(roundId: string, batch: Pending[], onlyCommitLeft: () => void): Promise<void> {
    try {
      const results = await this.writeBatch(
        roundId,
        batch.map((p) => p.req),
        onlyCommitLeft,
      );
      this.observe(batch);
      batch.forEach((p, i) => {
        const r = results[i];
        if (r instanceof AppError) p.reject(r);
        else if (r) p.resolve(r);
        else p.reject(new Error('the batch gave this cast no answer'));
      });
      this.tally.schedule(roundId);
      // Objections are comment threads: followers of the text see them appear.
      const facts = await this.facts.get(roundId);
      if (batch.some((p, i) => p.req.reason && !(results[i] instanceof AppError)))
        this.events.emit('comments.changed', { proposalId: facts.proposalId });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  /** The batch's transaction committed: its size, and how long each cast waited for it. */
  private observe(batch: Pending[]): void {
    const now = performance.now();
    this.metrics.ballotBatchSize.observe(batch.length);
    for (const p of batch) this.metrics.ballotCommitSeconds.observe((now - p.queuedAt) / 1000);
  }

  /**
   * Writes one batch in one transaction of four round trips: lock the round; read, in one query,
   * the chain head (locked), who may cast for the households, the ballot ids seen before and
   * which households already have a ballot; write entries, casts, counted ballots and the new
   * head in one statement; commit. Every cast gets its receipt or the reason it was refused.
   * Fewer round trips matter more than fewer rows: the round is locked for the whole
   * transaction, and each trip waits for a busy event loop.
   */
  private async writeBatch(roundId: string, casts: CastRequest[], onlyCommitLeft: () => void): Promise<Array<BallotReceipt | AppError>> {
    const facts = await this.facts.get(roundId);
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
      const [round] = await m.query(
        `SELECT status, coalesce(closes_at <= now(), false) AS past_deadline, proposal_id FROM vote_round WHERE id = $1 FOR UPDATE`,
        [roundId],
      );
      if (round.status !== 'open' || round.past_deadline) return out.map((r) => r ?? new AppError('ROUND_CLOSED'));

      // A SELECT without FROM: always exactly one row.
      const [state]: [
        {
          head: { head_seq: number; head_hash: string };
          who: Array<[string, string | null, string | null]>;
          seen: Array<[string, string, string, number, string, string]>;
          existing: Array<[string, Choice, boolean]>;
        },
      ] = await m.query(
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
      const stored = new Map(
        state.seen.map(([ballotId, r, h, seq, receipt, castAt]) => [ballotId, { roundId: r, householdId: h, seq, receipt, castAt }]),
      );
      await this.consumeCodes(
        m,
        roundId,
        casts,
        out,
        stored,
        new Set(state.existing.filter(([, , assisted]) => !assisted).map(([h]) => h)),
      );
      // Each household's counted choice as this batch goes along.
      const current = new Map<string, Choice>(state.existing.map(([h, c]) => [h, c]));
      // i is the cast's place in `casts`, or -1 for a unit a cast was applied to (see below).
      const fresh: Array<{ i: number; c: CastRequest; changed: boolean }> = [];
      const inBatch = new Map<string, number>();
      casts.forEach((c, i) => {
        if (out[i]) return;
        const s = stored.get(c.ballotId);
        if (s) {
          if (s.roundId !== roundId || s.householdId !== c.householdId)
            out[i] = new AppError('CONFLICT', { message: 'this ballot id was used for another ballot' });
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
          fresh.push({
            i: -1,
            c: { ...c, ballotId: randomUUID(), householdId: u, viaProxy, reason: undefined, anchor: undefined },
            changed: current.has(u),
          });
          current.set(u, c.choice);
        }
      });

      if (fresh.length) {
        const at = new Date();
        const linked = link(
          round.proposal_id,
          { seq: Number(state.head.head_seq), hash: state.head.head_hash },
          fresh.map(({ c, changed }) => {
            const kind = changed ? ('ballot.changed' as const) : ('ballot.cast' as const);
            const body: BallotEntryFields = {
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
            };
            return { kind, roundId, body, write: (chain: string, seq: number, at: string) => ballotEntryBody(body, chain, seq, kind, at) };
          }),
        );
        const entries = linked.stored;
        const written = fresh.map((f, k) => {
          const entry = entries[k];
          if (!entry) throw new Error('the audit chain linked fewer entries than the batch gave it');
          return { ...f, entry };
        });
        for (const w of written)
          if (w.i >= 0) out[w.i] = { receipt: w.entry.hash, seq: w.entry.seq, changed: w.changed, castAt: at.toISOString() };

        // The last cast of each household in the batch is the one that counts.
        const last = new Map<string, (typeof written)[number]>();
        for (const w of written) last.set(w.c.householdId, w);
        const counted = [...last.values()];
        const castsIn = new Map<string, number>();
        for (const f of fresh) castsIn.set(f.c.householdId, (castsIn.get(f.c.householdId) ?? 0) + 1);
        // Rows as JSON parameters, not arrays: see link() in audit.service.ts.
        const castRows = fresh.map((f, k) => ({
          b: f.c.ballotId,
          h: f.c.householdId,
          s: entries[k]!.seq,
          r: entries[k]!.hash,
          p: f.c.paper?.id ?? null,
        }));
        const countedRows = counted.map((f) => ({
          h: f.c.householdId,
          b: f.c.ballotId,
          c: f.c.choice,
          v: f.c.voterUserId,
          r: f.c.recordedBy,
          p: f.c.viaProxy,
          a: f.c.assisted,
          pa: f.c.paper?.id ?? null,
          re: f.c.reason ?? null,
          // casts beyond the first within this batch (a household cast twice in one batch)
          ch: castsIn.get(f.c.householdId)! - 1,
          rc: f.entry.hash,
          sq: f.entry.seq,
        }));
        await m.query(
          `WITH entries AS (${AUDIT_INSERT} SELECT $1, * FROM ${auditRowsFrom('$2')}),
                head AS (UPDATE audit_chain SET head_seq = $3, head_hash = $4 WHERE chain_id = $1),
                casts AS (INSERT INTO ballot_cast (ballot_id, round_id, household_id, seq, receipt, cast_at, paper_id)
                          SELECT b, $5, h, s, r, $6, p FROM json_to_recordset($7::json) AS t(b uuid, h uuid, s bigint, r text, p uuid))
           INSERT INTO ballot (round_id, household_id, ballot_id, choice, voter_user_id, recorded_by, via_proxy, assisted, paper_id, reason, cast_at, changes, receipt, seq)
           SELECT $5, h, b, c, v, r, p, a, pa, re, $6, ch, rc, sq
           FROM json_to_recordset($8::json)
             AS t(h uuid, b uuid, c text, v uuid, r uuid, p boolean, a boolean, pa uuid, re text, ch int, rc text, sq bigint)
           ON CONFLICT (round_id, household_id) DO UPDATE SET
             ballot_id = excluded.ballot_id, choice = excluded.choice, voter_user_id = excluded.voter_user_id, recorded_by = excluded.recorded_by,
             via_proxy = excluded.via_proxy, assisted = excluded.assisted, paper_id = excluded.paper_id, reason = excluded.reason,
             cast_at = excluded.cast_at, receipt = excluded.receipt, seq = excluded.seq, changes = ballot.changes + excluded.changes + 1`,
          [
            round.proposal_id,
            linked.rows,
            linked.head.seq,
            linked.head.hash,
            roundId,
            at,
            JSON.stringify(castRows),
            JSON.stringify(countedRows),
          ],
        );
        await writeObjections(
          m,
          round.proposal_id,
          roundId,
          fresh.map((f) => f.c).filter((c) => c.reason && c.choice !== 'for'),
        );
      }
      // Twins (the same ballot id twice in one batch) get the first one's answer.
      casts.forEach((c, i) => {
        if (!out[i]) out[i] = out[inBatch.get(c.ballotId)!];
      });
      // Only the COMMIT is left: the next batch may start (see flush).
      onlyCommitLeft();
      return out as Array<BallotReceipt | AppError>;
    });
  }

  /**
   * Paper casts of the batch: refused over a household's online ballot (its voter changes that
   * online), and each consumes its household's unused one-time code here, in the ballot's own
   * transaction, so a code can never count twice, whichever node took it.
   */
  private async consumeCodes(
    m: EntityManager,
    roundId: string,
    casts: CastRequest[],
    out: Array<BallotReceipt | AppError | undefined>,
    stored: Map<string, unknown>,
    online: Set<string>,
  ): Promise<void> {
    const tries: Array<{ i: number; c: CastRequest }> = [];
    const households = new Set<string>();
    casts.forEach((c, i) => {
      if (out[i] || !c.codeHash || stored.has(c.ballotId)) return;
      if (online.has(c.householdId)) out[i] = new AppError('PAPER_OVER_ONLINE');
      else if (households.has(c.householdId)) out[i] = new AppError('PAPER_CODE_USED');
      else {
        households.add(c.householdId);
        tries.push({ i, c });
      }
    });
    if (tries.length === 0) return;
    const used: Array<{ household_id: string }> = await m.query(
      `WITH used AS (UPDATE ballot_code b SET used_at = now(), used_by = t.u FROM unnest($2::uuid[], $3::text[], $4::uuid[]) AS t(h, k, u)
         WHERE b.round_id = $1 AND b.household_id = t.h AND b.code_hash = t.k AND b.used_at IS NULL RETURNING b.household_id)
       SELECT household_id FROM used`,
      [roundId, tries.map(({ c }) => c.householdId), tries.map(({ c }) => c.codeHash), tries.map(({ c }) => c.recordedBy)],
    );
    const ok = new Set(used.map((u) => u.household_id));
    for (const { i, c } of tries) if (!ok.has(c.householdId)) out[i] = new AppError('PAPER_CODE_USED');
  }
}
