import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type StatisticsView, statisticsQuerySchema } from '@yishi/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { ValidQuery } from '../../infra/http/zod.pipe';
import { Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { statisticsCsv } from './statistics-csv';
import { StatisticsService } from './statistics.service';

/** The record in figures: meetings, attendance, rounds, demands, whistles, projects over a date range. */
@ApiTags('statistics')
@Controller('compounds/:compoundId')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsService) {}

  @Get('statistics')
  @Can('statistics.view')
  figures(
    @Access() access: CompoundAccess,
    @ValidQuery(statisticsQuerySchema) q: z.output<typeof statisticsQuerySchema>,
  ): Promise<StatisticsView> {
    return this.statistics.figures(access, q);
  }

  /** The same figures as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese). */
  @Get('statistics.csv')
  @Can('statistics.view')
  @Header('content-type', 'text/csv; charset=utf-8')
  async csv(
    @Access() access: CompoundAccess,
    @ValidQuery(statisticsQuerySchema) q: z.output<typeof statisticsQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const figures = await this.statistics.figures(access, q);
    res.setHeader('content-disposition', `attachment; filename="statistics-${q.from}-${q.to}.csv"`);
    return statisticsCsv(figures);
  }
}
