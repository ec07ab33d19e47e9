import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { DocsModule } from '../docs/docs.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { DocsGateway } from './docs.gateway';
import { RealtimeGateway } from './realtime.gateway';

/** The Socket.IO gateway: live meetings (and, later, document sync) over one connection. */
@Module({
  imports: [MeetingsModule, MembershipsModule, ProposalsModule, DocsModule],
  providers: [RealtimeGateway, DocsGateway],
})
export class RealtimeModule {}
