/**
 * Voting rules: who counts, how ballots are tallied and whether a round passes.
 *
 * Every decision is integer arithmetic on counts and 0.01 m² areas: a threshold "p of q is at
 * least n/d" is checked as d × p ≥ n × q, never as p / q ≥ n / d, because a vote decided by a
 * rounding error cannot be explained to the people who lost it. Inputs that are not safe
 * integers are refused with a RangeError rather than silently rounded.
 */
// @ts-nocheck


/** A text shown to people, in Chinese first and English for the record. */function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
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
export const RULES: Record<RuleId, RuleInfo> = stryMutAct_9fa48("534") ? {} : (stryCov_9fa48("534"), {
  unanimous: stryMutAct_9fa48("535") ? {} : (stryCov_9fa48("535"), {
    id: stryMutAct_9fa48("536") ? "" : (stryCov_9fa48("536"), 'unanimous'),
    name: stryMutAct_9fa48("537") ? {} : (stryCov_9fa48("537"), {
      zh: stryMutAct_9fa48("538") ? "" : (stryCov_9fa48("538"), '全票通过'),
      en: stryMutAct_9fa48("539") ? "" : (stryCov_9fa48("539"), 'Unanimous')
    }),
    description: stryMutAct_9fa48("540") ? {} : (stryCov_9fa48("540"), {
      zh: stryMutAct_9fa48("541") ? "" : (stryCov_9fa48("541"), '全体有表决权的住户均投赞成票方为通过。'),
      en: stryMutAct_9fa48("542") ? "" : (stryCov_9fa48("542"), 'Passes only if every eligible household votes for.')
    }),
    abstentions: stryMutAct_9fa48("543") ? {} : (stryCov_9fa48("543"), {
      zh: stryMutAct_9fa48("544") ? "" : (stryCov_9fa48("544"), '弃权或未投票均视为未同意，方案不通过。'),
      en: stryMutAct_9fa48("545") ? "" : (stryCov_9fa48("545"), 'An abstention or a missing ballot is not a vote for, so the motion fails.')
    }),
    abstentionsCountAsParticipation: stryMutAct_9fa48("546") ? true : (stryCov_9fa48("546"), false),
    usesParticipationThreshold: stryMutAct_9fa48("547") ? true : (stryCov_9fa48("547"), false)
  }),
  art278_special: stryMutAct_9fa48("548") ? {} : (stryCov_9fa48("548"), {
    id: stryMutAct_9fa48("549") ? "" : (stryCov_9fa48("549"), 'art278_special'),
    name: stryMutAct_9fa48("550") ? {} : (stryCov_9fa48("550"), {
      zh: stryMutAct_9fa48("551") ? "" : (stryCov_9fa48("551"), '《民法典》第二百七十八条 特别事项'),
      en: stryMutAct_9fa48("552") ? "" : (stryCov_9fa48("552"), 'Civil Code Art. 278, special matter')
    }),
    description: stryMutAct_9fa48("553") ? {} : (stryCov_9fa48("553"), {
      zh: stryMutAct_9fa48("554") ? "" : (stryCov_9fa48("554"), '专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意（第六至八项）。'),
      en: stryMutAct_9fa48("555") ? "" : (stryCov_9fa48("555"), 'Owners of at least 2/3 of the exclusive area and at least 2/3 of the owners take part, and owners of at least 3/4 of the participating area and at least 3/4 of the participating owners agree (items 6–8).')
    }),
    abstentions: stryMutAct_9fa48("556") ? {} : (stryCov_9fa48("556"), {
      zh: stryMutAct_9fa48("557") ? "" : (stryCov_9fa48("557"), '弃权计入参与表决的面积和人数，但不计入同意。'),
      en: stryMutAct_9fa48("558") ? "" : (stryCov_9fa48("558"), 'An abstention counts towards participation (area and heads) but not towards agreement.')
    }),
    abstentionsCountAsParticipation: stryMutAct_9fa48("559") ? false : (stryCov_9fa48("559"), true),
    usesParticipationThreshold: stryMutAct_9fa48("560") ? false : (stryCov_9fa48("560"), true)
  }),
  art278_ordinary: stryMutAct_9fa48("561") ? {} : (stryCov_9fa48("561"), {
    id: stryMutAct_9fa48("562") ? "" : (stryCov_9fa48("562"), 'art278_ordinary'),
    name: stryMutAct_9fa48("563") ? {} : (stryCov_9fa48("563"), {
      zh: stryMutAct_9fa48("564") ? "" : (stryCov_9fa48("564"), '《民法典》第二百七十八条 一般事项'),
      en: stryMutAct_9fa48("565") ? "" : (stryCov_9fa48("565"), 'Civil Code Art. 278, ordinary matter')
    }),
    description: stryMutAct_9fa48("566") ? {} : (stryCov_9fa48("566"), {
      zh: stryMutAct_9fa48("567") ? "" : (stryCov_9fa48("567"), '专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。'),
      en: stryMutAct_9fa48("568") ? "" : (stryCov_9fa48("568"), 'Owners of at least 2/3 of the exclusive area and at least 2/3 of the owners take part, and owners of more than half of the participating area and more than half of the participating owners agree.')
    }),
    abstentions: stryMutAct_9fa48("569") ? {} : (stryCov_9fa48("569"), {
      zh: stryMutAct_9fa48("570") ? "" : (stryCov_9fa48("570"), '弃权计入参与表决的面积和人数，但不计入同意。'),
      en: stryMutAct_9fa48("571") ? "" : (stryCov_9fa48("571"), 'An abstention counts towards participation (area and heads) but not towards agreement.')
    }),
    abstentionsCountAsParticipation: stryMutAct_9fa48("572") ? false : (stryCov_9fa48("572"), true),
    usesParticipationThreshold: stryMutAct_9fa48("573") ? false : (stryCov_9fa48("573"), true)
  }),
  simple_majority: stryMutAct_9fa48("574") ? {} : (stryCov_9fa48("574"), {
    id: stryMutAct_9fa48("575") ? "" : (stryCov_9fa48("575"), 'simple_majority'),
    name: stryMutAct_9fa48("576") ? {} : (stryCov_9fa48("576"), {
      zh: stryMutAct_9fa48("577") ? "" : (stryCov_9fa48("577"), '简单多数'),
      en: stryMutAct_9fa48("578") ? "" : (stryCov_9fa48("578"), 'Simple majority')
    }),
    description: stryMutAct_9fa48("579") ? {} : (stryCov_9fa48("579"), {
      zh: stryMutAct_9fa48("580") ? "" : (stryCov_9fa48("580"), '赞成票多于反对票即通过（按户计），用于非正式协商。'),
      en: stryMutAct_9fa48("581") ? "" : (stryCov_9fa48("581"), 'Passes when more households vote for than against; for informal consultations.')
    }),
    abstentions: stryMutAct_9fa48("582") ? {} : (stryCov_9fa48("582"), {
      zh: stryMutAct_9fa48("583") ? "" : (stryCov_9fa48("583"), '弃权票是有效投票，但不计入多数的基数；只有赞成和反对参与计算。'),
      en: stryMutAct_9fa48("584") ? "" : (stryCov_9fa48("584"), 'An abstention is a cast ballot but is left out of the majority base: only for and against are compared.')
    }),
    abstentionsCountAsParticipation: stryMutAct_9fa48("585") ? true : (stryCov_9fa48("585"), false),
    usesParticipationThreshold: stryMutAct_9fa48("586") ? true : (stryCov_9fa48("586"), false)
  }),
  two_thirds: stryMutAct_9fa48("587") ? {} : (stryCov_9fa48("587"), {
    id: stryMutAct_9fa48("588") ? "" : (stryCov_9fa48("588"), 'two_thirds'),
    name: stryMutAct_9fa48("589") ? {} : (stryCov_9fa48("589"), {
      zh: stryMutAct_9fa48("590") ? "" : (stryCov_9fa48("590"), '三分之二多数'),
      en: stryMutAct_9fa48("591") ? "" : (stryCov_9fa48("591"), 'Two-thirds majority')
    }),
    description: stryMutAct_9fa48("592") ? {} : (stryCov_9fa48("592"), {
      zh: stryMutAct_9fa48("593") ? "" : (stryCov_9fa48("593"), '赞成票占赞成与反对票合计的三分之二以上即通过（按户计），用于非正式协商。'),
      en: stryMutAct_9fa48("594") ? "" : (stryCov_9fa48("594"), 'Passes when at least 2/3 of the households voting for or against vote for; for informal consultations.')
    }),
    abstentions: stryMutAct_9fa48("595") ? {} : (stryCov_9fa48("595"), {
      zh: stryMutAct_9fa48("596") ? "" : (stryCov_9fa48("596"), '弃权票是有效投票，但不计入多数的基数；只有赞成和反对参与计算。'),
      en: stryMutAct_9fa48("597") ? "" : (stryCov_9fa48("597"), 'An abstention is a cast ballot but is left out of the majority base: only for and against are compared.')
    }),
    abstentionsCountAsParticipation: stryMutAct_9fa48("598") ? true : (stryCov_9fa48("598"), false),
    usesParticipationThreshold: stryMutAct_9fa48("599") ? true : (stryCov_9fa48("599"), false)
  })
});

