import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { DocumentsModule } from '../documents/documents.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { DocsGateway } from './docs.gateway';
import { RealtimeGateway } from './realtime.gateway';
import { VotesGateway } from './votes.gateway';
import { VotesModule } from '../votes/votes.module';

/** The Socket.IO gateways: live meetings, document sync and votes over one connection. */
@Module({
  imports: [MeetingsModule, MembershipsModule, ProposalsModule, DocumentsModule, VotesModule],
  providers: [RealtimeGateway, DocsGateway, VotesGateway],
})
export class RealtimeModule {}
