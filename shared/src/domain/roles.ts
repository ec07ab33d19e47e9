/**
 * A user's role in one compound. A user may hold several roles in the same compound
 * (a chair who is also a resident owner); every check asks whether any of them allows the act.
 */
export const ROLES = [
  'resident',
  'gate_leader',
  'chair',
  'property_company',
  'property_rights_unit',
  'street_department',
  /**
   * A partner unit's (共建单位: a health centre, a company nearby, a bureau) person: attends and
   * reads like an observer, answers the whistles blown to their unit, and sees nothing else of
   * the compound's lists.
   */
  'partner_unit',
  'observer',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that belong to an organisation rather than to a household. */
export const ORGANISATION_ROLES: readonly Role[] = ['property_company', 'property_rights_unit', 'street_department', 'partner_unit'];

/** Roles tied to a household of the compound (and so to its building gate). */
export const HOUSEHOLD_ROLES: readonly Role[] = ['resident', 'gate_leader'];

/** `partner_unit`: a 共建单位 of any other kind (health centre, company, bureau…), named by its `partnerType`. */
export const ORGANISATION_KINDS = [
  'property_company',
  'property_rights_unit',
  'street_department',
  'party_branch',
  'partner_unit',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Which kind of organisation a member of an organisation role must belong to. */
export const ROLE_ORGANISATION_KIND: Partial<Record<Role, OrganisationKind>> = {
  property_company: 'property_company',
  property_rights_unit: 'property_rights_unit',
  street_department: 'street_department',
  partner_unit: 'partner_unit',
};
