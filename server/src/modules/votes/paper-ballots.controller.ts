import { Body, Controller, Get, HttpCode, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  answerDisputeSchema,
  type BallotReceipt,
  CHOICE_IDS,
  disputePaperSchema,
  issuePapersSchema,
  type PaperDisputeView,
  type PaperHouseholdView,
  paperBallotSchema,
} from '@yishi/shared';
import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { sendUploadedPhoto } from '../../infra/http/security-headers';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { toFieldErrors, ValidBody, ValidQuery } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { ballotPaperPdf } from './ballot-paper-pdf';
import { PaperBallotsService } from './paper-ballots.service';
import { PaperDisputesService } from './paper-disputes.service';
import { PaperUploadSlot } from './paper-photos';
import { RoundQueriesService } from './round-queries.service';

const openDisputesQuery = z.object({ open: z.literal('true') }).strict();

/** Ballot papers with one-time codes, paper ballots entered from them, their photos, and disputes. */
@ApiTags('votes')
@Controller('compounds/:compoundId')
export class PaperBallotsController {
  constructor(
    private readonly papers: PaperBallotsService,
    private readonly paperDisputes: PaperDisputesService,
    private readonly queries: RoundQueriesService,
  ) {}

  /** The round's households the caller prints papers for, with who may sign and what was printed and entered. */
  @Get('rounds/:roundId/ballot-papers')
  @Can('vote.record_assisted')
  households(@Access() access: CompoundAccess, @Param('roundId', UuidParam) roundId: string): Promise<PaperHouseholdView[]> {
    return this.papers.households(access, roundId);
  }

  /**
   * Print ballot papers: one A4 page per household with a fresh one-time code (any earlier paper
   * of the household is void). A PDF, or with `format: "json"` the codes.
   */
  @Post('rounds/:roundId/ballot-papers')
  @Can('vote.record_assisted')
  @HttpCode(200)
  async issue(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('roundId', UuidParam) roundId: string,
    @ValidBody(issuePapersSchema) body: z.output<typeof issuePapersSchema>,
    @Res() res: Response,
  ): Promise<void> {
    const { papers, print } = await this.papers.issue(access, auth.userId, roundId, body.householdIds);
    if (body.format === 'json') {
      res.json(papers);
      return;
    }
    const [round, context] = await Promise.all([this.queries.view(roundId), this.queries.printContext(roundId)]);
    const pdf = await ballotPaperPdf(round, context, print);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `attachment; filename="round-${round.number}-ballot-papers.pdf"`);
    res.setHeader('cache-control', 'no-store');
    res.end(pdf);
  }

  /**
   * Enter a ballot handed in on paper: multipart with `photo` (JPEG, PNG or WebP, ≤ 10 MB) and
   * the fields of the paper-ballot schema, among them the paper's one-time `code` and the `signerId`.
   */
  @Post('rounds/:roundId/paper-ballots')
  @Can('vote.record_assisted')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['photo', 'ballotId', 'householdId', 'revisionId', 'choice', 'code', 'signerId'],
      properties: {
        photo: { type: 'string', format: 'binary' },
        ballotId: { type: 'string', format: 'uuid' },
        householdId: { type: 'string', format: 'uuid' },
        revisionId: { type: 'string', format: 'uuid' },
        choice: { type: 'string', enum: [...CHOICE_IDS] },
        reason: { type: 'string' },
        code: { type: 'string' },
        signerId: { type: 'string', format: 'uuid' },
      },
    },
  })
  @UseInterceptors(PaperUploadSlot, FileInterceptor('photo'))
  enter(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('roundId', UuidParam) roundId: string,
    @UploadedFile() photo: Express.Multer.File | undefined,
    @Body() body: unknown,
  ): Promise<BallotReceipt> {
    const parsed = paperBallotSchema.safeParse(body ?? {});
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', { fields: toFieldErrors(parsed.error) });
    if (!photo?.path)
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'photo', message: 'a photo of the signed paper is required' }] });
    return this.papers.enter(access, auth.userId, roundId, parsed.data, { path: photo.path, size: photo.size });
  }

  /** The photo of a signed paper: for the chair, the household's gate leader and the household. */
  @Get('rounds/:roundId/papers/:paperId')
  @Can('vote.view')
  async photo(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('roundId', UuidParam) roundId: string,
    @Param('paperId', UuidParam) paperId: string,
    @Res() res: Response,
  ): Promise<void> {
    const p = await this.papers.photo(access, auth.userId, roundId, paperId);
    // Stored photos are always JPEGs this server encoded; anything else (from before) is served as a download.
    const image = p.contentType === 'image/jpeg';
    sendUploadedPhoto(res, p.bytes, `paper-${paperId}`, image);
  }

  /** Disputes of paper entries in a round. */
  @Get('rounds/:roundId/paper-disputes')
  @Can('vote.view')
  disputes(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('roundId', UuidParam) roundId: string,
  ): Promise<PaperDisputeView[]> {
    return this.paperDisputes.list(access, auth.userId, { roundId });
  }

  /** A household disputes the paper ballot entered in its name. */
  @Post('rounds/:roundId/paper-disputes')
  @Can('vote.cast')
  dispute(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('roundId', UuidParam) roundId: string,
    @ValidBody(disputePaperSchema) body: z.output<typeof disputePaperSchema>,
  ): Promise<PaperDisputeView> {
    return this.paperDisputes.dispute(access, auth.userId, roundId, body);
  }

  /** The chair answers a dispute, on the record. */
  @Post('rounds/:roundId/paper-disputes/:disputeId/answer')
  @Can('vote.run')
  @HttpCode(200)
  answer(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('roundId', UuidParam) roundId: string,
    @Param('disputeId', UuidParam) disputeId: string,
    @ValidBody(answerDisputeSchema) body: z.output<typeof answerDisputeSchema>,
  ): Promise<PaperDisputeView> {
    return this.paperDisputes.answer(access, auth.userId, roundId, disputeId, body);
  }

  /** The compound's unanswered disputes, for the chair's attention. */
  @Get('paper-disputes')
  @Can('vote.run')
  openDisputes(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @ValidQuery(openDisputesQuery) _q: z.output<typeof openDisputesQuery>,
  ): Promise<PaperDisputeView[]> {
    return this.paperDisputes.list(access, auth.userId, { open: true });
  }
}
