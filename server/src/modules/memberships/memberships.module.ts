import { Module } from '@nestjs/common';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';
import { MembershipsController } from './memberships.controller';

/** Memberships (a user's roles in a compound), voters and proxies, and invitation codes. */
@Module({
  controllers: [MembershipsController],
  providers: [MembersService, InvitationsService],
  exports: [MembersService, InvitationsService],
})
export class MembershipsModule {}
