import { Controller, Get, HttpCode, Param, Post, Res, UploadedFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  changeDemandStatusSchema,
  createDemandSchema,
  type DemandCounts,
  type DemandDetailView,
  demandListQuerySchema,
  type DemandPage,
  secondDemandSchema,
} from '@yishi/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody, ValidQuery } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { DemandQueriesService } from './demand-queries.service';
import { DemandsService } from './demands.service';
import { ListPhotoUpload, sendListPhoto, uploadedListPhoto } from './list-photos';

/** 需求清单: the compound's demands. */
@ApiTags('demands')
@Controller('compounds/:compoundId/demands')
export class DemandsController {
  constructor(
    private readonly demands: DemandsService,
    private readonly queries: DemandQueriesService,
  ) {}

  /** A page of demands, filtered, searched (a Chinese substring of title or text) and sorted; `nextCursor` fetches the next. */
  @Get()
  @Can('demand.view')
  list(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidQuery(demandListQuerySchema) q: z.output<typeof demandListQuerySchema>,
  ): Promise<DemandPage> {
    return this.queries.page(access, auth.userId, q);
  }

  /** How many demands, by status, category, channel and building. */
  @Get('counts')
  @Can('demand.view')
  counts(@Access() access: CompoundAccess): Promise<DemandCounts> {
    return this.queries.counts(access);
  }

  /** Record a demand (201), or, for a `clientKey` already sent, the demand it recorded (200). */
  @Post()
  @Can('demand.create')
  async create(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidBody(createDemandSchema) body: z.output<typeof createDemandSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DemandDetailView> {
    const { created, demand } = await this.demands.create(access, auth.userId, body);
    res.status(created ? 201 : 200);
    return demand;
  }

  @Get(':demandId')
  @Can('demand.view')
  detail(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('demandId', UuidParam) id: string): Promise<DemandDetailView> {
    return this.queries.detail(access, auth.userId, id);
  }

  /** 附议: "me too", once per person. */
  @Post(':demandId/seconds')
  @Can('demand.second')
  @HttpCode(200)
  second(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('demandId', UuidParam) id: string,
    @ValidBody(secondDemandSchema) body: z.output<typeof secondDemandSchema>,
  ): Promise<DemandDetailView> {
    return this.demands.second(access, auth.userId, id, body);
  }

  /** Move the demand to another status, along the allowed transitions (409 DEMAND_TRANSITION otherwise). */
  @Post(':demandId/status')
  @Can('demand.triage')
  @HttpCode(200)
  changeStatus(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('demandId', UuidParam) id: string,
    @ValidBody(changeDemandStatusSchema) body: z.output<typeof changeDemandStatusSchema>,
  ): Promise<DemandDetailView> {
    return this.demands.changeStatus(access, auth.userId, id, body);
  }

  /** Add a photo (multipart `photo`: JPEG, PNG or WebP); stored downscaled, without metadata. At most six. */
  @Post(':demandId/photos')
  @Can('demand.create')
  @ListPhotoUpload()
  addPhoto(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('demandId', UuidParam) id: string,
    @UploadedFile() photo: Express.Multer.File | undefined,
  ): Promise<DemandDetailView> {
    return this.demands.addPhoto(access, auth.userId, id, uploadedListPhoto(photo));
  }

  @Get(':demandId/photos/:photoId')
  @Can('demand.view')
  async photo(
    @Access() access: CompoundAccess,
    @Param('demandId', UuidParam) id: string,
    @Param('photoId', UuidParam) photoId: string,
    @Res() res: Response,
  ): Promise<void> {
    sendListPhoto(res, await this.demands.photo(access, id, photoId));
  }
}
