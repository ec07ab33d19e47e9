/**
 * Voting rules: who counts, how ballots are tallied and whether a round passes.
 *
 * Every decision is integer arithmetic on counts and 0.01 m² areas: a threshold "p of q is at
 * least n/d" is checked as d × p ≥ n × q, never as p / q ≥ n / d, because a vote decided by a
 * rounding error cannot be explained to the people who lost it. Inputs that are not safe
 * integers are refused with a RangeError rather than silently rounded.
 */

/** A text shown to people, in Chinese first and English for the record. */
export interface RuleText {
  zh: string;
  en: string;
}

/** The rules a vote round can be held under. */
export const RULE_IDS = ['unanimous', 'art278_special', 'art278_ordinary', 'simple_majority', 'two_thirds'] as const;

/** One of {@link RULE_IDS}. */
export type RuleId = (typeof RULE_IDS)[number];

/** What a rule means, for the chair choosing it and the residents reading the verdict. */
export interface RuleInfo {
  id: RuleId;
  name: RuleText;
  description: RuleText;
  /** How an abstention is treated under this rule, in words. */
  abstentions: RuleText;
  /** True when an abstaining household is counted as having taken part in the decision. */
  abstentionsCountAsParticipation: boolean;
  /** True when the rule first requires owners of 2/3 of the area and 2/3 of the heads to take part. */
  usesParticipationThreshold: boolean;
}

/** The rules, described. */
export const RULES: Record<RuleId, RuleInfo> = {
  unanimous: {
    id: 'unanimous',
    name: { zh: '全票通过', en: 'Unanimous' },
    description: {
      zh: '全体有表决权的住户均投赞成票方为通过。',
      en: 'Passes only if every eligible household votes for.',
    },
    abstentions: {
      zh: '弃权或未投票均视为未同意，方案不通过。',
      en: 'An abstention or a missing ballot is not a vote for, so the motion fails.',
    },
    abstentionsCountAsParticipation: false,
    usesParticipationThreshold: false,
  },
  art278_special: {
    id: 'art278_special',
    name: { zh: '《民法典》第二百七十八条 特别事项', en: 'Civil Code Art. 278, special matter' },
    description: {
      zh: '专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意（第六至八项）。',
      en: 'Owners of at least 2/3 of the exclusive area and at least 2/3 of the owners take part, and owners of at least 3/4 of the participating area and at least 3/4 of the participating owners agree (items 6–8).',
    },
    abstentions: {
      zh: '弃权计入参与表决的面积和人数，但不计入同意。',
      en: 'An abstention counts towards participation (area and heads) but not towards agreement.',
    },
    abstentionsCountAsParticipation: true,
    usesParticipationThreshold: true,
  },
  art278_ordinary: {
    id: 'art278_ordinary',
    name: { zh: '《民法典》第二百七十八条 一般事项', en: 'Civil Code Art. 278, ordinary matter' },
    description: {
      zh: '专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。',
      en: 'Owners of at least 2/3 of the exclusive area and at least 2/3 of the owners take part, and owners of more than half of the participating area and more than half of the participating owners agree.',
    },
    abstentions: {
      zh: '弃权计入参与表决的面积和人数，但不计入同意。',
      en: 'An abstention counts towards participation (area and heads) but not towards agreement.',
    },
    abstentionsCountAsParticipation: true,
    usesParticipationThreshold: true,
  },
  simple_majority: {
    id: 'simple_majority',
    name: { zh: '简单多数', en: 'Simple majority' },
    description: {
      zh: '赞成票多于反对票即通过（按户计），用于非正式协商。',
      en: 'Passes when more households vote for than against; for informal consultations.',
    },
    abstentions: {
      zh: '弃权票是有效投票，但不计入多数的基数；只有赞成和反对参与计算。',
      en: 'An abstention is a cast ballot but is left out of the majority base: only for and against are compared.',
    },
    abstentionsCountAsParticipation: false,
    usesParticipationThreshold: false,
  },
  two_thirds: {
    id: 'two_thirds',
    name: { zh: '三分之二多数', en: 'Two-thirds majority' },
    description: {
      zh: '赞成票占赞成与反对票合计的三分之二以上即通过（按户计），用于非正式协商。',
      en: 'Passes when at least 2/3 of the households voting for or against vote for; for informal consultations.',
    },
    abstentions: {
      zh: '弃权票是有效投票，但不计入多数的基数；只有赞成和反对参与计算。',
      en: 'An abstention is a cast ballot but is left out of the majority base: only for and against are compared.',
    },
    abstentionsCountAsParticipation: false,
    usesParticipationThreshold: false,
  },
};

