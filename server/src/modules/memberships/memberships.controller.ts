import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  createInvitationSchema,
  type InvitationView,
  type MembershipView,
  type MemberView,
  type MeView,
  redeemSchema,
  registerProxySchema,
  setPartyMemberSchema,
  setVoterSchema,
} from '@yishi/shared';
import type { z } from 'zod';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can, SignedIn } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from './compound-access';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';

@ApiTags('members')
@Controller()
export class MembershipsController {
  constructor(
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
  ) {}

  /** The signed-in user and their memberships in every compound. */
  @Get('me')
  @SignedIn()
  me(@Auth() auth: AuthContext): Promise<MeView> {
    return this.members.me(auth.userId);
  }

  /** Adds a membership to the signed-in account with an invitation code. */
  @Post('invitations/redeem')
  @SignedIn()
  redeem(@Auth() auth: AuthContext, @ValidBody(redeemSchema) body: z.output<typeof redeemSchema>): Promise<MembershipView> {
    return this.invitations.redeem(auth.userId, body.code);
  }

  @Get('compounds/:compoundId/members')
  @Can('member.list')
  list(@Access() access: CompoundAccess): Promise<MemberView[]> {
    return this.members.list(access.compoundId);
  }

  @Delete('compounds/:compoundId/members/:membershipId')
  @Can('member.remove')
  @HttpCode(204)
  async remove(@Access() access: CompoundAccess, @Param('membershipId', UuidParam) id: string): Promise<void> {
    await this.members.remove(access.compoundId, id);
  }

  /** Marks or unmarks a member (every role of theirs in the compound) as a party member. */
  @Put('compounds/:compoundId/members/:userId/party')
  @Can('member.mark_party')
  @HttpCode(204)
  async setPartyMember(
    @Access() access: CompoundAccess,
    @Param('userId', UuidParam) userId: string,
    @ValidBody(setPartyMemberSchema) body: z.output<typeof setPartyMemberSchema>,
  ): Promise<void> {
    await this.members.setPartyMember(access.compoundId, userId, body.partyMember);
  }

  @Put('compounds/:compoundId/households/:householdId/voter')
  @Can('household.set_voter')
  @HttpCode(204)
  async setVoter(
    @Access() access: CompoundAccess,
    @Param('householdId', UuidParam) householdId: string,
    @ValidBody(setVoterSchema) body: z.output<typeof setVoterSchema>,
  ): Promise<void> {
    await this.members.setVoter(access.compoundId, householdId, body.userId);
  }

  @Put('compounds/:compoundId/households/:householdId/proxy')
  @Can('household.register_proxy')
  @HttpCode(204)
  async registerProxy(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('householdId', UuidParam) householdId: string,
    @ValidBody(registerProxySchema) body: z.output<typeof registerProxySchema>,
  ): Promise<void> {
    await this.members.registerProxy(access, auth.userId, householdId, body);
  }

  @Get('compounds/:compoundId/invitations')
  @Can('invitation.list')
  listInvitations(@Access() access: CompoundAccess, @Auth() auth: AuthContext): Promise<InvitationView[]> {
    return this.invitations.list(access, auth.userId);
  }

  @Post('compounds/:compoundId/invitations')
  @Can('invitation.create')
  createInvitation(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidBody(createInvitationSchema) body: z.output<typeof createInvitationSchema>,
  ): Promise<InvitationView> {
    return this.invitations.create(access, auth.userId, body);
  }

  @Delete('compounds/:compoundId/invitations/:invitationId')
  @Can('invitation.revoke')
  @HttpCode(204)
  async revokeInvitation(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('invitationId', UuidParam) id: string,
  ): Promise<void> {
    await this.invitations.revoke(access, auth.userId, id);
  }
}
