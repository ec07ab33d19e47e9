import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  answerObjectionSchema,
  type NoticeSummary,
  type NoticeView,
  publishNoticeSchema,
  raiseObjectionSchema,
  withdrawNoticeSchema,
} from '@yishi/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can, Public } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { noticePdf } from './notice-pdf';
import { NoticesService } from './notices.service';

/** 公示 over HTTP (docs/protocol.md lists the routes). There is no route that edits a published notice. */
@ApiTags('notices')
@Controller('compounds/:compoundId/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @Can('notice.view')
  list(@Access() access: CompoundAccess): Promise<NoticeSummary[]> {
    return this.notices.list(access);
  }

  @Get(':noticeId')
  @Can('notice.view')
  get(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('noticeId', UuidParam) id: string): Promise<NoticeView> {
    return this.notices.get(access, auth.userId, id);
  }

  /**
   * The A4 paper for the courtyard's bulletin board, names hidden: every notice has one, also one
   * the chair did not make public (its page needs a sign-in, the paper on the wall does not).
   */
  @Get(':noticeId/notice.pdf')
  @Can('notice.view')
  async pdf(@Access() access: CompoundAccess, @Param('noticeId', UuidParam) id: string, @Res() res: Response): Promise<void> {
    const pdf = await noticePdf(await this.notices.getPosted(access, id));
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="notice-${id}.pdf"`);
    res.end(pdf);
  }

  @Post()
  @Can('notice.publish')
  publish(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidBody(publishNoticeSchema) body: z.output<typeof publishNoticeSchema>,
  ): Promise<NoticeView> {
    return this.notices.publish(access, auth.userId, body);
  }

  @Post(':noticeId/objections')
  @Can('notice.object')
  object(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('noticeId', UuidParam) id: string,
    @ValidBody(raiseObjectionSchema) body: z.output<typeof raiseObjectionSchema>,
  ): Promise<NoticeView> {
    return this.notices.object(access, auth.userId, id, body.body);
  }

  @Post(':noticeId/objections/:objectionId/answer')
  @HttpCode(200)
  @Can('notice.publish')
  answer(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('noticeId', UuidParam) id: string,
    @Param('objectionId', UuidParam) objectionId: string,
    @ValidBody(answerObjectionSchema) body: z.output<typeof answerObjectionSchema>,
  ): Promise<NoticeView> {
    return this.notices.answer(access, auth.userId, id, objectionId, body.answer);
  }

  /** Withdrawn with a reason, on the record; the notice stays readable, marked withdrawn. */
  @Post(':noticeId/withdraw')
  @HttpCode(200)
  @Can('notice.publish')
  withdraw(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('noticeId', UuidParam) id: string,
    @ValidBody(withdrawNoticeSchema) body: z.output<typeof withdrawNoticeSchema>,
  ): Promise<NoticeView> {
    return this.notices.withdraw(access, auth.userId, id, body.reason);
  }
}

/** The public page of a notice the chair made public: no sign-in, no one's name. */
@ApiTags('notices')
@Controller('public/notices')
export class PublicNoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get(':token')
  @Public()
  get(@Param('token') token: string): Promise<NoticeView> {
    return this.notices.getPublic(token);
  }
}
