/**
 * Funding plans: who pays what for a proposal. Money is integer fen (0.01 yuan) and areas are
 * integer 0.01 m² everywhere (API, database, Yjs, client); nothing here uses floating point
 * for money, and every amount must be a safe integer (at most 2^53 − 1), so a total can never
 * silently lose a fen.
 */

/** The funding sources a line can be split among. The ids are stored; the names are shown. */
export const FUNDING_SOURCES = [
  { id: 'property_rights_unit', zh: '产权单位', en: 'Property-rights unit', organisationKind: 'property_rights_unit' },
  { id: 'government_subsidy', zh: '上级拨付帮扶资金', en: 'Government support funds', organisationKind: 'street_department' },
  { id: 'maintenance_fund', zh: '维修资金', en: 'Maintenance fund', organisationKind: null },
  { id: 'party_service_fund', zh: '党组织服务群众经费', en: "Party organisation's service funds", organisationKind: 'party_branch' },
  { id: 'property_company', zh: '物业公司', en: 'Property company', organisationKind: 'property_company' },
  { id: 'residents', zh: '居民分摊', en: 'Residents', organisationKind: null },
] as const satisfies ReadonlyArray<{ id: string; zh: string; en: string; organisationKind: string | null }>;

export type FundingSource = (typeof FUNDING_SOURCES)[number]['id'];
export const FUNDING_SOURCE_IDS: readonly FundingSource[] = FUNDING_SOURCES.map((s) => s.id);

export function isFundingSource(v: unknown): v is FundingSource {
  return typeof v === 'string' && (FUNDING_SOURCE_IDS as readonly string[]).includes(v);
}

/**
 * The source an organisation of this kind commits funds from when it signs off, if any
 * (a street department signs for the government subsidy it passes on).
 */
export function sourceOfOrganisationKind(kind: string): FundingSource | null {
  return FUNDING_SOURCES.find((s) => s.organisationKind === kind)?.id ?? null;
}

/** Limits of a plan, so that a document cannot be made arbitrarily large through it. */
export const FUNDING_LIMITS = {
  lines: 500,
  descriptionChars: 500,
  categoryChars: 100,
  unitChars: 20,
  lineIdChars: 64,
} as const;

/** A line id: chosen by the client that adds the line (see `newFundingLineId`). */
export const FUNDING_LINE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** One line of a funding plan. */
export interface FundingLine {
  id: string;
  /** Lines are shown grouped by category, categories in the order of their first line. */
  category: string;
  description: string;
  /** Quantity in hundredths of `unit` (670 m² is 67000), or null for a lump sum. */
  quantityCenti: number | null;
  unit: string;
  /** Price of one `unit` in fen, or null for a lump sum. */
  unitPriceFen: number | null;
  /** What the line costs, in fen: the amount the splits must add up to. */
  amountFen: number;
  /** Position in the table: lines are ordered by `sort`, then by id. */
  sort: number;
  /** Fen paid by each source; a source that pays nothing is absent (or 0). */
  splits: Partial<Record<FundingSource, number>>;
}

/** A problem with a plan, naming the line (null: the plan as a whole) and the field. */
export interface FundingIssue {
  lineId: string | null;
  /** `lines.<id>.<field>`, or `lines` for the plan as a whole. */
  path: string;
  code: 'malformed' | 'unbalanced' | 'amount_mismatch' | 'overflow' | 'too_many_lines';
  message: string;
}

export const isFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * The amount of `quantityCenti` hundredths of a unit at `unitPriceFen` each, rounded half up to
 * the fen (quantity × price / 100; exactly .5 fen rounds up). Null if it is not a safe integer.
 */
export function lineAmountFen(quantityCenti: number, unitPriceFen: number): number | null {
  if (!isFen(quantityCenti) || !isFen(unitPriceFen)) return null;
  const product = BigInt(quantityCenti) * BigInt(unitPriceFen);
  const fen = (product + 50n) / 100n;
  return fen <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(fen) : null;
}

