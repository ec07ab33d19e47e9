import { parseAreaM2 } from './area';
import {
  ART278_ITEMS,
  type Choice,
  decide,
  type Decision,
  electorateTotals,
  type ElectorateHousehold,
  formatPermille,
  headGroups,
  headKey,
  DEVELOPER_HEAD,
  ruleItemMismatch,
  minimumSupportShare,
  participation,
  ruleForArt278Item,
  RULE_IDS,
  type RuleId,
  RULES,
  shareOfWhole,
  tally,
} from './vote-rules';

/** Area in 0.01 m² from the way people write it ("100", "85.5"). */
const m2 = (text: string): number => {
  const area = parseAreaM2(text);
  if (area === null) throw new Error(`bad area ${text}`);
  return area;
};

/** A unit with its own single owner unless owners are given. */
const unit = (id: string, area: string | number, ownerIds: string[] = [`owner of ${id}`]): ElectorateHousehold => ({
  id,
  areaCentiM2: typeof area === 'number' ? area : m2(area),
  ownerIds,
  developerHeld: false,
});

/** The thresholds a check's share is held against, written out rather than imported. */
const TWO_THIRDS = { num: 2, den: 3, inclusive: true };
const THREE_QUARTERS = { num: 3, den: 4, inclusive: true };
const MORE_THAN_HALF = { num: 1, den: 2, inclusive: false };
const ALL = { num: 1, den: 1, inclusive: true };

const developerUnit = (id: string, area: string): ElectorateHousehold => ({
  id,
  areaCentiM2: m2(area),
  ownerIds: ['developer'],
  developerHeld: true,
});

/** `count` units of equal area with separate owners, ids u1, u2, … */
const units = (count: number, area = '100'): ElectorateHousehold[] => Array.from({ length: count }, (_, i) => unit(`u${i + 1}`, area));

const ballots = (entries: Record<string, Choice>): Map<string, Choice> => new Map(Object.entries(entries));

/** The first `n` of the given units vote `choice`. */
const first = (n: number, hh: readonly ElectorateHousehold[], choice: Choice): Record<string, Choice> =>
  Object.fromEntries(hh.slice(0, n).map((h) => [h.id, choice]));

const verdict = (rule: RuleId, hh: readonly ElectorateHousehold[], b: Record<string, Choice>): Decision =>
  decide(rule, electorateTotals(hh), tally(hh, ballots(b)));

describe('Civil Code Article 278 items', () => {
  it('lists the nine items of the article, in its words', () => {
    expect(ART278_ITEMS.map((i) => [i.item, i.text.zh])).toEqual([
      [1, '制定和修改业主大会议事规则'],
      [2, '制定和修改管理规约'],
      [3, '选举业主委员会或者更换业主委员会成员'],
      [4, '选聘和解聘物业服务企业或者其他管理人'],
      [5, '使用建筑物及其附属设施的维修资金'],
      [6, '筹集建筑物及其附属设施的维修资金'],
      [7, '改建、重建建筑物及其附属设施'],
      [8, '改变共有部分的用途或者利用共有部分从事经营活动'],
      [9, '有关共有和共同管理权利的其他重大事项'],
    ]);
    expect(ART278_ITEMS.map((i) => i.text.en)).toEqual([
      "Adopt or amend the rules of procedure of the owners' assembly",
      'Adopt or amend the management covenant',
      "Elect the owners' committee or replace its members",
      'Engage or dismiss the property service company or another manager',
      'Use the maintenance fund of the buildings and their ancillary facilities',
      'Raise the maintenance fund of the buildings and their ancillary facilities',
      'Renovate or rebuild the buildings and their ancillary facilities',
      'Change the use of the common parts or use them for business activities',
      'Other major matters concerning common ownership and joint management rights',
    ]);
  });

  it.each([6, 7, 8])('item %i (raising the fund, rebuilding, changing the use of common parts) is a special matter', (item) => {
    expect(ruleForArt278Item(item)).toBe('art278_special');
  });

  it.each([1, 2, 3, 4, 5, 9])('item %i is an ordinary matter', (item) => {
    expect(ruleForArt278Item(item)).toBe('art278_ordinary');
  });

  it.each([0, 10, -1, 6.5, NaN])('there is no item %p', (item) => {
    expect(() => ruleForArt278Item(item)).toThrow(RangeError);
  });
});

describe('a rule and an Article 278 item go together or not at all', () => {
  it.each([
    ['art278_special', 7],
    ['art278_special', 6],
    ['art278_ordinary', 5],
    ['art278_ordinary', 1],
    ['unanimous', null],
    ['simple_majority', null],
    ['two_thirds', null],
  ] as const)('%s with item %p is consistent', (rule, item) => {
    expect(ruleItemMismatch(rule, item)).toBeNull();
  });

  it.each([
    ['unanimous', 7, 'not an Article 278 rule'],
    ['simple_majority', 1, 'not an Article 278 rule'],
    ['two_thirds', 9, 'not an Article 278 rule'],
    ['art278_ordinary', null, 'needs the item'],
    ['art278_special', null, 'needs the item'],
    ['art278_ordinary', 7, 'item 7 of Article 278 is decided as Civil Code Art. 278, special matter'],
    ['art278_special', 5, 'item 5 of Article 278 is decided as Civil Code Art. 278, ordinary matter'],
  ] as const)('%s with item %p is refused (%s)', (rule, item, why) => {
    const problem = ruleItemMismatch(rule, item);
    expect(problem?.en).toContain(why);
    expect(problem?.zh.length).toBeGreaterThan(0);
  });
});

describe('the rules, described', () => {
  it('describes every rule, in Chinese and English', () => {
    expect(Object.keys(RULES).sort()).toEqual([...RULE_IDS].sort());
    for (const id of RULE_IDS) {
      const info = RULES[id];
      expect(info.id).toBe(id);
      for (const text of [info.name, info.description, info.abstentions]) {
        expect(text.zh.length).toBeGreaterThan(0);
        expect(text.en.length).toBeGreaterThan(0);
      }
    }
  });

  it('abstentions are participation under Article 278, and only Article 278 has a participation threshold', () => {
    const flags = RULE_IDS.map((id) => [id, RULES[id].abstentionsCountAsParticipation, RULES[id].usesParticipationThreshold]);
    expect(flags).toEqual([
      ['unanimous', false, false],
      ['art278_special', true, true],
      ['art278_ordinary', true, true],
      ['simple_majority', false, false],
      ['two_thirds', false, false],
    ]);
  });
});

