/**
 * A user's role in one compound. A user may hold several roles in the same compound
 * (a chair who is also a resident owner); every check asks whether any of them allows the act.
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
export const ROLES = ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that belong to an organisation rather than to a household. */
export const ORGANISATION_ROLES: readonly Role[] = stryMutAct_9fa48("523") ? [] : (stryCov_9fa48("523"), [stryMutAct_9fa48("524") ? "" : (stryCov_9fa48("524"), 'property_company'), stryMutAct_9fa48("525") ? "" : (stryCov_9fa48("525"), 'property_rights_unit'), stryMutAct_9fa48("526") ? "" : (stryCov_9fa48("526"), 'street_department')]);

/** Roles tied to a household of the compound (and so to its building gate). */
export const HOUSEHOLD_ROLES: readonly Role[] = stryMutAct_9fa48("527") ? [] : (stryCov_9fa48("527"), [stryMutAct_9fa48("528") ? "" : (stryCov_9fa48("528"), 'resident'), stryMutAct_9fa48("529") ? "" : (stryCov_9fa48("529"), 'gate_leader')]);
export const ORGANISATION_KINDS = ['property_company', 'property_rights_unit', 'street_department', 'party_branch'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Which kind of organisation a member of an organisation role must belong to. */
export const ROLE_ORGANISATION_KIND: Partial<Record<Role, OrganisationKind>> = stryMutAct_9fa48("530") ? {} : (stryCov_9fa48("530"), {
  property_company: stryMutAct_9fa48("531") ? "" : (stryCov_9fa48("531"), 'property_company'),
  property_rights_unit: stryMutAct_9fa48("532") ? "" : (stryCov_9fa48("532"), 'property_rights_unit'),
  street_department: stryMutAct_9fa48("533") ? "" : (stryCov_9fa48("533"), 'street_department')
});