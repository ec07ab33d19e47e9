import { Module } from '@nestjs/common';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';
import { SpeakerTimerService } from './speaker-timer.service';

/** Meetings: scheduling over HTTP; the state and changes of live meetings for the realtime gateway. */
@Module({
  controllers: [MeetingsController],
  providers: [MeetingsService, SpeakerTimerService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
