import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../infra/logging/logger.module';
import { Sweeper } from '../../infra/timers/sweeper';
import { RoundsService } from './rounds.service';

/**
 * Closes rounds at their deadline. The deadline is stored with the round and every node sweeps
 * each second, so a round closes on time after a restart or when the node that opened it is
 * gone; closing locks the round and re-checks, so only one node's close takes effect. Ballots
 * arriving after the deadline are refused even before the sweep has run.
 */
@Injectable()
export class RoundTimerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: Sweeper;

  constructor(rounds: RoundsService, @Inject(LOGGER) log: Logger) {
    this.sweeper = new Sweeper(
      'round deadline',
      1000,
      async () => {
        for (const id of await rounds.dueRounds()) await rounds.close(id, null, 'deadline');
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
