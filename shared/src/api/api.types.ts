import type { OrganisationKind, Role } from '../domain/roles';

export interface UserSummary {
  id: string;
  displayName: string;
  username: string | null;
  phone: string | null;
}

export interface AuthTokens {
  accessToken: string;
  /** ISO time at which the access token stops working; refresh before then. */
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: UserSummary;
}

export interface MembershipView {
  id: string;
  compoundId: string;
  compoundName: string;
  communityName: string;
  role: Role;
  householdId: string | null;
  /** "3号楼 2单元 301" */
  householdLabel: string | null;
  gateId: string | null;
  organisationId: string | null;
  organisationName: string | null;
  /** A party member (党员) of this compound, as the chair marked them; party meetings invite them. */
  partyMember: boolean;
}

export interface MeView {
  user: UserSummary;
  memberships: MembershipView[];
}

export interface GateView {
  id: string;
  name: string;
}
export interface BuildingView {
  id: string;
  name: string;
  gates: GateView[];
}
export interface OrganisationView {
  id: string;
  kind: OrganisationKind;
  name: string;
  /** Partner units: what they are; null for the other kinds. */
  partnerType?: string | null;
}

export interface CompoundView {
  id: string;
  name: string;
  communityId: string;
  communityName: string;
  buildings: BuildingView[];
  organisations: OrganisationView[];
  householdCount: number;
  /** Sum of the households' exclusive areas, in 0.01 m². */
  totalAreaCentiM2: number;
  /** The caller's roles in this compound. */
  myRoles: Role[];
}

export interface OwnerView {
  id: string;
  name: string;
  phone: string | null;
}

export interface HouseholdView {
  id: string;
  buildingId: string;
  buildingName: string;
  gateId: string | null;
  gateName: string | null;
  unit: string;
  label: string;
  /** Exclusive floor area in 0.01 m². */
  areaCentiM2: number;
  developerHeld: boolean;
  owners: OwnerView[];
  voter: UserSummary | null;
  proxy: UserSummary | null;
  proxyNote: string | null;
}

export interface MemberView {
  membershipId: string;
  user: UserSummary;
  role: Role;
  householdId: string | null;
  householdLabel: string | null;
  gateId: string | null;
  organisationId: string | null;
  organisationName: string | null;
  /** The person is a party member (党员) of the compound: the same on every role they hold there. */
  partyMember: boolean;
  joinedAt: string;
}

export interface InvitationView {
  id: string;
  code: string;
  role: Role;
  householdId: string | null;
  householdLabel: string | null;
  gateId: string | null;
  organisationId: string | null;
  designatedVoter: boolean;
  expiresAt: string;
  maxUses: number;
  uses: number;
  revoked: boolean;
  createdAt: string;
}

export interface ImportRowError {
  /** Line number in the file, counting the header as line 1. */
  line: number;
  reason: ImportErrorReason;
  message: string;
}

export type ImportErrorReason =
  | 'missing_building'
  | 'unknown_building'
  | 'unknown_gate'
  | 'missing_header'
  | 'empty_file'
  | 'missing_unit'
  | 'duplicate_unit'
  | 'missing_area'
  | 'malformed_area'
  | 'missing_owner'
  | 'malformed_phone'
  | 'owner_phone_mismatch'
  | 'too_many_rows'
  | 'malformed_csv'
  /** A building, gate or unit name, or an owner's name, longer than the limit (the same as everywhere else). */
  | 'name_too_long'
  /** A floor area of 0: every unit has an exclusive area, and the head and area counts rest on it. */
  | 'zero_area'
  /** One phone number under two different names: an owner is identified by phone, so one of them is wrong. */
  | 'phone_conflict';

export interface ImportReport {
  dryRun: boolean;
  ok: boolean;
  rows: number;
  errors: ImportRowError[];
  households: { created: number; updated: number; unchanged: number };
  owners: { created: number; updated: number };
  buildings: { created: number };
  gates: { created: number };
}

export interface HealthView {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  /** The database committed a small write just now (false with a full disk, say). */
  writable: boolean;
  redis: 'up' | 'down' | 'not_configured';
  uptimeS: number;
}

/** `/api/health/live`: the process is up and its event loop answers. */
export interface LivenessView {
  status: 'ok';
  uptimeS: number;
}

/** `/api/health/ready` (503 unless `ready`): may a balancer send this node new work? */
export interface ReadinessView {
  ready: boolean;
  /** The node got SIGTERM and is finishing its in-flight work before it stops. */
  draining: boolean;
  database: 'up' | 'down';
  writable: boolean;
}
