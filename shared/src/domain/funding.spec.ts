import {
  balanceIssues,
  canonicalFunding,
  formatFen,
  FUNDING_LIMITS,
  FUNDING_SOURCES,
  FUNDING_SOURCE_IDS,
  HOUSEHOLD_SHARE_RULE,
  isFundingSource,
  type FundingLine,
  fundingTotals,
  householdShares,
  lineAmountFen,
  lineShapeIssues,
  planShapeIssues,
  sourceAmountFen,
  sourceOfOrganisationKind,
  sortFundingLines,
} from './funding';

const MAX = Number.MAX_SAFE_INTEGER;
const line = (id: string, over: Partial<FundingLine> = {}): FundingLine => ({
  id,
  category: '主体工程',
  description: `项目${id}`,
  quantityCenti: null,
  unit: '项',
  unitPriceFen: null,
  amountFen: 100_00,
  sort: 1,
  splits: { property_rights_unit: 100_00 },
  ...over,
});
const raw = (l: FundingLine) => {
  const { id, ...rest } = l;
  return { id, raw: rest as unknown };
};

describe('funding sources', () => {
  it("names every source in Chinese and English, the seed story's among them", () => {
    expect(FUNDING_SOURCES.map((s) => s.zh)).toEqual([
      '产权单位',
      '上级拨付帮扶资金',
      '维修资金',
      '党组织服务群众经费',
      '物业公司',
      '居民分摊',
    ]);
    for (const s of FUNDING_SOURCES) expect(s.en.length).toBeGreaterThan(0);
  });
  it('knows which kind of organisation commits each source', () => {
    expect(sourceOfOrganisationKind('property_rights_unit')).toBe('property_rights_unit');
    expect(sourceOfOrganisationKind('street_department')).toBe('government_subsidy');
    expect(sourceOfOrganisationKind('property_company')).toBe('property_company');
    expect(sourceOfOrganisationKind('party_branch')).toBe('party_service_fund');
    expect(sourceOfOrganisationKind('resident')).toBeNull();
  });
});

describe('line amounts: quantity (0.01 unit) × unit price (fen), rounded half up to the fen', () => {
  it.each([
    [67000, 120000, 80_400_000], // 670 m² at 1,200 yuan/m²
    [100, 5_000_00, 5_000_00], // one lump sum
    [150, 333, 500], // 1.5 × 3.33 yuan = 4.995 yuan → 5.00 (half up)
    [149, 333, 496], // 4.9617 → 4.96
    [1, 49, 0], // 0.49 fen → 0
    [1, 50, 1], // 0.5 fen → 1
    [0, 999, 0],
  ])('%i × %i = %i fen', (q, p, fen) => expect(lineAmountFen(q, p)).toBe(fen));
  it('works beyond floating point precision and refuses what passes 2^53', () => {
    expect(lineAmountFen(100, MAX)).toBe(MAX);
    expect(lineAmountFen(101, MAX)).toBeNull();
    expect(lineAmountFen(MAX, MAX)).toBeNull();
    expect(lineAmountFen(-1, 5)).toBeNull();
    expect(lineAmountFen(1.5, 5)).toBeNull();
  });
});

