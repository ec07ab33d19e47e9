import {
  isFinalStatus,
  nextProposalStatus,
  PROPOSAL_ACTIVITIES,
  PROPOSAL_STATUSES,
  PROPOSAL_TRANSITIONS,
  proposalAllows,
  type ProposalActivity,
  type ProposalStatus,
  type ProposalTransition,
} from './proposal-lifecycle';

/**
 * Every (status, transition) pair, written out by hand from the life cycle a careful reader of
 * PRODUCT.md expects — not computed from the table under test. `null`: refused.
 */
const EXPECTED_TRANSITIONS: Array<[ProposalStatus, ProposalTransition, ProposalStatus | null]> = [
  ['drafting', 'freeze', 'frozen'],
  ['drafting', 'open_round', null],
  ['drafting', 'round_failed', null],
  ['drafting', 'round_passed', null],
  ['drafting', 'adopt', null],
  ['drafting', 'withdraw', 'withdrawn'],
  ['drafting', 'archive', null],

  ['frozen', 'freeze', 'frozen'],
  ['frozen', 'open_round', 'in_vote'],
  ['frozen', 'round_failed', null],
  ['frozen', 'round_passed', null],
  ['frozen', 'adopt', null],
  ['frozen', 'withdraw', 'withdrawn'],
  ['frozen', 'archive', null],

  ['in_vote', 'freeze', null],
  ['in_vote', 'open_round', null],
  ['in_vote', 'round_failed', 'failed'],
  ['in_vote', 'round_passed', 'passed'],
  ['in_vote', 'adopt', null],
  ['in_vote', 'withdraw', null],
  ['in_vote', 'archive', null],

  ['failed', 'freeze', 'frozen'],
  ['failed', 'open_round', null],
  ['failed', 'round_failed', null],
  ['failed', 'round_passed', null],
  ['failed', 'adopt', null],
  ['failed', 'withdraw', 'withdrawn'],
  ['failed', 'archive', 'archived'],

  ['passed', 'freeze', null],
  ['passed', 'open_round', null],
  ['passed', 'round_failed', null],
  ['passed', 'round_passed', null],
  ['passed', 'adopt', 'adopted'],
  ['passed', 'withdraw', 'withdrawn'],
  ['passed', 'archive', null],

  ['adopted', 'freeze', null],
  ['adopted', 'open_round', null],
  ['adopted', 'round_failed', null],
  ['adopted', 'round_passed', null],
  ['adopted', 'adopt', null],
  ['adopted', 'withdraw', null],
  ['adopted', 'archive', 'archived'],

  ['withdrawn', 'freeze', null],
  ['withdrawn', 'open_round', null],
  ['withdrawn', 'round_failed', null],
  ['withdrawn', 'round_passed', null],
  ['withdrawn', 'adopt', null],
  ['withdrawn', 'withdraw', null],
  ['withdrawn', 'archive', 'archived'],

  ['archived', 'freeze', null],
  ['archived', 'open_round', null],
  ['archived', 'round_failed', null],
  ['archived', 'round_passed', null],
  ['archived', 'adopt', null],
  ['archived', 'withdraw', null],
  ['archived', 'archive', null],
];

/** Every (status, activity) pair: true where the status allows it. */
const EXPECTED_ACTIVITIES: Array<[ProposalStatus, ProposalActivity, boolean]> = [
  ['drafting', 'edit', true],
  ['drafting', 'sign_off', false],
  ['drafting', 'require_sign_off', true],
  ['drafting', 'grant_edit', true],
  ['drafting', 'amend', false],

  ['frozen', 'edit', true],
  ['frozen', 'sign_off', true],
  ['frozen', 'require_sign_off', true],
  ['frozen', 'grant_edit', true],
  ['frozen', 'amend', false],

  ['in_vote', 'edit', true],
  ['in_vote', 'sign_off', true],
  ['in_vote', 'require_sign_off', false],
  ['in_vote', 'grant_edit', true],
  ['in_vote', 'amend', false],

  ['failed', 'edit', true],
  ['failed', 'sign_off', false],
  ['failed', 'require_sign_off', true],
  ['failed', 'grant_edit', true],
  ['failed', 'amend', false],

  ['passed', 'edit', false],
  ['passed', 'sign_off', true],
  ['passed', 'require_sign_off', false],
  ['passed', 'grant_edit', false],
  ['passed', 'amend', false],

  ['adopted', 'edit', false],
  ['adopted', 'sign_off', false],
  ['adopted', 'require_sign_off', false],
  ['adopted', 'grant_edit', false],
  ['adopted', 'amend', true],

  ['withdrawn', 'edit', false],
  ['withdrawn', 'sign_off', false],
  ['withdrawn', 'require_sign_off', false],
  ['withdrawn', 'grant_edit', false],
  ['withdrawn', 'amend', false],

  ['archived', 'edit', false],
  ['archived', 'sign_off', false],
  ['archived', 'require_sign_off', false],
  ['archived', 'grant_edit', false],
  ['archived', 'amend', false],
];

describe('the proposal life cycle', () => {
  it('the written-out tables cover every pair exactly once', () => {
    const t = EXPECTED_TRANSITIONS.map(([s, tr]) => `${s}/${tr}`);
    expect(new Set(t).size).toBe(t.length);
    expect(t.length).toBe(PROPOSAL_STATUSES.length * PROPOSAL_TRANSITIONS.length);
    const a = EXPECTED_ACTIVITIES.map(([s, act]) => `${s}/${act}`);
    expect(new Set(a).size).toBe(a.length);
    expect(a.length).toBe(PROPOSAL_STATUSES.length * PROPOSAL_ACTIVITIES.length);
  });

  it.each(EXPECTED_TRANSITIONS)('%s --%s--> %s', (status, transition, to) => {
    expect(nextProposalStatus(status, transition)).toBe(to);
  });

  it.each(EXPECTED_ACTIVITIES)('%s allows %s: %s', (status, activity, allowed) => {
    expect(proposalAllows(status, activity)).toBe(allowed);
  });

  it('adopted, withdrawn and archived are final: nothing leads out of them but archiving', () => {
    expect(PROPOSAL_STATUSES.filter(isFinalStatus)).toEqual(['adopted', 'withdrawn', 'archived']);
    for (const s of ['adopted', 'withdrawn', 'archived'] as const) {
      expect(PROPOSAL_TRANSITIONS.filter((tr) => nextProposalStatus(s, tr) !== null && nextProposalStatus(s, tr) !== 'archived')).toEqual(
        [],
      );
    }
  });

  it('an unknown status or transition is refused, not crashed on', () => {
    expect(nextProposalStatus('nonsense' as ProposalStatus, 'freeze')).toBeNull();
    expect(nextProposalStatus('frozen', 'nonsense' as ProposalTransition)).toBeNull();
  });
});
