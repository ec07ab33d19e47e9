import { HOUSEHOLD_ROLES, ORGANISATION_KINDS, ORGANISATION_ROLES, ROLE_ORGANISATION_KIND, ROLES } from './roles';

describe('roles (PRODUCT.md, "Who uses it")', () => {
  it('are the seven roles of the brief, in its order, and issue 15’s partner units (共建单位) before the observer', () => {
    expect(ROLES).toEqual([
      'resident',
      'gate_leader',
      'chair',
      'property_company',
      'property_rights_unit',
      'street_department',
      'partner_unit',
      'observer',
    ]);
  });

  it('ties residents and gate leaders to a household, organisation roles to an organisation of their kind', () => {
    expect(HOUSEHOLD_ROLES).toEqual(['resident', 'gate_leader']);
    expect(ORGANISATION_ROLES).toEqual(['property_company', 'property_rights_unit', 'street_department', 'partner_unit']);
    expect(ORGANISATION_KINDS).toEqual(['property_company', 'property_rights_unit', 'street_department', 'party_branch', 'partner_unit']);
    expect(ROLE_ORGANISATION_KIND).toEqual({
      property_company: 'property_company',
      property_rights_unit: 'property_rights_unit',
      street_department: 'street_department',
      partner_unit: 'partner_unit',
    });
  });
});