/** Lines in table order: by `sort`, then by id, so every client shows the same order. */
export function sortFundingLines<T extends { id: string; sort: number }>(lines: readonly T[]): T[] {
  return [...lines].sort((a, b) => a.sort - b.sort || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const issue = (lineId: string | null, field: string | null, code: FundingIssue['code'], message: string): FundingIssue => ({
  lineId,
  path: lineId === null ? 'lines' : field ? `lines.${lineId}.${field}` : `lines.${lineId}`,
  code,
  message,
});

const text = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;

/**
 * Checks that an untrusted value is a well-formed line: types, bounds, known sources, safe
 * integers. Says nothing about balance (a draft may not add up yet). Returns the issues found.
 */
export function lineShapeIssues(id: string, raw: unknown): FundingIssue[] {
  const out: FundingIssue[] = [];
  if (!FUNDING_LINE_ID_PATTERN.test(id))
    out.push(issue(null, null, 'malformed', `line id "${id.slice(0, 80)}" is not 1–64 letters, digits, _ or -`));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return [...out, issue(id, null, 'malformed', 'a line must be a map of its fields')];
  const l = raw as Record<string, unknown>;
  const known = new Set(['category', 'description', 'quantityCenti', 'unit', 'unitPriceFen', 'amountFen', 'sort', 'splits']);
  for (const k of Object.keys(l)) if (!known.has(k)) out.push(issue(id, k, 'malformed', `unknown field "${k.slice(0, 40)}"`));
  if (!text(l.category, FUNDING_LIMITS.categoryChars))
    out.push(issue(id, 'category', 'malformed', `must be text of at most ${FUNDING_LIMITS.categoryChars} characters`));
  if (!text(l.description, FUNDING_LIMITS.descriptionChars))
    out.push(issue(id, 'description', 'malformed', `must be text of at most ${FUNDING_LIMITS.descriptionChars} characters`));
  if (!text(l.unit, FUNDING_LIMITS.unitChars))
    out.push(issue(id, 'unit', 'malformed', `must be text of at most ${FUNDING_LIMITS.unitChars} characters`));
  if (l.quantityCenti !== null && !isFen(l.quantityCenti))
    out.push(issue(id, 'quantityCenti', 'malformed', 'must be a whole number of hundredths, 0 or more, or empty'));
  if (l.unitPriceFen !== null && !isFen(l.unitPriceFen))
    out.push(issue(id, 'unitPriceFen', 'malformed', 'must be a whole number of fen, 0 or more, or empty'));
  if (!isFen(l.amountFen)) out.push(issue(id, 'amountFen', 'malformed', 'must be a whole number of fen, 0 or more, below 2^53'));
  if (typeof l.sort !== 'number' || !Number.isSafeInteger(l.sort)) out.push(issue(id, 'sort', 'malformed', 'must be a whole number'));
  if (typeof l.splits !== 'object' || l.splits === null || Array.isArray(l.splits)) {
    out.push(issue(id, 'splits', 'malformed', 'must be a map of source to fen'));
  } else {
    let sum = 0;
    for (const [source, fen] of Object.entries(l.splits as Record<string, unknown>)) {
      if (!isFundingSource(source))
        out.push(issue(id, `splits.${source.slice(0, 40)}`, 'malformed', `unknown funding source "${source.slice(0, 40)}"`));
      else if (!isFen(fen)) out.push(issue(id, `splits.${source}`, 'malformed', 'must be a whole number of fen, 0 or more, below 2^53'));
      else if (!Number.isSafeInteger((sum += fen))) out.push(issue(id, 'splits', 'overflow', 'the shares add up past 2^53 fen'));
    }
  }
  return out;
}

/**
 * Checks a whole plan's shape (every line, the line count, totals that stay safe integers).
 * An empty list means the plan may be stored as a draft.
 */
export function planShapeIssues(lines: ReadonlyArray<{ id: string; raw: unknown }>): FundingIssue[] {
  const out: FundingIssue[] = [];
  if (lines.length > FUNDING_LIMITS.lines) out.push(issue(null, null, 'too_many_lines', `at most ${FUNDING_LIMITS.lines} lines`));
  let total = 0;
  const bySource = new Map<string, number>();
  for (const { id, raw } of lines) {
    const found = lineShapeIssues(id, raw);
    out.push(...found);
    if (found.length) continue;
    const l = raw as FundingLine;
    total += l.amountFen;
    for (const [s, fen] of Object.entries(l.splits)) bySource.set(s, (bySource.get(s) ?? 0) + (fen ?? 0));
  }
  if (!Number.isSafeInteger(total) || [...bySource.values()].some((v) => !Number.isSafeInteger(v))) {
    out.push(issue(null, null, 'overflow', 'the plan adds up past 2^53 fen'));
  }
  return out;
}

/**
 * What stops a well-formed plan from being frozen: a line whose shares do not add up to its
 * amount, or whose amount is not its quantity × unit price. Each issue names its line.
 */
export function balanceIssues(lines: readonly FundingLine[]): FundingIssue[] {
  const out: FundingIssue[] = [];
  for (const l of sortFundingLines(lines)) {
    const split = sumSplits(l.splits);
    if (split !== l.amountFen) {
      const label = l.description || l.id;
      out.push(
        issue(
          l.id,
          'splits',
          'unbalanced',
          `"${label}": the shares add up to ${split} fen, the line is ${l.amountFen} fen (${split < l.amountFen ? 'short' : 'over'} by ${Math.abs(l.amountFen - split)} fen)`,
        ),
      );
    }
    if (l.quantityCenti !== null && l.unitPriceFen !== null) {
      const expected = lineAmountFen(l.quantityCenti, l.unitPriceFen);
      if (expected !== l.amountFen) {
        out.push(
          issue(
            l.id,
            'amountFen',
            'amount_mismatch',
            `"${l.description || l.id}": quantity × unit price is ${expected ?? 'beyond 2^53'} fen, the amount is ${l.amountFen} fen`,
          ),
        );
      }
    }
  }
  return out;
}

function sumSplits(splits: FundingLine['splits']): number {
  let s = 0;
  for (const v of Object.values(splits)) s += v ?? 0;
  return s;
}

export interface FundingTotals {
  /** Per line, in table order: its amount, what the sources cover, and the rest (negative: over). */
  lines: Array<{ lineId: string; amountFen: number; splitFen: number; unassignedFen: number }>;
  /** Per category, in order of first appearance. */
  categories: Array<{ category: string; amountFen: number; lineIds: string[] }>;
  /** What each source pays over the whole plan (every source listed, 0 when it pays nothing). */
  bySource: Record<FundingSource, number>;
  totalFen: number;
  /** Sum over all lines of what no source covers yet. */
  unassignedFen: number;
  balanced: boolean;
}

/** Totals per line, per category, per source and overall. Assumes a well-formed plan. */
export function fundingTotals(lines: readonly FundingLine[]): FundingTotals {
  const bySource = Object.fromEntries(FUNDING_SOURCE_IDS.map((s) => [s, 0])) as Record<FundingSource, number>;
  const categories = new Map<string, { category: string; amountFen: number; lineIds: string[] }>();
  const perLine: FundingTotals['lines'] = [];
  let totalFen = 0;
  let unassignedFen = 0;
  for (const l of sortFundingLines(lines)) {
    const splitFen = sumSplits(l.splits);
    for (const [s, fen] of Object.entries(l.splits)) if (isFundingSource(s)) bySource[s] += fen ?? 0;
    perLine.push({ lineId: l.id, amountFen: l.amountFen, splitFen, unassignedFen: l.amountFen - splitFen });
    totalFen += l.amountFen;
    unassignedFen += l.amountFen - splitFen;
    const c = categories.get(l.category) ?? { category: l.category, amountFen: 0, lineIds: [] };
    c.amountFen += l.amountFen;
    c.lineIds.push(l.id);
    categories.set(l.category, c);
  }
  return {
    lines: perLine,
    categories: [...categories.values()],
    bySource,
    totalFen,
    unassignedFen,
    balanced: perLine.every((l) => l.unassignedFen === 0),
  };
}

/** What one organisation's source pays on the given lines (all lines when none are named). */
export function sourceAmountFen(lines: readonly FundingLine[], source: FundingSource, lineIds?: readonly string[]): number {
  const only = lineIds && lineIds.length ? new Set(lineIds) : null;
  return lines.reduce((sum, l) => sum + (only && !only.has(l.id) ? 0 : (l.splits[source] ?? 0)), 0);
}

/**
 * The canonical form of a plan, as stored on a revision and hashed: lines in table order, each
 * with its keys in alphabetical order, splits with their sources in alphabetical order and
 * zero shares left out. `null` for a plan with no lines. See docs/protocol.md.
 */
export function canonicalFunding(lines: readonly FundingLine[]): CanonicalFunding | null {
  if (lines.length === 0) return null;
  return {
    lines: sortFundingLines(lines).map((l) => ({
      amountFen: l.amountFen,
      category: l.category,
      description: l.description,
      id: l.id,
      quantityCenti: l.quantityCenti,
      sort: l.sort,
      splits: Object.fromEntries(
        Object.entries(l.splits)
          .filter(([, v]) => (v ?? 0) !== 0)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
      unit: l.unit,
      unitPriceFen: l.unitPriceFen,
    })),
  };
}

export interface CanonicalFunding {
  lines: FundingLine[];
}

/** A household's floor area, for splitting what residents pay. */
export interface HouseholdArea {
  id: string;
  /** Exclusive floor area in 0.01 m². */
  areaCentiM2: number;
}

/**
 * Splits `totalFen` among households in proportion to their exclusive floor area, in whole fen,
 * so that the shares add up to the total exactly.
 *
 * Rounding rule (largest remainder, on integers only): each household first gets
 * ⌊total × area ÷ total area⌋ fen; the fen left over (fewer than the number of households) go
 * one each to the households with the largest remainders (total × area mod total area); on equal
 * remainders the larger area comes first, then the smaller household id (string order). So no
 * share is off from its exact value by a fen or more, and the result is the same everywhere.
 *
 * Throws a RangeError for a total that is not a safe integer ≥ 0, an area that is not a safe
 * integer ≥ 0, a repeated household id, or a positive total with no area to split it by.
 */
export function householdShares(
  totalFen: number,
  households: readonly HouseholdArea[],
): Array<{ id: string; areaCentiM2: number; shareFen: number }> {
  if (!isFen(totalFen)) throw new RangeError('total must be a whole number of fen, 0 or more, below 2^53');
  const seen = new Set<string>();
  let area = 0n;
  for (const h of households) {
    if (!isFen(h.areaCentiM2)) throw new RangeError(`household ${h.id}: area must be a whole number of 0.01 m², 0 or more`);
    if (seen.has(h.id)) throw new RangeError(`household ${h.id} is listed twice`);
    seen.add(h.id);
    area += BigInt(h.areaCentiM2);
  }
  if (area === 0n) {
    if (totalFen > 0) throw new RangeError('there is no floor area to split the total by');
    return households.map((h) => ({ id: h.id, areaCentiM2: h.areaCentiM2, shareFen: 0 }));
  }
  const total = BigInt(totalFen);
  const parts = households.map((h, index) => {
    const exact = total * BigInt(h.areaCentiM2);
    return { index, id: h.id, area: h.areaCentiM2, share: exact / area, remainder: exact % area };
  });
  let left = total - parts.reduce((s, p) => s + p.share, 0n);
  const order = [...parts].sort((a, b) =>
    a.remainder !== b.remainder ? (a.remainder > b.remainder ? -1 : 1) : b.area - a.area || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const p of order) {
    if (left === 0n) break;
    p.share += 1n;
    left -= 1n;
  }
  return parts.map((p) => ({ id: p.id, areaCentiM2: p.area, shareFen: Number(p.share) }));
}

/** A stated form of the rule above, for showing beside the shares. */
export const HOUSEHOLD_SHARE_RULE = {
  zh: '按专有部分面积分摊，先按比例向下取整到分，剩余的分按余数从大到小逐户补一分（余数相同者面积大者优先，再按户编号），各户之和恰等于总额。',
  en: 'Split by exclusive floor area: each share is first rounded down to the fen, then the fen left over go one each to the largest remainders (equal remainders: larger area first, then household id), so the shares add up exactly to the total.',
} as const;

/** Formats fen as yuan with two decimals and thousands separators ("1,234.50"). */
export function formatFen(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