describe('head count: one unit one owner, an owner of several units once, the developer once', () => {
  it('counts each unit with its own owner as one head', () => {
    expect(electorateTotals(units(3))).toEqual({ households: 3, areaCentiM2: m2('300'), heads: 3 });
  });

  it('counts an owner of two units once by head, but both areas', () => {
    const hh = [unit('101', '80', ['wang']), unit('102', '60.5', ['wang']), unit('201', '90', ['li'])];
    expect(electorateTotals(hh)).toEqual({ households: 3, areaCentiM2: m2('230.5'), heads: 2 });
    expect(headGroups(hh)).toEqual(
      new Map([
        ['101', 0],
        ['102', 0],
        ['201', 1],
      ]),
    );
  });

  it('counts all units still held by the developer as one owner together', () => {
    const hh = [developerUnit('101', '80'), unit('102', '80'), developerUnit('103', '80'), developerUnit('104', '80')];
    expect(electorateTotals(hh).heads).toBe(2);
  });

  it('counts the developer once even when its units are registered without an owner id', () => {
    const hh = [
      { ...developerUnit('101', '80'), ownerIds: [] },
      { ...developerUnit('102', '80'), ownerIds: [] },
    ];
    expect(electorateTotals(hh).heads).toBe(1);
  });

  it('lets co-owners share one unit: one head, one ballot', () => {
    expect(electorateTotals([unit('101', '80', ['husband', 'wife'])]).heads).toBe(1);
  });

  it('never joins units through a shared co-owner: {husband, wife}, {wife} and {mother, wife} are three buyers', () => {
    const hh = [
      unit('101', '80', ['husband', 'wife']),
      unit('102', '60', ['wife']),
      unit('103', '50', ['mother', 'wife']),
      unit('104', '50', ['zhao']),
    ];
    expect(electorateTotals(hh).heads).toBe(4);
    expect([...headGroups(hh).values()]).toEqual([0, 1, 2, 3]);
  });

  it('never chains: {o1,o2}, {o2,o3}, {o3,o4} are three heads', () => {
    const hh = [unit('a', '10', ['o1', 'o2']), unit('b', '10', ['o2', 'o3']), unit('c', '10', ['o3', 'o4'])];
    expect(electorateTotals(hh).heads).toBe(3);
  });

  it('joins the units of the same set of co-owners, in whatever order they are registered', () => {
    const hh = [
      unit('101', '80', ['wife', 'husband']),
      unit('102', '60', ['husband', 'wife']),
      unit('103', '60', ['husband', 'wife', 'wife']),
    ];
    expect(electorateTotals(hh)).toEqual({ households: 3, areaCentiM2: m2('200'), heads: 1 });
  });

  it('the key of a head: the sorted owner set, the developer, or the unit itself', () => {
    expect(headKey({ id: 'x', ownerIds: ['b', 'a', 'b'], developerHeld: false })).toBe('["a","b"]');
    expect(headKey({ id: 'x', ownerIds: ['a'], developerHeld: true })).toBe(DEVELOPER_HEAD);
    expect(headKey({ id: 'x', ownerIds: [], developerHeld: false })).toBe('unit:x');
  });

  it('a developer-held unit is the developer’s even if a person is registered on it, and that person’s own unit is another head', () => {
    const hh = [{ ...developerUnit('101', '80'), ownerIds: ['wang'] }, unit('102', '80', ['wang']), developerUnit('103', '80')];
    expect([...headGroups(hh).values()]).toEqual([0, 1, 0]);
  });

  it('the issue’s example: {o0,o1} 33.33 m² not voting and {o1} 75.00 m² for are 2 heads, 1 taking part, and an ordinary matter fails', () => {
    const hh = [unit('h0', '33.33', ['o0', 'o1']), unit('h1', '75.00', ['o1'])];
    const totals = electorateTotals(hh);
    expect(totals).toEqual({ households: 2, areaCentiM2: 10833, heads: 2 });
    const t = tally(hh, ballots({ h1: 'for' }));
    expect(t.participating).toEqual({ households: 1, areaCentiM2: 7500, heads: 1 });
    const d = decide('art278_ordinary', totals, t);
    // Area: 3 × 7500 = 22500 ≥ 2 × 10833 = 21666 is met; heads: 3 × 1 = 3 ≥ 2 × 2 = 4 is not.
    expect(d.checks.find((c) => c.id === 'participation_heads')).toMatchObject({ left: 3, right: 4, met: false });
    expect(d.checks.find((c) => c.id === 'participation_area')).toMatchObject({ left: 22500, right: 21666, met: true });
    expect(d.passed).toBe(false);
    expect(d.failures).toEqual(['participation_heads']);
  });

  it('counts a unit with no registered owner as its own head', () => {
    expect(electorateTotals([unit('101', '80', []), unit('102', '80', [])]).heads).toBe(2);
  });

  it('numbers heads from 0 in the order of their first unit', () => {
    const hh = [unit('a', '1', ['x']), unit('b', '1', ['y']), unit('c', '1', ['x']), unit('d', '1', ['z'])];
    expect([...headGroups(hh).values()]).toEqual([0, 1, 0, 2]);
  });

  it('refuses the same household twice', () => {
    expect(() => electorateTotals([unit('101', '80'), unit('101', '80')])).toThrow(RangeError);
  });
});

