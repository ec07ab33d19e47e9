import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { MetricsController } from './metrics.controller';
import { Metrics } from './metrics';

/**
 * Prometheus metrics: the registry every module reports to, and GET /metrics. The gauges of the
 * database are registered here; each module registers the gauges of what it holds.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Metrics,
      inject: [getDataSourceToken()],
      useFactory: (db: DataSource) => {
        const metrics = new Metrics();
        const pool = () => (db.driver as PostgresDriver).master as Pool;
        metrics.gauge('yishi_pg_pool_connections', 'PostgreSQL pool: connections open', () => pool().totalCount);
        metrics.gauge('yishi_pg_pool_idle', 'PostgreSQL pool: connections idle', () => pool().idleCount);
        metrics.gauge('yishi_pg_pool_waiting', 'PostgreSQL pool: queries waiting for a connection', () => pool().waitingCount);
        // Meetings in session across all nodes: one count per scrape, not per change.
        metrics.gauge('yishi_meetings_live', 'Meetings in session (all nodes)', async () => {
          const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM meeting WHERE status = 'live'`);
          return n as number;
        });
        return metrics;
      },
    },
  ],
  exports: [Metrics],
})
export class MetricsModule {}
