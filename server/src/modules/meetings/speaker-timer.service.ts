import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../infra/logging/logger.module';
import { Sweeper } from '../../infra/timers/sweeper';
import { FloorService } from './floor.service';

/**
 * Ends speaking turns when their time limit runs out. The deadline lives in the database, and
 * every node sweeps twice a second for due turns, so a turn ends on time even when the node that
 * gave the floor has restarted or died; ending is conditional, so only one node's attempt takes
 * effect.
 */
@Injectable()
export class SpeakerTimerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: Sweeper;

  constructor(floor: FloorService, @Inject(LOGGER) log: Logger) {
    this.sweeper = new Sweeper(
      'speaker timer',
      500,
      async () => {
        for (const due of await floor.dueTurns()) await floor.endTurnIfDue(due.meetingId, due.turnId);
      },
      log,
    );
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }
}
