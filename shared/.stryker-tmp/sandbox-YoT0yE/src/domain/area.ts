/**
 * Floor areas are integers of 0.01 m² end to end: "85.5" m² is 8550. Parsing works on the
 * decimal string itself, never through floating point, so 0.1 + 0.2 never bites a vote.
 */
// @ts-nocheck
function stryNS_9fa48() {
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
const AREA_PATTERN = stryMutAct_9fa48("6") ? /^(\d{1,7})(?:\.(\D{1,2}))?$/ : stryMutAct_9fa48("5") ? /^(\d{1,7})(?:\.(\d))?$/ : stryMutAct_9fa48("4") ? /^(\d{1,7})(?:\.(\d{1,2}))$/ : stryMutAct_9fa48("3") ? /^(\D{1,7})(?:\.(\d{1,2}))?$/ : stryMutAct_9fa48("2") ? /^(\d)(?:\.(\d{1,2}))?$/ : stryMutAct_9fa48("1") ? /^(\d{1,7})(?:\.(\d{1,2}))?/ : stryMutAct_9fa48("0") ? /(\d{1,7})(?:\.(\d{1,2}))?$/ : (stryCov_9fa48("0", "1", "2", "3", "4", "5", "6"), /^(\d{1,7})(?:\.(\d{1,2}))?$/);

/** Parses a floor area in m² ("85", "85.5", "85.50", "８５．５"). Returns null if it is not one. */
export function parseAreaM2(text: string): number | null {
  if (stryMutAct_9fa48("7")) {
    {}
  } else {
    stryCov_9fa48("7");
    const normalised = stryMutAct_9fa48("9") ? toHalfWidth(text).replace(/(m²|㎡|m2|平方米|平米)$/i, '').trim() : stryMutAct_9fa48("8") ? toHalfWidth(text).trim().replace(/(m²|㎡|m2|平方米|平米)$/i, '') : (stryCov_9fa48("8", "9"), toHalfWidth(text).trim().replace(stryMutAct_9fa48("10") ? /(m²|㎡|m2|平方米|平米)/i : (stryCov_9fa48("10"), /(m²|㎡|m2|平方米|平米)$/i), stryMutAct_9fa48("11") ? "Stryker was here!" : (stryCov_9fa48("11"), '')).trim());
    const m = AREA_PATTERN.exec(normalised);
    if (stryMutAct_9fa48("14") ? false : stryMutAct_9fa48("13") ? true : stryMutAct_9fa48("12") ? m : (stryCov_9fa48("12", "13", "14"), !m)) return null;
    const whole = Number(m[1]);
    const frac = m[2] ? Number(m[2].padEnd(2, stryMutAct_9fa48("15") ? "" : (stryCov_9fa48("15"), '0'))) : 0;
    return stryMutAct_9fa48("16") ? whole * 100 - frac : (stryCov_9fa48("16"), (stryMutAct_9fa48("17") ? whole / 100 : (stryCov_9fa48("17"), whole * 100)) + frac);
  }
}

/** Formats 0.01 m² units as m² with two decimals ("85.50"). */
export function formatAreaM2(centiSquareMetres: number): string {
  if (stryMutAct_9fa48("18")) {
    {}
  } else {
    stryCov_9fa48("18");
    const whole = Math.trunc(stryMutAct_9fa48("19") ? centiSquareMetres * 100 : (stryCov_9fa48("19"), centiSquareMetres / 100));
    const frac = Math.abs(stryMutAct_9fa48("20") ? centiSquareMetres * 100 : (stryCov_9fa48("20"), centiSquareMetres % 100));
    return stryMutAct_9fa48("21") ? `` : (stryCov_9fa48("21"), `${whole}.${String(frac).padStart(2, stryMutAct_9fa48("22") ? "" : (stryCov_9fa48("22"), '0'))}`);
  }
}

/** Full-width digits and punctuation, as typed with a Chinese input method, to ASCII. */
export function toHalfWidth(text: string): string {
  if (stryMutAct_9fa48("23")) {
    {}
  } else {
    stryCov_9fa48("23");
    return text.replace(stryMutAct_9fa48("24") ? /[^\uFF01-\uFF5E]/g : (stryCov_9fa48("24"), /[\uFF01-\uFF5E]/g), stryMutAct_9fa48("25") ? () => undefined : (stryCov_9fa48("25"), c => String.fromCharCode(stryMutAct_9fa48("26") ? c.charCodeAt(0) + 0xfee0 : (stryCov_9fa48("26"), c.charCodeAt(0) - 0xfee0)))).replace(/\u3000/g, stryMutAct_9fa48("27") ? "" : (stryCov_9fa48("27"), ' '));
  }
}