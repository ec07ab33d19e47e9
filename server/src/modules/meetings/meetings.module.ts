import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgendaItem, Attendance, ChatMessage, Meeting, Speaker } from './meeting.entities';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';
import { SpeakerTimerService } from './speaker-timer.service';

/** Meetings: scheduling over HTTP; the state and changes of live meetings for the realtime gateway. */
@Module({
  imports: [TypeOrmModule.forFeature([Meeting, AgendaItem, Attendance, Speaker, ChatMessage])],
  controllers: [MeetingsController],
  providers: [MeetingsService, SpeakerTimerService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
