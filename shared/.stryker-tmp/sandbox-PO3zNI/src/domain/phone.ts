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
import { toHalfWidth } from './area';
const MOBILE = stryMutAct_9fa48("479") ? /^1[3-9]\D{9}$/ : stryMutAct_9fa48("478") ? /^1[3-9]\d$/ : stryMutAct_9fa48("477") ? /^1[^3-9]\d{9}$/ : stryMutAct_9fa48("476") ? /^1[3-9]\d{9}/ : stryMutAct_9fa48("475") ? /1[3-9]\d{9}$/ : (stryCov_9fa48("475", "476", "477", "478", "479"), /^1[3-9]\d{9}$/);
const LANDLINE = stryMutAct_9fa48("485") ? /^0\d{2,3}\D{7,8}$/ : stryMutAct_9fa48("484") ? /^0\d{2,3}\d$/ : stryMutAct_9fa48("483") ? /^0\D{2,3}\d{7,8}$/ : stryMutAct_9fa48("482") ? /^0\d\d{7,8}$/ : stryMutAct_9fa48("481") ? /^0\d{2,3}\d{7,8}/ : stryMutAct_9fa48("480") ? /0\d{2,3}\d{7,8}$/ : (stryCov_9fa48("480", "481", "482", "483", "484", "485"), /^0\d{2,3}\d{7,8}$/);

/**
 * Normalises a mainland Chinese phone number as people write it in a register
 * ("138 0013 8000", "+86 138-0013-8000", "010-6500 1234") to digits only.
 * Returns null when it is not a mobile or landline number.
 */
export function normalisePhone(text: string): string | null {
  if (stryMutAct_9fa48("486")) {
    {}
  } else {
    stryCov_9fa48("486");
    let digits = toHalfWidth(text).replace(stryMutAct_9fa48("488") ? /[\S\-()（）]/g : stryMutAct_9fa48("487") ? /[^\s\-()（）]/g : (stryCov_9fa48("487", "488"), /[\s\-()（）]/g), stryMutAct_9fa48("489") ? "Stryker was here!" : (stryCov_9fa48("489"), ''));
    if (stryMutAct_9fa48("492") ? digits.endsWith('+86') : stryMutAct_9fa48("491") ? false : stryMutAct_9fa48("490") ? true : (stryCov_9fa48("490", "491", "492"), digits.startsWith(stryMutAct_9fa48("493") ? "" : (stryCov_9fa48("493"), '+86')))) digits = stryMutAct_9fa48("494") ? digits : (stryCov_9fa48("494"), digits.slice(3));else if (stryMutAct_9fa48("497") ? digits.endsWith('0086') : stryMutAct_9fa48("496") ? false : stryMutAct_9fa48("495") ? true : (stryCov_9fa48("495", "496", "497"), digits.startsWith(stryMutAct_9fa48("498") ? "" : (stryCov_9fa48("498"), '0086')))) digits = stryMutAct_9fa48("499") ? digits : (stryCov_9fa48("499"), digits.slice(4));
    if (stryMutAct_9fa48("502") ? false : stryMutAct_9fa48("501") ? true : stryMutAct_9fa48("500") ? /^\d+$/.test(digits) : (stryCov_9fa48("500", "501", "502"), !(stryMutAct_9fa48("506") ? /^\D+$/ : stryMutAct_9fa48("505") ? /^\d$/ : stryMutAct_9fa48("504") ? /^\d+/ : stryMutAct_9fa48("503") ? /\d+$/ : (stryCov_9fa48("503", "504", "505", "506"), /^\d+$/)).test(digits))) return null;
    return (stryMutAct_9fa48("509") ? MOBILE.test(digits) && LANDLINE.test(digits) : stryMutAct_9fa48("508") ? false : stryMutAct_9fa48("507") ? true : (stryCov_9fa48("507", "508", "509"), MOBILE.test(digits) || LANDLINE.test(digits))) ? digits : null;
  }
}

/** Whether a sign-in name looks like a phone number rather than a user name. */
export function looksLikePhone(login: string): boolean {
  if (stryMutAct_9fa48("510")) {
    {}
  } else {
    stryCov_9fa48("510");
    return (stryMutAct_9fa48("518") ? /^[+\d][\d\S\-()]*$/ : stryMutAct_9fa48("517") ? /^[+\d][\D\s\-()]*$/ : stryMutAct_9fa48("516") ? /^[+\d][^\d\s\-()]*$/ : stryMutAct_9fa48("515") ? /^[+\d][\d\s\-()]$/ : stryMutAct_9fa48("514") ? /^[+\D][\d\s\-()]*$/ : stryMutAct_9fa48("513") ? /^[^+\d][\d\s\-()]*$/ : stryMutAct_9fa48("512") ? /^[+\d][\d\s\-()]*/ : stryMutAct_9fa48("511") ? /[+\d][\d\s\-()]*$/ : (stryCov_9fa48("511", "512", "513", "514", "515", "516", "517", "518"), /^[+\d][\d\s\-()]*$/)).test(stryMutAct_9fa48("519") ? toHalfWidth(login) : (stryCov_9fa48("519"), toHalfWidth(login).trim()));
  }
}