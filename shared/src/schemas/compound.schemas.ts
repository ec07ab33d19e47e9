import { z } from 'zod';
import { ORGANISATION_ROLES, ROLES } from '../domain/roles';

/** The longest name of a building, building gate or unit, and of an owner: the same everywhere (API, register import). */
export const MAX_PLACE_NAME = 40;
/** A building's, a gate's or a unit's name, wherever one is given. */
export const placeNameSchema = z.string().trim().min(1, 'required').max(MAX_PLACE_NAME, `at most ${MAX_PLACE_NAME} characters`);
/** An owner's name in the owner register. */
export const ownerNameSchema = placeNameSchema;
const name = placeNameSchema;

export const buildingsSchema = z.object({
  buildings: z
    .array(z.object({ name, gates: z.array(name).max(20).default([]) }))
    .min(1, 'at least one building')
    .max(200),
});
export type BuildingsRequest = z.input<typeof buildingsSchema>;

export const createInvitationSchema = z
  .object({
    role: z.enum(ROLES),
    /** For residents and gate leaders: the household they belong to. */
    householdId: z.uuid().optional(),
    /** For organisation roles: the organisation they represent. */
    organisationId: z.uuid().optional(),
    /** For gate leaders: the building gate they lead. */
    gateId: z.uuid().optional(),
    /** The new member becomes the household's designated voter. */
    designatedVoter: z.boolean().default(false),
    /** How long the code stays valid, in hours (default one week). */
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24 * 7),
    /** How many people may join with it (default one). */
    maxUses: z.number().int().min(1).max(500).default(1),
  })
  .refine((v) => !['resident', 'gate_leader'].includes(v.role) || v.householdId, {
    message: 'a household is required for this role',
    path: ['householdId'],
  })
  .refine((v) => v.role !== 'gate_leader' || v.gateId, { message: 'a building gate is required for a gate leader', path: ['gateId'] })
  .refine((v) => !ORGANISATION_ROLES.includes(v.role) || v.organisationId, {
    message: 'an organisation is required for this role',
    path: ['organisationId'],
  })
  .refine((v) => !v.designatedVoter || v.householdId, { message: 'only a household member can be its voter', path: ['designatedVoter'] });
export type CreateInvitationRequest = z.input<typeof createInvitationSchema>;

export const setVoterSchema = z.object({ userId: z.uuid() });
export type SetVoterRequest = z.infer<typeof setVoterSchema>;

/** PUT /api/compounds/:compoundId/members/:userId/party: mark or unmark a member as a party member (党员). */
export const setPartyMemberSchema = z.object({ partyMember: z.boolean() });
export type SetPartyMemberRequest = z.infer<typeof setPartyMemberSchema>;

export const registerProxySchema = z.object({
  /** The proxy's user; null clears the registered proxy. */
  userId: z.uuid().nullable(),
  /** Where the signed authorisation (委托书) is kept, or any remark. */
  note: z.string().trim().max(200).optional(),
});
export type RegisterProxyRequest = z.infer<typeof registerProxySchema>;

export const createOrganisationSchema = z
  .object({
    kind: z.enum(['property_company', 'property_rights_unit', 'street_department', 'party_branch', 'partner_unit']),
    name: z.string().trim().min(1).max(80),
    /** What a partner unit is, in the community's words (社区卫生服务中心, 辖区企业, 区房管局…). */
    partnerType: z.string().trim().min(1).max(40).optional(),
    /** Who to call there. */
    contact: z.string().trim().max(100).optional(),
  })
  .refine((o) => o.kind !== 'partner_unit' || o.partnerType, { message: 'say what kind of partner unit it is', path: ['partnerType'] });
export type CreateOrganisationRequest = z.infer<typeof createOrganisationSchema>;

/**
 * The register import's query. `dryRun` must be said, exactly `true` (check and report) or
 * `false` (import): a missing, repeated (`dryRun=true&dryRun=false`) or bracketed (`dryRun[]=true`)
 * flag, or any other parameter, is a 400, so the import never runs for real unless asked plainly.
 */
export const importRegisterQuerySchema = z
  .object({
    dryRun: z
      .enum(['true', 'false'], { error: 'say dryRun=true to check the file or dryRun=false to import it' })
      .transform((v) => v === 'true'),
    /** Create buildings and gates named in the file that the compound does not have yet. */
    createBuildings: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .strict();
