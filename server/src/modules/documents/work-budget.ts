import type { AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';

/** Worker time an operation may take on top of the base bound, per byte of document involved. */
const MS_PER_BYTE = 1 / 2048;

/**
 * Worker time, two ways: how long one operation may take (its bound, from the sizes involved),
 * and how much each user may still spend (a cost-based rate limit, refilled over time).
 */
export class WorkBudget {
  /** Worker time each user may still spend, in ms; refilled over time. */
  private readonly budgets = new Map<string, { ms: number; at: number }>();

  constructor(private readonly config: Pick<AppConfig, 'DOC_WORK_TIMEOUT_MS' | 'DOC_WORK_MS_PER_MIN'>) {}

  /** A time bound for an operation on this much data. */
  bound(bytes: number): number {
    return this.config.DOC_WORK_TIMEOUT_MS + Math.ceil(bytes * MS_PER_BYTE);
  }

  /**
   * Loading is off the hot path and what it costs is paid once: it gets four times the bound, so
   * a slow moment is not taken for a poisoned document.
   */
  loadBound(bytes: number): number {
    return 4 * this.bound(bytes);
  }

  /** Refuses a user who has spent their share of worker time. */
  spendable(userId: string | null): void {
    if (!userId) return;
    const b = this.budgets.get(userId);
    if (!b) return;
    const cap = this.config.DOC_WORK_MS_PER_MIN;
    const now = Date.now();
    b.ms = Math.min(cap, b.ms + ((now - b.at) / 60_000) * cap);
    b.at = now;
    if (b.ms <= 0) throw new AppError('RATE_LIMITED', { message: 'too much document work in the last minute' });
    if (b.ms >= cap) this.budgets.delete(userId);
  }

  charge(userId: string | null, ms: number): void {
    if (!userId) return;
    const cap = this.config.DOC_WORK_MS_PER_MIN;
    const b = this.budgets.get(userId) ?? { ms: cap, at: Date.now() };
    b.ms -= ms;
    this.budgets.set(userId, b);
  }
}
