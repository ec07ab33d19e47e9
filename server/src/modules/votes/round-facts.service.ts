import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type ElectorateHousehold, headGroups, type RuleId, type VoteCounts } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';

/** A household of the frozen electorate, with what the roll-call shows of it. */
export interface Elector extends ElectorateHousehold {
  label: string;
  gateId: string | null;
}

/** What stays the same for the life of a round, cached per node. */
export interface RoundFacts {
  id: string;
  compoundId: string;
  proposalId: string;
  revisionId: string;
  rule: RuleId;
  electorate: Elector[];
  byId: Map<string, Elector>;
  totals: VoteCounts;
  /** Household id → its head's index (headGroups of the electorate, computed once for every count). */
  groups: ReadonlyMap<string, number>;
  /** Household id → its head's index and all of that head's units (one owner's units carry one stance). */
  headOf: Map<string, { head: number; units: string[] }>;
}

/** Rounds whose facts (electorate) a node keeps in memory; older ones are read again when needed. */
export const MAX_CACHED_ROUNDS = 200;

/**
 * A round's unchanging facts (electorate frozen at opening, rule, totals), read once per node:
 * every cast, tally and roll-call needs them, and they never change once the round is open.
 */
@Injectable()
export class RoundFactsService {
  private readonly facts = new Map<string, Promise<RoundFacts>>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The round's facts, loaded once per node; NOT_FOUND for no such round. */
  get(roundId: string): Promise<RoundFacts> {
    let p = this.facts.get(roundId);
    if (!p) {
      p = (async () => {
        const [r] = await this.db.query(
          `SELECT id, compound_id, proposal_id, revision_id, rule, electorate, totals FROM vote_round WHERE id = $1`,
          [roundId],
        );
        if (!r) throw new AppError('NOT_FOUND');
        const electorate: Elector[] = r.electorate;
        const groups = headGroups(electorate);
        const unitsOf = new Map<number, string[]>();
        for (const [id, head] of groups) unitsOf.set(head, [...(unitsOf.get(head) ?? []), id]);
        const headOf = new Map([...groups].map(([id, head]) => [id, { head, units: unitsOf.get(head)! }]));
        return {
          id: r.id,
          compoundId: r.compound_id,
          proposalId: r.proposal_id,
          revisionId: r.revision_id,
          rule: r.rule,
          electorate,
          byId: new Map(electorate.map((h) => [h.id, h])),
          totals: r.totals,
          groups,
          headOf,
        };
      })();
      p.catch(() => this.facts.delete(roundId));
      this.facts.set(roundId, p);
      if (this.facts.size > MAX_CACHED_ROUNDS) this.facts.delete(this.facts.keys().next().value!);
    }
    return p;
  }

  /** The facts if this node has them already (loaded or loading), without reading the database. */
  cached(roundId: string): Promise<RoundFacts> | undefined {
    return this.facts.get(roundId);
  }
}
