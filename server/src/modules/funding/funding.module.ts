import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { VotesModule } from '../votes/votes.module';
import { FundingController } from './funding.controller';
import { FundingService } from './funding.service';

/** Funding sign-offs (given or refused, audited), required sign-offs, per-household shares. The plan lives in the proposal's document. */
@Module({
  imports: [AuditModule, VotesModule, ProposalsModule],
  controllers: [FundingController],
  providers: [FundingService],
})
export class FundingModule {}
