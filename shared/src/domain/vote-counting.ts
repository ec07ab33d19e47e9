/**
 * Who counts and how ballots are counted: the electorate, its heads (owners counted per the SPC
 * interpretation) and the tally of a round's ballots by households, area and heads.
 */
import { assertCount, plus } from './vote-arithmetic';

/** One exclusive unit (专有部分) with a ballot, as the tally sees it. */
export interface ElectorateHousehold {
  id: string;
  /** Exclusive floor area in 0.01 m²; 0 is allowed (an area not yet registered). */
  areaCentiM2: number;
  /** Registered owners; co-owners of one unit share its single ballot. */
  ownerIds: string[];
  /** Still held by the developer: all such units together count as one owner. */
  developerHeld: boolean;
}

/** Households, exclusive area and heads (owners counted per the SPC interpretation). */
export interface VoteCounts {
  households: number;
  areaCentiM2: number;
  heads: number;
}

/** The whole electorate: everyone who may vote in a round. */
export type ElectorateTotals = VoteCounts;

function assertElectorate(households: readonly ElectorateHousehold[]): void {
  const seen = new Set<string>();
  for (const h of households) {
    if (seen.has(h.id)) throw new RangeError(`household ${h.id} appears twice in the electorate`);
    seen.add(h.id);
    assertCount(h.areaCentiM2, `area of household ${h.id}`);
  }
}

/** The head key of every unit still held by the developer: they count as one owner together. */
export const DEVELOPER_HEAD = 'developer';

/**
 * The head (人数) a unit counts towards, after the Supreme People's Court interpretation on
 * building ownership (最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释), art. 9:
 * one exclusive unit counts as one owner, units bought by the same buyer count once, and units the
 * developer has not sold count as one owner together. The buyer of a unit is the exact set of its
 * registered owners: a single owner, or the same co-owners acting together. So the key is
 * - `developer` for a developer-held unit, whoever is registered on it;
 * - otherwise the unit's distinct owner ids, sorted, as a JSON array: {A} and {A, B} are two
 *   buyers, two heads, although A is in both (units are never joined through a shared co-owner);
 * - a unit with no registered owner is a buyer of its own: `unit:` and its id.
 */
export function headKey(h: Pick<ElectorateHousehold, 'id' | 'ownerIds' | 'developerHeld'>): string {
  if (h.developerHeld) return DEVELOPER_HEAD;
  if (h.ownerIds.length === 0) return `unit:${h.id}`;
  return JSON.stringify([...new Set(h.ownerIds)].sort());
}

/**
 * Groups households into heads by {@link headKey}: units with the same key are one head.
 * Returns household id → head index; indices run from 0 in order of each head's first household.
 */
export function headGroups(households: readonly ElectorateHousehold[]): Map<string, number> {
  assertElectorate(households);
  const indexOfKey = new Map<string, number>();
  const groups = new Map<string, number>();
  for (const h of households) {
    const key = headKey(h);
    let index = indexOfKey.get(key);
    if (index === undefined) {
      index = indexOfKey.size;
      indexOfKey.set(key, index);
    }
    groups.set(h.id, index);
  }
  return groups;
}

/** Size of the electorate: households, total exclusive area and heads. */
export function electorateTotals(households: readonly ElectorateHousehold[]): ElectorateTotals {
  const groups = headGroups(households);
  let area = 0;
  for (const h of households) area = plus(area, h.areaCentiM2);
  return { households: households.length, areaCentiM2: area, heads: new Set(groups.values()).size };
}

// ---------------------------------------------------------------------------------------------
// Tally

/** A household's ballot. */
export type Choice = 'for' | 'against' | 'abstain';

/** Every choice, in the order a tally lists them (internal: not exported from the package). */
export const CHOICES: readonly Choice[] = ['for', 'against', 'abstain'];

/** Counts per choice, of everyone who cast a ballot, and of those who did not. */
export interface Tally {
  for: VoteCounts;
  against: VoteCounts;
  abstain: VoteCounts;
  /** Cast any ballot, abstentions included. */
  participating: VoteCounts;
  /** Cast no ballot. */
  notVoted: VoteCounts;
}

const zeroCounts = (): VoteCounts => ({ households: 0, areaCentiM2: 0, heads: 0 });

function addUnit(counts: VoteCounts, h: ElectorateHousehold): void {
  counts.households += 1;
  counts.areaCentiM2 = plus(counts.areaCentiM2, h.areaCentiM2);
}

/**
 * Counts ballots (household id → choice) over the electorate. Households and area always count
 * per unit, as each unit voted. A head (see {@link headKey}) takes part when any of its units has
 * a ballot, and counts towards a choice's heads when all its cast ballots are that choice. One
 * owner's units carry one stance: the server refuses a ballot that would split them
 * (SPLIT_STANCE), so a split reaches this function only from a record made some other way; it is
 * then counted as taking part and agreeing with nothing, since an owner who voted both ways has
 * not agreed, and must not be counted as agreeing twice over either. A head with no ballot at
 * all is in notVoted.
 *
 * `groups` is `headGroups(households)` when the caller has it already: a round's electorate is
 * frozen, so a server counting it several times a second groups its heads once.
 *
 * Throws RangeError for a ballot from a household outside the electorate or an unknown choice.
 */
export function tally(
  households: readonly ElectorateHousehold[],
  ballots: ReadonlyMap<string, Choice>,
  groups: ReadonlyMap<string, number> = headGroups(households),
): Tally {
  for (const [id, choice] of ballots) {
    if (!groups.has(id)) throw new RangeError(`ballot from household ${id}, which is not in the electorate`);
    if (!CHOICES.includes(choice)) throw new RangeError(`household ${id} cast an unknown choice ${String(choice)}`);
  }

  const result: Tally = {
    for: zeroCounts(),
    against: zeroCounts(),
    abstain: zeroCounts(),
    participating: zeroCounts(),
    notVoted: zeroCounts(),
  };
  const choicesOfHead = new Map<number, Set<Choice>>();
  for (const h of households) {
    const choice = ballots.get(h.id);
    const head = groups.get(h.id)!;
    const seen = choicesOfHead.get(head) ?? new Set<Choice>();
    choicesOfHead.set(head, seen);
    if (choice === undefined) {
      addUnit(result.notVoted, h);
    } else {
      addUnit(result[choice], h);
      addUnit(result.participating, h);
      seen.add(choice);
    }
  }
  for (const seen of choicesOfHead.values()) {
    if (seen.size === 0) result.notVoted.heads += 1;
    else result.participating.heads += 1;
    const [only] = seen;
    if (seen.size === 1 && only !== undefined) result[only].heads += 1;
  }
  return result;
}
