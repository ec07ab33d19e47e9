/**
 * The audit log's format, shared so that anyone can check a chain or a receipt.
 *
 * Each proposal has one chain. Entry n is `{ hash, prevHash, body }` where `body` is the
 * canonical JSON of the entry (below), `prevHash` is entry n−1's hash (for n = 1 the chain's
 * genesis, sha256("yishi:audit:v1:" + proposalId)), and `hash = sha256(prevHash + body)` in
 * lowercase hex over UTF-8. A ballot's receipt is the hash of its entry.
 */
// @ts-nocheck


/** What an entry records. */function stryNS_9fa48() {
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
export const AUDIT_KINDS = ['revision.frozen', 'round.opened', 'ballot.cast', 'ballot.changed', 'round.closed', 'signoff.given', 'signoff.refused', /** The chair changed which organisations must sign off before the proposal can be adopted. */
'sign_offs.required', 'proposal.adopted'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** The prefix of a chain's genesis value. */
export const AUDIT_GENESIS_PREFIX = stryMutAct_9fa48("28") ? "" : (stryCov_9fa48("28"), 'yishi:audit:v1:');

/**
 * JSON with object keys sorted at every level and no whitespace, so the same content always
 * gives the same bytes. Only plain data is allowed: numbers must be safe integers (money, areas
 * and counts are integers here, and a float would not survive every JSON implementation alike).
 */
export function canonicalJson(value: unknown): string {
  if (stryMutAct_9fa48("29")) {
    {}
  } else {
    stryCov_9fa48("29");
    if (stryMutAct_9fa48("32") ? value !== null : stryMutAct_9fa48("31") ? false : stryMutAct_9fa48("30") ? true : (stryCov_9fa48("30", "31", "32"), value === null)) return stryMutAct_9fa48("33") ? "" : (stryCov_9fa48("33"), 'null');
    switch (typeof value) {
      case stryMutAct_9fa48("35") ? "" : (stryCov_9fa48("35"), 'string'):
        if (stryMutAct_9fa48("34")) {} else {
          stryCov_9fa48("34");
          return JSON.stringify(value);
        }
      case stryMutAct_9fa48("37") ? "" : (stryCov_9fa48("37"), 'boolean'):
        if (stryMutAct_9fa48("36")) {} else {
          stryCov_9fa48("36");
          return value ? stryMutAct_9fa48("38") ? "" : (stryCov_9fa48("38"), 'true') : stryMutAct_9fa48("39") ? "" : (stryCov_9fa48("39"), 'false');
        }
      case stryMutAct_9fa48("41") ? "" : (stryCov_9fa48("41"), 'number'):
        if (stryMutAct_9fa48("40")) {} else {
          stryCov_9fa48("40");
          if (stryMutAct_9fa48("44") ? false : stryMutAct_9fa48("43") ? true : stryMutAct_9fa48("42") ? Number.isSafeInteger(value) : (stryCov_9fa48("42", "43", "44"), !Number.isSafeInteger(value))) throw new RangeError(stryMutAct_9fa48("45") ? `` : (stryCov_9fa48("45"), `canonical JSON takes safe integers only, got ${value}`));
          return String(value);
        }
      case stryMutAct_9fa48("47") ? "" : (stryCov_9fa48("47"), 'object'):
        if (stryMutAct_9fa48("46")) {} else {
          stryCov_9fa48("46");
          {
            if (stryMutAct_9fa48("48")) {
              {}
            } else {
              stryCov_9fa48("48");
              if (stryMutAct_9fa48("50") ? false : stryMutAct_9fa48("49") ? true : (stryCov_9fa48("49", "50"), Array.isArray(value))) return stryMutAct_9fa48("51") ? `` : (stryCov_9fa48("51"), `[${value.map(canonicalJson).join(stryMutAct_9fa48("52") ? "" : (stryCov_9fa48("52"), ','))}]`);
              const obj = value as Record<string, unknown>;
              const keys = stryMutAct_9fa48("54") ? Object.keys(obj).sort() : stryMutAct_9fa48("53") ? Object.keys(obj).filter(k => obj[k] !== undefined) : (stryCov_9fa48("53", "54"), Object.keys(obj).filter(stryMutAct_9fa48("55") ? () => undefined : (stryCov_9fa48("55"), k => stryMutAct_9fa48("58") ? obj[k] === undefined : stryMutAct_9fa48("57") ? false : stryMutAct_9fa48("56") ? true : (stryCov_9fa48("56", "57", "58"), obj[k] !== undefined))).sort());
              return stryMutAct_9fa48("59") ? `` : (stryCov_9fa48("59"), `{${keys.map(stryMutAct_9fa48("60") ? () => undefined : (stryCov_9fa48("60"), k => stryMutAct_9fa48("61") ? `` : (stryCov_9fa48("61"), `${JSON.stringify(k)}:${canonicalJson(obj[k])}`))).join(stryMutAct_9fa48("62") ? "" : (stryCov_9fa48("62"), ','))}}`);
            }
          }
        }
      default:
        if (stryMutAct_9fa48("63")) {} else {
          stryCov_9fa48("63");
          throw new TypeError(stryMutAct_9fa48("64") ? `` : (stryCov_9fa48("64"), `canonical JSON cannot hold a ${typeof value}`));
        }
    }
  }
}