/**
 * The rules a vote round can be held under, described for the chair and the residents, and the
 * matters of Civil Code Article 278 with the rule each is decided by.
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
  if (art278Item === null)
    return { zh: '《民法典》第二百七十八条的规则须注明事项（第一至九项）', en: 'An Article 278 rule needs the item of the article (1–9)' };
  const expected = ruleForArt278Item(art278Item);
  if (expected === rule) return null;
  return {
    zh: `第${art278Item}项应按“${RULES[expected].name.zh}”表决`,
    en: `item ${art278Item} of Article 278 is decided as ${RULES[expected].name.en}`,
  };
}
