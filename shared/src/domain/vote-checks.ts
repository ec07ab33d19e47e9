/**
 * Whether a round passes: every threshold of the rule as one integer comparison (a {@link Check}),
 * and the verdict they add up to. "p of q is at least n/d" is checked as d × p ≥ n × q, never as
 * p / q ≥ n / d.
 */
import { assertCount, plus, times } from './vote-arithmetic';
import { type RuleId, RULE_IDS, RULES } from './vote-rule-catalogue';
import { CHOICES, type ElectorateTotals, type Tally, type VoteCounts } from './vote-counting';

/** What one check compared. */
export type CheckId =
  'electorate' | 'participation_area' | 'participation_heads' | 'area_for' | 'heads_for' | 'unanimous' | 'ballots' | 'majority';

/** Why a round failed; one per unmet check. */
export type FailureReason =
  | 'empty_electorate'
  | 'participation_area'
  | 'participation_heads'
  | 'area_for'
  | 'heads_for'
  | 'not_unanimous'
  | 'no_ballots'
  | 'majority';

const FAILURE_OF: Record<CheckId, FailureReason> = {
  electorate: 'empty_electorate',
  participation_area: 'participation_area',
  participation_heads: 'participation_heads',
  area_for: 'area_for',
  heads_for: 'heads_for',
  unanimous: 'not_unanimous',
  ballots: 'no_ballots',
  majority: 'majority',
};

/**
 * One integer comparison `left op right`, kept so a UI can show why a round failed, e.g.
 * participation by area is `3 × participating area >= 2 × total area`.
 */
export interface Check {
  id: CheckId;
  left: number;
  op: '>=' | '>' | '=';
  right: number;
  met: boolean;
  /**
   * True when the base of a share is zero (e.g. every unit has area 0), so there is nothing to
   * weigh: the check is met by convention and the other dimension decides.
   */
  vacuous: boolean;
  /**
   * The share the check weighs, in the counts it was computed from, so a UI draws the bar and
   * its mark without knowing the rule; null for a check that weighs no share (the electorate is
   * not empty, some ballot was for or against).
   */
  share: CheckShare | null;
}

/** A fraction n/d of a whole, and whether reaching it exactly is enough (以上) or it must be exceeded (过半数). */
export interface VoteThreshold {
  num: number;
  den: number;
  inclusive: boolean;
}

/** `part` of `whole` (households, 0.01 m² or heads) held against `threshold`. */
export interface CheckShare {
  part: number;
  whole: number;
  threshold: VoteThreshold;
}

// "以上" includes the bound and "过半数" does not (Civil Code Art. 1259).
export const AT_LEAST_TWO_THIRDS: VoteThreshold = { num: 2, den: 3, inclusive: true };
export const AT_LEAST_THREE_QUARTERS: VoteThreshold = { num: 3, den: 4, inclusive: true };
export const MORE_THAN_HALF: VoteThreshold = { num: 1, den: 2, inclusive: false };
/** Unanimity as a share: all of the households (its check is the equality for = total). */
export const ALL: VoteThreshold = { num: 1, den: 1, inclusive: true };

/** `part` of `whole` reaches `threshold`, as `den × part (>= or >) num × whole`. */
function shareCheck(id: CheckId, part: number, whole: number, threshold: VoteThreshold): Check {
  const left = times(threshold.den, part);
  const right = times(threshold.num, whole);
  const vacuous = whole === 0;
  const met = vacuous || (threshold.inclusive ? left >= right : left > right);
  return { id, left, op: threshold.inclusive ? '>=' : '>', right, met, vacuous, share: { part, whole, threshold: { ...threshold } } };
}

/** Whether a body of owners reaches the Article 278 participation threshold. */
export interface ParticipationResult {
  areaMet: boolean;
  headsMet: boolean;
  met: boolean;
  checks: Check[];
}

function assertCounts(c: VoteCounts, what: string): void {
  assertCount(c.households, `${what} households`);
  assertCount(c.areaCentiM2, `${what} area`);
  assertCount(c.heads, `${what} heads`);
}

function assertWithin(part: VoteCounts, whole: VoteCounts, what: string): void {
  if (part.households > whole.households || part.areaCentiM2 > whole.areaCentiM2 || part.heads > whole.heads) {
    throw new RangeError(`${what} exceed the electorate`);
  }
}

/**
 * Article 278 participation: owners of at least 2/3 of the exclusive area AND at least 2/3 of
 * the owners by head take part. Used for a round's ballots and for a meeting's attendance.
 * This is the arithmetic only: an empty electorate trivially "meets" it, and {@link decide}
 * refuses it separately.
 */
