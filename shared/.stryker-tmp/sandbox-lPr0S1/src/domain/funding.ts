/**
 * Funding plans: who pays what for a proposal. Money is integer fen (0.01 yuan) and areas are
 * integer 0.01 m² everywhere (API, database, Yjs, client); nothing here uses floating point
 * for money, and every amount must be a safe integer (at most 2^53 − 1), so a total can never
 * silently lose a fen.
 */
// @ts-nocheck


/** The funding sources a line can be split among. The ids are stored; the names are shown. */function stryNS_9fa48() {
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
export const FUNDING_SOURCES = [{
  id: 'property_rights_unit',
  zh: '产权单位',
  en: 'Property-rights unit',
  organisationKind: 'property_rights_unit'
}, {
  id: 'government_subsidy',
  zh: '上级拨付帮扶资金',
  en: 'Government support funds',
  organisationKind: 'street_department'
}, {
  id: 'maintenance_fund',
  zh: '维修资金',
  en: 'Maintenance fund',
  organisationKind: null
}, {
  id: 'party_service_fund',
  zh: '党组织服务群众经费',
  en: "Party organisation's service funds",
  organisationKind: 'party_branch'
}, {
  id: 'property_company',
  zh: '物业公司',
  en: 'Property company',
  organisationKind: 'property_company'
}, {
  id: 'residents',
  zh: '居民分摊',
  en: 'Residents',
  organisationKind: null
}] as const satisfies ReadonlyArray<{
  id: string;
  zh: string;
  en: string;
  organisationKind: string | null;
}>;
export type FundingSource = (typeof FUNDING_SOURCES)[number]['id'];
export const FUNDING_SOURCE_IDS: readonly FundingSource[] = FUNDING_SOURCES.map(stryMutAct_9fa48("65") ? () => undefined : (stryCov_9fa48("65"), s => s.id));
export function isFundingSource(v: unknown): v is FundingSource {
  if (stryMutAct_9fa48("66")) {
    {}
  } else {
    stryCov_9fa48("66");
    return stryMutAct_9fa48("69") ? typeof v === 'string' || (FUNDING_SOURCE_IDS as readonly string[]).includes(v) : stryMutAct_9fa48("68") ? false : stryMutAct_9fa48("67") ? true : (stryCov_9fa48("67", "68", "69"), (stryMutAct_9fa48("71") ? typeof v !== 'string' : stryMutAct_9fa48("70") ? true : (stryCov_9fa48("70", "71"), typeof v === (stryMutAct_9fa48("72") ? "" : (stryCov_9fa48("72"), 'string')))) && (FUNDING_SOURCE_IDS as readonly string[]).includes(v));
  }
}

/**
 * The source an organisation of this kind commits funds from when it signs off, if any
 * (a street department signs for the government subsidy it passes on).
 */
export function sourceOfOrganisationKind(kind: string): FundingSource | null {
  if (stryMutAct_9fa48("73")) {
    {}
  } else {
    stryCov_9fa48("73");
    return stryMutAct_9fa48("74") ? FUNDING_SOURCES.find(s => s.organisationKind === kind)?.id && null : (stryCov_9fa48("74"), (stryMutAct_9fa48("75") ? FUNDING_SOURCES.find(s => s.organisationKind === kind).id : (stryCov_9fa48("75"), FUNDING_SOURCES.find(stryMutAct_9fa48("76") ? () => undefined : (stryCov_9fa48("76"), s => stryMutAct_9fa48("79") ? s.organisationKind !== kind : stryMutAct_9fa48("78") ? false : stryMutAct_9fa48("77") ? true : (stryCov_9fa48("77", "78", "79"), s.organisationKind === kind)))?.id)) ?? null);
  }
}

/** Limits of a plan, so that a document cannot be made arbitrarily large through it. */
export const FUNDING_LIMITS = {
  lines: 500,
  descriptionChars: 500,
  categoryChars: 100,
  unitChars: 20,
  lineIdChars: 64
} as const;

/** A line id: chosen by the client that adds the line (see `newFundingLineId`). */
export const FUNDING_LINE_ID_PATTERN = stryMutAct_9fa48("83") ? /^[^A-Za-z0-9_-]{1,64}$/ : stryMutAct_9fa48("82") ? /^[A-Za-z0-9_-]$/ : stryMutAct_9fa48("81") ? /^[A-Za-z0-9_-]{1,64}/ : stryMutAct_9fa48("80") ? /[A-Za-z0-9_-]{1,64}$/ : (stryCov_9fa48("80", "81", "82", "83"), /^[A-Za-z0-9_-]{1,64}$/);

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
export const isFen = stryMutAct_9fa48("84") ? () => undefined : (stryCov_9fa48("84"), (() => {
  const isFen = (v: unknown): v is number => stryMutAct_9fa48("87") ? typeof v === 'number' && Number.isSafeInteger(v) || v >= 0 : stryMutAct_9fa48("86") ? false : stryMutAct_9fa48("85") ? true : (stryCov_9fa48("85", "86", "87"), (stryMutAct_9fa48("89") ? typeof v === 'number' || Number.isSafeInteger(v) : stryMutAct_9fa48("88") ? true : (stryCov_9fa48("88", "89"), (stryMutAct_9fa48("91") ? typeof v !== 'number' : stryMutAct_9fa48("90") ? true : (stryCov_9fa48("90", "91"), typeof v === (stryMutAct_9fa48("92") ? "" : (stryCov_9fa48("92"), 'number')))) && Number.isSafeInteger(v))) && (stryMutAct_9fa48("95") ? v < 0 : stryMutAct_9fa48("94") ? v > 0 : stryMutAct_9fa48("93") ? true : (stryCov_9fa48("93", "94", "95"), v >= 0)));
  return isFen;
})());

/**
 * The amount of `quantityCenti` hundredths of a unit at `unitPriceFen` each, rounded half up to
 * the fen (quantity × price / 100; exactly .5 fen rounds up). Null if it is not a safe integer.
 */
export function lineAmountFen(quantityCenti: number, unitPriceFen: number): number | null {
  if (stryMutAct_9fa48("96")) {
    {}
  } else {
    stryCov_9fa48("96");
    if (stryMutAct_9fa48("99") ? !isFen(quantityCenti) && !isFen(unitPriceFen) : stryMutAct_9fa48("98") ? false : stryMutAct_9fa48("97") ? true : (stryCov_9fa48("97", "98", "99"), (stryMutAct_9fa48("100") ? isFen(quantityCenti) : (stryCov_9fa48("100"), !isFen(quantityCenti))) || (stryMutAct_9fa48("101") ? isFen(unitPriceFen) : (stryCov_9fa48("101"), !isFen(unitPriceFen))))) return null;
    const product = stryMutAct_9fa48("102") ? BigInt(quantityCenti) / BigInt(unitPriceFen) : (stryCov_9fa48("102"), BigInt(quantityCenti) * BigInt(unitPriceFen));
    const fen = stryMutAct_9fa48("103") ? (product + 50n) * 100n : (stryCov_9fa48("103"), (stryMutAct_9fa48("104") ? product - 50n : (stryCov_9fa48("104"), product + 50n)) / 100n);
    return (stryMutAct_9fa48("108") ? fen > BigInt(Number.MAX_SAFE_INTEGER) : stryMutAct_9fa48("107") ? fen < BigInt(Number.MAX_SAFE_INTEGER) : stryMutAct_9fa48("106") ? false : stryMutAct_9fa48("105") ? true : (stryCov_9fa48("105", "106", "107", "108"), fen <= BigInt(Number.MAX_SAFE_INTEGER))) ? Number(fen) : null;
  }
}

/** Lines in table order: by `sort`, then by id, so every client shows the same order. */
export function sortFundingLines<T extends {
  id: string;
  sort: number;
}>(lines: readonly T[]): T[] {
  if (stryMutAct_9fa48("109")) {
    {}
  } else {
    stryCov_9fa48("109");
    return stryMutAct_9fa48("110") ? [...lines] : (stryCov_9fa48("110"), (stryMutAct_9fa48("111") ? [] : (stryCov_9fa48("111"), [...lines])).sort(stryMutAct_9fa48("112") ? () => undefined : (stryCov_9fa48("112"), (a, b) => stryMutAct_9fa48("115") ? a.sort - b.sort && (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : stryMutAct_9fa48("114") ? false : stryMutAct_9fa48("113") ? true : (stryCov_9fa48("113", "114", "115"), (stryMutAct_9fa48("116") ? a.sort + b.sort : (stryCov_9fa48("116"), a.sort - b.sort)) || ((stryMutAct_9fa48("120") ? a.id >= b.id : stryMutAct_9fa48("119") ? a.id <= b.id : stryMutAct_9fa48("118") ? false : stryMutAct_9fa48("117") ? true : (stryCov_9fa48("117", "118", "119", "120"), a.id < b.id)) ? stryMutAct_9fa48("121") ? +1 : (stryCov_9fa48("121"), -1) : (stryMutAct_9fa48("125") ? a.id <= b.id : stryMutAct_9fa48("124") ? a.id >= b.id : stryMutAct_9fa48("123") ? false : stryMutAct_9fa48("122") ? true : (stryCov_9fa48("122", "123", "124", "125"), a.id > b.id)) ? 1 : 0)))));
  }
}
const issue = stryMutAct_9fa48("126") ? () => undefined : (stryCov_9fa48("126"), (() => {
  const issue = (lineId: string | null, field: string | null, code: FundingIssue['code'], message: string): FundingIssue => stryMutAct_9fa48("127") ? {} : (stryCov_9fa48("127"), {
    lineId,
    path: (stryMutAct_9fa48("130") ? lineId !== null : stryMutAct_9fa48("129") ? false : stryMutAct_9fa48("128") ? true : (stryCov_9fa48("128", "129", "130"), lineId === null)) ? stryMutAct_9fa48("131") ? "" : (stryCov_9fa48("131"), 'lines') : field ? stryMutAct_9fa48("132") ? `` : (stryCov_9fa48("132"), `lines.${lineId}.${field}`) : stryMutAct_9fa48("133") ? `` : (stryCov_9fa48("133"), `lines.${lineId}`),
    code,
    message
  });
  return issue;
})());
const text = stryMutAct_9fa48("134") ? () => undefined : (stryCov_9fa48("134"), (() => {
  const text = (v: unknown, max: number) => stryMutAct_9fa48("137") ? typeof v === 'string' || v.length <= max : stryMutAct_9fa48("136") ? false : stryMutAct_9fa48("135") ? true : (stryCov_9fa48("135", "136", "137"), (stryMutAct_9fa48("139") ? typeof v !== 'string' : stryMutAct_9fa48("138") ? true : (stryCov_9fa48("138", "139"), typeof v === (stryMutAct_9fa48("140") ? "" : (stryCov_9fa48("140"), 'string')))) && (stryMutAct_9fa48("143") ? v.length > max : stryMutAct_9fa48("142") ? v.length < max : stryMutAct_9fa48("141") ? true : (stryCov_9fa48("141", "142", "143"), v.length <= max)));
  return text;
})());

/**
 * Checks that an untrusted value is a well-formed line: types, bounds, known sources, safe
 * integers. Says nothing about balance (a draft may not add up yet). Returns the issues found.
 */
export function lineShapeIssues(id: string, raw: unknown): FundingIssue[] {
  if (stryMutAct_9fa48("144")) {
    {}
  } else {
    stryCov_9fa48("144");
    const out: FundingIssue[] = stryMutAct_9fa48("145") ? ["Stryker was here"] : (stryCov_9fa48("145"), []);
    if (stryMutAct_9fa48("148") ? false : stryMutAct_9fa48("147") ? true : stryMutAct_9fa48("146") ? FUNDING_LINE_ID_PATTERN.test(id) : (stryCov_9fa48("146", "147", "148"), !FUNDING_LINE_ID_PATTERN.test(id))) out.push(issue(null, null, stryMutAct_9fa48("149") ? "" : (stryCov_9fa48("149"), 'malformed'), stryMutAct_9fa48("150") ? `` : (stryCov_9fa48("150"), `line id "${stryMutAct_9fa48("151") ? id : (stryCov_9fa48("151"), id.slice(0, 80))}" is not 1–64 letters, digits, _ or -`)));
    if (stryMutAct_9fa48("154") ? (typeof raw !== 'object' || raw === null) && Array.isArray(raw) : stryMutAct_9fa48("153") ? false : stryMutAct_9fa48("152") ? true : (stryCov_9fa48("152", "153", "154"), (stryMutAct_9fa48("156") ? typeof raw !== 'object' && raw === null : stryMutAct_9fa48("155") ? false : (stryCov_9fa48("155", "156"), (stryMutAct_9fa48("158") ? typeof raw === 'object' : stryMutAct_9fa48("157") ? false : (stryCov_9fa48("157", "158"), typeof raw !== (stryMutAct_9fa48("159") ? "" : (stryCov_9fa48("159"), 'object')))) || (stryMutAct_9fa48("161") ? raw !== null : stryMutAct_9fa48("160") ? false : (stryCov_9fa48("160", "161"), raw === null)))) || Array.isArray(raw))) return stryMutAct_9fa48("162") ? [] : (stryCov_9fa48("162"), [...out, issue(id, null, stryMutAct_9fa48("163") ? "" : (stryCov_9fa48("163"), 'malformed'), stryMutAct_9fa48("164") ? "" : (stryCov_9fa48("164"), 'a line must be a map of its fields'))]);
    const l = raw as Record<string, unknown>;
    const known = new Set(stryMutAct_9fa48("165") ? [] : (stryCov_9fa48("165"), [stryMutAct_9fa48("166") ? "" : (stryCov_9fa48("166"), 'category'), stryMutAct_9fa48("167") ? "" : (stryCov_9fa48("167"), 'description'), stryMutAct_9fa48("168") ? "" : (stryCov_9fa48("168"), 'quantityCenti'), stryMutAct_9fa48("169") ? "" : (stryCov_9fa48("169"), 'unit'), stryMutAct_9fa48("170") ? "" : (stryCov_9fa48("170"), 'unitPriceFen'), stryMutAct_9fa48("171") ? "" : (stryCov_9fa48("171"), 'amountFen'), stryMutAct_9fa48("172") ? "" : (stryCov_9fa48("172"), 'sort'), stryMutAct_9fa48("173") ? "" : (stryCov_9fa48("173"), 'splits')]));
    for (const k of Object.keys(l)) if (stryMutAct_9fa48("176") ? false : stryMutAct_9fa48("175") ? true : stryMutAct_9fa48("174") ? known.has(k) : (stryCov_9fa48("174", "175", "176"), !known.has(k))) out.push(issue(id, k, stryMutAct_9fa48("177") ? "" : (stryCov_9fa48("177"), 'malformed'), stryMutAct_9fa48("178") ? `` : (stryCov_9fa48("178"), `unknown field "${stryMutAct_9fa48("179") ? k : (stryCov_9fa48("179"), k.slice(0, 40))}"`)));
    if (stryMutAct_9fa48("182") ? false : stryMutAct_9fa48("181") ? true : stryMutAct_9fa48("180") ? text(l.category, FUNDING_LIMITS.categoryChars) : (stryCov_9fa48("180", "181", "182"), !text(l.category, FUNDING_LIMITS.categoryChars))) out.push(issue(id, stryMutAct_9fa48("183") ? "" : (stryCov_9fa48("183"), 'category'), stryMutAct_9fa48("184") ? "" : (stryCov_9fa48("184"), 'malformed'), stryMutAct_9fa48("185") ? `` : (stryCov_9fa48("185"), `must be text of at most ${FUNDING_LIMITS.categoryChars} characters`)));
    if (stryMutAct_9fa48("188") ? false : stryMutAct_9fa48("187") ? true : stryMutAct_9fa48("186") ? text(l.description, FUNDING_LIMITS.descriptionChars) : (stryCov_9fa48("186", "187", "188"), !text(l.description, FUNDING_LIMITS.descriptionChars))) out.push(issue(id, stryMutAct_9fa48("189") ? "" : (stryCov_9fa48("189"), 'description'), stryMutAct_9fa48("190") ? "" : (stryCov_9fa48("190"), 'malformed'), stryMutAct_9fa48("191") ? `` : (stryCov_9fa48("191"), `must be text of at most ${FUNDING_LIMITS.descriptionChars} characters`)));
    if (stryMutAct_9fa48("194") ? false : stryMutAct_9fa48("193") ? true : stryMutAct_9fa48("192") ? text(l.unit, FUNDING_LIMITS.unitChars) : (stryCov_9fa48("192", "193", "194"), !text(l.unit, FUNDING_LIMITS.unitChars))) out.push(issue(id, stryMutAct_9fa48("195") ? "" : (stryCov_9fa48("195"), 'unit'), stryMutAct_9fa48("196") ? "" : (stryCov_9fa48("196"), 'malformed'), stryMutAct_9fa48("197") ? `` : (stryCov_9fa48("197"), `must be text of at most ${FUNDING_LIMITS.unitChars} characters`)));
    if (stryMutAct_9fa48("200") ? l.quantityCenti !== null || !isFen(l.quantityCenti) : stryMutAct_9fa48("199") ? false : stryMutAct_9fa48("198") ? true : (stryCov_9fa48("198", "199", "200"), (stryMutAct_9fa48("202") ? l.quantityCenti === null : stryMutAct_9fa48("201") ? true : (stryCov_9fa48("201", "202"), l.quantityCenti !== null)) && (stryMutAct_9fa48("203") ? isFen(l.quantityCenti) : (stryCov_9fa48("203"), !isFen(l.quantityCenti))))) out.push(issue(id, stryMutAct_9fa48("204") ? "" : (stryCov_9fa48("204"), 'quantityCenti'), stryMutAct_9fa48("205") ? "" : (stryCov_9fa48("205"), 'malformed'), stryMutAct_9fa48("206") ? "" : (stryCov_9fa48("206"), 'must be a whole number of hundredths, 0 or more, or empty')));
    if (stryMutAct_9fa48("209") ? l.unitPriceFen !== null || !isFen(l.unitPriceFen) : stryMutAct_9fa48("208") ? false : stryMutAct_9fa48("207") ? true : (stryCov_9fa48("207", "208", "209"), (stryMutAct_9fa48("211") ? l.unitPriceFen === null : stryMutAct_9fa48("210") ? true : (stryCov_9fa48("210", "211"), l.unitPriceFen !== null)) && (stryMutAct_9fa48("212") ? isFen(l.unitPriceFen) : (stryCov_9fa48("212"), !isFen(l.unitPriceFen))))) out.push(issue(id, stryMutAct_9fa48("213") ? "" : (stryCov_9fa48("213"), 'unitPriceFen'), stryMutAct_9fa48("214") ? "" : (stryCov_9fa48("214"), 'malformed'), stryMutAct_9fa48("215") ? "" : (stryCov_9fa48("215"), 'must be a whole number of fen, 0 or more, or empty')));
    if (stryMutAct_9fa48("218") ? false : stryMutAct_9fa48("217") ? true : stryMutAct_9fa48("216") ? isFen(l.amountFen) : (stryCov_9fa48("216", "217", "218"), !isFen(l.amountFen))) out.push(issue(id, stryMutAct_9fa48("219") ? "" : (stryCov_9fa48("219"), 'amountFen'), stryMutAct_9fa48("220") ? "" : (stryCov_9fa48("220"), 'malformed'), stryMutAct_9fa48("221") ? "" : (stryCov_9fa48("221"), 'must be a whole number of fen, 0 or more, below 2^53')));
    if (stryMutAct_9fa48("224") ? typeof l.sort !== 'number' && !Number.isSafeInteger(l.sort) : stryMutAct_9fa48("223") ? false : stryMutAct_9fa48("222") ? true : (stryCov_9fa48("222", "223", "224"), (stryMutAct_9fa48("226") ? typeof l.sort === 'number' : stryMutAct_9fa48("225") ? false : (stryCov_9fa48("225", "226"), typeof l.sort !== (stryMutAct_9fa48("227") ? "" : (stryCov_9fa48("227"), 'number')))) || (stryMutAct_9fa48("228") ? Number.isSafeInteger(l.sort) : (stryCov_9fa48("228"), !Number.isSafeInteger(l.sort))))) out.push(issue(id, stryMutAct_9fa48("229") ? "" : (stryCov_9fa48("229"), 'sort'), stryMutAct_9fa48("230") ? "" : (stryCov_9fa48("230"), 'malformed'), stryMutAct_9fa48("231") ? "" : (stryCov_9fa48("231"), 'must be a whole number')));
    if (stryMutAct_9fa48("234") ? (typeof l.splits !== 'object' || l.splits === null) && Array.isArray(l.splits) : stryMutAct_9fa48("233") ? false : stryMutAct_9fa48("232") ? true : (stryCov_9fa48("232", "233", "234"), (stryMutAct_9fa48("236") ? typeof l.splits !== 'object' && l.splits === null : stryMutAct_9fa48("235") ? false : (stryCov_9fa48("235", "236"), (stryMutAct_9fa48("238") ? typeof l.splits === 'object' : stryMutAct_9fa48("237") ? false : (stryCov_9fa48("237", "238"), typeof l.splits !== (stryMutAct_9fa48("239") ? "" : (stryCov_9fa48("239"), 'object')))) || (stryMutAct_9fa48("241") ? l.splits !== null : stryMutAct_9fa48("240") ? false : (stryCov_9fa48("240", "241"), l.splits === null)))) || Array.isArray(l.splits))) {
      if (stryMutAct_9fa48("242")) {
        {}
      } else {
        stryCov_9fa48("242");
        out.push(issue(id, stryMutAct_9fa48("243") ? "" : (stryCov_9fa48("243"), 'splits'), stryMutAct_9fa48("244") ? "" : (stryCov_9fa48("244"), 'malformed'), stryMutAct_9fa48("245") ? "" : (stryCov_9fa48("245"), 'must be a map of source to fen')));
      }
    } else {
      if (stryMutAct_9fa48("246")) {
        {}
      } else {
        stryCov_9fa48("246");
        let sum = 0;
        for (const [source, fen] of Object.entries(l.splits as Record<string, unknown>)) {
          if (stryMutAct_9fa48("247")) {
            {}
          } else {
            stryCov_9fa48("247");
            if (stryMutAct_9fa48("250") ? false : stryMutAct_9fa48("249") ? true : stryMutAct_9fa48("248") ? isFundingSource(source) : (stryCov_9fa48("248", "249", "250"), !isFundingSource(source))) out.push(issue(id, stryMutAct_9fa48("251") ? `` : (stryCov_9fa48("251"), `splits.${stryMutAct_9fa48("252") ? source : (stryCov_9fa48("252"), source.slice(0, 40))}`), stryMutAct_9fa48("253") ? "" : (stryCov_9fa48("253"), 'malformed'), stryMutAct_9fa48("254") ? `` : (stryCov_9fa48("254"), `unknown funding source "${stryMutAct_9fa48("255") ? source : (stryCov_9fa48("255"), source.slice(0, 40))}"`)));else if (stryMutAct_9fa48("258") ? false : stryMutAct_9fa48("257") ? true : stryMutAct_9fa48("256") ? isFen(fen) : (stryCov_9fa48("256", "257", "258"), !isFen(fen))) out.push(issue(id, stryMutAct_9fa48("259") ? `` : (stryCov_9fa48("259"), `splits.${source}`), stryMutAct_9fa48("260") ? "" : (stryCov_9fa48("260"), 'malformed'), stryMutAct_9fa48("261") ? "" : (stryCov_9fa48("261"), 'must be a whole number of fen, 0 or more, below 2^53')));else if (stryMutAct_9fa48("264") ? false : stryMutAct_9fa48("263") ? true : stryMutAct_9fa48("262") ? Number.isSafeInteger(sum += fen) : (stryCov_9fa48("262", "263", "264"), !Number.isSafeInteger(stryMutAct_9fa48("265") ? sum -= fen : (stryCov_9fa48("265"), sum += fen)))) out.push(issue(id, stryMutAct_9fa48("266") ? "" : (stryCov_9fa48("266"), 'splits'), stryMutAct_9fa48("267") ? "" : (stryCov_9fa48("267"), 'overflow'), stryMutAct_9fa48("268") ? "" : (stryCov_9fa48("268"), 'the shares add up past 2^53 fen')));
          }
        }
      }
    }
    return out;
  }
}

/**
 * Checks a whole plan's shape (every line, the line count, totals that stay safe integers).
 * An empty list means the plan may be stored as a draft.
 */
export function planShapeIssues(lines: ReadonlyArray<{
  id: string;
  raw: unknown;
}>): FundingIssue[] {
  if (stryMutAct_9fa48("269")) {
    {}
  } else {
    stryCov_9fa48("269");
    const out: FundingIssue[] = stryMutAct_9fa48("270") ? ["Stryker was here"] : (stryCov_9fa48("270"), []);
    if (stryMutAct_9fa48("274") ? lines.length <= FUNDING_LIMITS.lines : stryMutAct_9fa48("273") ? lines.length >= FUNDING_LIMITS.lines : stryMutAct_9fa48("272") ? false : stryMutAct_9fa48("271") ? true : (stryCov_9fa48("271", "272", "273", "274"), lines.length > FUNDING_LIMITS.lines)) out.push(issue(null, null, stryMutAct_9fa48("275") ? "" : (stryCov_9fa48("275"), 'too_many_lines'), stryMutAct_9fa48("276") ? `` : (stryCov_9fa48("276"), `at most ${FUNDING_LIMITS.lines} lines`)));
    let total = 0;
    const bySource = new Map<string, number>();
    for (const {
      id,
      raw
    } of lines) {
      if (stryMutAct_9fa48("277")) {
        {}
      } else {
        stryCov_9fa48("277");
        const found = lineShapeIssues(id, raw);
        out.push(...found);
        if (stryMutAct_9fa48("279") ? false : stryMutAct_9fa48("278") ? true : (stryCov_9fa48("278", "279"), found.length)) continue;
        const l = raw as FundingLine;
        stryMutAct_9fa48("280") ? total -= l.amountFen : (stryCov_9fa48("280"), total += l.amountFen);
        for (const [s, fen] of Object.entries(l.splits)) bySource.set(s, stryMutAct_9fa48("281") ? (bySource.get(s) ?? 0) - (fen ?? 0) : (stryCov_9fa48("281"), (stryMutAct_9fa48("282") ? bySource.get(s) && 0 : (stryCov_9fa48("282"), bySource.get(s) ?? 0)) + (stryMutAct_9fa48("283") ? fen && 0 : (stryCov_9fa48("283"), fen ?? 0))));
      }
    }
    if (stryMutAct_9fa48("286") ? !Number.isSafeInteger(total) && [...bySource.values()].some(v => !Number.isSafeInteger(v)) : stryMutAct_9fa48("285") ? false : stryMutAct_9fa48("284") ? true : (stryCov_9fa48("284", "285", "286"), (stryMutAct_9fa48("287") ? Number.isSafeInteger(total) : (stryCov_9fa48("287"), !Number.isSafeInteger(total))) || (stryMutAct_9fa48("288") ? [...bySource.values()].every(v => !Number.isSafeInteger(v)) : (stryCov_9fa48("288"), (stryMutAct_9fa48("289") ? [] : (stryCov_9fa48("289"), [...bySource.values()])).some(stryMutAct_9fa48("290") ? () => undefined : (stryCov_9fa48("290"), v => stryMutAct_9fa48("291") ? Number.isSafeInteger(v) : (stryCov_9fa48("291"), !Number.isSafeInteger(v)))))))) {
      if (stryMutAct_9fa48("292")) {
        {}
      } else {
        stryCov_9fa48("292");
        out.push(issue(null, null, stryMutAct_9fa48("293") ? "" : (stryCov_9fa48("293"), 'overflow'), stryMutAct_9fa48("294") ? "" : (stryCov_9fa48("294"), 'the plan adds up past 2^53 fen')));
      }
    }
    return out;
  }
}

/**
 * What stops a well-formed plan from being frozen: a line whose shares do not add up to its
 * amount, or whose amount is not its quantity × unit price. Each issue names its line.
 */
export function balanceIssues(lines: readonly FundingLine[]): FundingIssue[] {
  if (stryMutAct_9fa48("295")) {
    {}
  } else {
    stryCov_9fa48("295");
    const out: FundingIssue[] = stryMutAct_9fa48("296") ? ["Stryker was here"] : (stryCov_9fa48("296"), []);
    for (const l of sortFundingLines(lines)) {
      if (stryMutAct_9fa48("297")) {
        {}
      } else {
        stryCov_9fa48("297");
        const split = sumSplits(l.splits);
        if (stryMutAct_9fa48("300") ? split === l.amountFen : stryMutAct_9fa48("299") ? false : stryMutAct_9fa48("298") ? true : (stryCov_9fa48("298", "299", "300"), split !== l.amountFen)) {
          if (stryMutAct_9fa48("301")) {
            {}
          } else {
            stryCov_9fa48("301");
            const label = stryMutAct_9fa48("304") ? l.description && l.id : stryMutAct_9fa48("303") ? false : stryMutAct_9fa48("302") ? true : (stryCov_9fa48("302", "303", "304"), l.description || l.id);
            out.push(issue(l.id, stryMutAct_9fa48("305") ? "" : (stryCov_9fa48("305"), 'splits'), stryMutAct_9fa48("306") ? "" : (stryCov_9fa48("306"), 'unbalanced'), stryMutAct_9fa48("307") ? `` : (stryCov_9fa48("307"), `"${label}": the shares add up to ${split} fen, the line is ${l.amountFen} fen (${(stryMutAct_9fa48("311") ? split >= l.amountFen : stryMutAct_9fa48("310") ? split <= l.amountFen : stryMutAct_9fa48("309") ? false : stryMutAct_9fa48("308") ? true : (stryCov_9fa48("308", "309", "310", "311"), split < l.amountFen)) ? stryMutAct_9fa48("312") ? "" : (stryCov_9fa48("312"), 'short') : stryMutAct_9fa48("313") ? "" : (stryCov_9fa48("313"), 'over')} by ${Math.abs(stryMutAct_9fa48("314") ? l.amountFen + split : (stryCov_9fa48("314"), l.amountFen - split))} fen)`)));
          }
        }
        if (stryMutAct_9fa48("317") ? l.quantityCenti !== null || l.unitPriceFen !== null : stryMutAct_9fa48("316") ? false : stryMutAct_9fa48("315") ? true : (stryCov_9fa48("315", "316", "317"), (stryMutAct_9fa48("319") ? l.quantityCenti === null : stryMutAct_9fa48("318") ? true : (stryCov_9fa48("318", "319"), l.quantityCenti !== null)) && (stryMutAct_9fa48("321") ? l.unitPriceFen === null : stryMutAct_9fa48("320") ? true : (stryCov_9fa48("320", "321"), l.unitPriceFen !== null)))) {
          if (stryMutAct_9fa48("322")) {
            {}
          } else {
            stryCov_9fa48("322");
            const expected = lineAmountFen(l.quantityCenti, l.unitPriceFen);
            if (stryMutAct_9fa48("325") ? expected === l.amountFen : stryMutAct_9fa48("324") ? false : stryMutAct_9fa48("323") ? true : (stryCov_9fa48("323", "324", "325"), expected !== l.amountFen)) {
              if (stryMutAct_9fa48("326")) {
                {}
              } else {
                stryCov_9fa48("326");
                out.push(issue(l.id, stryMutAct_9fa48("327") ? "" : (stryCov_9fa48("327"), 'amountFen'), stryMutAct_9fa48("328") ? "" : (stryCov_9fa48("328"), 'amount_mismatch'), stryMutAct_9fa48("329") ? `` : (stryCov_9fa48("329"), `"${stryMutAct_9fa48("332") ? l.description && l.id : stryMutAct_9fa48("331") ? false : stryMutAct_9fa48("330") ? true : (stryCov_9fa48("330", "331", "332"), l.description || l.id)}": quantity × unit price is ${stryMutAct_9fa48("333") ? expected && 'beyond 2^53' : (stryCov_9fa48("333"), expected ?? (stryMutAct_9fa48("334") ? "" : (stryCov_9fa48("334"), 'beyond 2^53')))} fen, the amount is ${l.amountFen} fen`)));
              }
            }
          }
        }
      }
    }
    return out;
  }
}
function sumSplits(splits: FundingLine['splits']): number {
  if (stryMutAct_9fa48("335")) {
    {}
  } else {
    stryCov_9fa48("335");
    let s = 0;
    for (const v of Object.values(splits)) stryMutAct_9fa48("336") ? s -= v ?? 0 : (stryCov_9fa48("336"), s += stryMutAct_9fa48("337") ? v && 0 : (stryCov_9fa48("337"), v ?? 0));
    return s;
  }
}
export interface FundingTotals {
  /** Per line, in table order: its amount, what the sources cover, and the rest (negative: over). */
  lines: Array<{
    lineId: string;
    amountFen: number;
    splitFen: number;
    unassignedFen: number;
  }>;
  /** Per category, in order of first appearance. */
  categories: Array<{
    category: string;
    amountFen: number;
    lineIds: string[];
  }>;
  /** What each source pays over the whole plan (every source listed, 0 when it pays nothing). */
  bySource: Record<FundingSource, number>;
  totalFen: number;
  /** Sum over all lines of what no source covers yet. */
  unassignedFen: number;
  balanced: boolean;
}

/** Totals per line, per category, per source and overall. Assumes a well-formed plan. */
export function fundingTotals(lines: readonly FundingLine[]): FundingTotals {
  if (stryMutAct_9fa48("338")) {
    {}
  } else {
    stryCov_9fa48("338");
    const bySource = Object.fromEntries(FUNDING_SOURCE_IDS.map(s => [s, 0])) as Record<FundingSource, number>;
    const categories = new Map<string, {
      category: string;
      amountFen: number;
      lineIds: string[];
    }>();
    const perLine: FundingTotals['lines'] = stryMutAct_9fa48("339") ? ["Stryker was here"] : (stryCov_9fa48("339"), []);
    let totalFen = 0;
    let unassignedFen = 0;
    for (const l of sortFundingLines(lines)) {
      if (stryMutAct_9fa48("340")) {
        {}
      } else {
        stryCov_9fa48("340");
        const splitFen = sumSplits(l.splits);
        for (const [s, fen] of Object.entries(l.splits)) if (stryMutAct_9fa48("342") ? false : stryMutAct_9fa48("341") ? true : (stryCov_9fa48("341", "342"), isFundingSource(s))) stryMutAct_9fa48("343") ? bySource[s] -= fen ?? 0 : (stryCov_9fa48("343"), bySource[s] += stryMutAct_9fa48("344") ? fen && 0 : (stryCov_9fa48("344"), fen ?? 0));
        perLine.push(stryMutAct_9fa48("345") ? {} : (stryCov_9fa48("345"), {
          lineId: l.id,
          amountFen: l.amountFen,
          splitFen,
          unassignedFen: stryMutAct_9fa48("346") ? l.amountFen + splitFen : (stryCov_9fa48("346"), l.amountFen - splitFen)
        }));
        stryMutAct_9fa48("347") ? totalFen -= l.amountFen : (stryCov_9fa48("347"), totalFen += l.amountFen);
        stryMutAct_9fa48("348") ? unassignedFen -= l.amountFen - splitFen : (stryCov_9fa48("348"), unassignedFen += stryMutAct_9fa48("349") ? l.amountFen + splitFen : (stryCov_9fa48("349"), l.amountFen - splitFen));
        const c = stryMutAct_9fa48("350") ? categories.get(l.category) && {
          category: l.category,
          amountFen: 0,
          lineIds: []
        } : (stryCov_9fa48("350"), categories.get(l.category) ?? (stryMutAct_9fa48("351") ? {} : (stryCov_9fa48("351"), {
          category: l.category,
          amountFen: 0,
          lineIds: stryMutAct_9fa48("352") ? ["Stryker was here"] : (stryCov_9fa48("352"), [])
        })));
        stryMutAct_9fa48("353") ? c.amountFen -= l.amountFen : (stryCov_9fa48("353"), c.amountFen += l.amountFen);
        c.lineIds.push(l.id);
        categories.set(l.category, c);
      }
    }
    return stryMutAct_9fa48("354") ? {} : (stryCov_9fa48("354"), {
      lines: perLine,
      categories: stryMutAct_9fa48("355") ? [] : (stryCov_9fa48("355"), [...categories.values()]),
      bySource,
      totalFen,
      unassignedFen,
      balanced: stryMutAct_9fa48("356") ? perLine.some(l => l.unassignedFen === 0) : (stryCov_9fa48("356"), perLine.every(stryMutAct_9fa48("357") ? () => undefined : (stryCov_9fa48("357"), l => stryMutAct_9fa48("360") ? l.unassignedFen !== 0 : stryMutAct_9fa48("359") ? false : stryMutAct_9fa48("358") ? true : (stryCov_9fa48("358", "359", "360"), l.unassignedFen === 0))))
    });
  }
}

/** What one organisation's source pays on the given lines (all lines when none are named). */
export function sourceAmountFen(lines: readonly FundingLine[], source: FundingSource, lineIds?: readonly string[]): number {
  if (stryMutAct_9fa48("361")) {
    {}
  } else {
    stryCov_9fa48("361");
    const only = (stryMutAct_9fa48("364") ? lineIds || lineIds.length : stryMutAct_9fa48("363") ? false : stryMutAct_9fa48("362") ? true : (stryCov_9fa48("362", "363", "364"), lineIds && lineIds.length)) ? new Set(lineIds) : null;
    return lines.reduce(stryMutAct_9fa48("365") ? () => undefined : (stryCov_9fa48("365"), (sum, l) => stryMutAct_9fa48("366") ? sum - (only && !only.has(l.id) ? 0 : l.splits[source] ?? 0) : (stryCov_9fa48("366"), sum + ((stryMutAct_9fa48("369") ? only || !only.has(l.id) : stryMutAct_9fa48("368") ? false : stryMutAct_9fa48("367") ? true : (stryCov_9fa48("367", "368", "369"), only && (stryMutAct_9fa48("370") ? only.has(l.id) : (stryCov_9fa48("370"), !only.has(l.id))))) ? 0 : stryMutAct_9fa48("371") ? l.splits[source] && 0 : (stryCov_9fa48("371"), l.splits[source] ?? 0)))), 0);
  }
}

/**
 * The canonical form of a plan, as stored on a revision and hashed: lines in table order, each
 * with its keys in alphabetical order, splits with their sources in alphabetical order and
 * zero shares left out. `null` for a plan with no lines. See docs/protocol.md.
 */
export function canonicalFunding(lines: readonly FundingLine[]): CanonicalFunding | null {
  if (stryMutAct_9fa48("372")) {
    {}
  } else {
    stryCov_9fa48("372");
    if (stryMutAct_9fa48("375") ? lines.length !== 0 : stryMutAct_9fa48("374") ? false : stryMutAct_9fa48("373") ? true : (stryCov_9fa48("373", "374", "375"), lines.length === 0)) return null;
    return stryMutAct_9fa48("376") ? {} : (stryCov_9fa48("376"), {
      lines: sortFundingLines(lines).map(stryMutAct_9fa48("377") ? () => undefined : (stryCov_9fa48("377"), l => stryMutAct_9fa48("378") ? {} : (stryCov_9fa48("378"), {
        amountFen: l.amountFen,
        category: l.category,
        description: l.description,
        id: l.id,
        quantityCenti: l.quantityCenti,
        sort: l.sort,
        splits: Object.fromEntries(stryMutAct_9fa48("380") ? Object.entries(l.splits).sort(([a], [b]) => a < b ? -1 : 1) : stryMutAct_9fa48("379") ? Object.entries(l.splits).filter(([, v]) => (v ?? 0) !== 0) : (stryCov_9fa48("379", "380"), Object.entries(l.splits).filter(stryMutAct_9fa48("381") ? () => undefined : (stryCov_9fa48("381"), ([, v]) => stryMutAct_9fa48("384") ? (v ?? 0) === 0 : stryMutAct_9fa48("383") ? false : stryMutAct_9fa48("382") ? true : (stryCov_9fa48("382", "383", "384"), (stryMutAct_9fa48("385") ? v && 0 : (stryCov_9fa48("385"), v ?? 0)) !== 0))).sort(stryMutAct_9fa48("386") ? () => undefined : (stryCov_9fa48("386"), ([a], [b]) => (stryMutAct_9fa48("390") ? a >= b : stryMutAct_9fa48("389") ? a <= b : stryMutAct_9fa48("388") ? false : stryMutAct_9fa48("387") ? true : (stryCov_9fa48("387", "388", "389", "390"), a < b)) ? stryMutAct_9fa48("391") ? +1 : (stryCov_9fa48("391"), -1) : 1)))),
        unit: l.unit,
        unitPriceFen: l.unitPriceFen
      })))
    });
  }
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
export function householdShares(totalFen: number, households: readonly HouseholdArea[]): Array<{
  id: string;
  areaCentiM2: number;
  shareFen: number;
}> {
  if (stryMutAct_9fa48("392")) {
    {}
  } else {
    stryCov_9fa48("392");
    if (stryMutAct_9fa48("395") ? false : stryMutAct_9fa48("394") ? true : stryMutAct_9fa48("393") ? isFen(totalFen) : (stryCov_9fa48("393", "394", "395"), !isFen(totalFen))) throw new RangeError(stryMutAct_9fa48("396") ? "" : (stryCov_9fa48("396"), 'total must be a whole number of fen, 0 or more, below 2^53'));
    const seen = new Set<string>();
    let area = 0n;
    for (const h of households) {
      if (stryMutAct_9fa48("397")) {
        {}
      } else {
        stryCov_9fa48("397");
        if (stryMutAct_9fa48("400") ? false : stryMutAct_9fa48("399") ? true : stryMutAct_9fa48("398") ? isFen(h.areaCentiM2) : (stryCov_9fa48("398", "399", "400"), !isFen(h.areaCentiM2))) throw new RangeError(stryMutAct_9fa48("401") ? `` : (stryCov_9fa48("401"), `household ${h.id}: area must be a whole number of 0.01 m², 0 or more`));
        if (stryMutAct_9fa48("403") ? false : stryMutAct_9fa48("402") ? true : (stryCov_9fa48("402", "403"), seen.has(h.id))) throw new RangeError(stryMutAct_9fa48("404") ? `` : (stryCov_9fa48("404"), `household ${h.id} is listed twice`));
        seen.add(h.id);
        stryMutAct_9fa48("405") ? area -= BigInt(h.areaCentiM2) : (stryCov_9fa48("405"), area += BigInt(h.areaCentiM2));
      }
    }
    if (stryMutAct_9fa48("408") ? area !== 0n : stryMutAct_9fa48("407") ? false : stryMutAct_9fa48("406") ? true : (stryCov_9fa48("406", "407", "408"), area === 0n)) {
      if (stryMutAct_9fa48("409")) {
        {}
      } else {
        stryCov_9fa48("409");
        if (stryMutAct_9fa48("413") ? totalFen <= 0 : stryMutAct_9fa48("412") ? totalFen >= 0 : stryMutAct_9fa48("411") ? false : stryMutAct_9fa48("410") ? true : (stryCov_9fa48("410", "411", "412", "413"), totalFen > 0)) throw new RangeError(stryMutAct_9fa48("414") ? "" : (stryCov_9fa48("414"), 'there is no floor area to split the total by'));
        return households.map(stryMutAct_9fa48("415") ? () => undefined : (stryCov_9fa48("415"), h => stryMutAct_9fa48("416") ? {} : (stryCov_9fa48("416"), {
          id: h.id,
          areaCentiM2: h.areaCentiM2,
          shareFen: 0
        })));
      }
    }
    const total = BigInt(totalFen);
    const parts = households.map((h, index) => {
      if (stryMutAct_9fa48("417")) {
        {}
      } else {
        stryCov_9fa48("417");
        const exact = stryMutAct_9fa48("418") ? total / BigInt(h.areaCentiM2) : (stryCov_9fa48("418"), total * BigInt(h.areaCentiM2));
        return stryMutAct_9fa48("419") ? {} : (stryCov_9fa48("419"), {
          index,
          id: h.id,
          area: h.areaCentiM2,
          share: stryMutAct_9fa48("420") ? exact * area : (stryCov_9fa48("420"), exact / area),
          remainder: stryMutAct_9fa48("421") ? exact * area : (stryCov_9fa48("421"), exact % area)
        });
      }
    });
    let left = stryMutAct_9fa48("422") ? total + parts.reduce((s, p) => s + p.share, 0n) : (stryCov_9fa48("422"), total - parts.reduce(stryMutAct_9fa48("423") ? () => undefined : (stryCov_9fa48("423"), (s, p) => stryMutAct_9fa48("424") ? s - p.share : (stryCov_9fa48("424"), s + p.share)), 0n));
    const order = stryMutAct_9fa48("425") ? [...parts] : (stryCov_9fa48("425"), (stryMutAct_9fa48("426") ? [] : (stryCov_9fa48("426"), [...parts])).sort(stryMutAct_9fa48("427") ? () => undefined : (stryCov_9fa48("427"), (a, b) => (stryMutAct_9fa48("430") ? a.remainder === b.remainder : stryMutAct_9fa48("429") ? false : stryMutAct_9fa48("428") ? true : (stryCov_9fa48("428", "429", "430"), a.remainder !== b.remainder)) ? (stryMutAct_9fa48("434") ? a.remainder <= b.remainder : stryMutAct_9fa48("433") ? a.remainder >= b.remainder : stryMutAct_9fa48("432") ? false : stryMutAct_9fa48("431") ? true : (stryCov_9fa48("431", "432", "433", "434"), a.remainder > b.remainder)) ? stryMutAct_9fa48("435") ? +1 : (stryCov_9fa48("435"), -1) : 1 : stryMutAct_9fa48("438") ? b.area - a.area && (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : stryMutAct_9fa48("437") ? false : stryMutAct_9fa48("436") ? true : (stryCov_9fa48("436", "437", "438"), (stryMutAct_9fa48("439") ? b.area + a.area : (stryCov_9fa48("439"), b.area - a.area)) || ((stryMutAct_9fa48("443") ? a.id >= b.id : stryMutAct_9fa48("442") ? a.id <= b.id : stryMutAct_9fa48("441") ? false : stryMutAct_9fa48("440") ? true : (stryCov_9fa48("440", "441", "442", "443"), a.id < b.id)) ? stryMutAct_9fa48("444") ? +1 : (stryCov_9fa48("444"), -1) : (stryMutAct_9fa48("448") ? a.id <= b.id : stryMutAct_9fa48("447") ? a.id >= b.id : stryMutAct_9fa48("446") ? false : stryMutAct_9fa48("445") ? true : (stryCov_9fa48("445", "446", "447", "448"), a.id > b.id)) ? 1 : 0)))));
    for (const p of order) {
      if (stryMutAct_9fa48("449")) {
        {}
      } else {
        stryCov_9fa48("449");
        if (stryMutAct_9fa48("452") ? left !== 0n : stryMutAct_9fa48("451") ? false : stryMutAct_9fa48("450") ? true : (stryCov_9fa48("450", "451", "452"), left === 0n)) break;
        stryMutAct_9fa48("453") ? p.share -= 1n : (stryCov_9fa48("453"), p.share += 1n);
        stryMutAct_9fa48("454") ? left += 1n : (stryCov_9fa48("454"), left -= 1n);
      }
    }
    return parts.map(stryMutAct_9fa48("455") ? () => undefined : (stryCov_9fa48("455"), p => stryMutAct_9fa48("456") ? {} : (stryCov_9fa48("456"), {
      id: p.id,
      areaCentiM2: p.area,
      shareFen: Number(p.share)
    })));
  }
}

/** A stated form of the rule above, for showing beside the shares. */
export const HOUSEHOLD_SHARE_RULE = {
  zh: '按专有部分面积分摊，先按比例向下取整到分，剩余的分按余数从大到小逐户补一分（余数相同者面积大者优先，再按户编号），各户之和恰等于总额。',
  en: 'Split by exclusive floor area: each share is first rounded down to the fen, then the fen left over go one each to the largest remainders (equal remainders: larger area first, then household id), so the shares add up exactly to the total.'
} as const;

/** Formats fen as yuan with two decimals and thousands separators ("1,234.50"). */
export function formatFen(fen: number): string {
  if (stryMutAct_9fa48("457")) {
    {}
  } else {
    stryCov_9fa48("457");
    const neg = stryMutAct_9fa48("461") ? fen >= 0 : stryMutAct_9fa48("460") ? fen <= 0 : stryMutAct_9fa48("459") ? false : stryMutAct_9fa48("458") ? true : (stryCov_9fa48("458", "459", "460", "461"), fen < 0);
    const abs = Math.abs(fen);
    const yuan = Math.trunc(stryMutAct_9fa48("462") ? abs * 100 : (stryCov_9fa48("462"), abs / 100)).toString().replace(stryMutAct_9fa48("468") ? /\B(?=(\d{3})+(?!\D))/g : stryMutAct_9fa48("467") ? /\B(?=(\d{3})+(?=\d))/g : stryMutAct_9fa48("466") ? /\B(?=(\D{3})+(?!\d))/g : stryMutAct_9fa48("465") ? /\B(?=(\d)+(?!\d))/g : stryMutAct_9fa48("464") ? /\B(?=(\d{3})(?!\d))/g : stryMutAct_9fa48("463") ? /\B(?!(\d{3})+(?!\d))/g : (stryCov_9fa48("463", "464", "465", "466", "467", "468"), /\B(?=(\d{3})+(?!\d))/g), stryMutAct_9fa48("469") ? "" : (stryCov_9fa48("469"), ','));
    return stryMutAct_9fa48("470") ? `` : (stryCov_9fa48("470"), `${neg ? stryMutAct_9fa48("471") ? "" : (stryCov_9fa48("471"), '-') : stryMutAct_9fa48("472") ? "Stryker was here!" : (stryCov_9fa48("472"), '')}${yuan}.${String(stryMutAct_9fa48("473") ? abs * 100 : (stryCov_9fa48("473"), abs % 100)).padStart(2, stryMutAct_9fa48("474") ? "" : (stryCov_9fa48("474"), '0'))}`);
  }
}