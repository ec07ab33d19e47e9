import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { migrate } from './migrate';

/**
 * The TypeORM data source (global, as TypeORM makes it), migrated before anything else uses it,
 * with the entities every module registered.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // One retry: a database that is down at start is reported at once rather than after half a minute.
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl, config.DATABASE_POOL_SIZE),
        autoLoadEntities: true,
        retryAttempts: 1,
        retryDelay: 1000,
      }),
      dataSourceFactory: async (options) => {
        const ds = await new DataSource(options!).initialize();
        await migrate(ds);
        return ds;
      },
    }),
  ],
})
export class DatabaseModule {}
