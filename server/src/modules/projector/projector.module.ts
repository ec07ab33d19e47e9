import { Module } from '@nestjs/common';
import { MeetingsModule } from '../meetings/meetings.module';
import { ProjectorController } from './projector.controller';
import { ProjectorLinksService } from './projector-links.service';

/** The projector view of a live meeting: the chair's revocable links; the screen's socket is served by realtime/. */
@Module({
  imports: [MeetingsModule],
  controllers: [ProjectorController],
  providers: [ProjectorLinksService],
  exports: [ProjectorLinksService],
})
export class ProjectorModule {}