describe('the shape of a line (what any update must leave intact)', () => {
  it('accepts a well-formed line, lump sums and drafts that do not balance yet', () => {
    expect(lineShapeIssues('a', raw(line('a')).raw)).toEqual([]);
    expect(lineShapeIssues('a', raw(line('a', { splits: {} })).raw)).toEqual([]);
    expect(lineShapeIssues('a', raw(line('a', { amountFen: 0, splits: {}, quantityCenti: 0, unitPriceFen: 0 })).raw)).toEqual([]);
    expect(lineShapeIssues('a', raw(line('a', { amountFen: MAX, splits: { residents: MAX } })).raw)).toEqual([]);
  });
  it.each<[string, Record<string, unknown>, string]>([
    ['a negative amount', { amountFen: -1 }, 'lines.a.amountFen'],
    ['a fractional amount', { amountFen: 10.5 }, 'lines.a.amountFen'],
    ['an amount past 2^53', { amountFen: MAX + 1 }, 'lines.a.amountFen'],
    ['an amount as text', { amountFen: '100' }, 'lines.a.amountFen'],
    ['an amount that is NaN', { amountFen: NaN }, 'lines.a.amountFen'],
    ['an amount that is infinite', { amountFen: Infinity }, 'lines.a.amountFen'],
    ['a bigint amount', { amountFen: 100n }, 'lines.a.amountFen'],
    ['a negative share', { splits: { residents: -5 } }, 'lines.a.splits.residents'],
    ['a fractional share', { splits: { residents: 0.5 } }, 'lines.a.splits.residents'],
    ['an unknown source', { splits: { bank: 100 } }, 'lines.a.splits.bank'],
    ['shares summing past 2^53', { splits: { residents: MAX, property_company: 1 } }, 'lines.a.splits'],
    ['splits that are a list', { splits: [100] }, 'lines.a.splits'],
    ['a fractional quantity', { quantityCenti: 0.25 }, 'lines.a.quantityCenti'],
    ['a negative unit price', { unitPriceFen: -100 }, 'lines.a.unitPriceFen'],
    ['a description that is not text', { description: 42 }, 'lines.a.description'],
    ['a description too long', { description: 'x'.repeat(FUNDING_LIMITS.descriptionChars + 1) }, 'lines.a.description'],
    ['a category that is missing', { category: undefined }, 'lines.a.category'],
    ['a unit too long', { unit: 'x'.repeat(21) }, 'lines.a.unit'],
    ['a fractional sort', { sort: 1.5 }, 'lines.a.sort'],
    ['an unknown field', { owner: 'x' }, 'lines.a.owner'],
  ])('refuses %s, naming the field', (_, over, path) => {
    const issues = lineShapeIssues('a', { ...(raw(line('a')).raw as object), ...over });
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.every((i) => i.lineId === 'a' || i.lineId === null)).toBe(true);
  });
  it('refuses a line that is not a map, and a bad line id', () => {
    expect(lineShapeIssues('a', 'text')[0]!.path).toBe('lines.a');
    expect(lineShapeIssues('a', null)[0]!.path).toBe('lines.a');
    expect(lineShapeIssues('a b', raw(line('a')).raw)[0]!.code).toBe('malformed');
    expect(lineShapeIssues('x'.repeat(65), raw(line('a')).raw)[0]!.code).toBe('malformed');
  });
  it('refuses a plan with too many lines, or one whose totals pass 2^53', () => {
    const many = Array.from({ length: FUNDING_LIMITS.lines + 1 }, (_, i) => raw(line(`l${i}`)));
    expect(planShapeIssues(many).map((i) => i.code)).toContain('too_many_lines');
    expect(planShapeIssues(many.slice(1))).toEqual([]);
    const big = [raw(line('a', { amountFen: MAX, splits: {} })), raw(line('b', { amountFen: 1, splits: {} }))];
    expect(planShapeIssues(big)).toEqual([expect.objectContaining({ lineId: null, code: 'overflow' })]);
    const bigSource = [
      raw(line('a', { amountFen: MAX, splits: { residents: MAX } })),
      raw(line('b', { amountFen: 0, splits: { residents: 1 } })),
    ];
    expect(planShapeIssues(bigSource).map((i) => i.code)).toContain('overflow');
  });
});

describe('balance: what a frozen plan must satisfy', () => {
  it('passes a plan whose every line is covered exactly', () => {
    expect(balanceIssues([line('a'), line('b', { amountFen: 300, splits: { residents: 100, maintenance_fund: 200 } })])).toEqual([]);
  });
  it('names each line that is short or over, with the difference', () => {
    const issues = balanceIssues([
      line('a', { description: '屋面防水', amountFen: 1000, splits: { property_rights_unit: 900 } }),
      line('b'),
      line('c', { description: '拆除', amountFen: 500, splits: { residents: 600 } }),
    ]);
    expect(issues.map((i) => [i.lineId, i.code])).toEqual([
      ['a', 'unbalanced'],
      ['c', 'unbalanced'],
    ]);
    expect(issues[0]!.message).toContain('屋面防水');
    expect(issues[0]!.message).toContain('short by 100 fen');
    expect(issues[1]!.message).toContain('over by 100 fen');
  });
  it('names a line whose amount is not its quantity × unit price', () => {
    const issues = balanceIssues([
      line('a', { quantityCenti: 200, unitPriceFen: 50_00, amountFen: 100_00, splits: { residents: 100_00 } }),
    ]);
    expect(issues).toEqual([]);
    const off = balanceIssues([line('a', { quantityCenti: 300, unitPriceFen: 50_00, amountFen: 100_00, splits: { residents: 100_00 } })]);
    expect(off).toEqual([expect.objectContaining({ lineId: 'a', code: 'amount_mismatch', path: 'lines.a.amountFen' })]);
  });
});

