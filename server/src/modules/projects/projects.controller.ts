import { Controller, Get, HttpCode, Param, Patch, Post, Res, UploadedFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  acceptanceSchema,
  createProjectSchema,
  type DemandProjects,
  demandProjectsQuerySchema,
  endProjectSchema,
  milestoneSchema,
  type ProjectCounts,
  type ProjectDetailView,
  projectListQuerySchema,
  type ProjectPage,
  progressSchema,
  updateProjectSchema,
} from '@yishi/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody, ValidQuery } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { ListPhotoUpload, sendListPhoto, uploadedListPhoto } from '../demands/list-photos';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { ProjectQueriesService } from './project-queries.service';
import { ProjectsService } from './projects.service';

/** 项目清单 over HTTP (docs/protocol.md lists the routes). */
@ApiTags('projects')
@Controller('compounds/:compoundId')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly queries: ProjectQueriesService,
  ) {}

  @Get('projects')
  @Can('project.view')
  list(
    @Access() access: CompoundAccess,
    @ValidQuery(projectListQuerySchema) q: z.output<typeof projectListQuerySchema>,
  ): Promise<ProjectPage> {
    return this.queries.list(access.compoundId, q);
  }

  /** "9 projects, 6 done". */
  @Get('project-counts')
  @Can('project.view')
  counts(@Access() access: CompoundAccess): Promise<ProjectCounts> {
    return this.queries.counts(access.compoundId);
  }

  /** The projects that answered each of the given demands. */
  @Get('demand-projects')
  @Can('project.view')
  byDemand(
    @Access() access: CompoundAccess,
    @ValidQuery(demandProjectsQuerySchema) q: z.output<typeof demandProjectsQuerySchema>,
  ): Promise<DemandProjects[]> {
    return this.queries.byDemand(access.compoundId, q.demandIds);
  }

  @Get('projects/:projectId')
  @Can('project.view')
  get(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('projectId', UuidParam) id: string): Promise<ProjectDetailView> {
    return this.queries.detail(access.compoundId, id, auth.userId);
  }

  @Post('projects')
  @Can('project.manage')
  create(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidBody(createProjectSchema) body: z.output<typeof createProjectSchema>,
  ): Promise<ProjectDetailView> {
    return this.projects.create(access.compoundId, auth.userId, body);
  }

  @Patch('projects/:projectId')
  @Can('project.manage')
  update(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('projectId', UuidParam) id: string,
    @ValidBody(updateProjectSchema) body: z.output<typeof updateProjectSchema>,
  ): Promise<ProjectDetailView> {
    return this.projects.update(access.compoundId, auth.userId, id, body);
  }

  @Post('projects/:projectId/milestones')
  @Can('project.report')
  addMilestone(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('projectId', UuidParam) id: string,
    @ValidBody(milestoneSchema) body: z.output<typeof milestoneSchema>,
  ): Promise<ProjectDetailView> {
    return this.projects.addMilestone(access.compoundId, auth.userId, access.roles, id, body);
  }

  @Post('projects/:projectId/milestones/:milestoneId/done')
  @HttpCode(200)
  @Can('project.report')
  completeMilestone(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('projectId', UuidParam) id: string,
    @Param('milestoneId', UuidParam) milestoneId: string,
  ): Promise<ProjectDetailView> {
    return this.projects.completeMilestone(access.compoundId, auth.userId, access.roles, id, milestoneId);
  }

  @Post('projects/:projectId/updates')
  @Can('project.report')
  progress(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('projectId', UuidParam) id: string,
    @ValidBody(progressSchema) body: z.output<typeof progressSchema>,
  ): Promise<ProjectDetailView> {
    return this.projects.progress(access.compoundId, auth.userId, access.roles, id, body.note);
  }

  /** A photo of a progress note (multipart `photo`: JPEG, PNG or WebP); stored downscaled, without metadata. At most six a note. */
  @Post('projects/:projectId/updates/:updateId/photos')
  @Can('project.report')
  @ListPhotoUpload()
  addPhoto(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('projectId', UuidParam) id: string,
    @Param('updateId', UuidParam) updateId: string,
    @UploadedFile() photo: Express.Multer.File | undefined,
  ): Promise<ProjectDetailView> {
    return this.projects.addUpdatePhoto(access.compoundId, auth.userId, access.roles, id, updateId, uploadedListPhoto(photo));
  }

  @Get('projects/:projectId/photos/:photoId')
  @Can('project.view')
  async photo(
    @Access() access: CompoundAccess,
    @Param('projectId', UuidParam) id: string,
    @Param('photoId', UuidParam) photoId: string,
    @Res() res: Response,
  ): Promise<void> {
    sendListPhoto(res, await this.projects.photo(access.compoundId, id, photoId));
  }

  /** Done or stopped with a reason; an ended project cannot move again. */
  @Post('projects/:projectId/end')
  @HttpCode(200)
  @Can('project.manage')
  end(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('projectId', UuidParam) id: string,
    @ValidBody(endProjectSchema) body: z.output<typeof endProjectSchema>,
  ): Promise<ProjectDetailView> {
    return this.projects.end(access.compoundId, auth.userId, id, body);
  }

  /** A resident's satisfaction check of a done project, once. */
  @Post('projects/:projectId/acceptance')
  @Can('project.accept')
  accept(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('projectId', UuidParam) id: string,
    @ValidBody(acceptanceSchema) body: z.output<typeof acceptanceSchema>,
  ): Promise<ProjectDetailView> {
    return this.projects.accept(access.compoundId, auth.userId, id, body);
  }
}
