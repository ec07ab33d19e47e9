import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { Building, BuildingGate, Community, Compound, Household, HouseholdOwner, Owner } from './compound.entities';
import { CompoundsController } from './compounds.controller';
import { CompoundsService } from './compounds.service';
import { RegisterImportService } from './register-import.service';

/** Compounds, buildings, gates, households and the owner register import. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Community, Compound, Building, BuildingGate, Household, Owner, HouseholdOwner]),
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.UPLOAD_LIMIT_KB * 1024, files: 1, fields: 10 } }),
    }),
  ],
  controllers: [CompoundsController],
  providers: [CompoundsService, RegisterImportService],
  exports: [CompoundsService],
})
export class CompoundsModule {}