describe('totals', () => {
  const plan = [
    line('b', { sort: 2, category: '设计监理', amountFen: 5_000_00, splits: { government_subsidy: 5_000_00 } }),
    line('a', { sort: 1, amountFen: 80_000_00, splits: { property_rights_unit: 60_000_00, maintenance_fund: 15_000_00 } }),
    line('c', { sort: 3, amountFen: 1_000_00, splits: { property_rights_unit: 1_000_00 } }),
  ];
  it('per line (in table order), per category, per source and overall', () => {
    const t = fundingTotals(plan);
    expect(t.lines).toEqual([
      { lineId: 'a', amountFen: 80_000_00, splitFen: 75_000_00, unassignedFen: 5_000_00 },
      { lineId: 'b', amountFen: 5_000_00, splitFen: 5_000_00, unassignedFen: 0 },
      { lineId: 'c', amountFen: 1_000_00, splitFen: 1_000_00, unassignedFen: 0 },
    ]);
    expect(t.categories).toEqual([
      { category: '主体工程', amountFen: 81_000_00, lineIds: ['a', 'c'] },
      { category: '设计监理', amountFen: 5_000_00, lineIds: ['b'] },
    ]);
    expect(t.bySource).toEqual({
      property_rights_unit: 61_000_00,
      government_subsidy: 5_000_00,
      maintenance_fund: 15_000_00,
      party_service_fund: 0,
      property_company: 0,
      residents: 0,
    });
    expect(t.totalFen).toBe(86_000_00);
    expect(t.unassignedFen).toBe(5_000_00);
    expect(t.balanced).toBe(false);
    expect(fundingTotals([]).totalFen).toBe(0);
    expect(fundingTotals([]).balanced).toBe(true);
  });
  it('what one source pays on named lines', () => {
    expect(sourceAmountFen(plan, 'property_rights_unit')).toBe(61_000_00);
    expect(sourceAmountFen(plan, 'property_rights_unit', ['c'])).toBe(1_000_00);
    expect(sourceAmountFen(plan, 'residents')).toBe(0);
  });
  it('orders lines by sort, then id, whatever order they come in', () => {
    const t = fundingTotals([line('z', { sort: 1 }), line('y', { sort: 1 }), line('x', { sort: 0 })]);
    expect(t.lines.map((l) => l.lineId)).toEqual(['x', 'y', 'z']);
  });
});

describe('the canonical form that is hashed', () => {
  it('is the same for the same plan whatever the order of lines, keys and sources', () => {
    const a = canonicalFunding([line('a', { splits: { residents: 40_00, property_rights_unit: 60_00 } }), line('b', { sort: 2 })]);
    const b = canonicalFunding([
      line('b', { sort: 2 }),
      line('a', { splits: { property_rights_unit: 60_00, residents: 40_00, maintenance_fund: 0 } }),
    ]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a!.lines[0])).toBe(
      '{"amountFen":10000,"category":"主体工程","description":"项目a","id":"a","quantityCenti":null,"sort":1,"splits":{"property_rights_unit":6000,"residents":4000},"unit":"项","unitPriceFen":null}',
    );
  });
  it('is null for a plan with no lines (so revisions without funding hash as before)', () => {
    expect(canonicalFunding([])).toBeNull();
  });
});

