/**
 * Voting rules: who counts, how ballots are tallied and whether a round passes. This file is the
 * one way in; each job lives beside it:
 * - vote-rule-catalogue.ts: the rules, described, and the matters of Civil Code Article 278;
 * - vote-counting.ts: the electorate, heads and the tally of ballots;
 * - vote-checks.ts: the thresholds as integer checks, and the verdict;
 * - vote-shares.ts: shares of the whole compound, for display;
 * - vote-arithmetic.ts: the exact-integer guards they share (not exported).
 *
 * Every decision is integer arithmetic on counts and 0.01 m² areas: a threshold "p of q is at
 * least n/d" is checked as d × p ≥ n × q, never as p / q ≥ n / d, because a vote decided by a
 * rounding error cannot be explained to the people who lost it. Inputs that are not safe
 * integers are refused with a RangeError rather than silently rounded.
 */

export {
  ART278_ITEMS,
  type Art278Item,
  ruleForArt278Item,
  ruleItemMismatch,
  RULE_IDS,
  type RuleId,
  type RuleInfo,
  RULES,
  type RuleText,
} from './vote-rule-catalogue';
export {
  type Choice,
  DEVELOPER_HEAD,
  type ElectorateHousehold,
  type ElectorateTotals,
  electorateTotals,
  headGroups,
  headKey,
  type Tally,
  tally,
  type VoteCounts,
} from './vote-counting';
export {
  type Check,
  type CheckId,
  type CheckShare,
  decide,
  type Decision,
  type FailureReason,
  participation,
  type ParticipationResult,
  type VoteThreshold,
} from './vote-checks';
export { formatPermille, minimumSupportShare, type ShareOfWhole, shareOfWhole } from './vote-shares';
