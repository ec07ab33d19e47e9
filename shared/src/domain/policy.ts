import { type Role, ROLES } from './roles';

/** Every role there is: what anyone with a role in the compound may do. */
const EVERY_ROLE: readonly Role[] = ROLES;

/**
 * The one policy table: which roles in a compound may perform which action there.
 * Every HTTP route and socket event names exactly one action; the server's guard looks it up
 * here, and the client reads the same table to decide which controls to show.
 * Scoping rules finer than role (a gate leader acts only for households of their own gate)
 * are enforced by the service that owns the data, on top of this table.
 */
export const POLICY = {
  /** See the compound, its buildings, gates and organisations, and one's own membership. */
  'compound.view': EVERY_ROLE,
  /** Declare buildings and building gates. */
  'compound.manage_buildings': ['chair'],
  /** List households with their areas, owners and phone numbers. */
  'household.list': ['chair', 'gate_leader'],
  /** Import the owner register from a CSV file (dry run or for real). */
  'register.import': ['chair'],
  /** Choose the user who casts a household's ballot. */
  'household.set_voter': ['chair'],
  /** Register or clear a proxy for a household (a gate leader only in their own gate). */
  'household.register_proxy': ['chair', 'gate_leader'],
  /** List the compound's members with their roles. */
  'member.list': ['chair', 'gate_leader'],
  /** Remove a member's role in the compound. */
  'member.remove': ['chair'],
  /** Mark a member as a party member (党员) of the compound, or unmark them: party meetings invite them. */
  'member.mark_party': ['chair'],
  /** Issue invitation codes (a gate leader only for residents of their own gate). */
  'invitation.create': ['chair', 'gate_leader'],
  /** List issued invitation codes. */
  'invitation.list': ['chair', 'gate_leader'],
  /** Revoke an invitation code (a gate leader only one they issued). */
  'invitation.revoke': ['chair', 'gate_leader'],
  /** Create organisations serving the compound's community. */
  'organisation.manage': ['chair'],
  /** See the compound's meetings and join a live one. */
  'meeting.view': EVERY_ROLE,
  /** Schedule, reschedule or cancel a meeting. */
  'meeting.schedule': ['chair'],
  /** Run a live meeting: open, adjourn, agenda, the floor, the speakers list, on-site attendance. */
  'meeting.run': ['chair'],
  /** Check oneself in to a meeting. */
  'meeting.check_in': EVERY_ROLE,
  /** Raise a hand to speak. Observers (列席) only listen. */
  'meeting.speak': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department'],
  /** Write in the meeting's chat. */
  'meeting.chat': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department'],
  /** Hide a chat message (it stays in the record). */
  'chat.moderate': ['chair'],
  /** Read proposals, their revisions and comments, and follow the text live. */
  'proposal.view': EVERY_ROLE,
  /** Start a proposal (its author may then freeze revisions of it). */
  'proposal.create': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department'],
  /** Co-edit a proposal's text. The property company edits only when the chair invites it. */
  'proposal.edit': ['resident', 'gate_leader', 'chair', 'property_rights_unit', 'street_department'],
  /** Freeze a revision (the chair, or the proposal's author: checked by the service). */
  'proposal.freeze': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department'],
  /** Comment on a proposal, reply, resolve or reopen one's own thread (the chair any thread). */
  'comment.write': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'street_department'],
  /** See a proposal's vote rounds, the live tally, results, receipts; verify a round. The named roll-call only once closed (the chair: always). */
  'vote.view': EVERY_ROLE,
  /**
   * Cast a household's ballot: only its designated voter or registered proxy (checked by the
   * service). Owners vote, as residents (a gate leader is a resident too); the chair's role is to
   * run the vote, and a chair who owns a unit votes with the resident role they also hold.
   */
  'vote.cast': ['resident', 'gate_leader'],
  /** Open and close vote rounds. */
  'vote.run': ['chair'],
  /** Enter a ballot handed in on paper, with a photo of it (a gate leader only for their own gate). */
  'vote.record_assisted': ['chair', 'gate_leader'],
  /** Give or refuse a funding sign-off for one's own organisation (checked by the service). */
  'funding.sign_off': ['property_company', 'property_rights_unit', 'street_department'],
  /** Choose which organisations' sign-offs a proposal needs before it can be adopted. */
  'proposal.require_sign_off': ['chair'],
  /** Withdraw or archive a proposal; invite an organisation or a person to edit one proposal, or withdraw the invitation. */
  'proposal.manage': ['chair'],

  // The three lists and whistles (issue 15). Street departments and partner units see only what
  // was escalated to them, through whistles; a partner unit's people join in the `partner_unit`
  // role, as members of their organisation.
  /** See the demand list, its counts, a demand with its history and photos (names only where the person agreed). */
  'demand.view': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'observer'],
  /** Record a demand: a resident for themself; a gate leader or the chair also on someone's behalf (checked by the service); add its photos. */
  'demand.create': ['resident', 'gate_leader', 'chair'],
  /** 附议: say "me too" to a demand, once. */
  'demand.second': ['resident', 'gate_leader'],
  /** Move a demand along its allowed statuses (declining with a reason). */
  'demand.triage': ['chair'],
  /** See the resource list and the responsibility zones. */
  'resource.view': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'observer'],
  /** Add, change or archive resources and responsibility zones. */
  'resource.manage': ['chair'],
  /** See the project list, a project with its demands, resources, milestones, progress and acceptance. */
  'project.view': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'observer'],
  /** Start a project from demands, link meetings, the adopted proposal and resources, set milestones, end it done or stopped. */
  'project.manage': ['chair'],
  /** Report progress with photos and tick milestones: the project's owner or the chair (checked by the service). */
  'project.report': ['resident', 'gate_leader', 'chair', 'property_company'],
  /** Answer the satisfaction check of a finished project, once. */
  'project.accept': ['resident', 'gate_leader'],
  /**
   * See whistles: the chair all of the compound's (overdue ones flagged); a department or partner
   * unit those blown to it; a resident those about a demand they raised or seconded (checked by the service).
   */
  'whistle.view': EVERY_ROLE,
  /** Blow a whistle to departments or partner units with a deadline; resolve or reopen it. */
  'whistle.raise': ['chair'],
  /** For a target organisation's members (checked by the service): accept (报到) and answer. */
  'whistle.respond': ['property_company', 'property_rights_unit', 'street_department', 'partner_unit'],

  // The record (issue 16).
  /** Read the compound's public notices (公示) with their objections and answers. */
  'notice.view': EVERY_ROLE,
  /** Publish an adopted decision or a project's acceptance, answer objections on the record, withdraw a notice with a reason. */
  'notice.publish': ['chair'],
  /** Raise an objection during a notice's objection period. Observers only read; the chair answers instead. */
  'notice.object': ['resident', 'gate_leader', 'property_company', 'property_rights_unit', 'street_department'],
  /** See the compound's statistics and export them as CSV: counts only, no names. */
  'statistics.view': ['resident', 'gate_leader', 'chair', 'property_company', 'property_rights_unit', 'observer'],
  /** The same figures added up over every compound of the community. */
  'statistics.community': ['chair'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

/** True when any of the given roles allows the action. */
export function allows(roles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = POLICY[action];
  return roles.some((r) => allowed.includes(r));
}