describe('tally', () => {
  it('counts households, area and heads per choice, and those who did not vote', () => {
    const hh = [unit('101', '80'), unit('102', '60'), unit('103', '50'), unit('104', '40')];
    const t = tally(hh, ballots({ '101': 'for', '102': 'against', '103': 'abstain' }));
    expect(t.for).toEqual({ households: 1, areaCentiM2: m2('80'), heads: 1 });
    expect(t.against).toEqual({ households: 1, areaCentiM2: m2('60'), heads: 1 });
    expect(t.abstain).toEqual({ households: 1, areaCentiM2: m2('50'), heads: 1 });
    expect(t.participating).toEqual({ households: 3, areaCentiM2: m2('190'), heads: 3 });
    expect(t.notVoted).toEqual({ households: 1, areaCentiM2: m2('40'), heads: 1 });
  });

  it('an owner of two units voting the same way is one head for, with both areas', () => {
    const hh = [unit('101', '80', ['wang']), unit('102', '60', ['wang']), unit('201', '90', ['li'])];
    const t = tally(hh, ballots({ '101': 'for', '102': 'for', '201': 'against' }));
    expect(t.for).toEqual({ households: 2, areaCentiM2: m2('140'), heads: 1 });
    expect(t.participating.heads).toBe(2);
  });

  it('a split owner takes part but counts towards no choice by head; each unit’s area counts as voted', () => {
    const hh = [unit('101', '80', ['wang']), unit('102', '60', ['wang']), unit('201', '90', ['li'])];
    const t = tally(hh, ballots({ '101': 'for', '102': 'against', '201': 'for' }));
    expect(t.participating).toEqual({ households: 3, areaCentiM2: m2('230'), heads: 2 });
    expect(t.for).toEqual({ households: 2, areaCentiM2: m2('170'), heads: 1 });
    expect(t.against).toEqual({ households: 1, areaCentiM2: m2('60'), heads: 0 });
    expect(t.notVoted.heads).toBe(0);
  });

  it('an owner who voted with one unit and not the other takes part, and counts by head as voted', () => {
    const hh = [unit('101', '80', ['wang']), unit('102', '60', ['wang'])];
    const t = tally(hh, ballots({ '101': 'for' }));
    expect(t.for).toEqual({ households: 1, areaCentiM2: m2('80'), heads: 1 });
    expect(t.participating.heads).toBe(1);
    expect(t.notVoted).toEqual({ households: 1, areaCentiM2: m2('60'), heads: 0 });
  });

  it('counts the same with the electorate’s head groups given as without (a server groups a frozen electorate once)', () => {
    const hh = [unit('101', '80', ['wang']), unit('102', '60', ['wang']), unit('201', '90', ['li']), unit('301', '70')];
    const b = ballots({ '101': 'for', '102': 'for', '201': 'against' });
    const t = tally(hh, b, headGroups(hh));
    expect(t).toEqual(tally(hh, b));
    expect(t.for).toEqual({ households: 2, areaCentiM2: m2('140'), heads: 1 });
    expect(t.notVoted).toEqual({ households: 1, areaCentiM2: m2('70'), heads: 1 });
  });

  it('refuses a ballot from a household outside the electorate', () => {
    expect(() => tally(units(2), ballots({ u1: 'for', u9: 'for' }))).toThrow(RangeError);
    expect(() => tally(units(2), ballots({ u1: 'for', u9: 'for' }), headGroups(units(2)))).toThrow(RangeError);
  });

  it('refuses an unknown choice', () => {
    expect(() => tally(units(1), new Map([['u1', 'yes' as Choice]]))).toThrow(RangeError);
  });
});

describe('Article 278 participation: 2/3 of the area and 2/3 of the owners, 以上 includes the bound', () => {
  // Three owners of 200 m²: two taking part is exactly 2/3 of both area and heads.
  const exact = [unit('A', '200'), unit('B', '200'), unit('C', '200')];

  it('exactly 2/3 of the area and of the owners taking part is enough', () => {
    const d = verdict('art278_ordinary', exact, { A: 'for', B: 'for' });
    expect(d.participationMet).toBe(true);
    expect(d.passed).toBe(true);
  });

  it('0.01 m² less than 2/3 of the area is not', () => {
    const hh = [unit('A', '200'), unit('B', '199.99'), unit('C', '200')];
    const d = verdict('art278_ordinary', hh, { A: 'for', B: 'for' });
    expect(d.participationMet).toBe(false);
    expect(d.failures).toEqual(['participation_area']);
    expect(d.checks.find((c) => c.id === 'participation_area')).toEqual({
      id: 'participation_area',
      left: 3 * 39999,
      op: '>=',
      right: 2 * 59999,
      met: false,
      vacuous: false,
      share: { part: 39999, whole: 59999, threshold: TWO_THIRDS },
    });
  });

  it('exactly 2/3 of the owners by head is enough, one owner fewer is not', () => {
    // A owns most of the area, so only the head count is in question.
    const hh = [unit('A', '1000'), unit('B', '10'), unit('C', '10'), unit('D', '10'), unit('E', '10'), unit('F', '10')];
    expect(verdict('art278_ordinary', hh, { A: 'for', B: 'for', C: 'for', D: 'for' }).participationMet).toBe(true);
    const d = verdict('art278_ordinary', hh, { A: 'for', B: 'for', C: 'for' });
    expect(d.participationMet).toBe(false);
    expect(d.failures).toEqual(['participation_heads']);
  });

  it('an owner of two units takes part once: two ballots of three units can still be one owner of two', () => {
    const hh = [unit('101', '200', ['wang']), unit('102', '200', ['wang']), unit('201', '200', ['li'])];
    const d = verdict('art278_ordinary', hh, { '101': 'for', '102': 'for' });
    // Area 2/3 is met, but only one of two owners took part.
    expect(d.failures).toEqual(['participation_heads']);
    expect(d.participationMet).toBe(false);
  });

  it('abstentions are participation', () => {
    expect(verdict('art278_ordinary', exact, { A: 'abstain', B: 'abstain' }).participationMet).toBe(true);
  });

  it('gives a meeting’s quorum from its attendance', () => {
    const totals = { households: 379, areaCentiM2: m2('22500'), heads: 370 };
    const present = { households: 260, areaCentiM2: m2('15000'), heads: 247 };
    expect(participation(totals, present)).toMatchObject({ areaMet: true, headsMet: true, met: true });
    const short = participation(totals, { ...present, heads: 246 });
    expect(short).toMatchObject({ areaMet: true, headsMet: false, met: false });
    expect(short.checks[1]).toEqual({
      id: 'participation_heads',
      left: 738,
      op: '>=',
      right: 740,
      met: false,
      vacuous: false,
      share: { part: 246, whole: 370, threshold: TWO_THIRDS },
    });
  });

  it('refuses attendance larger than the electorate', () => {
    expect(() => participation({ households: 3, areaCentiM2: 300, heads: 3 }, { households: 4, areaCentiM2: 300, heads: 3 })).toThrow(
      RangeError,
    );
  });
});

describe('Article 278 special matter: 3/4 of the participating area and owners agree, 以上 includes the bound', () => {
  it('exactly 3/4 for, by area and by head, passes', () => {
    const hh = units(4);
    const d = verdict('art278_special', hh, { u1: 'for', u2: 'for', u3: 'for', u4: 'against' });
    expect(d.passed).toBe(true);
    expect(d.failures).toEqual([]);
  });

  it('0.01 m² under 3/4 of the participating area fails', () => {
    const hh = [unit('u1', '100'), unit('u2', '100'), unit('u3', '99.99'), unit('u4', '100')];
    const d = verdict('art278_special', hh, { u1: 'for', u2: 'for', u3: 'for', u4: 'against' });
    expect(d.passed).toBe(false);
    expect(d.failures).toEqual(['area_for']);
    expect(d.checks.find((c) => c.id === 'area_for')).toMatchObject({ left: 4 * 29999, op: '>=', right: 3 * 39999, met: false });
  });

  it('exactly 3/4 of the owners by head passes, one owner under fails', () => {
    const hh = units(8);
    const sixFor = { ...first(6, hh, 'for'), u7: 'against', u8: 'against' } as const;
    expect(verdict('art278_special', hh, sixFor).passed).toBe(true);
    // Make u1 and u2 one owner: the area is still 3/4, but only 5 of 7 owners agree.
    const merged = hh.map((h) => (h.id === 'u2' ? { ...h, ownerIds: ['owner of u1'] } : h));
    const d = verdict('art278_special', merged, sixFor);
    expect(d.failures).toEqual(['heads_for']);
    expect(d.checks.find((c) => c.id === 'heads_for')).toMatchObject({ left: 4 * 5, right: 3 * 7, met: false });
  });

  it('abstentions weigh against: 3 for, 1 abstaining is exactly 3/4 and passes; 2 for, 1 against, 1 abstaining fails', () => {
    const hh = units(4);
    expect(verdict('art278_special', hh, { u1: 'for', u2: 'for', u3: 'for', u4: 'abstain' }).passed).toBe(true);
    expect(verdict('art278_special', hh, { u1: 'for', u2: 'for', u3: 'against', u4: 'abstain' }).passed).toBe(false);
  });
});

