import { ACTIONS, allows, POLICY } from './policy';
import { ROLES } from './roles';

describe('the policy table', () => {
  it('names only known roles, and every action has at least one', () => {
    for (const action of ACTIONS) {
      expect(POLICY[action].length).toBeGreaterThan(0);
      for (const role of POLICY[action]) expect(ROLES).toContain(role);
    }
  });

  it('an observer may only look', () => {
    expect(ACTIONS.filter((a) => allows(['observer'], a))).toEqual(['compound.view', 'meeting.view', 'meeting.check_in', 'proposal.view', 'vote.view']);
  });

  it('only funding parties sign off on funding; residents never do', () => {
    expect(ROLES.filter((r) => allows([r], 'funding.sign_off'))).toEqual(['property_company', 'property_rights_unit', 'street_department']);
    expect(ROLES.filter((r) => allows([r], 'proposal.require_sign_off'))).toEqual(['chair']);
  });

  it('any of several roles is enough', () => {
    expect(allows(['resident'], 'register.import')).toBe(false);
    expect(allows(['resident', 'chair'], 'register.import')).toBe(true);
  });
});
