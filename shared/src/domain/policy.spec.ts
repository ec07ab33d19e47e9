import { ACTIONS, allows, POLICY, type Action } from './policy';
import { type Role, ROLES } from './roles';

/**
 * Who may do what, written out by hand from PRODUCT.md ("Who uses it", "Ballots from people who
 * are not online"), not computed from the table: a wrong row of the table fails here.
 *
 * Columns: R resident (居民/业主), G gate leader (楼门组长), C chair (主持人), P property company
 * (物业公司), U property-rights unit (产权单位), S street department (街道职能科室), B partner unit
 * (共建单位: a health centre, a company nearby, a bureau), O observer (列席).
 * Readings that are not spelled out word for word:
 * - everyone a compound admits may look at it, its meetings, proposals and votes; the observer
 *   only looks (列席: read-only), attends (checks in) but neither speaks, chats, writes nor signs;
 * - the brief's opening says residents, the property company, the rights unit and the street's
 *   departments co-edit proposals and comment on them; the property company edits the text only
 *   when the chair invites it (an invitation, not a role), so it may start and comment but not edit;
 * - only owners vote: residents, and gate leaders who are residents; the chair runs the vote and
 *   (like a gate leader for their gate) enters paper ballots, and votes only through a resident
 *   role of their own; no organisation ever casts a ballot;
 * - the owner register (areas, owners, phone numbers) is seen by the chair and by gate leaders,
 *   who collect demands and register proxies door to door; never by a resident or an organisation;
 * - funding sign-offs are given by the organisations a plan asks to pay (property company, rights
 *   unit, street departments for subsidies), never by residents or the chair;
 * - the three lists (issue 15) are the compound's: its members and the organisations working in
 *   it (property company, rights unit) see them, street departments and partner units see only what
 *   is escalated to them (whistles); residents raise demands, gate leaders and the chair also on others' behalf,
 *   owners second them (附议) and answer a finished project's satisfaction check; the chair triages
 *   demands, keeps the resource list, runs projects and blows whistles; a project's owner (a
 *   resident, gate leader, the chair or the property company) reports its progress;
 * - a whistle is answered by the organisations it is blown to; a partner unit's (共建单位) people
 *   attend and read as an observer does and, like a street department, see of the lists only what
 *   was escalated to their unit (issue 15: "departments and partner units see only what was
 *   escalated to them"): answering a whistle blown to their unit is the one thing they write;
 * - a public notice (公示, issue 16) is read by everyone the compound admits; the chair publishes
 *   it and answers objections; anyone who may speak in the compound may object, except the chair
 *   who answers them (an observer only reads);
 * - party membership (党员) is kept by the chair (the community party committee), like the rest of
 *   who belongs to the compound: nobody marks themself or anyone else.
 */
const MATRIX: Record<Action, string> = {
  //                             R G C P U S B O
  'compound.view': 'R G C P U S B O',
  'compound.manage_buildings': '. . C . . . . .',
  'household.list': '. G C . . . . .',
  'register.import': '. . C . . . . .',
  'household.set_voter': '. . C . . . . .',
  'household.register_proxy': '. G C . . . . .',
  'member.list': '. G C . . . . .',
  'member.remove': '. . C . . . . .',
  'member.mark_party': '. . C . . . . .',
  'invitation.create': '. G C . . . . .',
  'invitation.list': '. G C . . . . .',
  'invitation.revoke': '. G C . . . . .',
  'organisation.manage': '. . C . . . . .',
  'meeting.view': 'R G C P U S B O',
  'meeting.schedule': '. . C . . . . .',
  'meeting.run': '. . C . . . . .',
  'meeting.check_in': 'R G C P U S B O',
  'meeting.speak': 'R G C P U S . .',
  'meeting.chat': 'R G C P U S . .',
  'chat.moderate': '. . C . . . . .',
  'proposal.view': 'R G C P U S B O',
  'proposal.create': 'R G C P U S . .',
  'proposal.edit': 'R G C . U S . .',
  'proposal.freeze': 'R G C P U S . .',
  /** Inviting editors to one proposal, withdrawing, archiving: the chair runs the process. */
  'proposal.manage': '. . C . . . . .',
  'comment.write': 'R G C P U S . .',
  'vote.view': 'R G C P U S B O',
  'vote.cast': 'R G . . . . . .',
  'vote.run': '. . C . . . . .',
  'vote.record_assisted': '. G C . . . . .',
  'funding.sign_off': '. . . P U S . .',
  'proposal.require_sign_off': '. . C . . . . .',
  'demand.view': 'R G C P U . . O',
  'demand.create': 'R G C . . . . .',
  'demand.second': 'R G . . . . . .',
  'demand.triage': '. . C . . . . .',
  'resource.view': 'R G C P U . . O',
  'resource.manage': '. . C . . . . .',
  'project.view': 'R G C P U . . O',
  'project.manage': '. . C . . . . .',
  'project.report': 'R G C P . . . .',
  'project.accept': 'R G . . . . . .',
  'whistle.view': 'R G C P U S B O',
  'whistle.raise': '. . C . . . . .',
  'whistle.respond': '. . . P U S B .',
  'notice.view': 'R G C P U S B O',
  'notice.publish': '. . C . . . . .',
  'notice.object': 'R G . P U S . .',
  'statistics.view': 'R G C P U . . O',
  'statistics.community': '. . C . . . . .',
};

const LETTER: Record<Role, string> = {
  resident: 'R',
  gate_leader: 'G',
  chair: 'C',
  property_company: 'P',
  property_rights_unit: 'U',
  street_department: 'S',
  partner_unit: 'B',
  observer: 'O',
};

describe('the policy table, against the role × action matrix a reader of PRODUCT.md expects', () => {
  it('has exactly the actions of the matrix', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(Object.keys(MATRIX) as Action[])('%s: exactly the roles of the matrix', (action) => {
    const expected = MATRIX[action].split(' ');
    const actual = ROLES.map((r) => (allows([r], action) ? LETTER[r] : '.'));
    expect(actual.join(' ')).toBe(expected.join(' '));
  });

  it('writes the columns in the order of ROLES', () => {
    expect(ROLES.map((r) => LETTER[r]).join(' ')).toBe('R G C P U S B O');
  });

  it('any one of several roles is enough, and no role is nothing', () => {
    expect(allows(['resident'], 'register.import')).toBe(false);
    expect(allows(['resident', 'chair'], 'register.import')).toBe(true);
    expect(allows(['chair', 'resident'], 'vote.cast')).toBe(true);
    expect(allows([], 'compound.view')).toBe(false);
  });

  it('names only known roles, each once', () => {
    for (const action of ACTIONS) {
      expect(new Set(POLICY[action]).size).toBe(POLICY[action].length);
      for (const role of POLICY[action]) expect(ROLES).toContain(role);
    }
  });
});