describe('Article 278 ordinary matter: more than half agree, 过半数 excludes the bound', () => {
  it('exactly half the participating area fails, 0.01 m² more passes', () => {
    const hh = [unit('A', '100'), unit('B', '50'), unit('C', '150')];
    const half = verdict('art278_ordinary', hh, { A: 'for', B: 'for', C: 'against' });
    expect(half.failures).toEqual(['area_for']);
    expect(half.checks.find((c) => c.id === 'area_for')).toMatchObject({ left: 2 * 15000, op: '>', right: 30000, met: false });
    const more = [unit('A', '100.01'), unit('B', '50'), unit('C', '150')];
    expect(verdict('art278_ordinary', more, { A: 'for', B: 'for', C: 'against' }).passed).toBe(true);
  });

  it('exactly half the participating owners fails, one more passes', () => {
    // A holds most of the area, so only the heads are in question.
    const hh = [unit('A', '1000'), unit('B', '10'), unit('C', '10'), unit('D', '10')];
    const half = verdict('art278_ordinary', hh, { A: 'for', B: 'for', C: 'against', D: 'against' });
    expect(half.failures).toEqual(['heads_for']);
    expect(half.checks.find((c) => c.id === 'heads_for')).toMatchObject({ left: 4, op: '>', right: 4, met: false });
    expect(verdict('art278_ordinary', hh, { A: 'for', B: 'for', C: 'for', D: 'against' }).passed).toBe(true);
  });

  it('a split owner agrees by area for the unit voted for, but not by head', () => {
    const hh = [unit('101', '200', ['wang']), unit('102', '10', ['wang']), unit('201', '100', ['li']), unit('301', '100', ['zhao'])];
    // Area: 300 of 410 m² for. Heads: li for, zhao against, wang split, so 1 of 3 owners agrees.
    const split = verdict('art278_ordinary', hh, { '101': 'for', '102': 'against', '201': 'for', '301': 'against' });
    expect(split.failures).toEqual(['heads_for']);
    // Had wang voted for with both units, 2 of 3 owners would agree.
    expect(verdict('art278_ordinary', hh, { '101': 'for', '102': 'for', '201': 'for', '301': 'against' }).passed).toBe(true);
  });

  it('developer-held units vote as one owner', () => {
    const hh = [
      developerUnit('101', '100'),
      developerUnit('102', '100'),
      developerUnit('103', '100'),
      unit('201', '100'),
      unit('202', '100'),
    ];
    // Area 3/5 for; heads: the developer for, two owners against: 1 of 3.
    const d = verdict('art278_ordinary', hh, { '101': 'for', '102': 'for', '103': 'for', '201': 'against', '202': 'against' });
    expect(d.failures).toEqual(['heads_for']);
  });

  it('at minimum participation, just over a third of all owners can decide it', () => {
    const hh = units(300);
    const d = verdict('art278_ordinary', hh, {
      ...first(101, hh, 'for'),
      ...Object.fromEntries(hh.slice(101, 200).map((h) => [h.id, 'against'])),
    });
    expect(d.passed).toBe(true);
    const share = shareOfWhole(101, 300);
    expect(share).toEqual({ num: 101, den: 300, permille: 336 });
    expect(formatPermille(share.permille)).toBe('33.6%');
  });
});

describe('unanimous (全票通过)', () => {
  const hh = units(3);

  it('passes when every household votes for', () => {
    const d = verdict('unanimous', hh, first(3, hh, 'for'));
    expect(d).toMatchObject({ passed: true, participationMet: null, failures: [] });
  });

  it('fails with one abstention', () => {
    expect(verdict('unanimous', hh, { ...first(2, hh, 'for'), u3: 'abstain' }).failures).toEqual(['not_unanimous']);
  });

  it('fails with one missing ballot', () => {
    const d = verdict('unanimous', hh, first(2, hh, 'for'));
    expect(d.failures).toEqual(['not_unanimous']);
    expect(d.checks[1]).toEqual({
      id: 'unanimous',
      left: 2,
      op: '=',
      right: 3,
      met: false,
      vacuous: false,
      share: { part: 2, whole: 3, threshold: ALL },
    });
  });
});

describe('simple majority and two-thirds, of for and against ballots, by household', () => {
  const hh = units(13);

  it('a tie fails a simple majority, one more for passes', () => {
    expect(verdict('simple_majority', hh, { u1: 'for', u2: 'against' }).failures).toEqual(['majority']);
    expect(verdict('simple_majority', hh, { u1: 'for', u2: 'against', u3: 'for' }).passed).toBe(true);
  });

  it('leaves abstentions out of the base', () => {
    const b = { u1: 'for', u2: 'for', u3: 'against', ...Object.fromEntries(hh.slice(3).map((h) => [h.id, 'abstain'])) } as Record<
      string,
      Choice
    >;
    expect(verdict('simple_majority', hh, b).passed).toBe(true);
    expect(verdict('two_thirds', hh, b).passed).toBe(true);
  });

  it('exactly two thirds passes, just under fails', () => {
    expect(verdict('two_thirds', hh, { u1: 'for', u2: 'for', u3: 'against' }).passed).toBe(true);
    const d = verdict('two_thirds', hh, { u1: 'for', u2: 'for', u3: 'for', u4: 'against', u5: 'against' });
    expect(d.failures).toEqual(['majority']);
    expect(d.checks[2]).toEqual({
      id: 'majority',
      left: 9,
      op: '>=',
      right: 10,
      met: false,
      vacuous: false,
      share: { part: 3, whole: 5, threshold: TWO_THIRDS },
    });
  });

  it('counts households, not heads: an owner of two units has two ballots', () => {
    const two = [unit('101', '80', ['wang']), unit('102', '80', ['wang']), unit('201', '80', ['li'])];
    expect(verdict('simple_majority', two, { '101': 'for', '102': 'for', '201': 'against' }).passed).toBe(true);
  });

  it.each(['simple_majority', 'two_thirds'] as const)('%s fails with no for or against ballot', (rule) => {
    expect(verdict(rule, hh, {}).failures).toEqual(['no_ballots']);
    expect(verdict(rule, hh, { u1: 'abstain' }).failures).toEqual(['no_ballots']);
  });
});

