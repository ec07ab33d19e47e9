import { Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type MinutesView, minutesRecorderSchema } from '@yishi/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { minutesMarkdown, minutesPdf } from './minutes-export';
import { MinutesService } from './minutes.service';

/** A meeting's minutes: read them with the automatic record, name the recorder, close them, export them. The text itself is co-edited over Socket.IO (doc:join with the minutes' id). */
@ApiTags('minutes')
@Controller('compounds/:compoundId/meetings/:meetingId/minutes')
export class MinutesController {
  constructor(private readonly minutes: MinutesService) {}

  @Get()
  @Can('meeting.view')
  view(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
  ): Promise<MinutesView> {
    return this.minutes.view(access, auth.userId, meetingId);
  }

  @Put('recorder')
  @Can('meeting.run')
  recorder(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
    @ValidBody(minutesRecorderSchema) body: z.output<typeof minutesRecorderSchema>,
  ): Promise<MinutesView> {
    return this.minutes.setRecorder(access, auth.userId, meetingId, body.userId);
  }

  @Post('close')
  @Can('meeting.run')
  @HttpCode(200)
  close(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
  ): Promise<MinutesView> {
    return this.minutes.close(access, auth.userId, meetingId);
  }

  @Get('minutes.md')
  @Can('meeting.view')
  async markdown(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.minutes.view(access, auth.userId, meetingId);
    res.setHeader('content-type', 'text/markdown; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="minutes-${meetingId}.md"`);
    res.end(minutesMarkdown(view, await this.minutes.currentText(view)));
  }

  @Get('minutes.pdf')
  @Can('meeting.view')
  async pdf(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.minutes.view(access, auth.userId, meetingId);
    const pdf = await minutesPdf(view, await this.minutes.currentText(view));
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="minutes-${meetingId}.pdf"`);
    res.end(pdf);
  }
}
