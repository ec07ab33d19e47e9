import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  acceptWhistleSchema,
  answerWhistleSchema,
  blowWhistleSchema,
  whistleListQuerySchema,
  whistleNoteSchema,
  type WhistleView,
} from '@yishi/shared';
import type { z } from 'zod';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody, ValidQuery } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { WhistlesService } from './whistles.service';

/**
 * 吹哨 over HTTP. The policy table lets a role in; the service decides which whistles the caller
 * sees (the chair all, a department those blown to it, a resident those about their demands) and
 * whether the step is theirs and next in order.
 */
@ApiTags('whistles')
@Controller('compounds/:compoundId/whistles')
export class WhistlesController {
  constructor(private readonly whistles: WhistlesService) {}

  /** The caller's queue: filtered by status, overdue, demand, project or target organisation. */
  @Get()
  @Can('whistle.view')
  list(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidQuery(whistleListQuerySchema) query: z.output<typeof whistleListQuerySchema>,
  ): Promise<WhistleView[]> {
    return this.whistles.list(access, auth.userId, query);
  }

  /** One whistle with every step taken. */
  @Get(':whistleId')
  @Can('whistle.view')
  get(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('whistleId', UuidParam) id: string): Promise<WhistleView> {
    return this.whistles.get(access, auth.userId, id);
  }

  @Post()
  @Can('whistle.raise')
  blow(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidBody(blowWhistleSchema) body: z.output<typeof blowWhistleSchema>,
  ): Promise<WhistleView> {
    return this.whistles.blow(access, auth.userId, body);
  }

  /** 报到. */
  @Post(':whistleId/accept')
  @HttpCode(200)
  @Can('whistle.respond')
  accept(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('whistleId', UuidParam) id: string,
    @ValidBody(acceptWhistleSchema) body: z.output<typeof acceptWhistleSchema>,
  ): Promise<WhistleView> {
    return this.whistles.accept(access, auth.userId, id, body.organisationId);
  }

  @Post(':whistleId/answer')
  @HttpCode(200)
  @Can('whistle.respond')
  answer(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('whistleId', UuidParam) id: string,
    @ValidBody(answerWhistleSchema) body: z.output<typeof answerWhistleSchema>,
  ): Promise<WhistleView> {
    return this.whistles.answer(access, auth.userId, id, body.answer, body.organisationId);
  }

  /** The chair at any step, or a target's member once every target has answered (checked by the service). */
  @Post(':whistleId/resolve')
  @HttpCode(200)
  @Can('whistle.view')
  resolve(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('whistleId', UuidParam) id: string,
    @ValidBody(whistleNoteSchema) body: z.output<typeof whistleNoteSchema>,
  ): Promise<WhistleView> {
    return this.whistles.resolve(access, auth.userId, id, body.note);
  }

  @Post(':whistleId/reopen')
  @HttpCode(200)
  @Can('whistle.raise')
  reopen(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('whistleId', UuidParam) id: string,
    @ValidBody(whistleNoteSchema) body: z.output<typeof whistleNoteSchema>,
  ): Promise<WhistleView> {
    return this.whistles.reopen(access, auth.userId, id, body.note);
  }
}
