import type {
  CompoundView,
  CreateInvitationRequest,
  HouseholdAreaView,
  HouseholdView,
  ImportReport,
  InvitationView,
  MemberView,
} from '@yishi/shared';
import { ApiRequestError, request } from './http';
import { compoundPath } from './paths';

function isImportReport(value: unknown): value is ImportReport {
  return typeof value === 'object' && value !== null && 'errors' in value && Array.isArray(value.errors);
}

/** A compound, its households and members, invitations, and the owner register. */
export const compoundsApi = {
  compound: (compoundId: string) => request<CompoundView>(compoundPath(compoundId)),

  households: (compoundId: string) => request<HouseholdView[]>(`${compoundPath(compoundId)}/households`),

  members: (compoundId: string) => request<MemberView[]>(`${compoundPath(compoundId)}/members`),

  /** Marks or unmarks a member as a party member (党员): every role of theirs in the compound. */
  setPartyMember: (compoundId: string, userId: string, partyMember: boolean) =>
    request<void>(`${compoundPath(compoundId)}/members/${encodeURIComponent(userId)}/party`, { method: 'PUT', body: { partyMember } }),

  invitations: (compoundId: string) => request<InvitationView[]>(`${compoundPath(compoundId)}/invitations`),

  createInvitation: (compoundId: string, body: CreateInvitationRequest) =>
    request<InvitationView>(`${compoundPath(compoundId)}/invitations`, { method: 'POST', body }),

  revokeInvitation: (compoundId: string, invitationId: string) =>
    request<void>(`${compoundPath(compoundId)}/invitations/${encodeURIComponent(invitationId)}`, { method: 'DELETE' }),

  /** Households' floor areas (no names), for what each pays of the residents' share. */
  householdAreas: (compoundId: string) => request<HouseholdAreaView[]>(`${compoundPath(compoundId)}/household-areas`),

  /**
   * Checks (dryRun) or imports the owner register. A register with bad rows is answered with
   * 422 IMPORT_INVALID carrying the report; that is an expected outcome here, not a failure.
   */
  async importRegister(compoundId: string, file: File, dryRun: boolean, createBuildings: boolean): Promise<ImportReport> {
    const form = new FormData();
    form.append('file', file);
    const query = `dryRun=${dryRun}&createBuildings=${createBuildings}`;
    try {
      return await request<ImportReport>(`${compoundPath(compoundId)}/register/import?${query}`, { method: 'POST', body: form });
    } catch (error) {
      if (error instanceof ApiRequestError && error.code === 'IMPORT_INVALID' && isImportReport(error.details)) {
        return error.details;
      }
      throw error;
    }
  },
};
