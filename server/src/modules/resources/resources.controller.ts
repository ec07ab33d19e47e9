import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  createResourceSchema,
  type ResourcePage,
  resourceListQuerySchema,
  type ResourceView,
  zoneSchema,
  type ZoneView,
} from '@yishi/shared';
import type { z } from 'zod';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody, ValidQuery } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { ResourcesService } from './resources.service';

/** 资源清单 and 责任田 over HTTP: members see them, the chair keeps them. */
@ApiTags('resources')
@Controller('compounds/:compoundId')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Get('resources')
  @Can('resource.view')
  list(
    @Access() access: CompoundAccess,
    @ValidQuery(resourceListQuerySchema) q: z.output<typeof resourceListQuerySchema>,
  ): Promise<ResourcePage> {
    return this.resources.list(access.compoundId, q);
  }

  @Get('resources/:resourceId')
  @Can('resource.view')
  get(@Access() access: CompoundAccess, @Param('resourceId', UuidParam) id: string): Promise<ResourceView> {
    return this.resources.get(access.compoundId, id);
  }

  @Post('resources')
  @Can('resource.manage')
  create(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidBody(createResourceSchema) body: z.output<typeof createResourceSchema>,
  ): Promise<ResourceView> {
    return this.resources.create(access.compoundId, auth.userId, body);
  }

  @Put('resources/:resourceId')
  @Can('resource.manage')
  update(
    @Access() access: CompoundAccess,
    @Param('resourceId', UuidParam) id: string,
    @ValidBody(createResourceSchema) body: z.output<typeof createResourceSchema>,
  ): Promise<ResourceView> {
    return this.resources.update(access.compoundId, id, body);
  }

  @Post('resources/:resourceId/archive')
  @HttpCode(200)
  @Can('resource.manage')
  archive(@Access() access: CompoundAccess, @Param('resourceId', UuidParam) id: string): Promise<ResourceView> {
    return this.resources.setArchived(access.compoundId, id, true);
  }

  @Post('resources/:resourceId/restore')
  @HttpCode(200)
  @Can('resource.manage')
  restore(@Access() access: CompoundAccess, @Param('resourceId', UuidParam) id: string): Promise<ResourceView> {
    return this.resources.setArchived(access.compoundId, id, false);
  }

  @Get('zones')
  @Can('resource.view')
  zones(@Access() access: CompoundAccess): Promise<ZoneView[]> {
    return this.resources.zones(access.compoundId);
  }

  @Post('zones')
  @Can('resource.manage')
  createZone(@Access() access: CompoundAccess, @ValidBody(zoneSchema) body: z.output<typeof zoneSchema>): Promise<ZoneView> {
    return this.resources.createZone(access.compoundId, body);
  }

  @Put('zones/:zoneId')
  @Can('resource.manage')
  updateZone(
    @Access() access: CompoundAccess,
    @Param('zoneId', UuidParam) id: string,
    @ValidBody(zoneSchema) body: z.output<typeof zoneSchema>,
  ): Promise<ZoneView> {
    return this.resources.updateZone(access.compoundId, id, body);
  }

  @Delete('zones/:zoneId')
  @HttpCode(204)
  @Can('resource.manage')
  deleteZone(@Access() access: CompoundAccess, @Param('zoneId', UuidParam) id: string): Promise<void> {
    return this.resources.deleteZone(access.compoundId, id);
  }
}
