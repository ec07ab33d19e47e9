import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VotesModule } from '../votes/votes.module';
import { Demand, DemandPhoto, DemandSecond, DemandStatusChange } from './demand.entities';
import { DemandQueriesService } from './demand-queries.service';
import { DemandsController } from './demands.controller';
import { DemandsService } from './demands.service';
import { listPhotoUploads } from './list-photos';

/** 需求清单: demands, their seconds (附议), status history and photos. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Demand, DemandStatusChange, DemandSecond, DemandPhoto]),
    // Photos stream to files and are normalised as paper-ballot photos are (VotesModule's PaperPhotos).
    VotesModule,
    listPhotoUploads('demand'),
  ],
  controllers: [DemandsController],
  providers: [DemandsService, DemandQueriesService],
  exports: [DemandQueriesService],
})
export class DemandsModule {}
