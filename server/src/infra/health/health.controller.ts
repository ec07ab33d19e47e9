import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HealthView, LivenessView, ReadinessView } from '@yishi/shared';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { Public } from '../http/route-access';
import { REDIS } from '../redis/redis.module';
import { DatabaseProbe, within } from './database-probe';
import { NodeLifecycle } from './node-lifecycle';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly probe: DatabaseProbe,
    private readonly lifecycle: NodeLifecycle,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  /** 200 when the database answers and can write (and Redis answers, when configured); 503 otherwise. */
  @Get()
  @Public()
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const { database, writable } = await this.probe.state();
    const redis = !this.redis
      ? 'not_configured'
      : await within(this.redis.ping(), 1000).then(
          () => 'up' as const,
          () => 'down' as const,
        );
    const status = database === 'up' && writable && redis !== 'down' ? 'ok' : 'degraded';
    if (status !== 'ok') res.status(503);
    return { status, database, writable, redis, uptimeS: Math.round(process.uptime()) };
  }

  /** Liveness: the process is up and its event loop answers. A failing probe means "restart me". */
  @Get('live')
  @Public()
  live(): LivenessView {
    return { status: 'ok', uptimeS: Math.round(process.uptime()) };
  }

  /**
   * Readiness: 503 while the database is unreachable or cannot write, and while the node drains
   * before stopping. Redis is left out on purpose: without it a node still serves its own clients,
   * and taking every node out of the balancer would turn a degraded service into none.
   */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessView> {
    const draining = this.lifecycle.draining;
    const { database, writable } = await this.probe.state();
    const ready = !draining && database === 'up' && writable;
    if (!ready) res.status(503);
    return { ready, draining, database, writable };
  }
}