/** One item of Civil Code Article 278, paragraph 1. */
export interface Art278Item {
  item: number;
  text: RuleText;
  rule: 'art278_special' | 'art278_ordinary';
}

/** The matters owners decide together, as listed in Civil Code Article 278. */
export const ART278_ITEMS: readonly Art278Item[] = stryMutAct_9fa48("600") ? [] : (stryCov_9fa48("600"), [stryMutAct_9fa48("601") ? {} : (stryCov_9fa48("601"), {
  item: 1,
  text: stryMutAct_9fa48("602") ? {} : (stryCov_9fa48("602"), {
    zh: stryMutAct_9fa48("603") ? "" : (stryCov_9fa48("603"), '制定和修改业主大会议事规则'),
    en: stryMutAct_9fa48("604") ? "" : (stryCov_9fa48("604"), "Adopt or amend the rules of procedure of the owners' assembly")
  }),
  rule: stryMutAct_9fa48("605") ? "" : (stryCov_9fa48("605"), 'art278_ordinary')
}), stryMutAct_9fa48("606") ? {} : (stryCov_9fa48("606"), {
  item: 2,
  text: stryMutAct_9fa48("607") ? {} : (stryCov_9fa48("607"), {
    zh: stryMutAct_9fa48("608") ? "" : (stryCov_9fa48("608"), '制定和修改管理规约'),
    en: stryMutAct_9fa48("609") ? "" : (stryCov_9fa48("609"), 'Adopt or amend the management covenant')
  }),
  rule: stryMutAct_9fa48("610") ? "" : (stryCov_9fa48("610"), 'art278_ordinary')
}), stryMutAct_9fa48("611") ? {} : (stryCov_9fa48("611"), {
  item: 3,
  text: stryMutAct_9fa48("612") ? {} : (stryCov_9fa48("612"), {
    zh: stryMutAct_9fa48("613") ? "" : (stryCov_9fa48("613"), '选举业主委员会或者更换业主委员会成员'),
    en: stryMutAct_9fa48("614") ? "" : (stryCov_9fa48("614"), "Elect the owners' committee or replace its members")
  }),
  rule: stryMutAct_9fa48("615") ? "" : (stryCov_9fa48("615"), 'art278_ordinary')
}), stryMutAct_9fa48("616") ? {} : (stryCov_9fa48("616"), {
  item: 4,
  text: stryMutAct_9fa48("617") ? {} : (stryCov_9fa48("617"), {
    zh: stryMutAct_9fa48("618") ? "" : (stryCov_9fa48("618"), '选聘和解聘物业服务企业或者其他管理人'),
    en: stryMutAct_9fa48("619") ? "" : (stryCov_9fa48("619"), 'Engage or dismiss the property service company or another manager')
  }),
  rule: stryMutAct_9fa48("620") ? "" : (stryCov_9fa48("620"), 'art278_ordinary')
}), stryMutAct_9fa48("621") ? {} : (stryCov_9fa48("621"), {
  item: 5,
  text: stryMutAct_9fa48("622") ? {} : (stryCov_9fa48("622"), {
    zh: stryMutAct_9fa48("623") ? "" : (stryCov_9fa48("623"), '使用建筑物及其附属设施的维修资金'),
    en: stryMutAct_9fa48("624") ? "" : (stryCov_9fa48("624"), 'Use the maintenance fund of the buildings and their ancillary facilities')
  }),
  rule: stryMutAct_9fa48("625") ? "" : (stryCov_9fa48("625"), 'art278_ordinary')
}), stryMutAct_9fa48("626") ? {} : (stryCov_9fa48("626"), {
  item: 6,
  text: stryMutAct_9fa48("627") ? {} : (stryCov_9fa48("627"), {
    zh: stryMutAct_9fa48("628") ? "" : (stryCov_9fa48("628"), '筹集建筑物及其附属设施的维修资金'),
    en: stryMutAct_9fa48("629") ? "" : (stryCov_9fa48("629"), 'Raise the maintenance fund of the buildings and their ancillary facilities')
  }),
  rule: stryMutAct_9fa48("630") ? "" : (stryCov_9fa48("630"), 'art278_special')
}), stryMutAct_9fa48("631") ? {} : (stryCov_9fa48("631"), {
  item: 7,
  text: stryMutAct_9fa48("632") ? {} : (stryCov_9fa48("632"), {
    zh: stryMutAct_9fa48("633") ? "" : (stryCov_9fa48("633"), '改建、重建建筑物及其附属设施'),
    en: stryMutAct_9fa48("634") ? "" : (stryCov_9fa48("634"), 'Renovate or rebuild the buildings and their ancillary facilities')
  }),
  rule: stryMutAct_9fa48("635") ? "" : (stryCov_9fa48("635"), 'art278_special')
}), stryMutAct_9fa48("636") ? {} : (stryCov_9fa48("636"), {
  item: 8,
  text: stryMutAct_9fa48("637") ? {} : (stryCov_9fa48("637"), {
    zh: stryMutAct_9fa48("638") ? "" : (stryCov_9fa48("638"), '改变共有部分的用途或者利用共有部分从事经营活动'),
    en: stryMutAct_9fa48("639") ? "" : (stryCov_9fa48("639"), 'Change the use of the common parts or use them for business activities')
  }),
  rule: stryMutAct_9fa48("640") ? "" : (stryCov_9fa48("640"), 'art278_special')
}), stryMutAct_9fa48("641") ? {} : (stryCov_9fa48("641"), {
  item: 9,
  text: stryMutAct_9fa48("642") ? {} : (stryCov_9fa48("642"), {
    zh: stryMutAct_9fa48("643") ? "" : (stryCov_9fa48("643"), '有关共有和共同管理权利的其他重大事项'),
    en: stryMutAct_9fa48("644") ? "" : (stryCov_9fa48("644"), 'Other major matters concerning common ownership and joint management rights')
  }),
  rule: stryMutAct_9fa48("645") ? "" : (stryCov_9fa48("645"), 'art278_ordinary')
})]);