describe('edge cases every rule must survive', () => {
  it.each(RULE_IDS)('%s: an empty electorate never passes', (rule) => {
    const d = verdict(rule, [], {});
    expect(d.passed).toBe(false);
    expect(d.failures).toEqual(['empty_electorate']);
    expect(d.participationMet).toBe(RULES[rule].usesParticipationThreshold ? false : null);
  });

  it.each(RULE_IDS)('%s: everyone abstaining meets participation but decides nothing', (rule) => {
    const hh = units(5);
    const d = verdict(rule, hh, first(5, hh, 'abstain'));
    expect(d.passed).toBe(false);
    expect(d.participationMet).toBe(RULES[rule].usesParticipationThreshold ? true : null);
  });

  it('households without a registered area (0 m²) divide nothing by zero: the heads decide', () => {
    const hh = [unit('A', 0), unit('B', 0), unit('C', 0)];
    expect(electorateTotals(hh)).toEqual({ households: 3, areaCentiM2: 0, heads: 3 });
    const d = verdict('art278_ordinary', hh, { A: 'for', B: 'for', C: 'against' });
    expect(d.passed).toBe(true);
    expect(d.checks.filter((c) => c.id.includes('area'))).toEqual([
      {
        id: 'participation_area',
        left: 0,
        op: '>=',
        right: 0,
        met: true,
        vacuous: true,
        share: { part: 0, whole: 0, threshold: TWO_THIRDS },
      },
      { id: 'area_for', left: 0, op: '>', right: 0, met: true, vacuous: true, share: { part: 0, whole: 0, threshold: MORE_THAN_HALF } },
    ]);
    expect(verdict('art278_special', hh, { A: 'for', B: 'for', C: 'against' }).failures).toEqual(['heads_for']);
  });

  it('a 0 m² unit counts by head but adds no area', () => {
    const hh = [unit('A', '100'), unit('B', '100'), unit('C', 0)];
    // Both areas vote, but only 2 of 3 heads, which is still 2/3.
    expect(verdict('art278_ordinary', hh, { A: 'for', B: 'for' }).participationMet).toBe(true);
    // The 0 m² unit alone takes part: 1 of 3 heads and no area.
    expect(verdict('art278_ordinary', hh, { C: 'for' }).failures).toEqual(['participation_area', 'participation_heads']);
  });

  describe('a tally must add up, in every dimension, or the decision is refused', () => {
    // Four units, one owner of two: u1 and u2 are wang's. u1 for, u3 against, u4 abstains.
    const hh = [unit('u1', '100', ['wang']), unit('u2', '60', ['wang']), unit('u3', '80'), unit('u4', '70')];
    const totals = electorateTotals(hh);
    const t = tally(hh, ballots({ u1: 'for', u2: 'for', u3: 'against', u4: 'abstain' }));
    const bump = (
      key: 'for' | 'against' | 'abstain' | 'participating' | 'notVoted',
      field: 'households' | 'areaCentiM2' | 'heads',
      by: number,
    ) => ({
      ...t,
      [key]: { ...t[key], [field]: t[key][field] + by },
    });

    it('takes the tally as it is', () => {
      expect(decide('simple_majority', totals, t).passed).toBe(true);
    });

    it.each([
      ['for', 'households'],
      ['against', 'households'],
      ['abstain', 'households'],
      ['for', 'areaCentiM2'],
      ['against', 'areaCentiM2'],
      ['abstain', 'areaCentiM2'],
      ['participating', 'households'],
      ['participating', 'areaCentiM2'],
      ['participating', 'heads'],
      ['notVoted', 'households'],
      ['notVoted', 'areaCentiM2'],
      ['notVoted', 'heads'],
    ] as const)('refuses %s.%s off by one', (key, field) => {
      expect(() => decide('simple_majority', totals, bump(key, field, 1))).toThrow('the tally does not add up to the electorate');
      if (t[key][field] > 0)
        expect(() => decide('simple_majority', totals, bump(key, field, -1))).toThrow('the tally does not add up to the electorate');
    });

    it('refuses more heads for a choice than took part, but allows fewer (a split owner agrees with nothing)', () => {
      expect(() => decide('simple_majority', totals, bump('for', 'heads', 1))).toThrow('the tally does not add up to the electorate');
      expect(() => decide('simple_majority', totals, bump('abstain', 'heads', 1))).toThrow(RangeError);
      expect(decide('simple_majority', totals, bump('for', 'heads', -1)).passed).toBe(true);
    });

    it.each(['households', 'areaCentiM2', 'heads'] as const)('refuses totals whose %s differ from the tally', (field) => {
      expect(() => decide('unanimous', { ...totals, [field]: totals[field] + 1 }, t)).toThrow(
        'the tally does not add up to the electorate',
      );
    });

    it('refuses negative or fractional counts in a tally', () => {
      expect(() => decide('simple_majority', totals, { ...t, notVoted: { ...t.notVoted, heads: -1 } })).toThrow(
        'notVoted heads must be a non-negative safe integer, got -1',
      );
      expect(() => decide('simple_majority', totals, { ...t, for: { ...t.for, areaCentiM2: 0.5 } })).toThrow(
        'for area must be a non-negative safe integer, got 0.5',
      );
      expect(() => decide('simple_majority', { ...totals, households: 1.5 }, t)).toThrow(
        'electorate households must be a non-negative safe integer, got 1.5',
      );
    });
  });

  it('refuses a tally that does not add up to the electorate', () => {
    const hh = units(3);
    const t = tally(hh, ballots({ u1: 'for' }));
    expect(() => decide('art278_ordinary', { households: 4, areaCentiM2: m2('300'), heads: 3 }, t)).toThrow(RangeError);
    expect(() => decide('art278_ordinary', electorateTotals(hh), { ...t, for: { ...t.for, households: 2 } })).toThrow(RangeError);
  });

  it('refuses an unknown rule', () => {
    const hh = units(1);
    expect(() => decide('majority' as RuleId, electorateTotals(hh), tally(hh, new Map()))).toThrow(RangeError);
  });
});

