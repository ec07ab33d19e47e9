/** Shares of the whole compound, for display beside a verdict. */
import { assertCount, gcd, times } from './vote-arithmetic';
import type { RuleId } from './vote-rule-catalogue';
import { ALL, AT_LEAST_THREE_QUARTERS, AT_LEAST_TWO_THIRDS, MORE_THAN_HALF, type VoteThreshold } from './vote-checks';

/** A part of a whole, with its share in whole permille (‰), rounded down. */
export interface ShareOfWhole {
  num: number;
  den: number;
  permille: number;
}

/**
 * `part` of `whole` for display beside the verdict, e.g. "supported by 35.1% of all owners".
 * Rounded down so a share never looks larger than it is; a whole of 0 shows 0‰.
 */
export function shareOfWhole(part: number, whole: number): ShareOfWhole {
  assertCount(part, 'part');
  assertCount(whole, 'whole');
  if (part > whole) throw new RangeError(`part ${part} is larger than the whole ${whole}`);
  if (whole === 0) return { num: part, den: whole, permille: 0 };
  const scaled = times(1000, part);
  // Subtracting the remainder first makes the division exact, so no rounding is left to chance.
  return { num: part, den: whole, permille: (scaled - (scaled % whole)) / whole };
}

/** Formats permille as a percentage with one decimal: 333 → "33.3%". */
export function formatPermille(permille: number): string {
  assertCount(permille, 'permille');
  return `${(permille - (permille % 10)) / 10}.${permille % 10}%`;
}

/**
 * The smallest share of all owners (by area, and by head) whose support can pass a motion under
 * the rule, reached when participation is at its minimum: 2/3 × 1/2 for an ordinary matter, so
 * just over a third of the compound can decide it, which people should see. Null for the
 * informal rules, whose base is the ballots cast rather than the compound.
 */
export function minimumSupportShare(rule: RuleId): VoteThreshold | null {
  switch (rule) {
    case 'unanimous':
      return { ...ALL };
    case 'art278_special':
    case 'art278_ordinary': {
      const agree = rule === 'art278_special' ? AT_LEAST_THREE_QUARTERS : MORE_THAN_HALF;
      const num = AT_LEAST_TWO_THIRDS.num * agree.num;
      const den = AT_LEAST_TWO_THIRDS.den * agree.den;
      const g = gcd(num, den);
      return { num: num / g, den: den / g, inclusive: AT_LEAST_TWO_THIRDS.inclusive && agree.inclusive };
    }
    case 'simple_majority':
    case 'two_thirds':
      return null;
    default:
      throw new RangeError(`unknown rule ${String(rule)}`);
  }
}