export function participation(totals: ElectorateTotals, present: VoteCounts): ParticipationResult {
  assertCounts(totals, 'electorate');
  assertCounts(present, 'present');
  assertWithin(present, totals, 'present owners');
  const area = shareCheck('participation_area', present.areaCentiM2, totals.areaCentiM2, AT_LEAST_TWO_THIRDS);
  const heads = shareCheck('participation_heads', present.heads, totals.heads, AT_LEAST_TWO_THIRDS);
  return { areaMet: area.met, headsMet: heads.met, met: area.met && heads.met, checks: [area, heads] };
}

/** The verdict of a round under a rule, with every comparison that led to it. */
export interface Decision {
  passed: boolean;
  /** Null when the rule has no participation threshold. */
  participationMet: boolean | null;
  /** Reasons the round failed, in the order of {@link checks}; empty when it passed. */
  failures: FailureReason[];
  checks: Check[];
}

function assertTally(totals: ElectorateTotals, t: Tally): void {
  assertCounts(totals, 'electorate');
  for (const key of ['for', 'against', 'abstain', 'participating', 'notVoted'] as const) assertCounts(t[key], key);
  const sum = (key: keyof VoteCounts, of: readonly (keyof Tally)[]) => of.reduce((s, k) => plus(s, t[k][key]), 0);
  const consistent =
    sum('households', CHOICES) === t.participating.households &&
    sum('areaCentiM2', CHOICES) === t.participating.areaCentiM2 &&
    sum('heads', CHOICES) <= t.participating.heads &&
    sum('households', ['participating', 'notVoted']) === totals.households &&
    sum('areaCentiM2', ['participating', 'notVoted']) === totals.areaCentiM2 &&
    sum('heads', ['participating', 'notVoted']) === totals.heads;
  if (!consistent) throw new RangeError('the tally does not add up to the electorate');
}

/**
 * Decides a round under a rule. Every threshold is an integer comparison recorded in `checks`;
 * the round passes when all are met. An empty electorate never passes.
 * - unanimous: every household voted for.
 * - art278_*: participation 3 × area_part ≥ 2 × area_total and 3 × heads_part ≥ 2 × heads_total
 *   (abstentions take part); then special: 4 × for ≥ 3 × part, ordinary: 2 × for > part, each
 *   by area and by heads.
 * - simple_majority: 2 × for > for + against; two_thirds: 3 × for ≥ 2 × (for + against); in
 *   households, abstentions left out, and at least one for or against ballot is needed.
 * Throws RangeError when the tally does not add up to the totals.
 */
export function decide(rule: RuleId, totals: ElectorateTotals, t: Tally): Decision {
  if (!RULE_IDS.includes(rule)) throw new RangeError(`unknown rule ${String(rule)}`);
  assertTally(totals, t);

  const usesThreshold = RULES[rule].usesParticipationThreshold;
  const electorate: Check = {
    id: 'electorate',
    left: totals.households,
    op: '>',
    right: 0,
    met: totals.households > 0,
    vacuous: false,
    share: null,
  };
  if (!electorate.met) {
    return { passed: false, participationMet: usesThreshold ? false : null, failures: [FAILURE_OF.electorate], checks: [electorate] };
  }

  const checks: Check[] = [electorate];
  let participationMet: boolean | null = null;
  const part = t.participating;
  const decisive = plus(t.for.households, t.against.households);
  switch (rule) {
    case 'unanimous':
      checks.push({
        id: 'unanimous',
        left: t.for.households,
        op: '=',
        right: totals.households,
        met: t.for.households === totals.households,
        vacuous: false,
        share: { part: t.for.households, whole: totals.households, threshold: { ...ALL } },
      });
      break;
    case 'art278_special':
    case 'art278_ordinary': {
      const present = participation(totals, part);
      participationMet = present.met;
      const agree = rule === 'art278_special' ? AT_LEAST_THREE_QUARTERS : MORE_THAN_HALF;
      checks.push(
        ...present.checks,
        shareCheck('area_for', t.for.areaCentiM2, part.areaCentiM2, agree),
        shareCheck('heads_for', t.for.heads, part.heads, agree),
      );
      break;
    }
    case 'simple_majority':
    case 'two_thirds':
      checks.push(
        { id: 'ballots', left: decisive, op: '>', right: 0, met: decisive > 0, vacuous: false, share: null },
        shareCheck('majority', t.for.households, decisive, rule === 'two_thirds' ? AT_LEAST_TWO_THIRDS : MORE_THAN_HALF),
      );
      break;
  }

  const failures = checks.filter((c) => !c.met).map((c) => FAILURE_OF[c.id]);
  return { passed: failures.length === 0, participationMet, failures, checks };
}