describe('integers only', () => {
  it.each([85.5, -1, NaN, Infinity, 2 ** 53])('refuses an area of %p', (area) => {
    const hh = [unit('A', area)];
    expect(() => headGroups(hh)).toThrow(RangeError);
    expect(() => electorateTotals(hh)).toThrow(RangeError);
    expect(() => tally(hh, new Map())).toThrow(RangeError);
  });

  it('refuses non-integer figures in decisions and quorums', () => {
    const hh = units(2);
    const t = tally(hh, ballots({ u1: 'for', u2: 'for' }));
    expect(() => decide('art278_ordinary', { households: 2, areaCentiM2: 20000.5, heads: 2 }, t)).toThrow(RangeError);
    expect(() => participation({ households: 2, areaCentiM2: 200, heads: 2 }, { households: 1.5, areaCentiM2: 100, heads: 1 })).toThrow(
      RangeError,
    );
  });

  it('refuses rather than rounds when a threshold product leaves exact integers', () => {
    const hh = [unit('A', Number.MAX_SAFE_INTEGER)];
    expect(() => verdict('art278_ordinary', hh, { A: 'for' })).toThrow(RangeError);
  });

  it('refuses sums past exact integers', () => {
    expect(() => electorateTotals([unit('A', Number.MAX_SAFE_INTEGER), unit('B', 1)])).toThrow(RangeError);
  });
});

