import { HOUSEHOLD_ROLES, ORGANISATION_KINDS, ORGANISATION_ROLES, ROLE_ORGANISATION_KIND, ROLES } from './roles';

describe('roles (PRODUCT.md, "Who uses it")', () => {
  it('are the seven roles of the brief, in its order', () => {
    expect(ROLES).toEqual([
      'resident',
      'gate_leader',
      'chair',
      'property_company',
      'property_rights_unit',
      'street_department',
      'observer',
    ]);
  });

  it('ties residents and gate leaders to a household, organisation roles to an organisation of their kind', () => {
    expect(HOUSEHOLD_ROLES).toEqual(['resident', 'gate_leader']);
    expect(ORGANISATION_ROLES).toEqual(['property_company', 'property_rights_unit', 'street_department']);
    expect(ORGANISATION_KINDS).toEqual(['property_company', 'property_rights_unit', 'street_department', 'party_branch', 'partner_unit']);
    expect(ROLE_ORGANISATION_KIND).toEqual({
      property_company: 'property_company',
      property_rights_unit: 'property_rights_unit',
      street_department: 'street_department',
    });
  });
});
