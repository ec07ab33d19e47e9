import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { MAX_PAPER_PHOTO_BYTES } from '@yishi/shared';
import { diskStorage } from 'multer';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AuditModule } from '../audit/audit.module';
import { ProposalsModule } from '../proposals/proposals.module';
import { BallotBatcher } from './ballot-batcher';
import { BallotsService } from './ballots.service';
import { PaperBallotsController } from './paper-ballots.controller';
import { PaperAccess } from './paper-access.service';
import { PaperBallotsService } from './paper-ballots.service';
import { PaperDisputesService } from './paper-disputes.service';
import { PaperPhotos, PaperUploadSlot } from './paper-photos';
import { RoundFactsService } from './round-facts.service';
import { RoundQueriesService } from './round-queries.service';
import { RoundTimerService } from './round-timer.service';
import { RoundsService } from './rounds.service';
import { TallyService } from './tally.service';
import { VotesController } from './votes.controller';

/** Recorded votes: rounds on frozen revisions, ballots (online and on paper), results, verification, adoption. */
@Module({
  imports: [
    AuditModule,
    ProposalsModule,
    // Photos of paper ballots stream to files under the upload folder (see PaperPhotos), capped in size.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: diskStorage({ destination: config.uploadDir, filename: (_req, _file, cb) => cb(null, `paper-${randomUUID()}.upload`) }),
        limits: { fileSize: MAX_PAPER_PHOTO_BYTES, files: 1, fields: 10, fieldSize: 4096, parts: 11 },
      }),
    }),
  ],
  controllers: [VotesController, PaperBallotsController],
  providers: [
    RoundFactsService,
    RoundsService,
    BallotBatcher,
    TallyService,
    RoundQueriesService,
    BallotsService,
    PaperAccess,
    PaperBallotsService,
    PaperDisputesService,
    PaperPhotos,
    PaperUploadSlot,
    RoundTimerService,
  ],
  // PaperPhotos: demands' photos are stored the same way, within the same per-node upload slots.
  exports: [RoundsService, RoundQueriesService, TallyService, BallotsService, PaperPhotos, PaperUploadSlot],
})
export class VotesModule {}