/** The rule for a motion the chair classifies as item 1–9 of Article 278; throws RangeError otherwise. */
export function ruleForArt278Item(item: number): 'art278_special' | 'art278_ordinary' {
  if (stryMutAct_9fa48("646")) {
    {}
  } else {
    stryCov_9fa48("646");
    const found = ART278_ITEMS.find(stryMutAct_9fa48("647") ? () => undefined : (stryCov_9fa48("647"), i => stryMutAct_9fa48("650") ? i.item !== item : stryMutAct_9fa48("649") ? false : stryMutAct_9fa48("648") ? true : (stryCov_9fa48("648", "649", "650"), i.item === item)));
    if (stryMutAct_9fa48("653") ? false : stryMutAct_9fa48("652") ? true : stryMutAct_9fa48("651") ? found : (stryCov_9fa48("651", "652", "653"), !found)) throw new RangeError(stryMutAct_9fa48("654") ? `` : (stryCov_9fa48("654"), `Article 278 has no item ${item}`));
    return found.rule;
  }
}

/**
 * Why a rule and an Article 278 item do not go together, or null when they do: an Article 278
 * rule needs the item the chair classified the motion as, and must be the rule that item is
 * decided by (items 6–8 special, the others ordinary); any other rule has no item, since it is
 * not a decision of the owners under Article 278.
 */
