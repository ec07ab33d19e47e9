import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MAX_PAPER_PHOTO_BYTES } from '@yishi/shared';
import { diskStorage } from 'multer';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { VotesModule } from '../votes/votes.module';
import { Demand, DemandPhoto, DemandSecond, DemandStatusChange } from './demand.entities';
import { DemandQueriesService } from './demand-queries.service';
import { DemandsController } from './demands.controller';
import { DemandsService } from './demands.service';

/** 需求清单: demands, their seconds (附议), status history and photos. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Demand, DemandStatusChange, DemandSecond, DemandPhoto]),
    // Photos stream to files and are normalised as paper-ballot photos are (VotesModule's PaperPhotos).
    VotesModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: diskStorage({ destination: config.uploadDir, filename: (_req, _file, cb) => cb(null, `demand-${randomUUID()}.upload`) }),
        limits: { fileSize: MAX_PAPER_PHOTO_BYTES, files: 1, fields: 0, parts: 1 },
      }),
    }),
  ],
  controllers: [DemandsController],
  providers: [DemandsService, DemandQueriesService],
  exports: [DemandQueriesService],
})
export class DemandsModule {}
