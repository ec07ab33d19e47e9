/**
 * A proposal's life cycle: its states, the transitions between them, and what each state still
 * allows. One pure table, read by the server (ProposalLifecycleService applies it) and by the
 * client (which buttons to show). Nothing else decides a proposal's status.
 *
 *   drafting ──freeze──► frozen ──open_round──► in_vote ──round_passed──► passed ──adopt──► adopted
 *                         ▲  │freeze                 │round_failed                          │archive
 *                         │  ▼                       ▼                                      ▼
 *                         frozen ◄──────freeze─────── failed ──archive──► archived ◄── withdrawn
 *
 * Withdrawing is possible before adoption except while a vote is open (close it first).
 * Adopted is final: the text, the plan, who must sign and the sign-offs no longer change; a
 * changed plan is a new proposal that amends the adopted one and goes through its own rounds.
 */
export const PROPOSAL_STATUSES = ['drafting', 'frozen', 'in_vote', 'failed', 'passed', 'adopted', 'withdrawn', 'archived'] as const;
/**
 * `drafting`: nothing frozen yet; `frozen`: a revision is frozen and not yet voted on; `in_vote`:
 * a round is open; `failed`: the last round failed (revise the text and freeze again); `passed`:
 * a round passed and a required sign-off is still missing; `adopted`: passed and every sign-off
 * given, final; `withdrawn`: given up before adoption; `archived`: put away, read-only.
 */
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const PROPOSAL_TRANSITIONS = ['freeze', 'open_round', 'round_failed', 'round_passed', 'adopt', 'withdraw', 'archive'] as const;
export type ProposalTransition = (typeof PROPOSAL_TRANSITIONS)[number];

/** Things done to a proposal that do not change its status but depend on it. */
export const PROPOSAL_ACTIVITIES = ['edit', 'sign_off', 'require_sign_off', 'grant_edit', 'amend'] as const;
export type ProposalActivity = (typeof PROPOSAL_ACTIVITIES)[number];

const TRANSITIONS: Record<ProposalStatus, Partial<Record<ProposalTransition, ProposalStatus>>> = {
  drafting: { freeze: 'frozen', withdraw: 'withdrawn' },
  // Freezing again while nothing was voted on yet makes a newer revision to vote on.
  frozen: { freeze: 'frozen', open_round: 'in_vote', withdraw: 'withdrawn' },
  in_vote: { round_failed: 'failed', round_passed: 'passed' },
  failed: { freeze: 'frozen', withdraw: 'withdrawn', archive: 'archived' },
  // What passed is what the funding parties sign: it is not re-frozen, only adopted or withdrawn.
  passed: { adopt: 'adopted', withdraw: 'withdrawn' },
  adopted: { archive: 'archived' },
  withdrawn: { archive: 'archived' },
  archived: {},
};

const ACTIVITIES: Record<ProposalActivity, readonly ProposalStatus[]> = {
  // While a vote is open people may go on drafting the next revision; it cannot be frozen until the round closes.
  edit: ['drafting', 'frozen', 'in_vote', 'failed'],
  // A funding party may commit once there is a frozen revision, and until adoption.
  sign_off: ['frozen', 'in_vote', 'passed'],
  // Who must sign is fixed when a vote opens: voters decide knowing it, and a chair cannot drop a missing signer afterwards.
  require_sign_off: ['drafting', 'frozen', 'failed'],
  grant_edit: ['drafting', 'frozen', 'in_vote', 'failed'],
  amend: ['adopted'],
};

/** The status after `transition`, or null when the status does not allow it. */
export function nextProposalStatus(status: ProposalStatus, transition: ProposalTransition): ProposalStatus | null {
  return TRANSITIONS[status]?.[transition] ?? null;
}

/** Whether a proposal in `status` allows `activity`. */
export function proposalAllows(status: ProposalStatus, activity: ProposalActivity): boolean {
  return ACTIVITIES[activity].includes(status);
}

/** Final states: nothing about the text, the plan or the sign-offs changes any more. */
export function isFinalStatus(status: ProposalStatus): boolean {
  return status === 'adopted' || status === 'withdrawn' || status === 'archived';
}
