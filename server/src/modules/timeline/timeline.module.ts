import { Module } from '@nestjs/common';
import { TimelineController } from './timeline.controller';
import { TimelineService } from './timeline.service';

/** The process at a glance: a proposal's whole path, assembled from the stored rows of every module it passed through. */
@Module({ controllers: [TimelineController], providers: [TimelineService] })
export class TimelineModule {}
