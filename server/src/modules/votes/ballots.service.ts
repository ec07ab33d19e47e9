import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BallotReceipt, castBallotSchema, VerifyReport } from '@yishi/shared';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { BallotBatcher } from './ballot-batcher';
import { RoundFactsService } from './round-facts.service';
import { verifyRound } from './verify-round';

/** Ballots cast online by the voter or proxy, and verification (paper ballots: PaperBallotsService). */
@Injectable()
export class BallotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: RoundFactsService,
    private readonly batcher: BallotBatcher,
  ) {}

  /** A ballot cast online by the household's designated voter or registered proxy. */
  async castOnline(userId: string, compoundId: string, req: z.output<typeof castBallotSchema>): Promise<BallotReceipt> {
    const facts = await this.facts.get(req.roundId);
    if (facts.compoundId !== compoundId) throw new AppError('NOT_FOUND');
    return this.batcher.cast({ ...req, voterUserId: userId, recordedBy: userId, viaProxy: false, assisted: false });
  }

  /** One snapshot: the chain is read in pages, and the head must be the one those pages end at. */
  verify(roundId: string): Promise<VerifyReport> {
    return this.db.transaction('REPEATABLE READ', (m) => verifyRound((sql, params) => m.query(sql, params), roundId));
  }
}
