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
  ],
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectQueriesService],
})
export class ProjectsModule {}
