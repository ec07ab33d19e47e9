import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Invitation, Membership } from './membership.entities';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';
import { MembershipsController } from './memberships.controller';

/** Memberships (a user's roles in a compound), voters and proxies, and invitation codes. */
@Module({
  imports: [TypeOrmModule.forFeature([Membership, Invitation])],
  controllers: [MembershipsController],
  providers: [MembersService, InvitationsService],
  // TypeOrmModule: the AccessService reads memberships through their repository.
  exports: [MembersService, InvitationsService, TypeOrmModule],
})
export class MembershipsModule {}
