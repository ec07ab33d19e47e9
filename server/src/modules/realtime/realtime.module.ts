import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { DocumentsModule } from '../documents/documents.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { MinutesModule } from '../minutes/minutes.module';
import { ProjectorModule } from '../projector/projector.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { VotesModule } from '../votes/votes.module';
import { ConnectionGateway } from './connection.gateway';
import { DocAwarenessRelay } from './doc-awareness';
import { DocFanout } from './doc-fanout';
import { DocRights } from './doc-rights';
import { DocsGateway } from './docs.gateway';
import { MeetingsGateway } from './meetings.gateway';
import { ProjectorGateway } from './projector.gateway';
import { SocketCommands } from './socket-commands';
import { VotesGateway } from './votes.gateway';
import { ListsGateway } from './lists.gateway';

/**
 * The one Socket.IO connection: its handshake (ConnectionGateway), the command pipeline every
 * gateway shares (SocketCommands), and a gateway per feature: live meetings, co-edited
 * documents (with their fan-out and awareness relay), votes, the lists' and whistles' changes,
 * and the projector's read-only screen of a meeting.
 */
@Module({
  imports: [MeetingsModule, MembershipsModule, ProposalsModule, DocumentsModule, VotesModule, MinutesModule, ProjectorModule],
  providers: [
    ConnectionGateway,
    MeetingsGateway,
    DocsGateway,
    VotesGateway,
    ProjectorGateway,
    SocketCommands,
    DocFanout,
    DocAwarenessRelay,
    ListsGateway,
    DocRights,
  ],
})
export class RealtimeModule {}
