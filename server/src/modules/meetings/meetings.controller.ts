import { Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  compoundsInScopeQuerySchema,
  type MeetingView,
  type ScopeCompoundView,
  scheduleMeetingSchema,
  updateMeetingSchema,
} from '@yishi/shared';
import type { z } from 'zod';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody, ValidQuery } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { MeetingAccess } from './meeting-access.service';
import { MeetingsService } from './meetings.service';

/** Scheduling meetings. Running a live meeting happens over Socket.IO (docs/protocol.md). */
@ApiTags('meetings')
@Controller('compounds/:compoundId/meetings')
export class MeetingsController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly meetingAccess: MeetingAccess,
  ) {}

  @Get()
  @Can('meeting.view')
  list(@Access() access: CompoundAccess): Promise<MeetingView[]> {
    return this.meetings.list(access.compoundId);
  }

  @Post()
  @Can('meeting.schedule')
  schedule(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidBody(scheduleMeetingSchema) body: z.output<typeof scheduleMeetingSchema>,
  ): Promise<MeetingView> {
    return this.meetings.schedule(access.compoundId, auth.userId, body);
  }

  /** For the schedule form: the compounds whose items a community or street meeting of this compound may take up. */
  @Get('compounds-in-scope')
  @Can('meeting.schedule')
  compoundsInScope(
    @Access() access: CompoundAccess,
    @ValidQuery(compoundsInScopeQuerySchema) query: z.output<typeof compoundsInScopeQuerySchema>,
  ): Promise<ScopeCompoundView[]> {
    return this.meetingAccess.compoundsInScope(access.compoundId, query.scope);
  }

  @Get(':meetingId')
  @Can('meeting.view')
  view(@Access() access: CompoundAccess, @Param('meetingId', UuidParam) meetingId: string): Promise<MeetingView> {
    return this.meetings.view(access.compoundId, meetingId);
  }

  /** Reschedule or edit a meeting that has not opened yet. */
  @Patch(':meetingId')
  @Can('meeting.schedule')
  update(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
    @ValidBody(updateMeetingSchema) body: z.output<typeof updateMeetingSchema>,
  ): Promise<MeetingView> {
    return this.meetings.update(access.compoundId, meetingId, auth.userId, body);
  }

  @Post(':meetingId/cancel')
  @Can('meeting.schedule')
  @HttpCode(200)
  cancel(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('meetingId', UuidParam) meetingId: string,
  ): Promise<MeetingView> {
    return this.meetings.cancel(access.compoundId, meetingId, auth.userId);
  }
}
