import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { HealthView } from '@yishi/shared';
import type { Response } from 'express';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { Public } from '../http/route-access';
import { REDIS } from '../redis/redis.module';

/** `p`, or a rejection after `ms`. */
export const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  /** 200 when the database (and Redis, when configured) answer within a second; 503 otherwise. */
  @Get()
  @Public()
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const database = await within(this.db.query('SELECT 1'), 1000).then(
      () => 'up' as const,
      () => 'down' as const,
    );
    const redis = !this.redis
      ? 'not_configured'
      : await within(this.redis.ping(), 1000).then(
          () => 'up' as const,
          () => 'down' as const,
        );
    const status = database === 'up' && redis !== 'down' ? 'ok' : 'degraded';
    if (status !== 'ok') res.status(503);
    return { status, database, redis, uptimeS: Math.round(process.uptime()) };
  }
}
