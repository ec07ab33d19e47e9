import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Whether this node is taking work or draining it before it stops, and how much work is in
 * flight (HTTP requests, socket commands). On SIGTERM, main.ts calls `drain`: readiness turns
 * 503 at once, new sockets and commands are refused with UNAVAILABLE (clients retry on another
 * node), what was already accepted is finished and answered, then the drain hooks (the realtime
 * layer telling its clients to reconnect elsewhere) run, all within the given bound.
 */
@Injectable()
export class NodeLifecycle {
  private drainingSince: number | null = null;
  private inFlight = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly hooks: Array<() => Promise<void>> = [];

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Runs `work` as in-flight work: a drain waits for it. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Express middleware: a request is in flight until its response is sent or its connection closes. */
  readonly countRequests = (_req: Request, res: Response, next: NextFunction): void => {
    void this.track(
      () =>
        new Promise<void>((resolve) => {
          res.once('close', () => resolve());
          next();
        }),
    );
  };

  /** Runs after the in-flight work is done, during a drain (closing sockets, say). */
  onDrain(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }

  /**
   * Stops taking work and finishes what was accepted; resolves when all of it is answered, or
   * when `boundMs` has passed (then whatever is left is cut by the stop that follows).
   */
  async drain(boundMs: number): Promise<'drained' | 'bound reached'> {
    if (this.drainingSince === null) this.drainingSince = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'bound reached'>((resolve) => (timer = setTimeout(() => resolve('bound reached'), boundMs)));
    const finish = async () => {
      await this.idle();
      for (const hook of this.hooks) await hook();
      await this.idle();
      return 'drained' as const;
    };
    try {
      return await Promise.race([finish(), bound]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once no work is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
