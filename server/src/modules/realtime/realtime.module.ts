import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { RealtimeGateway } from './realtime.gateway';

/** The Socket.IO gateway: live meetings (and, later, document sync) over one connection. */
@Module({
  imports: [MeetingsModule, MembershipsModule],
  providers: [RealtimeGateway],
})
export class RealtimeModule {}
