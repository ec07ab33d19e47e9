import {
  isInvited,
  MEETING_AUDIENCE_LABELS,
  MEETING_KIND_TABLE,
  MEETING_KINDS,
  meetingAudienceLabel,
  meetingKindLabel,
  scopeCovers,
  voteRefusal,
} from './meeting-kinds';
import { RULE_IDS } from './vote-rule-catalogue';

describe('meeting kinds (issue 16)', () => {
  it('lists the kinds the seed story counts, deliberation first (the default of old meetings)', () => {
    expect(MEETING_KINDS[0]).toBe('deliberation');
    expect(MEETING_KINDS).toEqual(expect.arrayContaining(['party_lesson', 'organisational_life', 'party_branch', 'advice', 'assembly']));
    for (const k of MEETING_KINDS) expect(MEETING_KIND_TABLE[k].kind).toBe(k);
  });

  it('names every kind in Chinese and English, each name distinct', () => {
    const zh = MEETING_KINDS.map((k) => meetingKindLabel(k, 'zh-CN'));
    const en = MEETING_KINDS.map((k) => meetingKindLabel(k, 'en'));
    expect(new Set(zh).size).toBe(MEETING_KINDS.length);
    expect(new Set(en).size).toBe(MEETING_KINDS.length);
    expect(meetingKindLabel('deliberation', 'zh-CN')).toBe('议事协商会');
    expect(meetingKindLabel('advice', 'zh')).toBe('问计会');
    expect(meetingKindLabel('party_lesson', 'en')).toBe('Party lesson');
  });

  it('refuses votes in a party lesson, an advice-seeking or organisational-life meeting, and nowhere that decides', () => {
    expect(voteRefusal('party_lesson')).toEqual({ zh: '党课不进行表决', en: 'A party lesson holds no votes' });
    expect(voteRefusal('advice')).not.toBeNull();
    expect(voteRefusal('organisational_life')).not.toBeNull();
    for (const k of ['deliberation', 'discussion', 'topic', 'party_branch', 'assembly'] as const) expect(voteRefusal(k)).toBeNull();
  });

  it('proposes only known rules, and none for kinds that hold no votes', () => {
    for (const k of MEETING_KINDS) {
      const { defaultRule, holdsVotes, audience } = MEETING_KIND_TABLE[k];
      if (defaultRule !== null) expect(RULE_IDS).toContain(defaultRule);
      if (!holdsVotes) expect(defaultRule).toBeNull();
      expect(MEETING_AUDIENCE_LABELS[audience].zh).not.toBe('');
    }
    expect(MEETING_KIND_TABLE.assembly.defaultRule).toBe('art278_ordinary');
    expect(MEETING_KIND_TABLE.party_lesson.audience).toBe('party_members');
  });

  it('invites party members to party meetings, households to the assembly, everyone with a role to the rest', () => {
    const audience = Object.fromEntries(MEETING_KINDS.map((k) => [k, MEETING_KIND_TABLE[k].audience]));
    expect(audience).toEqual({
      deliberation: 'everyone',
      discussion: 'everyone',
      topic: 'everyone',
      advice: 'everyone',
      party_branch: 'party_members',
      party_lesson: 'party_members',
      organisational_life: 'party_members',
      assembly: 'residents',
    });
    expect(meetingAudienceLabel('party_members', 'zh-CN')).toBe('党员');
    expect(meetingAudienceLabel('party_members', 'en')).toBe('Party members');
  });

  it('says who is invited: the chair always, a resident to a party meeting only as a party member', () => {
    const resident = { roles: ['resident'] as const, partyMember: false };
    const partyResident = { roles: ['resident'] as const, partyMember: true };
    const property = { roles: ['property_company'] as const, partyMember: false };
    const chair = { roles: ['chair'] as const, partyMember: false };
    expect(isInvited('everyone', property)).toBe(true);
    expect(isInvited('residents', resident)).toBe(true);
    expect(isInvited('residents', { roles: ['gate_leader'], partyMember: false })).toBe(true);
    expect(isInvited('residents', property)).toBe(false);
    expect(isInvited('residents', { roles: ['observer'], partyMember: true })).toBe(false);
    expect(isInvited('party_members', resident)).toBe(false);
    expect(isInvited('party_members', partyResident)).toBe(true);
    expect(isInvited('party_members', { roles: ['property_company'], partyMember: true })).toBe(true);
    for (const a of ['everyone', 'residents', 'party_members'] as const) expect(isInvited(a, chair)).toBe(true);
  });

  it('lets a meeting take up items of compounds within its scope only', () => {
    const a = { compoundId: 'a', communityId: 'c1', street: '麦子店街道' };
    const b = { compoundId: 'b', communityId: 'c1', street: '麦子店街道' };
    const d = { compoundId: 'd', communityId: 'c2', street: '麦子店街道' };
    const far = { compoundId: 'e', communityId: 'c3', street: '三里屯街道' };
    expect(scopeCovers('compound', a, a)).toBe(true);
    expect(scopeCovers('compound', a, b)).toBe(false);
    expect(scopeCovers('community', a, b)).toBe(true);
    expect(scopeCovers('community', a, d)).toBe(false);
    expect(scopeCovers('street', a, d)).toBe(true);
    expect(scopeCovers('street', a, far)).toBe(false);
  });
});