/** One item of Civil Code Article 278, paragraph 1. */
export interface Art278Item {
  item: number;
  text: RuleText;
  rule: 'art278_special' | 'art278_ordinary';
}

/** The matters owners decide together, as listed in Civil Code Article 278. */
export const ART278_ITEMS: readonly Art278Item[] = [
  {
    item: 1,
    text: { zh: '制定和修改业主大会议事规则', en: "Adopt or amend the rules of procedure of the owners' assembly" },
    rule: 'art278_ordinary',
  },
  { item: 2, text: { zh: '制定和修改管理规约', en: 'Adopt or amend the management covenant' }, rule: 'art278_ordinary' },
  {
    item: 3,
    text: { zh: '选举业主委员会或者更换业主委员会成员', en: "Elect the owners' committee or replace its members" },
    rule: 'art278_ordinary',
  },
  {
    item: 4,
    text: { zh: '选聘和解聘物业服务企业或者其他管理人', en: 'Engage or dismiss the property service company or another manager' },
    rule: 'art278_ordinary',
  },
  {
    item: 5,
    text: { zh: '使用建筑物及其附属设施的维修资金', en: 'Use the maintenance fund of the buildings and their ancillary facilities' },
    rule: 'art278_ordinary',
  },
  {
    item: 6,
    text: { zh: '筹集建筑物及其附属设施的维修资金', en: 'Raise the maintenance fund of the buildings and their ancillary facilities' },
    rule: 'art278_special',
  },
  {
    item: 7,
    text: { zh: '改建、重建建筑物及其附属设施', en: 'Renovate or rebuild the buildings and their ancillary facilities' },
    rule: 'art278_special',
  },
  {
    item: 8,
    text: {
      zh: '改变共有部分的用途或者利用共有部分从事经营活动',
      en: 'Change the use of the common parts or use them for business activities',
    },
    rule: 'art278_special',
  },
  {
    item: 9,
    text: {
      zh: '有关共有和共同管理权利的其他重大事项',
      en: 'Other major matters concerning common ownership and joint management rights',
    },
    rule: 'art278_ordinary',
  },
];

/** The rule for a motion the chair classifies as item 1–9 of Article 278; throws RangeError otherwise. */
export function ruleForArt278Item(item: number): 'art278_special' | 'art278_ordinary' {
  const found = ART278_ITEMS.find((i) => i.item === item);
  if (!found) throw new RangeError(`Article 278 has no item ${item}`);
  return found.rule;
}

/**
 * Why a rule and an Article 278 item do not go together, or null when they do: an Article 278
 * rule needs the item the chair classified the motion as, and must be the rule that item is
 * decided by (items 6–8 special, the others ordinary); any other rule has no item, since it is
 * not a decision of the owners under Article 278.
 */
export function ruleItemMismatch(rule: RuleId, art278Item: number | null): RuleText | null {
  if (!RULES[rule].usesParticipationThreshold) {
    if (art278Item === null) return null;
    return {
      zh: `“${RULES[rule].name.zh}”不是《民法典》第二百七十八条的规则，不能标注第${art278Item}项`,
      en: `${RULES[rule].name.en} is not an Article 278 rule, so the motion cannot be item ${art278Item}`,
    };
  }
  if (art278Item === null) return { zh: '《民法典》第二百七十八条的规则须注明事项（第一至九项）', en: 'An Article 278 rule needs the item of the article (1–9)' };
  const expected = ruleForArt278Item(art278Item);
  if (expected === rule) return null;
  return {
    zh: `第${art278Item}项应按“${RULES[expected].name.zh}”表决`,
    en: `item ${art278Item} of Article 278 is decided as ${RULES[expected].name.en}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Integer guards

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${value}`);
}

