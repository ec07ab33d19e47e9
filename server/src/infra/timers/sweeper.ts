import type { Logger } from 'pino';

/**
 * Runs `sweep` every `everyMs` on this node, never two at once, logging (not throwing) a failed
 * sweep. Deadlines that must hold across restarts and node deaths (speaking turns, vote rounds)
 * live in the database and every node sweeps for them; this is the loop they share.
 */
export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly what: string,
    private readonly everyMs: number,
    private readonly sweep: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep();
    } catch (err) {
      this.log.warn({ err }, `${this.what} sweep failed`);
    } finally {
      this.running = false;
    }
  }
}