describe('per-household shares by floor area (largest remainder, integer fen)', () => {
  const sum = (s: Array<{ shareFen: number }>) => s.reduce((a, x) => a + x.shareFen, 0);
  it('splits exactly in proportion when it divides', () => {
    expect(
      householdShares(300, [
        { id: 'a', areaCentiM2: 100 },
        { id: 'b', areaCentiM2: 200 },
      ]).map((s) => s.shareFen),
    ).toEqual([100, 200]);
  });
  it('gives the leftover fen to the largest remainders', () => {
    // 100 fen over areas 1:1:1 → 33.33 each; one fen left, equal remainders → larger area, then id.
    expect(
      householdShares(100, [
        { id: 'c', areaCentiM2: 50 },
        { id: 'b', areaCentiM2: 50 },
        { id: 'a', areaCentiM2: 50 },
      ]).map((s) => [s.id, s.shareFen]),
    ).toEqual([
      ['c', 33],
      ['b', 33],
      ['a', 34],
    ]);
    // 10 fen over 3:3:4 (1/10 each area unit): exact 3, 3, 4.
    expect(
      householdShares(10, [
        { id: 'a', areaCentiM2: 3 },
        { id: 'b', areaCentiM2: 3 },
        { id: 'c', areaCentiM2: 4 },
      ]).map((s) => s.shareFen),
    ).toEqual([3, 3, 4]);
    // 7 fen over 1:2 → 2.33, 4.67: the larger remainder (b) gets the fen.
    expect(
      householdShares(7, [
        { id: 'a', areaCentiM2: 1 },
        { id: 'b', areaCentiM2: 2 },
      ]).map((s) => s.shareFen),
    ).toEqual([2, 5]);
    // 1 fen over areas 1 and 2: exact 0.33 and 0.67 → the larger remainder.
    expect(
      householdShares(1, [
        { id: 'a', areaCentiM2: 1 },
        { id: 'b', areaCentiM2: 2 },
      ]).map((s) => s.shareFen),
    ).toEqual([0, 1]);
  });
  it('breaks ties on equal remainder by larger area before id', () => {
    // 2 fen over areas 1, 1, 2 (total 4): exact 0.5, 0.5, 1 → one fen left, remainders 2, 2, 0: equal areas, so the smaller id.
    expect(
      householdShares(2, [
        { id: 'b', areaCentiM2: 1 },
        { id: 'a', areaCentiM2: 1 },
        { id: 'c', areaCentiM2: 2 },
      ]).map((s) => [s.id, s.shareFen]),
    ).toEqual([
      ['b', 0],
      ['a', 1],
      ['c', 1],
    ]);
    // 1 fen over areas 4, 2, 4 (total 10): remainders 4, 2, 4 → b and c tie with equal areas → the smaller id.
    expect(
      householdShares(1, [
        { id: 'c', areaCentiM2: 4 },
        { id: 'a', areaCentiM2: 2 },
        { id: 'b', areaCentiM2: 4 },
      ]).map((s) => [s.id, s.shareFen]),
    ).toEqual([
      ['c', 0],
      ['a', 0],
      ['b', 1],
    ]);
    // remainders equal but areas differ: 3 fen over 5 and 10 and 15 (of 30) → exact 0.5, 1, 1.5 → remainders 15, 0, 15 → the larger area (15) first.
    expect(
      householdShares(3, [
        { id: 'a', areaCentiM2: 5 },
        { id: 'b', areaCentiM2: 10 },
        { id: 'c', areaCentiM2: 15 },
      ]).map((s) => s.shareFen),
    ).toEqual([0, 1, 2]);
  });
  it('adds up to the total exactly, and no share is a fen or more from its exact value (brute force)', () => {
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    // Fewer under mutation testing (npm run test:mutation), where every mutant reruns it.
    for (let run = 0; run < (process.env.YISHI_MUTATION === '1' ? 100 : 500); run++) {
      const households = Array.from({ length: 1 + rnd(40) }, (_, i) => ({ id: `h${i}`, areaCentiM2: rnd(10) === 0 ? 0 : 1 + rnd(20000) }));
      if (households.every((h) => h.areaCentiM2 === 0)) households[0]!.areaCentiM2 = 1;
      const total = rnd(3) === 0 ? rnd(100) : rnd(2 ** 30) * 1000 + rnd(1000);
      const shares = householdShares(total, households);
      expect(sum(shares)).toBe(total);
      const area = households.reduce((a, h) => a + h.areaCentiM2, 0);
      for (const s of shares) {
        const exactTimesArea = BigInt(total) * BigInt(s.areaCentiM2);
        const diff = BigInt(s.shareFen) * BigInt(area) - exactTimesArea;
        expect(diff < BigInt(area) && diff > -BigInt(area)).toBe(true);
        if (s.areaCentiM2 === 0) expect(s.shareFen).toBe(0);
      }
    }
  });
  it('handles the largest totals and areas without losing a fen', () => {
    const shares = householdShares(MAX, [
      { id: 'a', areaCentiM2: MAX },
      { id: 'b', areaCentiM2: MAX },
      { id: 'c', areaCentiM2: 1 },
    ]);
    expect(shares.reduce((a, s) => a + BigInt(s.shareFen), 0n)).toBe(BigInt(MAX));
    expect(householdShares(0, [{ id: 'a', areaCentiM2: 100 }])[0]!.shareFen).toBe(0);
    expect(householdShares(0, [])).toEqual([]);
    expect(householdShares(0, [{ id: 'a', areaCentiM2: 0 }])[0]!.shareFen).toBe(0);
  });
  it("the 379 households of the seed story split a residents' share exactly", () => {
    const households = Array.from({ length: 379 }, (_, i) => ({
      id: `h${String(i).padStart(3, '0')}`,
      areaCentiM2: 3800 + ((i * 7919) % 5400),
    }));
    const shares = householdShares(12_345_67, households);
    expect(sum(shares)).toBe(12_345_67);
    // Households of equal area pay within a fen of each other.
    const byArea = new Map<number, number[]>();
    for (const s of shares) byArea.set(s.areaCentiM2, [...(byArea.get(s.areaCentiM2) ?? []), s.shareFen]);
    for (const same of byArea.values()) expect(Math.max(...same) - Math.min(...same)).toBeLessThanOrEqual(1);
  });
  it.each<[string, number, Array<{ id: string; areaCentiM2: number }>]>([
    ['a negative total', -1, [{ id: 'a', areaCentiM2: 1 }]],
    ['a fractional total', 1.5, [{ id: 'a', areaCentiM2: 1 }]],
    ['a total past 2^53', MAX + 1, [{ id: 'a', areaCentiM2: 1 }]],
    ['a negative area', 10, [{ id: 'a', areaCentiM2: -1 }]],
    ['a fractional area', 10, [{ id: 'a', areaCentiM2: 1.5 }]],
    ['an area past 2^53', 10, [{ id: 'a', areaCentiM2: MAX + 2 }]],
    [
      'a household listed twice',
      10,
      [
        { id: 'a', areaCentiM2: 1 },
        { id: 'a', areaCentiM2: 1 },
      ],
    ],
    ['no area to split by', 10, [{ id: 'a', areaCentiM2: 0 }]],
    ['no households', 10, []],
  ])('refuses %s', (_, total, households) => expect(() => householdShares(total, households)).toThrow(RangeError));
});