// Thresholds multiply counts by small constants; past 2^53 the product would round silently.
function times(factor: number, value: number): number {
  const product = factor * value;
  if (!Number.isSafeInteger(product)) throw new RangeError(`${factor} × ${value} is beyond exact integer arithmetic`);
  return product;
}

function plus(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`${a} + ${b} is beyond exact integer arithmetic`);
  return sum;
}

// ---------------------------------------------------------------------------------------------
// The electorate and head counting

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

const CHOICES: readonly Choice[] = ['for', 'against', 'abstain'];

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
 * Throws RangeError for a ballot from a household outside the electorate or an unknown choice.
 */
export function tally(households: readonly ElectorateHousehold[], ballots: ReadonlyMap<string, Choice>): Tally {
  const groups = headGroups(households);
  for (const [id, choice] of ballots) {
    if (!groups.has(id)) throw new RangeError(`ballot from household ${id}, which is not in the electorate`);
    if (!CHOICES.includes(choice)) throw new RangeError(`household ${id} cast an unknown choice ${String(choice)}`);
  }

  const result: Tally = { for: zeroCounts(), against: zeroCounts(), abstain: zeroCounts(), participating: zeroCounts(), notVoted: zeroCounts() };
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
    if (seen.size === 1) result[[...seen][0]].heads += 1;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Checks and decisions

/** What one check compared. */
export type CheckId =
  | 'electorate'
  | 'participation_area'
  | 'participation_heads'
  | 'area_for'
  | 'heads_for'
  | 'unanimous'
  | 'ballots'
  | 'majority';

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
}

/** A fraction n/d of a whole, and whether reaching it exactly is enough (以上) or it must be exceeded (过半数). */
export interface VoteThreshold {
  num: number;
  den: number;
  inclusive: boolean;
}

// "以上" includes the bound and "过半数" does not (Civil Code Art. 1259).
const AT_LEAST_TWO_THIRDS: VoteThreshold = { num: 2, den: 3, inclusive: true };
const AT_LEAST_THREE_QUARTERS: VoteThreshold = { num: 3, den: 4, inclusive: true };
const MORE_THAN_HALF: VoteThreshold = { num: 1, den: 2, inclusive: false };

/** `part` of `whole` reaches `share`, as `den × part (>= or >) num × whole`. */
function shareCheck(id: CheckId, part: number, whole: number, share: VoteThreshold): Check {
  const left = times(share.den, part);
  const right = times(share.num, whole);
  const vacuous = whole === 0;
  const met = vacuous || (share.inclusive ? left >= right : left > right);
  return { id, left, op: share.inclusive ? '>=' : '>', right, met, vacuous };
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
  const electorate: Check = { id: 'electorate', left: totals.households, op: '>', right: 0, met: totals.households > 0, vacuous: false };
  if (!electorate.met) {
    return { passed: false, participationMet: usesThreshold ? false : null, failures: [FAILURE_OF.electorate], checks: [electorate] };
  }

  const checks: Check[] = [electorate];
  let participationMet: boolean | null = null;
  const part = t.participating;
  const decisive = plus(t.for.households, t.against.households);
  switch (rule) {
    case 'unanimous':
      checks.push({ id: 'unanimous', left: t.for.households, op: '=', right: totals.households, met: t.for.households === totals.households, vacuous: false });
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
        { id: 'ballots', left: decisive, op: '>', right: 0, met: decisive > 0, vacuous: false },
        shareCheck('majority', t.for.households, decisive, rule === 'two_thirds' ? AT_LEAST_TWO_THIRDS : MORE_THAN_HALF),
      );
      break;
  }

  const failures = checks.filter((c) => !c.met).map((c) => FAILURE_OF[c.id]);
  return { passed: failures.length === 0, participationMet, failures, checks };
}

// ---------------------------------------------------------------------------------------------
// Shares of the whole compound, for display

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

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
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
      return { num: 1, den: 1, inclusive: true };
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
