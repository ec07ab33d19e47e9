import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Choice, decide, shareOfWhole, tally, type Tally, type TallyView } from '@yishi/shared';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import { MAX_CACHED_ROUNDS, type RoundFacts, RoundFactsService } from './round-facts.service';

/** A counted ballot, as the count needs it. */
export interface CountedBallot {
  household_id: string;
  choice: Choice;
  assisted: boolean;
}

/** Live tallies of a round go out at most this often (ms). */
const TALLY_EVERY_MS = 250;

/**
 * The live count of each round: read incrementally per node, and sent to the round's room at
 * most every TALLY_EVERY_MS after ballots were committed.
 */
@Injectable()
export class TallyService implements OnApplicationShutdown {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Each round's counted choices as this node last read them, and the audit seq they are as of. */
  private readonly live = new Map<string, { asOf: number; choices: Map<string, CountedBallot> }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: RoundFactsService,
    private readonly events: DomainEvents,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationShutdown(): void {
    for (const t of this.timers.values()) clearTimeout(t);
  }

  /**
   * The count now. The node keeps each round's counted choices and reads only the ballot rows
   * newer than the audit position it has (one repeatable-read snapshot with the chain head, and
   * entries commit in seq order under the chain lock), so a live tally does not re-read the
   * whole round every time.
   */
  async view(roundId: string): Promise<TallyView> {
    const facts = await this.facts.get(roundId);
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
      return { rows: r as CountedBallot[], head: Number(h?.head_seq ?? 0) };
    });
    // Two reads may overlap; apply only what moves this node's view forward.
    if (head > live.asOf) {
      for (const b of rows) live.choices.set(b.household_id, b);
      live.asOf = head;
    }
    const r = computeResult(facts, [...live.choices.values()]);
    return {
      roundId,
      asOfSeq: live.asOf,
      totals: facts.totals,
      tally: r.tally,
      decision: r.decision,
      supportOfWhole: r.supportOfWhole,
      assisted: r.assisted,
    };
  }

  /** After a batch committed: send the round's tally once the interval is up (one pending send per round). */
  schedule(roundId: string): void {
    if (this.timers.has(roundId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(roundId);
      this.view(roundId)
        .then((t) => this.events.emit('vote.tally', t))
        .catch((err: unknown) => this.log.warn({ err, roundId }, 'tally broadcast failed'));
    }, TALLY_EVERY_MS);
    timer.unref();
    this.timers.set(roundId, timer);
  }
}

/** Tally, decision and shares of the whole, from the counted ballots. */
export function computeResult(facts: Pick<RoundFacts, 'electorate' | 'groups' | 'rule' | 'totals'>, ballots: CountedBallot[]) {
  const t: Tally = tally(facts.electorate, new Map(ballots.map((b) => [b.household_id, b.choice])), facts.groups);
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
