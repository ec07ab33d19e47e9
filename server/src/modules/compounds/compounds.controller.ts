import { Body, Controller, Get, HttpCode, Post, Put, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  type BuildingView,
  buildingsSchema,
  type CompoundView,
  type HouseholdView,
  type ImportReport,
  importRegisterQuerySchema,
} from '@yishi/shared';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { ValidBody, ValidQuery } from '../../infra/http/zod.pipe';
import { Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { CompoundsService } from './compounds.service';
import { RegisterImportService } from './register-import.service';

@ApiTags('compounds')
@Controller('compounds/:compoundId')
export class CompoundsController {
  constructor(
    private readonly compounds: CompoundsService,
    private readonly register: RegisterImportService,
  ) {}

  @Get()
  @Can('compound.view')
  view(@Access() access: CompoundAccess): Promise<CompoundView> {
    return this.compounds.view(access.compoundId, access.roles);
  }

  @Put('buildings')
  @Can('compound.manage_buildings')
  declareBuildings(
    @Access() access: CompoundAccess,
    @ValidBody(buildingsSchema) body: z.output<typeof buildingsSchema>,
  ): Promise<BuildingView[]> {
    return this.compounds.declareBuildings(access.compoundId, body);
  }

  @Get('households')
  @Can('household.list')
  households(@Access() access: CompoundAccess): Promise<HouseholdView[]> {
    return this.compounds.households(access.compoundId);
  }

  /**
   * The owner register as CSV: a multipart upload (field `file`) or a `text/csv` body.
   * Columns (Chinese or English headers): 楼栋/building, 楼门/gate, 房号/unit, 面积/area (m²),
   * 业主/owners, 电话/phones (several owners separated by 、 or ;), 开发商持有/developer.
   */
  @Post('register/import')
  @Can('register.import')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('file'))
  importRegister(
    @Access() access: CompoundAccess,
    @ValidQuery(importRegisterQuerySchema) query: z.output<typeof importRegisterQuerySchema>,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() body: unknown,
  ): Promise<ImportReport> {
    const bytes = file?.buffer ?? (Buffer.isBuffer(body) ? body : null);
    if (!bytes) throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'file', message: 'upload the register as a CSV file' }] });
    return this.register.import(access.compoundId, bytes, query);
  }
}
