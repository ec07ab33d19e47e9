import { Global, Module } from '@nestjs/common';
import { DatabaseProbe } from './database-probe';
import { HealthController } from './health.controller';
import { NodeLifecycle } from './node-lifecycle';

/** Health, liveness and readiness probes, and the node's lifecycle (taking work, or draining it). */
@Global()
@Module({ controllers: [HealthController], providers: [DatabaseProbe, NodeLifecycle], exports: [NodeLifecycle] })
export class HealthModule {}
