import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgendaItem, Attendance, ChatMessage, Meeting, Speaker } from './meeting.entities';
import { MeetingsController } from './meetings.controller';
import { AttendanceService } from './attendance.service';
import { FloorService } from './floor.service';
import { MeetingAccess } from './meeting-access.service';
import { MeetingChanges } from './meeting-changes.service';
import { MeetingChatService } from './meeting-chat.service';
import { MeetingsService } from './meetings.service';
import { SpeakerTimerService } from './speaker-timer.service';

/** Meetings: scheduling over HTTP; the state and changes of live meetings (life cycle, attendance, floor, chat) and who reaches a wider meeting as a guest, for the realtime gateways. */
@Module({
  imports: [TypeOrmModule.forFeature([Meeting, AgendaItem, Attendance, Speaker, ChatMessage])],
  controllers: [MeetingsController],
  providers: [MeetingChanges, MeetingsService, MeetingAccess, AttendanceService, FloorService, MeetingChatService, SpeakerTimerService],
  exports: [MeetingsService, MeetingAccess, AttendanceService, FloorService, MeetingChatService],
})
export class MeetingsModule {}
