import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../infra/logging/logger.module';
import { VotesService } from './votes.service';

/** How often every node looks for rounds past their deadline. */
const SWEEP_MS = 1000;

/**
 * Closes rounds at their deadline. The deadline is stored with the round and every node sweeps,
 * so a round closes on time after a restart or when the node that opened it is gone; closing
 * locks the round and re-checks, so only one node's close takes effect. Ballots arriving after
 * the deadline are refused even before the sweep has run.
 */
@Injectable()
export class RoundTimerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly votes: VotesService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const id of await this.votes.dueRounds()) await this.votes.close(id, null, 'deadline');
    } catch (err) {
      this.log.warn({ err }, 'round deadline sweep failed');
    } finally {
      this.running = false;
    }
  }
}