describe('support as a share of the whole compound', () => {
  it.each([
    [1, 3, 333],
    [2, 3, 666],
    [379, 379, 1000],
    [0, 379, 0],
    [0, 0, 0],
    [1, 1001, 0],
    [m2('15000'), m2('22500'), 666],
  ])('%i of %i is %i‰, rounded down', (part, whole, permille) => {
    expect(shareOfWhole(part, whole)).toEqual({ num: part, den: whole, permille });
  });

  it('refuses a part larger than the whole, or a fraction', () => {
    expect(() => shareOfWhole(4, 3)).toThrow(RangeError);
    expect(() => shareOfWhole(1.5, 3)).toThrow(RangeError);
  });

  it.each([
    [333, '33.3%'],
    [1000, '100.0%'],
    [0, '0.0%'],
    [5, '0.5%'],
    [666, '66.6%'],
  ])('shows %i‰ as %s', (permille, text) => expect(formatPermille(permille)).toBe(text));

  it('states the smallest share of all owners that can pass each rule', () => {
    expect(minimumSupportShare('art278_ordinary')).toEqual({ num: 1, den: 3, inclusive: false });
    expect(minimumSupportShare('art278_special')).toEqual({ num: 1, den: 2, inclusive: true });
    expect(minimumSupportShare('unanimous')).toEqual({ num: 1, den: 1, inclusive: true });
    expect(minimumSupportShare('simple_majority')).toBeNull();
    expect(minimumSupportShare('two_thirds')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Every small electorate, against a reference written the way the law reads: heads found by
// merging owner sets until nothing changes, shares as exact fractions compared by subtraction.

/** An exact fraction in lowest terms with a positive denominator. */
class Fraction {
  readonly n: number;
  readonly d: number;
  constructor(n: number, d: number) {
    if (d === 0) throw new Error('no fraction of nothing');
    const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
    const g = gcd(n, d) || 1;
    const sign = d < 0 ? -1 : 1;
    this.n = (sign * n) / g;
    this.d = (sign * d) / g;
  }
  minus(o: Fraction): Fraction {
    return new Fraction(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  /** -1, 0 or 1: the denominator is positive, so the numerator carries the sign. */
  compare(o: Fraction): number {
    return Math.sign(this.minus(o).n);
  }
}

/** `part / whole` is at least (or more than) `n/d`; a share of nothing asks nothing. */
function share(part: number, whole: number, n: number, d: number, atLeast: boolean): boolean {
  if (whole === 0) return true;
  const c = new Fraction(part, whole).compare(new Fraction(n, d));
  return atLeast ? c >= 0 : c > 0;
}

/** Heads as the law reads: one per buyer, a buyer being the same set of owners; the developer once. */
function referenceHeads(hh: readonly ElectorateHousehold[]): string[][] {
  const sameBuyer = (a: ElectorateHousehold, b: ElectorateHousehold): boolean => {
    if (a.developerHeld || b.developerHeld) return a.developerHeld && b.developerHeld;
    if (a.ownerIds.length === 0 || b.ownerIds.length === 0) return a.id === b.id;
    return a.ownerIds.every((o) => b.ownerIds.includes(o)) && b.ownerIds.every((o) => a.ownerIds.includes(o));
  };
  const heads: ElectorateHousehold[][] = [];
  for (const h of hh) {
    const head = heads.find((units) => sameBuyer(units[0]!, h));
    if (head) head.push(h);
    else heads.push([h]);
  }
  return heads.map((units) => units.map((u) => u.id));
}

function reference(rule: RuleId, hh: readonly ElectorateHousehold[], heads: string[][], b: ReadonlyMap<string, Choice>) {
  const art278 = rule === 'art278_special' || rule === 'art278_ordinary';
  if (hh.length === 0) return { passed: false, participationMet: art278 ? false : null, failures: ['empty_electorate'] };

  const area = (voted: (c: Choice | undefined) => boolean) => hh.filter((h) => voted(b.get(h.id))).reduce((s, h) => s + h.areaCentiM2, 0);
  const headsWhere = (ok: (cast: Choice[]) => boolean) =>
    heads.filter((ids) => ok(ids.map((id) => b.get(id)).filter((c): c is Choice => c !== undefined))).length;
  const units = (c: Choice) => hh.filter((h) => b.get(h.id) === c).length;
  const failures: string[] = [];
  const require = (ok: boolean, reason: string) => {
    if (!ok) failures.push(reason);
  };

  let participationMet: boolean | null = null;
  if (rule === 'unanimous') {
    require(hh.every((h) => b.get(h.id) === 'for'), 'not_unanimous');
  } else if (art278) {
    const totalArea = area(() => true);
    const partArea = area((c) => c !== undefined);
    const forArea = area((c) => c === 'for');
    const partHeads = headsWhere((cast) => cast.length > 0);
    const forHeads = headsWhere((cast) => cast.length > 0 && cast.every((c) => c === 'for'));
    const areaOk = share(partArea, totalArea, 2, 3, true);
    const headsOk = share(partHeads, heads.length, 2, 3, true);
    participationMet = areaOk && headsOk;
    require(areaOk, 'participation_area');
    require(headsOk, 'participation_heads');
    const [n, d, atLeast] = rule === 'art278_special' ? [3, 4, true] : [1, 2, false];
    require(share(forArea, partArea, n, d, atLeast), 'area_for');
    require(share(forHeads, partHeads, n, d, atLeast), 'heads_for');
  } else {
    const decisive = units('for') + units('against');
    require(decisive > 0, 'no_ballots');
    const [n, d, atLeast] = rule === 'two_thirds' ? [2, 3, true] : [1, 2, false];
    require(share(units('for'), decisive, n, d, atLeast), 'majority');
  }
  return { passed: failures.length === 0, participationMet, failures };
}

// Under mutation testing (npm run test:mutation) every mutant reruns these loops: smaller there.
const MUTATION_RUN = process.env.YISHI_MUTATION === '1';

describe('every small electorate agrees with the reference', () => {
  const owners: Record<string, (i: number) => Pick<ElectorateHousehold, 'ownerIds' | 'developerHeld'>> = {
    'separate owners': (i) => ({ ownerIds: [`o${i}`], developerHeld: false }),
    // Units 0 and 1 one owner; 3 and 5 the developer's; 2 co-owned by B and C, 4 C's alone: another head.
    'shared owners and the developer': (i) =>
      [
        { ownerIds: ['A'], developerHeld: false },
        { ownerIds: ['A'], developerHeld: false },
        { ownerIds: ['B', 'C'], developerHeld: false },
        { ownerIds: ['dev'], developerHeld: true },
        { ownerIds: ['C'], developerHeld: false },
        { ownerIds: ['dev'], developerHeld: true },
      ][i]!,
    // The developer's units first and third, an owner with nobody registered, co-owners.
    'developer, unregistered and co-owners': (i) =>
      [
        { ownerIds: [], developerHeld: true },
        { ownerIds: ['X'], developerHeld: false },
        { ownerIds: [], developerHeld: true },
        { ownerIds: [], developerHeld: false },
        { ownerIds: ['X', 'Y'], developerHeld: false },
        { ownerIds: [], developerHeld: false },
      ][i]!,
  };
  const CHOICE_OF_DIGIT: readonly (Choice | undefined)[] = [undefined, 'for', 'against', 'abstain'];

  function check(hh: ElectorateHousehold[], outcomes: Map<RuleId, Set<boolean>>): number {
    const totals = electorateTotals(hh);
    const heads = referenceHeads(hh);
    expect(totals.heads).toBe(heads.length);
    let cases = 0;
    for (let code = 0; code < 4 ** hh.length; code++) {
      const b = new Map<string, Choice>();
      hh.forEach((h, i) => {
        const choice = CHOICE_OF_DIGIT[Math.floor(code / 4 ** i) % 4];
        if (choice) b.set(h.id, choice);
      });
      const t = tally(hh, b);
      for (const rule of RULE_IDS) {
        const d = decide(rule, totals, t);
        const expected = reference(rule, hh, heads, b);
        const actual = { passed: d.passed, participationMet: d.participationMet, failures: d.failures };
        // Only call expect when they differ: this loop runs over a hundred thousand times.
        if (
          actual.passed !== expected.passed ||
          actual.participationMet !== expected.participationMet ||
          actual.failures.join() !== expected.failures.join()
        ) {
          expect({ rule, hh, ballots: Object.fromEntries(b), actual }).toEqual({
            rule,
            hh,
            ballots: Object.fromEntries(b),
            actual: expected,
          });
        }
        outcomes.get(rule)!.add(d.passed);
        cases++;
      }
    }
    return cases;
  }

  it.each(Object.keys(owners))('every area from {0, 0.01, 0.02 m²} and every ballot over up to 4 units, %s', (pattern) => {
    const outcomes = new Map(RULE_IDS.map((r) => [r, new Set<boolean>()]));
    let cases = 0;
    for (let n = 0; n <= (MUTATION_RUN ? 2 : 4); n++) {
      for (let areaCode = 0; areaCode < 3 ** n; areaCode++) {
        const hh = Array.from({ length: n }, (_, i) => ({
          id: `h${i}`,
          areaCentiM2: Math.floor(areaCode / 3 ** i) % 3,
          ...owners[pattern]!(i),
        }));
        cases += check(hh, outcomes);
      }
    }
    // Each rule both passed and failed somewhere, so the comparison was not vacuous.
    for (const seen of outcomes.values()) expect([...seen].sort()).toEqual([false, true]);
    expect(cases).toBe(5 * (1 + 3 * 4 + 9 * 16 + (MUTATION_RUN ? 0 : 27 * 64 + 81 * 256)));
  });

  it.each(Object.keys(owners))('every ballot over 5 and 6 units with assorted areas, %s', (pattern) => {
    const outcomes = new Map(RULE_IDS.map((r) => [r, new Set<boolean>()]));
    const areaSets = [
      [1, 1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 0],
      [8550, 6000, 12000, 7225, 9000, 6000],
      [100, 1, 1, 1, 1, 96],
    ];
    for (const n of MUTATION_RUN ? [5] : [5, 6]) {
      for (const areas of MUTATION_RUN ? areaSets.slice(2, 3) : areaSets) {
        check(
          areas.slice(0, n).map((a, i) => ({ id: `h${i}`, areaCentiM2: a, ...owners[pattern]!(i) })),
          outcomes,
        );
      }
    }
    for (const seen of outcomes.values()) expect([...seen].sort()).toEqual([false, true]);
  });
});

describe('what a refused input says, word for word', () => {
  const a = unit('A', '100');
  it.each<[string, () => unknown, string]>([
    ['an item the article does not have', () => ruleForArt278Item(10), 'Article 278 has no item 10'],
    ['a fractional area', () => electorateTotals([unit('A', 85.5)]), 'area of household A must be a non-negative safe integer, got 85.5'],
    ['a negative area', () => electorateTotals([unit('A', -1)]), 'area of household A must be a non-negative safe integer, got -1'],
    ['a unit twice', () => headGroups([a, a]), 'household A appears twice in the electorate'],
    ['a ballot from outside', () => tally([a], ballots({ B: 'for' })), 'ballot from household B, which is not in the electorate'],
    ['an unknown choice', () => tally([a], new Map([['A', 'maybe' as Choice]])), 'household A cast an unknown choice maybe'],
    [
      'a sum past 2^53',
      () => electorateTotals([unit('A', Number.MAX_SAFE_INTEGER), unit('B', 1)]),
      `${Number.MAX_SAFE_INTEGER} + 1 is beyond exact integer arithmetic`,
    ],
    [
      'a product past 2^53',
      () => verdict('art278_ordinary', [unit('A', Number.MAX_SAFE_INTEGER)], { A: 'for' }),
      `3 × ${Number.MAX_SAFE_INTEGER} is beyond exact integer arithmetic`,
    ],
    [
      'attendance over the electorate',
      () => participation({ households: 1, areaCentiM2: 1, heads: 1 }, { households: 1, areaCentiM2: 2, heads: 1 }),
      'present owners exceed the electorate',
    ],
    [
      'more heads present than there are',
      () => participation({ households: 1, areaCentiM2: 1, heads: 1 }, { households: 1, areaCentiM2: 1, heads: 2 }),
      'present owners exceed the electorate',
    ],
    ['an unknown rule', () => decide('majority' as RuleId, electorateTotals([a]), tally([a], ballots({}))), 'unknown rule majority'],
    ['an unknown rule for the minimum support', () => minimumSupportShare('majority' as RuleId), 'unknown rule majority'],
    ['a part larger than the whole', () => shareOfWhole(4, 3), 'part 4 is larger than the whole 3'],
    ['a negative permille', () => formatPermille(-1), 'permille must be a non-negative safe integer, got -1'],
    [
      'more households present than there are',
      () => participation({ households: 1, areaCentiM2: 1, heads: 1 }, { households: 2, areaCentiM2: 1, heads: 1 }),
      'present owners exceed the electorate',
    ],
    [
      'a fractional electorate',
      () => participation({ households: 1, areaCentiM2: 0.5, heads: 1 }, { households: 1, areaCentiM2: 0, heads: 1 }),
      'electorate area must be a non-negative safe integer, got 0.5',
    ],
    [
      'a fractional attendance',
      () => participation({ households: 1, areaCentiM2: 1, heads: 1 }, { households: 1, areaCentiM2: 1, heads: 0.5 }),
      'present heads must be a non-negative safe integer, got 0.5',
    ],
    ['a fractional part', () => shareOfWhole(0.5, 3), 'part must be a non-negative safe integer, got 0.5'],
    ['a negative whole', () => shareOfWhole(0, -3), 'whole must be a non-negative safe integer, got -3'],
  ])('refuses %s', (_, run, message) => {
    expect(run).toThrow(RangeError);
    expect(run).toThrow(message);
  });

  it('exactly at the limits is not refused', () => {
    expect(electorateTotals([unit('A', Number.MAX_SAFE_INTEGER - 1), unit('B', 1)]).areaCentiM2).toBe(Number.MAX_SAFE_INTEGER);
    expect(participation({ households: 1, areaCentiM2: 1, heads: 1 }, { households: 1, areaCentiM2: 1, heads: 1 }).met).toBe(true);
    expect(shareOfWhole(3, 3).permille).toBe(1000);
    const third = Math.floor(Number.MAX_SAFE_INTEGER / 3);
    expect(verdict('art278_ordinary', [unit('A', third)], { A: 'for' }).passed).toBe(true);
  });
});

describe('every check of a decision, as the result screen and the printed record show it', () => {
  const hh = [unit('A', '100'), unit('B', '60'), unit('C', '40'), unit('D', '0')];
  const b = { A: 'for', B: 'against', C: 'abstain' } as const;
  const checks = (rule: RuleId) => verdict(rule, hh, b).checks;
  const electorate = { id: 'electorate', left: 4, op: '>', right: 0, met: true, vacuous: false, share: null };

  it('unanimous: every household for', () => {
    expect(checks('unanimous')).toEqual([
      electorate,
      { id: 'unanimous', left: 1, op: '=', right: 4, met: false, vacuous: false, share: { part: 1, whole: 4, threshold: ALL } },
    ]);
  });
  it('Article 278 special: participation, then 3/4 by area and by head', () => {
    expect(checks('art278_special')).toEqual([
      electorate,
      {
        id: 'participation_area',
        left: 3 * 20000,
        op: '>=',
        right: 2 * 20000,
        met: true,
        vacuous: false,
        share: { part: 20000, whole: 20000, threshold: TWO_THIRDS },
      },
      {
        id: 'participation_heads',
        left: 9,
        op: '>=',
        right: 8,
        met: true,
        vacuous: false,
        share: { part: 3, whole: 4, threshold: TWO_THIRDS },
      },
      {
        id: 'area_for',
        left: 4 * 10000,
        op: '>=',
        right: 3 * 20000,
        met: false,
        vacuous: false,
        share: { part: 10000, whole: 20000, threshold: THREE_QUARTERS },
      },
      { id: 'heads_for', left: 4, op: '>=', right: 9, met: false, vacuous: false, share: { part: 1, whole: 3, threshold: THREE_QUARTERS } },
    ]);
  });
  it('Article 278 ordinary: more than half by area and by head', () => {
    expect(checks('art278_ordinary').slice(3)).toEqual([
      {
        id: 'area_for',
        left: 2 * 10000,
        op: '>',
        right: 20000,
        met: false,
        vacuous: false,
        share: { part: 10000, whole: 20000, threshold: MORE_THAN_HALF },
      },
      { id: 'heads_for', left: 2, op: '>', right: 3, met: false, vacuous: false, share: { part: 1, whole: 3, threshold: MORE_THAN_HALF } },
    ]);
  });
  it('simple majority and two-thirds: of for and against ballots', () => {
    expect(checks('simple_majority')).toEqual([
      electorate,
      { id: 'ballots', left: 2, op: '>', right: 0, met: true, vacuous: false, share: null },
      { id: 'majority', left: 2, op: '>', right: 2, met: false, vacuous: false, share: { part: 1, whole: 2, threshold: MORE_THAN_HALF } },
    ]);
    expect(checks('two_thirds')[2]).toEqual({
      id: 'majority',
      left: 3,
      op: '>=',
      right: 4,
      met: false,
      vacuous: false,
      share: { part: 1, whole: 2, threshold: TWO_THIRDS },
    });
  });
  it('an empty electorate: one check, failed', () => {
    expect(verdict('simple_majority', [], {})).toEqual({
      passed: false,
      participationMet: null,
      failures: ['empty_electorate'],
      checks: [{ id: 'electorate', left: 0, op: '>', right: 0, met: false, vacuous: false, share: null }],
    });
  });
  it('a share check hands out its own copy of the threshold, so no caller can change the rule', () => {
    const special = checks('art278_special');
    special[1]!.share!.threshold.num = 1;
    expect(checks('art278_special')[1]!.share!.threshold).toEqual(TWO_THIRDS);
    const unanimous = checks('unanimous');
    unanimous[1]!.share!.threshold.den = 2;
    expect(checks('unanimous')[1]!.share!.threshold).toEqual(ALL);
  });
  it('the developer head key is spelled out', () => {
    expect(DEVELOPER_HEAD).toBe('developer');
  });
});
