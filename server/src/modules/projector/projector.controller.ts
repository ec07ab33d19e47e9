import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { CreatedProjectorLink, ProjectorLinkView } from '@yishi/shared';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { ProjectorLinksService } from './projector-links.service';

/** The chair's 投屏 link of a meeting. The screen itself reads over Socket.IO (docs/protocol.md, Projector). */
@ApiTags('projector')
@Controller('compounds/:compoundId/meetings/:meetingId/projector-link')
export class ProjectorController {
  constructor(private readonly links: ProjectorLinksService) {}

  @Get()
  @Can('meeting.run')
  status(@Access() access: CompoundAccess, @Param('meetingId', UuidParam) meetingId: string): Promise<ProjectorLinkView> {
    return this.links.status(access.compoundId, meetingId);
  }

  @Post()
  @Can('meeting.run')
  create(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
  ): Promise<CreatedProjectorLink> {
    return this.links.create(access.compoundId, meetingId, auth.userId);
  }

  @Delete()
  @Can('meeting.run')
  @HttpCode(200)
  revoke(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
  ): Promise<ProjectorLinkView> {
    return this.links.revoke(access.compoundId, meetingId, auth.userId);
  }
}
