import { Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type MyBallotView,
  type ObjectionView,
  openRoundSchema,
  type ReceiptView,
  type RollCallEntry,
  type RoundView,
  type TallyView,
  type VerifyReport,
} from '@yishi/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { UuidParam } from '../../infra/http/uuid-param.pipe';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Can } from '../../infra/http/route-access';
import { Access, type CompoundAccess } from '../memberships/compound-access';
import { BallotsService } from './ballots.service';
import { PaperBallotsService } from './paper-ballots.service';
import { rollCallCsv } from './roll-call-csv';
import { resultPdf } from './result-pdf';
import { RoundQueriesService } from './round-queries.service';
import { RoundsService } from './rounds.service';
import { TallyService } from './tally.service';

/** Vote rounds over HTTP: opening, closing, results, roll-call, exports, verification. Casting is a socket command; paper ballots are in PaperBallotsController. */
@ApiTags('votes')
@Controller('compounds/:compoundId')
export class VotesController {
  constructor(
    private readonly roundsService: RoundsService,
    private readonly queries: RoundQueriesService,
    private readonly tallyService: TallyService,
    private readonly ballots: BallotsService,
    private readonly papers: PaperBallotsService,
  ) {}

  /** Open a round on a frozen revision. */
  @Post('proposals/:proposalId/rounds')
  @Can('vote.run')
  open(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('proposalId', UuidParam) proposalId: string,
    @ValidBody(openRoundSchema) body: z.output<typeof openRoundSchema>,
  ): Promise<RoundView> {
    return this.roundsService.open(access, auth.userId, proposalId, body);
  }

  /** Every round of a proposal, oldest first, with its revision and result: the proposal's voting history. */
  @Get('proposals/:proposalId/rounds')
  @Can('vote.view')
  rounds(@Access() access: CompoundAccess, @Param('proposalId', UuidParam) proposalId: string): Promise<RoundView[]> {
    return this.queries.listForProposal(access.compoundId, proposalId);
  }

  /** Reasons given with votes against and abstentions, and whether each was answered. */
  @Get('proposals/:proposalId/objections')
  @Can('vote.view')
  objections(@Access() access: CompoundAccess, @Param('proposalId', UuidParam) proposalId: string): Promise<ObjectionView[]> {
    return this.queries.objections(access.compoundId, proposalId);
  }

  @Get('rounds/:roundId')
  @Can('vote.view')
  round(@Access() access: CompoundAccess, @Param('roundId', UuidParam) roundId: string): Promise<RoundView> {
    return this.queries.view(roundId, access.compoundId);
  }

  @Get('rounds/:roundId/tally')
  @Can('vote.view')
  async tally(@Access() access: CompoundAccess, @Param('roundId', UuidParam) roundId: string): Promise<TallyView> {
    await this.queries.view(roundId, access.compoundId);
    return this.tallyService.view(roundId);
  }

  /** Close the round now and compute its result. */
  @Post('rounds/:roundId/close')
  @Can('vote.run')
  @HttpCode(200)
  close(@Access() access: CompoundAccess, @Auth() auth: AuthContext, @Param('roundId', UuidParam) roundId: string): Promise<RoundView> {
    return this.roundsService.close(roundId, auth.userId, 'chair', access.compoundId);
  }

  /** The caller's households in the round and their ballots. */
  @Get('rounds/:roundId/mine')
  @Can('vote.view')
  async mine(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('roundId', UuidParam) roundId: string,
  ): Promise<MyBallotView[]> {
    await this.queries.view(roundId, access.compoundId);
    return this.queries.mine(roundId, auth.userId);
  }

  /** The named roll-call: the chair at any time, everyone once the round has closed. */
  @Get('rounds/:roundId/roll-call')
  @Can('vote.view')
  async rollCall(
    @Access() access: CompoundAccess,
    @Auth() auth: AuthContext,
    @Param('roundId', UuidParam) roundId: string,
  ): Promise<RollCallEntry[]> {
    return this.queries.rollCall(access, roundId, await this.papers.photoViewer(access, auth.userId));
  }

  /** The roll-call as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese). */
  @Get('rounds/:roundId/roll-call.csv')
  @Can('vote.view')
  @Header('content-type', 'text/csv; charset=utf-8')
  async rollCallCsv(
    @Access() access: CompoundAccess,
    @Param('roundId', UuidParam) roundId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const [round, rows] = await Promise.all([this.queries.view(roundId, access.compoundId), this.queries.rollCall(access, roundId)]);
    res.setHeader('content-disposition', `attachment; filename="round-${round.number}-roll-call.csv"`);
    return rollCallCsv(rows);
  }

  /** A printable PDF of the round's result and roll-call (once closed). */
  @Get('rounds/:roundId/result.pdf')
  @Can('vote.view')
  async resultPdf(@Access() access: CompoundAccess, @Param('roundId', UuidParam) roundId: string, @Res() res: Response): Promise<void> {
    const round = await this.queries.view(roundId, access.compoundId);
    if (round.status !== 'closed') throw new AppError('ROLL_CALL_AFTER_CLOSE');
    const [rows, context] = await Promise.all([this.queries.rollCall(access, roundId), this.queries.printContext(roundId)]);
    const pdf = await resultPdf(round, rows, context);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="round-${round.number}-result.pdf"`);
    res.end(pdf);
  }

  /** Recompute the audit chain and the count from it; reports any tampering. */
  @Get('rounds/:roundId/verify')
  @Can('vote.view')
  async verify(@Access() access: CompoundAccess, @Param('roundId', UuidParam) roundId: string): Promise<VerifyReport> {
    await this.queries.view(roundId, access.compoundId);
    return this.ballots.verify(roundId);
  }

  /**
   * Check a receipt: is that ballot in the chain, and is it the one that counts? The whole hash,
   * or its first 8 hex digits as the voter sees them ("3F9A·C21B").
   */
  @Get('rounds/:roundId/receipts/:receipt')
  @Can('vote.view')
  receipt(
    @Access() access: CompoundAccess,
    @Param('roundId', UuidParam) roundId: string,
    @Param('receipt') receipt: string,
  ): Promise<ReceiptView> {
    const key = receipt.toLowerCase().replace(/[·-]/, '');
    if (!/^(?:[0-9a-f]{8}|[0-9a-f]{64})$/.test(key)) throw new AppError('NOT_FOUND');
    return this.queries.receipt(access.compoundId, roundId, key);
  }
}
