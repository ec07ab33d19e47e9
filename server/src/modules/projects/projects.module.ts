import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  Project,
  ProjectAcceptance,
  ProjectDemand,
  ProjectMeeting,
  ProjectMilestone,
  ProjectResource,
  ProjectUpdate,
  ProjectUpdatePhoto,
} from './project.entities';
import { listPhotoUploads } from '../demands/list-photos';
import { VotesModule } from '../votes/votes.module';
import { ProjectQueriesService } from './project-queries.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

/** 项目清单: projects from demands through deliberation to done (with residents' acceptance) or stopped. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Project,
      ProjectMeeting,
      ProjectDemand,
      ProjectResource,
      ProjectMilestone,
      ProjectUpdate,
      ProjectUpdatePhoto,
      ProjectAcceptance,
    ]),
    // Progress photos go through the same pipeline as demand photos (PaperPhotos, its upload slots).
    VotesModule,
    listPhotoUploads('project'),
  ],
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectQueriesService],
})
export class ProjectsModule {}