describe('formatting fen', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [80_400_000, '804,000.00'],
    [-123_45, '-123.45'],
    [MAX, '90,071,992,547,409.91'],
  ])('%i fen is %s yuan', (fen, text) => expect(formatFen(fen)).toBe(text));
});

describe('the funding sources and the share rule, as shown', () => {
  it('names each source in English too, with its id', () => {
    expect(FUNDING_SOURCES.map((s) => [s.id, s.en])).toEqual([
      ['property_rights_unit', 'Property-rights unit'],
      ['government_subsidy', 'Government support funds'],
      ['maintenance_fund', 'Maintenance fund'],
      ['party_service_fund', "Party organisation's service funds"],
      ['property_company', 'Property company'],
      ['residents', 'Residents'],
    ]);
    expect(FUNDING_SOURCE_IDS).toEqual(FUNDING_SOURCES.map((s) => s.id));
    expect(sourceOfOrganisationKind('nobody')).toBeNull();
    expect([isFundingSource('residents'), isFundingSource('bank'), isFundingSource(7), isFundingSource(null)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('states the rounding rule of household shares, in Chinese and English, as householdShares applies it', () => {
    expect(HOUSEHOLD_SHARE_RULE.zh).toContain('余数相同者面积大者优先，再按户编号');
    expect(HOUSEHOLD_SHARE_RULE.en).toContain('equal remainders: larger area first, then household id');
  });
});

describe('funding at its exact limits, and the last tie-break', () => {
  it('accepts every text at its limit and refuses it one character over', () => {
    const at = line('a', {
      category: '类'.repeat(FUNDING_LIMITS.categoryChars),
      description: '述'.repeat(FUNDING_LIMITS.descriptionChars),
      unit: '位'.repeat(FUNDING_LIMITS.unitChars),
    });
    expect(lineShapeIssues('x'.repeat(FUNDING_LIMITS.lineIdChars), raw(at).raw)).toEqual([]);
    const over = line('a', {
      category: '类'.repeat(FUNDING_LIMITS.categoryChars + 1),
      description: '述'.repeat(FUNDING_LIMITS.descriptionChars + 1),
      unit: '位'.repeat(FUNDING_LIMITS.unitChars + 1),
    });
    expect(lineShapeIssues('x'.repeat(FUNDING_LIMITS.lineIdChars + 1), raw(over).raw).map((i) => i.path)).toEqual([
      'lines',
      `lines.${'x'.repeat(65)}.category`,
      `lines.${'x'.repeat(65)}.description`,
      `lines.${'x'.repeat(65)}.unit`,
    ]);
    expect(FUNDING_LIMITS).toEqual({ lines: 500, descriptionChars: 500, categoryChars: 100, unitChars: 20, lineIdChars: 64 });
  });

  it('takes a plan of exactly the most lines, and not one more', () => {
    const lines = Array.from({ length: FUNDING_LIMITS.lines }, (_, i) => raw(line(`l${i}`)));
    expect(planShapeIssues(lines)).toEqual([]);
    expect(planShapeIssues([...lines, raw(line('one-more'))]).map((i) => i.code)).toEqual(['too_many_lines']);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a list', [100]],
    ['a number', 100],
    ['text', 'property_rights_unit'],
  ])('refuses splits that are %s', (_, splits) => {
    expect(lineShapeIssues('a', { ...(raw(line('a')).raw as object), splits })).toEqual([
      { lineId: 'a', path: 'lines.a.splits', code: 'malformed', message: 'must be a map of source to fen' },
    ]);
  });

  it('refuses a line whose shares pass 2^53 fen between them, though each is safe', () => {
    const l = line('a', { amountFen: MAX, splits: { property_rights_unit: MAX, residents: 1 } });
    expect(lineShapeIssues('a', raw(l).raw)).toEqual([
      { lineId: 'a', path: 'lines.a.splits', code: 'overflow', message: 'the shares add up past 2^53 fen' },
    ]);
    expect(lineShapeIssues('a', raw(line('a', { amountFen: MAX, splits: { property_rights_unit: MAX - 1, residents: 1 } })).raw)).toEqual(
      [],
    );
  });

  it('refuses a plan whose total, or one source over all lines, passes 2^53 fen, and takes it exactly at 2^53 − 1', () => {
    const half = (MAX - 1) / 2;
    const atMax = [
      raw(line('a', { amountFen: half, splits: { residents: half } })),
      raw(line('b', { amountFen: half + 1, splits: { residents: half + 1 } })),
    ];
    expect(planShapeIssues(atMax)).toEqual([]);
    const past = [
      raw(line('a', { amountFen: half + 1, splits: { residents: half + 1 } })),
      raw(line('b', { amountFen: half + 1, splits: { residents: half + 1 } })),
    ];
    expect(planShapeIssues(past)).toEqual([{ lineId: null, path: 'lines', code: 'overflow', message: 'the plan adds up past 2^53 fen' }]);
    // Only one source over all lines past 2^53, the total not (the other line's amount is 0).
    const source = [
      raw(line('a', { amountFen: MAX, splits: { residents: MAX } })),
      raw(line('b', { amountFen: 0, splits: { residents: 1 } })),
    ];
    expect(planShapeIssues(source).map((i) => i.code)).toEqual(['overflow']);
  });

  it('on equal remainders and equal areas gives the leftover fen by household id, whatever the order they come in', () => {
    const abc = [
      { id: 'C', areaCentiM2: 10000 },
      { id: 'A', areaCentiM2: 10000 },
      { id: 'B', areaCentiM2: 10000 },
    ];
    expect(householdShares(100, abc)).toEqual([
      { id: 'C', areaCentiM2: 10000, shareFen: 33 },
      { id: 'A', areaCentiM2: 10000, shareFen: 34 },
      { id: 'B', areaCentiM2: 10000, shareFen: 33 },
    ]);
    expect(householdShares(101, abc).map((s) => s.shareFen)).toEqual([33, 34, 34]);
    expect(householdShares(100, [...abc].reverse()).find((s) => s.shareFen === 34)?.id).toBe('A');
  });

  it('refuses a total or an area that is not whole fen or 0.01 m², a repeated household, or a total with no area', () => {
    expect(() => householdShares(-1, [{ id: 'a', areaCentiM2: 1 }])).toThrow('total must be a whole number of fen, 0 or more, below 2^53');
    expect(() => householdShares(MAX + 1, [{ id: 'a', areaCentiM2: 1 }])).toThrow(RangeError);
    expect(() => householdShares(1, [{ id: 'a', areaCentiM2: 0.5 }])).toThrow(
      'household a: area must be a whole number of 0.01 m², 0 or more',
    );
    expect(() =>
      householdShares(1, [
        { id: 'a', areaCentiM2: 1 },
        { id: 'a', areaCentiM2: 1 },
      ]),
    ).toThrow('household a is listed twice');
    expect(() => householdShares(1, [{ id: 'a', areaCentiM2: 0 }])).toThrow('there is no floor area to split the total by');
    expect(
      householdShares(0, [
        { id: 'a', areaCentiM2: 0 },
        { id: 'b', areaCentiM2: 0 },
      ]),
    ).toEqual([
      { id: 'a', areaCentiM2: 0, shareFen: 0 },
      { id: 'b', areaCentiM2: 0, shareFen: 0 },
    ]);
  });
});

describe('what a refused line says, word for word', () => {
  it('names every problem of a line with its field and a message a person can act on', () => {
    const bad = {
      category: 7,
      description: null,
      quantityCenti: -1,
      unit: 'x'.repeat(21),
      unitPriceFen: 1.5,
      amountFen: '1',
      sort: 0.5,
      splits: { bank: 1, residents: -1 },
      colour: 'red',
    };
    expect(lineShapeIssues('a', bad)).toEqual([
      { lineId: 'a', path: 'lines.a.colour', code: 'malformed', message: 'unknown field "colour"' },
      { lineId: 'a', path: 'lines.a.category', code: 'malformed', message: 'must be text of at most 100 characters' },
      { lineId: 'a', path: 'lines.a.description', code: 'malformed', message: 'must be text of at most 500 characters' },
      { lineId: 'a', path: 'lines.a.unit', code: 'malformed', message: 'must be text of at most 20 characters' },
      {
        lineId: 'a',
        path: 'lines.a.quantityCenti',
        code: 'malformed',
        message: 'must be a whole number of hundredths, 0 or more, or empty',
      },
      { lineId: 'a', path: 'lines.a.unitPriceFen', code: 'malformed', message: 'must be a whole number of fen, 0 or more, or empty' },
      { lineId: 'a', path: 'lines.a.amountFen', code: 'malformed', message: 'must be a whole number of fen, 0 or more, below 2^53' },
      { lineId: 'a', path: 'lines.a.sort', code: 'malformed', message: 'must be a whole number' },
      { lineId: 'a', path: 'lines.a.splits.bank', code: 'malformed', message: 'unknown funding source "bank"' },
      { lineId: 'a', path: 'lines.a.splits.residents', code: 'malformed', message: 'must be a whole number of fen, 0 or more, below 2^53' },
    ]);
    expect(lineShapeIssues('a b', [])).toEqual([
      { lineId: null, path: 'lines', code: 'malformed', message: 'line id "a b" is not 1–64 letters, digits, _ or -' },
      { lineId: 'a b', path: 'lines.a b', code: 'malformed', message: 'a line must be a map of its fields' },
    ]);
    expect(planShapeIssues(Array.from({ length: 501 }, (_, i) => raw(line(`l${i}`))))[0]).toEqual({
      lineId: null,
      path: 'lines',
      code: 'too_many_lines',
      message: 'at most 500 lines',
    });
  });

  it('accepts lump sums (null quantity and price) and a sort of any whole number', () => {
    expect(lineShapeIssues('a', { ...(raw(line('a', { sort: -3 })).raw as object), quantityCenti: null, unitPriceFen: null })).toEqual([]);
  });

  it('says how far a line is short or over, and when its amount is not quantity × price', () => {
    expect(balanceIssues([line('a', { description: '', amountFen: 100, splits: { residents: 40 } })])).toEqual([
      {
        lineId: 'a',
        path: 'lines.a.splits',
        code: 'unbalanced',
        message: '"a": the shares add up to 40 fen, the line is 100 fen (short by 60 fen)',
      },
    ]);
    expect(balanceIssues([line('b', { amountFen: 100, splits: { residents: 130 } })])[0]!.message).toBe(
      '"项目b": the shares add up to 130 fen, the line is 100 fen (over by 30 fen)',
    );
    expect(balanceIssues([line('c', { quantityCenti: 200, unitPriceFen: 50, amountFen: 99, splits: { residents: 99 } })])).toEqual([
      {
        lineId: 'c',
        path: 'lines.c.amountFen',
        code: 'amount_mismatch',
        message: '"项目c": quantity × unit price is 100 fen, the amount is 99 fen',
      },
    ]);
    expect(balanceIssues([line('d', { quantityCenti: MAX, unitPriceFen: MAX, amountFen: 1, splits: { residents: 1 } })])[0]!.message).toBe(
      '"项目d": quantity × unit price is beyond 2^53 fen, the amount is 1 fen',
    );
    // Only a price, or only a quantity: a lump sum, not checked against a product.
    expect(balanceIssues([line('e', { quantityCenti: 200, unitPriceFen: null, amountFen: 7, splits: { residents: 7 } })])).toEqual([]);
  });
});

describe('long names in messages, lump sums, unknown sources in totals, and the order of many lines', () => {
  it('cuts a long line id, field name or source name in its message', () => {
    const id = 'x'.repeat(100) + ' y';
    expect(lineShapeIssues(id, raw(line('a')).raw)[0]!.message).toBe(`line id "${'x'.repeat(80)}" is not 1–64 letters, digits, _ or -`);
    const field = 'f'.repeat(60);
    expect(lineShapeIssues('a', { ...(raw(line('a')).raw as object), [field]: 1 })[0]).toEqual({
      lineId: 'a',
      path: `lines.a.${field}`,
      code: 'malformed',
      message: `unknown field "${'f'.repeat(40)}"`,
    });
    const source = 's'.repeat(60);
    expect(lineShapeIssues('a', { ...(raw(line('a')).raw as object), splits: { [source]: 1 } })[0]).toEqual({
      lineId: 'a',
      path: `lines.a.splits.${'s'.repeat(40)}`,
      code: 'malformed',
      message: `unknown funding source "${'s'.repeat(40)}"`,
    });
  });

  it('checks quantity × price only when both are given', () => {
    expect(balanceIssues([line('p', { quantityCenti: null, unitPriceFen: 50, amountFen: 7, splits: { residents: 7 } })])).toEqual([]);
  });

  it('leaves a source it does not know out of the totals', () => {
    const odd = { ...line('a'), splits: { property_rights_unit: 100_00, bank: 5 } as FundingLine['splits'] };
    expect(Object.keys(fundingTotals([odd]).bySource)).toEqual(FUNDING_SOURCE_IDS);
  });

  it('orders many lines of the same sort by id, from any order', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `l${String(i).padStart(2, '0')}`);
    const shuffled = [...ids].sort(
      (a, b) => ((a.charCodeAt(2) * 7 + a.charCodeAt(1)) % 11) - ((b.charCodeAt(2) * 7 + b.charCodeAt(1)) % 11) || (a < b ? 1 : -1),
    );
    expect(sortFundingLines(shuffled.map((id) => ({ id, sort: 1 }))).map((l) => l.id)).toEqual(ids);
    expect(sortFundingLines([...ids].reverse().map((id) => ({ id, sort: 1 }))).map((l) => l.id)).toEqual(ids);
  });
});
