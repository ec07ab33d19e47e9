import { HOUSEHOLD_ROLES, type Role } from './roles';
import type { RuleId } from './vote-rule-catalogue';

/**
 * The kinds of meeting a community holds (issue 16). The seed story counts its meetings by these:
 * party lessons, organisational-life meetings, deliberation meetings, branch meetings.
 */
export const MEETING_KINDS = [
  'deliberation',
  'discussion',
  'topic',
  'advice',
  'party_branch',
  'party_lesson',
  'organisational_life',
  'assembly',
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** Where a meeting sits: one compound, the whole community, or the street with its communities. */
export const MEETING_SCOPES = ['compound', 'community', 'street'] as const;
export type MeetingScope = (typeof MEETING_SCOPES)[number];

/**
 * Who a meeting invites: everyone with a role in the compound, its residents (the households'
 * people), or its party members (党员, marked by the chair). A kind proposes one; the chair may
 * choose another when scheduling, and the meeting stores it.
 */
export const MEETING_AUDIENCES = ['everyone', 'residents', 'party_members'] as const;
export type MeetingAudience = (typeof MEETING_AUDIENCES)[number];

export interface MeetingKindInfo {
  kind: MeetingKind;
  zh: string;
  en: string;
  audience: MeetingAudience;
  /** Whether vote rounds may be held in it: a party lesson teaches, it decides nothing. */
  holdsVotes: boolean;
  /** The rule the schedule form proposes for it; null leaves each round its own. */
  defaultRule: RuleId | null;
}

export const MEETING_KIND_TABLE: Record<MeetingKind, MeetingKindInfo> = {
  deliberation: {
    kind: 'deliberation',
    zh: '议事协商会',
    en: 'Deliberation meeting',
    audience: 'everyone',
    holdsVotes: true,
    defaultRule: null,
  },
  discussion: {
    kind: 'discussion',
    zh: '座谈会',
    en: 'Discussion',
    audience: 'everyone',
    holdsVotes: true,
    defaultRule: 'simple_majority',
  },
  topic: { kind: 'topic', zh: '专题会', en: 'Topic meeting', audience: 'everyone', holdsVotes: true, defaultRule: null },
  advice: { kind: 'advice', zh: '问计会', en: 'Advice-seeking meeting', audience: 'everyone', holdsVotes: false, defaultRule: null },
  party_branch: {
    kind: 'party_branch',
    zh: '党支部会议',
    en: 'Party-branch meeting',
    audience: 'party_members',
    holdsVotes: true,
    defaultRule: 'simple_majority',
  },
  party_lesson: { kind: 'party_lesson', zh: '党课', en: 'Party lesson', audience: 'party_members', holdsVotes: false, defaultRule: null },
  organisational_life: {
    kind: 'organisational_life',
    zh: '组织生活会',
    en: 'Organisational-life meeting',
    audience: 'party_members',
    holdsVotes: false,
    defaultRule: null,
  },
  assembly: {
    kind: 'assembly',
    zh: '居民大会',
    en: "Residents' assembly",
    audience: 'residents',
    holdsVotes: true,
    defaultRule: 'art278_ordinary',
  },
};

export const MEETING_AUDIENCE_LABELS: Record<MeetingAudience, { zh: string; en: string }> = {
  // Everyone with a role here: residents, the property company, the rights unit, departments, observers.
  everyone: { zh: '本小区全体成员', en: 'Everyone in the compound' },
  residents: { zh: '全体居民', en: 'All residents' },
  party_members: { zh: '党员', en: 'Party members' },
};

/** Who is invited, in the reader's language ("党员"). */
export function meetingAudienceLabel(audience: MeetingAudience, language: string): string {
  return MEETING_AUDIENCE_LABELS[audience][language.startsWith('zh') ? 'zh' : 'en'];
}

/**
 * Whether a member, with their roles and party membership in the compound they reach the meeting
 * through, is among those a meeting invites. The chair runs every meeting of the compound and so
 * is always invited; people outside the audience may follow the meeting but not take part in it.
 */
export function isInvited(audience: MeetingAudience, member: { roles: readonly Role[]; partyMember: boolean }): boolean {
  if (audience === 'everyone' || member.roles.includes('chair')) return true;
  if (audience === 'residents') return member.roles.some((r) => HOUSEHOLD_ROLES.includes(r));
  return member.partyMember;
}

/** The kind's name in the reader's language (anything not Chinese reads English). */
export function meetingKindLabel(kind: MeetingKind, language: string): string {
  const info = MEETING_KIND_TABLE[kind];
  return language.startsWith('zh') ? info.zh : info.en;
}

/** Why a round may not be opened in a meeting of this kind, or null when it may. */
export function voteRefusal(kind: MeetingKind): { zh: string; en: string } | null {
  const info = MEETING_KIND_TABLE[kind];
  if (info.holdsVotes) return null;
  return { zh: `${info.zh}不进行表决`, en: `A ${info.en.toLowerCase()} holds no votes` };
}

/**
 * Whether a meeting of `scope` hosted by a compound may take up an item about another compound:
 * within its community for a community meeting, within its street for a street meeting.
 */
export function scopeCovers(
  scope: MeetingScope,
  host: { compoundId: string; communityId: string; street: string },
  other: { compoundId: string; communityId: string; street: string },
): boolean {
  if (scope === 'compound') return host.compoundId === other.compoundId;
  if (scope === 'community') return host.communityId === other.communityId;
  return host.street === other.street;
}
