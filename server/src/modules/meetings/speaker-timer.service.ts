import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../infra/logging/logger.module';
import { MeetingsService } from './meetings.service';

/** How often every node looks for speaking turns whose time is up. */
const SWEEP_MS = 500;

/**
 * Ends speaking turns when their time limit runs out. The deadline lives in the database, and
 * every node sweeps for due turns, so a turn ends on time even when the node that gave the floor
 * has restarted or died; ending is conditional, so only one node's attempt takes effect.
 */
@Injectable()
export class SpeakerTimerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly meetings: MeetingsService,
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
      for (const due of await this.meetings.dueTurns()) await this.meetings.endTurnIfDue(due.meetingId, due.turnId);
    } catch (err) {
      this.log.warn({ err }, 'speaker timer sweep failed');
    } finally {
      this.running = false;
    }
  }
}
