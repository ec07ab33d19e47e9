import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BallotsService } from './ballots.service';
import { RoundTimerService } from './round-timer.service';
import { VotesController } from './votes.controller';
import { VotesService } from './votes.service';

/** Recorded votes: rounds on frozen revisions, ballots (online and on paper), results, verification, adoption. */
@Module({
  imports: [AuditModule],
  controllers: [VotesController],
  providers: [VotesService, BallotsService, RoundTimerService],
  exports: [VotesService, BallotsService],
})
export class VotesModule {}
