import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from './infra/config/app-config';
import { validateEnv } from './infra/config/config.schema';
import { DatabaseModule } from './infra/database/database.module';
import { EventsModule } from './infra/events/events.module';
import { HealthModule } from './infra/health/health.module';
import { SIGN_IN_ROUTE_KEY } from './infra/http/route-access';
import { LoggerModule } from './infra/logging/logger.module';
import { MetricsModule } from './infra/metrics/metrics.module';
import { RedisModule } from './infra/redis/redis.module';
import { AccessGuard } from './modules/auth/access.guard';
import { AuthModule } from './modules/auth/auth.module';
import { CompoundsModule } from './modules/compounds/compounds.module';
import { MeetingsModule } from './modules/meetings/meetings.module';
import { MinutesModule } from './modules/minutes/minutes.module';
import { MembershipsModule } from './modules/memberships/memberships.module';
import { OrganisationsModule } from './modules/organisations/organisations.module';
import { ProposalsModule } from './modules/proposals/proposals.module';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { VotesModule } from './modules/votes/votes.module';
import { FundingModule } from './modules/funding/funding.module';
import { DemandsModule } from './modules/demands/demands.module';
import { WhistlesModule } from './modules/whistles/whistles.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { ResourcesModule } from './modules/resources/resources.module';
import { NoticesModule } from './modules/notices/notices.module';
import { TimelineModule } from './modules/timeline/timeline.module';
import { ProjectorModule } from './modules/projector/projector.module';
import { StatisticsModule } from './modules/statistics/statistics.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, log: Logger): DynamicModule {
    const reflector = new Reflector();
    return {
      module: AppModule,
      imports: [
        // The environment is validated by the same schema main.ts checked; config values reach
        // services as the resolved AppConfig below.
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv }),
        { module: AppConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        LoggerModule.forRoot(log),
        DatabaseModule,
        EventsModule,
        RedisModule,
        MetricsModule,
        HealthModule,
        ThrottlerModule.forRoot({
          // HTTP only: socket commands have their own per-socket token buckets (realtime/socket-commands.ts).
          skipIf: (ctx) => ctx.getType() !== 'http',
          throttlers: [
            { name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MIN },
            {
              // Guessing passwords or invitation codes: limited per client address and login.
              name: 'signIn',
              ttl: 60_000,
              limit: config.SIGN_IN_LIMIT_PER_MIN,
              skipIf: (ctx) => !reflector.get<boolean>(SIGN_IN_ROUTE_KEY, ctx.getHandler()),
              getTracker: (req) => `${req.ip}|${String(req.body?.login ?? req.body?.phone ?? req.body?.username ?? '').toLowerCase()}`,
            },
          ],
        }),
        AuthModule,
        MembershipsModule,
        CompoundsModule,
        OrganisationsModule,
        MeetingsModule,
        MinutesModule,
        ProposalsModule,
        VotesModule,
        FundingModule,
        DemandsModule,
        WhistlesModule,
        ResourcesModule,
        StatisticsModule,
        ProjectsModule,
        NoticesModule,
        TimelineModule,
        ProjectorModule,
        RealtimeModule,
      ],
      // Order matters: throttle first, so refused requests cost no database work.
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}

@Module({})
class AppConfigModule {}