export function ruleItemMismatch(rule: RuleId, art278Item: number | null): RuleText | null {
  if (stryMutAct_9fa48("655")) {
    {}
  } else {
    stryCov_9fa48("655");
    if (stryMutAct_9fa48("658") ? false : stryMutAct_9fa48("657") ? true : stryMutAct_9fa48("656") ? RULES[rule].usesParticipationThreshold : (stryCov_9fa48("656", "657", "658"), !RULES[rule].usesParticipationThreshold)) {
      if (stryMutAct_9fa48("659")) {
        {}
      } else {
        stryCov_9fa48("659");
        if (stryMutAct_9fa48("662") ? art278Item !== null : stryMutAct_9fa48("661") ? false : stryMutAct_9fa48("660") ? true : (stryCov_9fa48("660", "661", "662"), art278Item === null)) return null;
        return stryMutAct_9fa48("663") ? {} : (stryCov_9fa48("663"), {
          zh: stryMutAct_9fa48("664") ? `` : (stryCov_9fa48("664"), `“${RULES[rule].name.zh}”不是《民法典》第二百七十八条的规则，不能标注第${art278Item}项`),
          en: stryMutAct_9fa48("665") ? `` : (stryCov_9fa48("665"), `${RULES[rule].name.en} is not an Article 278 rule, so the motion cannot be item ${art278Item}`)
        });
      }
    }
    if (stryMutAct_9fa48("668") ? art278Item !== null : stryMutAct_9fa48("667") ? false : stryMutAct_9fa48("666") ? true : (stryCov_9fa48("666", "667", "668"), art278Item === null)) return stryMutAct_9fa48("669") ? {} : (stryCov_9fa48("669"), {
      zh: stryMutAct_9fa48("670") ? "" : (stryCov_9fa48("670"), '《民法典》第二百七十八条的规则须注明事项（第一至九项）'),
      en: stryMutAct_9fa48("671") ? "" : (stryCov_9fa48("671"), 'An Article 278 rule needs the item of the article (1–9)')
    });
    const expected = ruleForArt278Item(art278Item);
    if (stryMutAct_9fa48("674") ? expected !== rule : stryMutAct_9fa48("673") ? false : stryMutAct_9fa48("672") ? true : (stryCov_9fa48("672", "673", "674"), expected === rule)) return null;
    return stryMutAct_9fa48("675") ? {} : (stryCov_9fa48("675"), {
      zh: stryMutAct_9fa48("676") ? `` : (stryCov_9fa48("676"), `第${art278Item}项应按“${RULES[expected].name.zh}”表决`),
      en: stryMutAct_9fa48("677") ? `` : (stryCov_9fa48("677"), `item ${art278Item} of Article 278 is decided as ${RULES[expected].name.en}`)
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Integer guards

function assertCount(value: number, what: string): void {
  if (stryMutAct_9fa48("678")) {
    {}
  } else {
    stryCov_9fa48("678");
    if (stryMutAct_9fa48("681") ? !Number.isSafeInteger(value) && value < 0 : stryMutAct_9fa48("680") ? false : stryMutAct_9fa48("679") ? true : (stryCov_9fa48("679", "680", "681"), (stryMutAct_9fa48("682") ? Number.isSafeInteger(value) : (stryCov_9fa48("682"), !Number.isSafeInteger(value))) || (stryMutAct_9fa48("685") ? value >= 0 : stryMutAct_9fa48("684") ? value <= 0 : stryMutAct_9fa48("683") ? false : (stryCov_9fa48("683", "684", "685"), value < 0)))) throw new RangeError(stryMutAct_9fa48("686") ? `` : (stryCov_9fa48("686"), `${what} must be a non-negative safe integer, got ${value}`));
  }
}

// Thresholds multiply counts by small constants; past 2^53 the product would round silently.
function times(factor: number, value: number): number {
  if (stryMutAct_9fa48("687")) {
    {}
  } else {
    stryCov_9fa48("687");
    const product = stryMutAct_9fa48("688") ? factor / value : (stryCov_9fa48("688"), factor * value);
    if (stryMutAct_9fa48("691") ? false : stryMutAct_9fa48("690") ? true : stryMutAct_9fa48("689") ? Number.isSafeInteger(product) : (stryCov_9fa48("689", "690", "691"), !Number.isSafeInteger(product))) throw new RangeError(stryMutAct_9fa48("692") ? `` : (stryCov_9fa48("692"), `${factor} × ${value} is beyond exact integer arithmetic`));
    return product;
  }
}
function plus(a: number, b: number): number {
  if (stryMutAct_9fa48("693")) {
    {}
  } else {
    stryCov_9fa48("693");
    const sum = stryMutAct_9fa48("694") ? a - b : (stryCov_9fa48("694"), a + b);
    if (stryMutAct_9fa48("697") ? false : stryMutAct_9fa48("696") ? true : stryMutAct_9fa48("695") ? Number.isSafeInteger(sum) : (stryCov_9fa48("695", "696", "697"), !Number.isSafeInteger(sum))) throw new RangeError(stryMutAct_9fa48("698") ? `` : (stryCov_9fa48("698"), `${a} + ${b} is beyond exact integer arithmetic`));
    return sum;
  }
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
  if (stryMutAct_9fa48("699")) {
    {}
  } else {
    stryCov_9fa48("699");
    const seen = new Set<string>();
    for (const h of households) {
      if (stryMutAct_9fa48("700")) {
        {}
      } else {
        stryCov_9fa48("700");
        if (stryMutAct_9fa48("702") ? false : stryMutAct_9fa48("701") ? true : (stryCov_9fa48("701", "702"), seen.has(h.id))) throw new RangeError(stryMutAct_9fa48("703") ? `` : (stryCov_9fa48("703"), `household ${h.id} appears twice in the electorate`));
        seen.add(h.id);
        assertCount(h.areaCentiM2, stryMutAct_9fa48("704") ? `` : (stryCov_9fa48("704"), `area of household ${h.id}`));
      }
    }
  }
}

/** The head key of every unit still held by the developer: they count as one owner together. */
export const DEVELOPER_HEAD = stryMutAct_9fa48("705") ? "" : (stryCov_9fa48("705"), 'developer');

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
  if (stryMutAct_9fa48("706")) {
    {}
  } else {
    stryCov_9fa48("706");
    if (stryMutAct_9fa48("708") ? false : stryMutAct_9fa48("707") ? true : (stryCov_9fa48("707", "708"), h.developerHeld)) return DEVELOPER_HEAD;
    if (stryMutAct_9fa48("711") ? h.ownerIds.length !== 0 : stryMutAct_9fa48("710") ? false : stryMutAct_9fa48("709") ? true : (stryCov_9fa48("709", "710", "711"), h.ownerIds.length === 0)) return stryMutAct_9fa48("712") ? `` : (stryCov_9fa48("712"), `unit:${h.id}`);
    return JSON.stringify(stryMutAct_9fa48("713") ? [...new Set(h.ownerIds)] : (stryCov_9fa48("713"), (stryMutAct_9fa48("714") ? [] : (stryCov_9fa48("714"), [...new Set(h.ownerIds)])).sort()));
  }
}

/**
 * Groups households into heads by {@link headKey}: units with the same key are one head.
 * Returns household id → head index; indices run from 0 in order of each head's first household.
 */
export function headGroups(households: readonly ElectorateHousehold[]): Map<string, number> {
  if (stryMutAct_9fa48("715")) {
    {}
  } else {
    stryCov_9fa48("715");
    assertElectorate(households);
    const indexOfKey = new Map<string, number>();
    const groups = new Map<string, number>();
    for (const h of households) {
      if (stryMutAct_9fa48("716")) {
        {}
      } else {
        stryCov_9fa48("716");
        const key = headKey(h);
        let index = indexOfKey.get(key);
        if (stryMutAct_9fa48("719") ? index !== undefined : stryMutAct_9fa48("718") ? false : stryMutAct_9fa48("717") ? true : (stryCov_9fa48("717", "718", "719"), index === undefined)) {
          if (stryMutAct_9fa48("720")) {
            {}
          } else {
            stryCov_9fa48("720");
            index = indexOfKey.size;
            indexOfKey.set(key, index);
          }
        }
        groups.set(h.id, index);
      }
    }
    return groups;
  }
}

/** Size of the electorate: households, total exclusive area and heads. */
export function electorateTotals(households: readonly ElectorateHousehold[]): ElectorateTotals {
  if (stryMutAct_9fa48("721")) {
    {}
  } else {
    stryCov_9fa48("721");
    const groups = headGroups(households);
    let area = 0;
    for (const h of households) area = plus(area, h.areaCentiM2);
    return stryMutAct_9fa48("722") ? {} : (stryCov_9fa48("722"), {
      households: households.length,
      areaCentiM2: area,
      heads: new Set(groups.values()).size
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Tally

/** A household's ballot. */
export type Choice = 'for' | 'against' | 'abstain';
const CHOICES: readonly Choice[] = stryMutAct_9fa48("723") ? [] : (stryCov_9fa48("723"), [stryMutAct_9fa48("724") ? "" : (stryCov_9fa48("724"), 'for'), stryMutAct_9fa48("725") ? "" : (stryCov_9fa48("725"), 'against'), stryMutAct_9fa48("726") ? "" : (stryCov_9fa48("726"), 'abstain')]);

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
const zeroCounts = stryMutAct_9fa48("727") ? () => undefined : (stryCov_9fa48("727"), (() => {
  const zeroCounts = (): VoteCounts => stryMutAct_9fa48("728") ? {} : (stryCov_9fa48("728"), {
    households: 0,
    areaCentiM2: 0,
    heads: 0
  });
  return zeroCounts;
})());
function addUnit(counts: VoteCounts, h: ElectorateHousehold): void {
  if (stryMutAct_9fa48("729")) {
    {}
  } else {
    stryCov_9fa48("729");
    stryMutAct_9fa48("730") ? counts.households -= 1 : (stryCov_9fa48("730"), counts.households += 1);
    counts.areaCentiM2 = plus(counts.areaCentiM2, h.areaCentiM2);
  }
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
  if (stryMutAct_9fa48("731")) {
    {}
  } else {
    stryCov_9fa48("731");
    const groups = headGroups(households);
    for (const [id, choice] of ballots) {
      if (stryMutAct_9fa48("732")) {
        {}
      } else {
        stryCov_9fa48("732");
        if (stryMutAct_9fa48("735") ? false : stryMutAct_9fa48("734") ? true : stryMutAct_9fa48("733") ? groups.has(id) : (stryCov_9fa48("733", "734", "735"), !groups.has(id))) throw new RangeError(stryMutAct_9fa48("736") ? `` : (stryCov_9fa48("736"), `ballot from household ${id}, which is not in the electorate`));
        if (stryMutAct_9fa48("739") ? false : stryMutAct_9fa48("738") ? true : stryMutAct_9fa48("737") ? CHOICES.includes(choice) : (stryCov_9fa48("737", "738", "739"), !CHOICES.includes(choice))) throw new RangeError(stryMutAct_9fa48("740") ? `` : (stryCov_9fa48("740"), `household ${id} cast an unknown choice ${String(choice)}`));
      }
    }
    const result: Tally = stryMutAct_9fa48("741") ? {} : (stryCov_9fa48("741"), {
      for: zeroCounts(),
      against: zeroCounts(),
      abstain: zeroCounts(),
      participating: zeroCounts(),
      notVoted: zeroCounts()
    });
    const choicesOfHead = new Map<number, Set<Choice>>();
    for (const h of households) {
      if (stryMutAct_9fa48("742")) {
        {}
      } else {
        stryCov_9fa48("742");
        const choice = ballots.get(h.id);
        const head = groups.get(h.id)!;
        const seen = stryMutAct_9fa48("743") ? choicesOfHead.get(head) && new Set<Choice>() : (stryCov_9fa48("743"), choicesOfHead.get(head) ?? new Set<Choice>());
        choicesOfHead.set(head, seen);
        if (stryMutAct_9fa48("746") ? choice !== undefined : stryMutAct_9fa48("745") ? false : stryMutAct_9fa48("744") ? true : (stryCov_9fa48("744", "745", "746"), choice === undefined)) {
          if (stryMutAct_9fa48("747")) {
            {}
          } else {
            stryCov_9fa48("747");
            addUnit(result.notVoted, h);
          }
        } else {
          if (stryMutAct_9fa48("748")) {
            {}
          } else {
            stryCov_9fa48("748");
            addUnit(result[choice], h);
            addUnit(result.participating, h);
            seen.add(choice);
          }
        }
      }
    }
    for (const seen of choicesOfHead.values()) {
      if (stryMutAct_9fa48("749")) {
        {}
      } else {
        stryCov_9fa48("749");
        if (stryMutAct_9fa48("752") ? seen.size !== 0 : stryMutAct_9fa48("751") ? false : stryMutAct_9fa48("750") ? true : (stryCov_9fa48("750", "751", "752"), seen.size === 0)) stryMutAct_9fa48("753") ? result.notVoted.heads -= 1 : (stryCov_9fa48("753"), result.notVoted.heads += 1);else stryMutAct_9fa48("754") ? result.participating.heads -= 1 : (stryCov_9fa48("754"), result.participating.heads += 1);
        if (stryMutAct_9fa48("757") ? seen.size !== 1 : stryMutAct_9fa48("756") ? false : stryMutAct_9fa48("755") ? true : (stryCov_9fa48("755", "756", "757"), seen.size === 1)) stryMutAct_9fa48("758") ? result[[...seen][0]].heads -= 1 : (stryCov_9fa48("758"), result[(stryMutAct_9fa48("759") ? [] : (stryCov_9fa48("759"), [...seen]))[0]].heads += 1);
      }
    }
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Checks and decisions

/** What one check compared. */
export type CheckId = 'electorate' | 'participation_area' | 'participation_heads' | 'area_for' | 'heads_for' | 'unanimous' | 'ballots' | 'majority';

/** Why a round failed; one per unmet check. */
export type FailureReason = 'empty_electorate' | 'participation_area' | 'participation_heads' | 'area_for' | 'heads_for' | 'not_unanimous' | 'no_ballots' | 'majority';
const FAILURE_OF: Record<CheckId, FailureReason> = stryMutAct_9fa48("760") ? {} : (stryCov_9fa48("760"), {
  electorate: stryMutAct_9fa48("761") ? "" : (stryCov_9fa48("761"), 'empty_electorate'),
  participation_area: stryMutAct_9fa48("762") ? "" : (stryCov_9fa48("762"), 'participation_area'),
  participation_heads: stryMutAct_9fa48("763") ? "" : (stryCov_9fa48("763"), 'participation_heads'),
  area_for: stryMutAct_9fa48("764") ? "" : (stryCov_9fa48("764"), 'area_for'),
  heads_for: stryMutAct_9fa48("765") ? "" : (stryCov_9fa48("765"), 'heads_for'),
  unanimous: stryMutAct_9fa48("766") ? "" : (stryCov_9fa48("766"), 'not_unanimous'),
  ballots: stryMutAct_9fa48("767") ? "" : (stryCov_9fa48("767"), 'no_ballots'),
  majority: stryMutAct_9fa48("768") ? "" : (stryCov_9fa48("768"), 'majority')
});

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
const AT_LEAST_TWO_THIRDS: VoteThreshold = stryMutAct_9fa48("769") ? {} : (stryCov_9fa48("769"), {
  num: 2,
  den: 3,
  inclusive: stryMutAct_9fa48("770") ? false : (stryCov_9fa48("770"), true)
});
const AT_LEAST_THREE_QUARTERS: VoteThreshold = stryMutAct_9fa48("771") ? {} : (stryCov_9fa48("771"), {
  num: 3,
  den: 4,
  inclusive: stryMutAct_9fa48("772") ? false : (stryCov_9fa48("772"), true)
});
const MORE_THAN_HALF: VoteThreshold = stryMutAct_9fa48("773") ? {} : (stryCov_9fa48("773"), {
  num: 1,
  den: 2,
  inclusive: stryMutAct_9fa48("774") ? true : (stryCov_9fa48("774"), false)
});

/** `part` of `whole` reaches `share`, as `den × part (>= or >) num × whole`. */
function shareCheck(id: CheckId, part: number, whole: number, share: VoteThreshold): Check {
  if (stryMutAct_9fa48("775")) {
    {}
  } else {
    stryCov_9fa48("775");
    const left = times(share.den, part);
    const right = times(share.num, whole);
    const vacuous = stryMutAct_9fa48("778") ? whole !== 0 : stryMutAct_9fa48("777") ? false : stryMutAct_9fa48("776") ? true : (stryCov_9fa48("776", "777", "778"), whole === 0);
    const met = stryMutAct_9fa48("781") ? vacuous && (share.inclusive ? left >= right : left > right) : stryMutAct_9fa48("780") ? false : stryMutAct_9fa48("779") ? true : (stryCov_9fa48("779", "780", "781"), vacuous || (share.inclusive ? stryMutAct_9fa48("785") ? left < right : stryMutAct_9fa48("784") ? left > right : stryMutAct_9fa48("783") ? false : stryMutAct_9fa48("782") ? true : (stryCov_9fa48("782", "783", "784", "785"), left >= right) : stryMutAct_9fa48("789") ? left <= right : stryMutAct_9fa48("788") ? left >= right : stryMutAct_9fa48("787") ? false : stryMutAct_9fa48("786") ? true : (stryCov_9fa48("786", "787", "788", "789"), left > right)));
    return stryMutAct_9fa48("790") ? {} : (stryCov_9fa48("790"), {
      id,
      left,
      op: share.inclusive ? stryMutAct_9fa48("791") ? "" : (stryCov_9fa48("791"), '>=') : stryMutAct_9fa48("792") ? "" : (stryCov_9fa48("792"), '>'),
      right,
      met,
      vacuous
    });
  }
}

/** Whether a body of owners reaches the Article 278 participation threshold. */
export interface ParticipationResult {
  areaMet: boolean;
  headsMet: boolean;
  met: boolean;
  checks: Check[];
}
function assertCounts(c: VoteCounts, what: string): void {
  if (stryMutAct_9fa48("793")) {
    {}
  } else {
    stryCov_9fa48("793");
    assertCount(c.households, stryMutAct_9fa48("794") ? `` : (stryCov_9fa48("794"), `${what} households`));
    assertCount(c.areaCentiM2, stryMutAct_9fa48("795") ? `` : (stryCov_9fa48("795"), `${what} area`));
    assertCount(c.heads, stryMutAct_9fa48("796") ? `` : (stryCov_9fa48("796"), `${what} heads`));
  }
}
function assertWithin(part: VoteCounts, whole: VoteCounts, what: string): void {
  if (stryMutAct_9fa48("797")) {
    {}
  } else {
    stryCov_9fa48("797");
    if (stryMutAct_9fa48("800") ? (part.households > whole.households || part.areaCentiM2 > whole.areaCentiM2) && part.heads > whole.heads : stryMutAct_9fa48("799") ? false : stryMutAct_9fa48("798") ? true : (stryCov_9fa48("798", "799", "800"), (stryMutAct_9fa48("802") ? part.households > whole.households && part.areaCentiM2 > whole.areaCentiM2 : stryMutAct_9fa48("801") ? false : (stryCov_9fa48("801", "802"), (stryMutAct_9fa48("805") ? part.households <= whole.households : stryMutAct_9fa48("804") ? part.households >= whole.households : stryMutAct_9fa48("803") ? false : (stryCov_9fa48("803", "804", "805"), part.households > whole.households)) || (stryMutAct_9fa48("808") ? part.areaCentiM2 <= whole.areaCentiM2 : stryMutAct_9fa48("807") ? part.areaCentiM2 >= whole.areaCentiM2 : stryMutAct_9fa48("806") ? false : (stryCov_9fa48("806", "807", "808"), part.areaCentiM2 > whole.areaCentiM2)))) || (stryMutAct_9fa48("811") ? part.heads <= whole.heads : stryMutAct_9fa48("810") ? part.heads >= whole.heads : stryMutAct_9fa48("809") ? false : (stryCov_9fa48("809", "810", "811"), part.heads > whole.heads)))) {
      if (stryMutAct_9fa48("812")) {
        {}
      } else {
        stryCov_9fa48("812");
        throw new RangeError(stryMutAct_9fa48("813") ? `` : (stryCov_9fa48("813"), `${what} exceed the electorate`));
      }
    }
  }
}

/**
 * Article 278 participation: owners of at least 2/3 of the exclusive area AND at least 2/3 of
 * the owners by head take part. Used for a round's ballots and for a meeting's attendance.
 * This is the arithmetic only: an empty electorate trivially "meets" it, and {@link decide}
 * refuses it separately.
 */
export function participation(totals: ElectorateTotals, present: VoteCounts): ParticipationResult {
  if (stryMutAct_9fa48("814")) {
    {}
  } else {
    stryCov_9fa48("814");
    assertCounts(totals, stryMutAct_9fa48("815") ? "" : (stryCov_9fa48("815"), 'electorate'));
    assertCounts(present, stryMutAct_9fa48("816") ? "" : (stryCov_9fa48("816"), 'present'));
    assertWithin(present, totals, stryMutAct_9fa48("817") ? "" : (stryCov_9fa48("817"), 'present owners'));
    const area = shareCheck(stryMutAct_9fa48("818") ? "" : (stryCov_9fa48("818"), 'participation_area'), present.areaCentiM2, totals.areaCentiM2, AT_LEAST_TWO_THIRDS);
    const heads = shareCheck(stryMutAct_9fa48("819") ? "" : (stryCov_9fa48("819"), 'participation_heads'), present.heads, totals.heads, AT_LEAST_TWO_THIRDS);
    return stryMutAct_9fa48("820") ? {} : (stryCov_9fa48("820"), {
      areaMet: area.met,
      headsMet: heads.met,
      met: stryMutAct_9fa48("823") ? area.met || heads.met : stryMutAct_9fa48("822") ? false : stryMutAct_9fa48("821") ? true : (stryCov_9fa48("821", "822", "823"), area.met && heads.met),
      checks: stryMutAct_9fa48("824") ? [] : (stryCov_9fa48("824"), [area, heads])
    });
  }
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
  if (stryMutAct_9fa48("825")) {
    {}
  } else {
    stryCov_9fa48("825");
    assertCounts(totals, stryMutAct_9fa48("826") ? "" : (stryCov_9fa48("826"), 'electorate'));
    for (const key of ['for', 'against', 'abstain', 'participating', 'notVoted'] as const) assertCounts(t[key], key);
    const sum = stryMutAct_9fa48("827") ? () => undefined : (stryCov_9fa48("827"), (() => {
      const sum = (key: keyof VoteCounts, of: readonly (keyof Tally)[]) => of.reduce(stryMutAct_9fa48("828") ? () => undefined : (stryCov_9fa48("828"), (s, k) => plus(s, t[k][key])), 0);
      return sum;
    })());
    const consistent = stryMutAct_9fa48("831") ? sum('households', CHOICES) === t.participating.households && sum('areaCentiM2', CHOICES) === t.participating.areaCentiM2 && sum('heads', CHOICES) <= t.participating.heads && sum('households', ['participating', 'notVoted']) === totals.households && sum('areaCentiM2', ['participating', 'notVoted']) === totals.areaCentiM2 || sum('heads', ['participating', 'notVoted']) === totals.heads : stryMutAct_9fa48("830") ? false : stryMutAct_9fa48("829") ? true : (stryCov_9fa48("829", "830", "831"), (stryMutAct_9fa48("833") ? sum('households', CHOICES) === t.participating.households && sum('areaCentiM2', CHOICES) === t.participating.areaCentiM2 && sum('heads', CHOICES) <= t.participating.heads && sum('households', ['participating', 'notVoted']) === totals.households || sum('areaCentiM2', ['participating', 'notVoted']) === totals.areaCentiM2 : stryMutAct_9fa48("832") ? true : (stryCov_9fa48("832", "833"), (stryMutAct_9fa48("835") ? sum('households', CHOICES) === t.participating.households && sum('areaCentiM2', CHOICES) === t.participating.areaCentiM2 && sum('heads', CHOICES) <= t.participating.heads || sum('households', ['participating', 'notVoted']) === totals.households : stryMutAct_9fa48("834") ? true : (stryCov_9fa48("834", "835"), (stryMutAct_9fa48("837") ? sum('households', CHOICES) === t.participating.households && sum('areaCentiM2', CHOICES) === t.participating.areaCentiM2 || sum('heads', CHOICES) <= t.participating.heads : stryMutAct_9fa48("836") ? true : (stryCov_9fa48("836", "837"), (stryMutAct_9fa48("839") ? sum('households', CHOICES) === t.participating.households || sum('areaCentiM2', CHOICES) === t.participating.areaCentiM2 : stryMutAct_9fa48("838") ? true : (stryCov_9fa48("838", "839"), (stryMutAct_9fa48("841") ? sum('households', CHOICES) !== t.participating.households : stryMutAct_9fa48("840") ? true : (stryCov_9fa48("840", "841"), sum(stryMutAct_9fa48("842") ? "" : (stryCov_9fa48("842"), 'households'), CHOICES) === t.participating.households)) && (stryMutAct_9fa48("844") ? sum('areaCentiM2', CHOICES) !== t.participating.areaCentiM2 : stryMutAct_9fa48("843") ? true : (stryCov_9fa48("843", "844"), sum(stryMutAct_9fa48("845") ? "" : (stryCov_9fa48("845"), 'areaCentiM2'), CHOICES) === t.participating.areaCentiM2)))) && (stryMutAct_9fa48("848") ? sum('heads', CHOICES) > t.participating.heads : stryMutAct_9fa48("847") ? sum('heads', CHOICES) < t.participating.heads : stryMutAct_9fa48("846") ? true : (stryCov_9fa48("846", "847", "848"), sum(stryMutAct_9fa48("849") ? "" : (stryCov_9fa48("849"), 'heads'), CHOICES) <= t.participating.heads)))) && (stryMutAct_9fa48("851") ? sum('households', ['participating', 'notVoted']) !== totals.households : stryMutAct_9fa48("850") ? true : (stryCov_9fa48("850", "851"), sum(stryMutAct_9fa48("852") ? "" : (stryCov_9fa48("852"), 'households'), stryMutAct_9fa48("853") ? [] : (stryCov_9fa48("853"), [stryMutAct_9fa48("854") ? "" : (stryCov_9fa48("854"), 'participating'), stryMutAct_9fa48("855") ? "" : (stryCov_9fa48("855"), 'notVoted')])) === totals.households)))) && (stryMutAct_9fa48("857") ? sum('areaCentiM2', ['participating', 'notVoted']) !== totals.areaCentiM2 : stryMutAct_9fa48("856") ? true : (stryCov_9fa48("856", "857"), sum(stryMutAct_9fa48("858") ? "" : (stryCov_9fa48("858"), 'areaCentiM2'), stryMutAct_9fa48("859") ? [] : (stryCov_9fa48("859"), [stryMutAct_9fa48("860") ? "" : (stryCov_9fa48("860"), 'participating'), stryMutAct_9fa48("861") ? "" : (stryCov_9fa48("861"), 'notVoted')])) === totals.areaCentiM2)))) && (stryMutAct_9fa48("863") ? sum('heads', ['participating', 'notVoted']) !== totals.heads : stryMutAct_9fa48("862") ? true : (stryCov_9fa48("862", "863"), sum(stryMutAct_9fa48("864") ? "" : (stryCov_9fa48("864"), 'heads'), stryMutAct_9fa48("865") ? [] : (stryCov_9fa48("865"), [stryMutAct_9fa48("866") ? "" : (stryCov_9fa48("866"), 'participating'), stryMutAct_9fa48("867") ? "" : (stryCov_9fa48("867"), 'notVoted')])) === totals.heads)));
    if (stryMutAct_9fa48("870") ? false : stryMutAct_9fa48("869") ? true : stryMutAct_9fa48("868") ? consistent : (stryCov_9fa48("868", "869", "870"), !consistent)) throw new RangeError(stryMutAct_9fa48("871") ? "" : (stryCov_9fa48("871"), 'the tally does not add up to the electorate'));
  }
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
  if (stryMutAct_9fa48("872")) {
    {}
  } else {
    stryCov_9fa48("872");
    if (stryMutAct_9fa48("875") ? false : stryMutAct_9fa48("874") ? true : stryMutAct_9fa48("873") ? RULE_IDS.includes(rule) : (stryCov_9fa48("873", "874", "875"), !RULE_IDS.includes(rule))) throw new RangeError(stryMutAct_9fa48("876") ? `` : (stryCov_9fa48("876"), `unknown rule ${String(rule)}`));
    assertTally(totals, t);
    const usesThreshold = RULES[rule].usesParticipationThreshold;
    const electorate: Check = stryMutAct_9fa48("877") ? {} : (stryCov_9fa48("877"), {
      id: stryMutAct_9fa48("878") ? "" : (stryCov_9fa48("878"), 'electorate'),
      left: totals.households,
      op: stryMutAct_9fa48("879") ? "" : (stryCov_9fa48("879"), '>'),
      right: 0,
      met: stryMutAct_9fa48("883") ? totals.households <= 0 : stryMutAct_9fa48("882") ? totals.households >= 0 : stryMutAct_9fa48("881") ? false : stryMutAct_9fa48("880") ? true : (stryCov_9fa48("880", "881", "882", "883"), totals.households > 0),
      vacuous: stryMutAct_9fa48("884") ? true : (stryCov_9fa48("884"), false)
    });
    if (stryMutAct_9fa48("887") ? false : stryMutAct_9fa48("886") ? true : stryMutAct_9fa48("885") ? electorate.met : (stryCov_9fa48("885", "886", "887"), !electorate.met)) {
      if (stryMutAct_9fa48("888")) {
        {}
      } else {
        stryCov_9fa48("888");
        return stryMutAct_9fa48("889") ? {} : (stryCov_9fa48("889"), {
          passed: stryMutAct_9fa48("890") ? true : (stryCov_9fa48("890"), false),
          participationMet: usesThreshold ? stryMutAct_9fa48("891") ? true : (stryCov_9fa48("891"), false) : null,
          failures: stryMutAct_9fa48("892") ? [] : (stryCov_9fa48("892"), [stryMutAct_9fa48("893") ? "" : (stryCov_9fa48("893"), 'empty_electorate')]),
          checks: stryMutAct_9fa48("894") ? [] : (stryCov_9fa48("894"), [electorate])
        });
      }
    }
    const checks: Check[] = stryMutAct_9fa48("895") ? [] : (stryCov_9fa48("895"), [electorate]);
    let participationMet: boolean | null = null;
    const part = t.participating;
    const decisive = plus(t.for.households, t.against.households);
    switch (rule) {
      case stryMutAct_9fa48("897") ? "" : (stryCov_9fa48("897"), 'unanimous'):
        if (stryMutAct_9fa48("896")) {} else {
          stryCov_9fa48("896");
          checks.push(stryMutAct_9fa48("898") ? {} : (stryCov_9fa48("898"), {
            id: stryMutAct_9fa48("899") ? "" : (stryCov_9fa48("899"), 'unanimous'),
            left: t.for.households,
            op: stryMutAct_9fa48("900") ? "" : (stryCov_9fa48("900"), '='),
            right: totals.households,
            met: stryMutAct_9fa48("903") ? t.for.households !== totals.households : stryMutAct_9fa48("902") ? false : stryMutAct_9fa48("901") ? true : (stryCov_9fa48("901", "902", "903"), t.for.households === totals.households),
            vacuous: stryMutAct_9fa48("904") ? true : (stryCov_9fa48("904"), false)
          }));
          break;
        }
      case stryMutAct_9fa48("905") ? "" : (stryCov_9fa48("905"), 'art278_special'):
      case stryMutAct_9fa48("907") ? "" : (stryCov_9fa48("907"), 'art278_ordinary'):
        if (stryMutAct_9fa48("906")) {} else {
          stryCov_9fa48("906");
          {
            if (stryMutAct_9fa48("908")) {
              {}
            } else {
              stryCov_9fa48("908");
              const present = participation(totals, part);
              participationMet = present.met;
              const agree = (stryMutAct_9fa48("911") ? rule !== 'art278_special' : stryMutAct_9fa48("910") ? false : stryMutAct_9fa48("909") ? true : (stryCov_9fa48("909", "910", "911"), rule === (stryMutAct_9fa48("912") ? "" : (stryCov_9fa48("912"), 'art278_special')))) ? AT_LEAST_THREE_QUARTERS : MORE_THAN_HALF;
              checks.push(...present.checks, shareCheck(stryMutAct_9fa48("913") ? "" : (stryCov_9fa48("913"), 'area_for'), t.for.areaCentiM2, part.areaCentiM2, agree), shareCheck(stryMutAct_9fa48("914") ? "" : (stryCov_9fa48("914"), 'heads_for'), t.for.heads, part.heads, agree));
              break;
            }
          }
        }
      case stryMutAct_9fa48("915") ? "" : (stryCov_9fa48("915"), 'simple_majority'):
      case stryMutAct_9fa48("917") ? "" : (stryCov_9fa48("917"), 'two_thirds'):
        if (stryMutAct_9fa48("916")) {} else {
          stryCov_9fa48("916");
          checks.push(stryMutAct_9fa48("918") ? {} : (stryCov_9fa48("918"), {
            id: stryMutAct_9fa48("919") ? "" : (stryCov_9fa48("919"), 'ballots'),
            left: decisive,
            op: stryMutAct_9fa48("920") ? "" : (stryCov_9fa48("920"), '>'),
            right: 0,
            met: stryMutAct_9fa48("924") ? decisive <= 0 : stryMutAct_9fa48("923") ? decisive >= 0 : stryMutAct_9fa48("922") ? false : stryMutAct_9fa48("921") ? true : (stryCov_9fa48("921", "922", "923", "924"), decisive > 0),
            vacuous: stryMutAct_9fa48("925") ? true : (stryCov_9fa48("925"), false)
          }), shareCheck(stryMutAct_9fa48("926") ? "" : (stryCov_9fa48("926"), 'majority'), t.for.households, decisive, (stryMutAct_9fa48("929") ? rule !== 'two_thirds' : stryMutAct_9fa48("928") ? false : stryMutAct_9fa48("927") ? true : (stryCov_9fa48("927", "928", "929"), rule === (stryMutAct_9fa48("930") ? "" : (stryCov_9fa48("930"), 'two_thirds')))) ? AT_LEAST_TWO_THIRDS : MORE_THAN_HALF));
          break;
        }
    }
    const failures = stryMutAct_9fa48("931") ? checks.map(c => FAILURE_OF[c.id]) : (stryCov_9fa48("931"), checks.filter(stryMutAct_9fa48("932") ? () => undefined : (stryCov_9fa48("932"), c => stryMutAct_9fa48("933") ? c.met : (stryCov_9fa48("933"), !c.met))).map(stryMutAct_9fa48("934") ? () => undefined : (stryCov_9fa48("934"), c => FAILURE_OF[c.id])));
    return stryMutAct_9fa48("935") ? {} : (stryCov_9fa48("935"), {
      passed: stryMutAct_9fa48("938") ? failures.length !== 0 : stryMutAct_9fa48("937") ? false : stryMutAct_9fa48("936") ? true : (stryCov_9fa48("936", "937", "938"), failures.length === 0),
      participationMet,
      failures,
      checks
    });
  }
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
  if (stryMutAct_9fa48("939")) {
    {}
  } else {
    stryCov_9fa48("939");
    assertCount(part, stryMutAct_9fa48("940") ? "" : (stryCov_9fa48("940"), 'part'));
    assertCount(whole, stryMutAct_9fa48("941") ? "" : (stryCov_9fa48("941"), 'whole'));
    if (stryMutAct_9fa48("945") ? part <= whole : stryMutAct_9fa48("944") ? part >= whole : stryMutAct_9fa48("943") ? false : stryMutAct_9fa48("942") ? true : (stryCov_9fa48("942", "943", "944", "945"), part > whole)) throw new RangeError(stryMutAct_9fa48("946") ? `` : (stryCov_9fa48("946"), `part ${part} is larger than the whole ${whole}`));
    if (stryMutAct_9fa48("949") ? whole !== 0 : stryMutAct_9fa48("948") ? false : stryMutAct_9fa48("947") ? true : (stryCov_9fa48("947", "948", "949"), whole === 0)) return stryMutAct_9fa48("950") ? {} : (stryCov_9fa48("950"), {
      num: part,
      den: whole,
      permille: 0
    });
    const scaled = times(1000, part);
    // Subtracting the remainder first makes the division exact, so no rounding is left to chance.
    return stryMutAct_9fa48("951") ? {} : (stryCov_9fa48("951"), {
      num: part,
      den: whole,
      permille: stryMutAct_9fa48("952") ? (scaled - scaled % whole) * whole : (stryCov_9fa48("952"), (stryMutAct_9fa48("953") ? scaled + scaled % whole : (stryCov_9fa48("953"), scaled - (stryMutAct_9fa48("954") ? scaled * whole : (stryCov_9fa48("954"), scaled % whole)))) / whole)
    });
  }
}

/** Formats permille as a percentage with one decimal: 333 → "33.3%". */
export function formatPermille(permille: number): string {
  if (stryMutAct_9fa48("955")) {
    {}
  } else {
    stryCov_9fa48("955");
    assertCount(permille, stryMutAct_9fa48("956") ? "" : (stryCov_9fa48("956"), 'permille'));
    return stryMutAct_9fa48("957") ? `` : (stryCov_9fa48("957"), `${stryMutAct_9fa48("958") ? (permille - permille % 10) * 10 : (stryCov_9fa48("958"), (stryMutAct_9fa48("959") ? permille + permille % 10 : (stryCov_9fa48("959"), permille - (stryMutAct_9fa48("960") ? permille * 10 : (stryCov_9fa48("960"), permille % 10)))) / 10)}.${stryMutAct_9fa48("961") ? permille * 10 : (stryCov_9fa48("961"), permille % 10)}%`);
  }
}
function gcd(a: number, b: number): number {
  if (stryMutAct_9fa48("962")) {
    {}
  } else {
    stryCov_9fa48("962");
    return (stryMutAct_9fa48("965") ? b !== 0 : stryMutAct_9fa48("964") ? false : stryMutAct_9fa48("963") ? true : (stryCov_9fa48("963", "964", "965"), b === 0)) ? a : gcd(b, stryMutAct_9fa48("966") ? a * b : (stryCov_9fa48("966"), a % b));
  }
}

/**
 * The smallest share of all owners (by area, and by head) whose support can pass a motion under
 * the rule, reached when participation is at its minimum: 2/3 × 1/2 for an ordinary matter, so
 * just over a third of the compound can decide it, which people should see. Null for the
 * informal rules, whose base is the ballots cast rather than the compound.
 */
export function minimumSupportShare(rule: RuleId): VoteThreshold | null {
  if (stryMutAct_9fa48("967")) {
    {}
  } else {
    stryCov_9fa48("967");
    switch (rule) {
      case stryMutAct_9fa48("969") ? "" : (stryCov_9fa48("969"), 'unanimous'):
        if (stryMutAct_9fa48("968")) {} else {
          stryCov_9fa48("968");
          return stryMutAct_9fa48("970") ? {} : (stryCov_9fa48("970"), {
            num: 1,
            den: 1,
            inclusive: stryMutAct_9fa48("971") ? false : (stryCov_9fa48("971"), true)
          });
        }
      case stryMutAct_9fa48("972") ? "" : (stryCov_9fa48("972"), 'art278_special'):
      case stryMutAct_9fa48("974") ? "" : (stryCov_9fa48("974"), 'art278_ordinary'):
        if (stryMutAct_9fa48("973")) {} else {
          stryCov_9fa48("973");
          {
            if (stryMutAct_9fa48("975")) {
              {}
            } else {
              stryCov_9fa48("975");
              const agree = (stryMutAct_9fa48("978") ? rule !== 'art278_special' : stryMutAct_9fa48("977") ? false : stryMutAct_9fa48("976") ? true : (stryCov_9fa48("976", "977", "978"), rule === (stryMutAct_9fa48("979") ? "" : (stryCov_9fa48("979"), 'art278_special')))) ? AT_LEAST_THREE_QUARTERS : MORE_THAN_HALF;
              const num = stryMutAct_9fa48("980") ? AT_LEAST_TWO_THIRDS.num / agree.num : (stryCov_9fa48("980"), AT_LEAST_TWO_THIRDS.num * agree.num);
              const den = stryMutAct_9fa48("981") ? AT_LEAST_TWO_THIRDS.den / agree.den : (stryCov_9fa48("981"), AT_LEAST_TWO_THIRDS.den * agree.den);
              const g = gcd(num, den);
              return stryMutAct_9fa48("982") ? {} : (stryCov_9fa48("982"), {
                num: stryMutAct_9fa48("983") ? num * g : (stryCov_9fa48("983"), num / g),
                den: stryMutAct_9fa48("984") ? den * g : (stryCov_9fa48("984"), den / g),
                inclusive: stryMutAct_9fa48("987") ? AT_LEAST_TWO_THIRDS.inclusive || agree.inclusive : stryMutAct_9fa48("986") ? false : stryMutAct_9fa48("985") ? true : (stryCov_9fa48("985", "986", "987"), AT_LEAST_TWO_THIRDS.inclusive && agree.inclusive)
              });
            }
          }
        }
      case stryMutAct_9fa48("988") ? "" : (stryCov_9fa48("988"), 'simple_majority'):
      case stryMutAct_9fa48("990") ? "" : (stryCov_9fa48("990"), 'two_thirds'):
        if (stryMutAct_9fa48("989")) {} else {
          stryCov_9fa48("989");
          return null;
        }
      default:
        if (stryMutAct_9fa48("991")) {} else {
          stryCov_9fa48("991");
          throw new RangeError(stryMutAct_9fa48("992") ? `` : (stryCov_9fa48("992"), `unknown rule ${String(rule)}`));
        }
    }
  }
}