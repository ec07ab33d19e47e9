import type { Logger } from 'pino';
import { AppError } from '../../infra/errors/app-error';
import { type DocWorkerPool, WorkerLost, WorkerOverrun, WorkerRefusal } from './doc-worker-pool';
import type { WorkerOp } from './doc-worker.protocol';
import type { LoadedDoc } from './loaded-doc';
import type { WorkBudget } from './work-budget';

/**
 * Operations on a loaded document in its worker, as the store's callers see them: a refusal
 * becomes the AppError the client gets, the user is charged the worker time, an overrun is
 * refused as too costly, and an operation its worker was replaced under is tried again.
 */
export class DocWork {
  constructor(
    private readonly pool: DocWorkerPool,
    private readonly budget: WorkBudget,
    private readonly log: Logger,
    /** Loads the documents again into their (replaced) worker. */
    private readonly reloadLost: (docIds: string[]) => void,
  ) {}

  /**
   * Runs an operation on a loaded document in its worker. If the worker was replaced because of
   * another operation, the document is loaded again and the operation tried once more.
   */
  async run<T>(loaded: LoadedDoc, op: WorkerOp, extraBytes: number, userId: string | null, attempt = 0): Promise<T> {
    await loaded.ready.catch(() => undefined);
    // A second try gets twice the time: a busy machine should not get an honest edit refused.
    const budget = this.budget.bound(loaded.bytes + extraBytes) * (attempt > 0 ? 2 : 1);
    try {
      const { result, ms } = await this.pool.run<T>(loaded.slot, op, budget);
      this.budget.charge(userId, ms);
      return result;
    } catch (err) {
      if (err instanceof WorkerRefusal && err.code === 'NOT_LOADED') {
        // The worker does not hold it (replaced, and the reload lost a race): load it again.
        if (attempt < 2) {
          if (loaded.generation !== -1) this.reloadLost([loaded.id]);
          return this.run(loaded, op, extraBytes, userId, attempt + 1);
        }
        throw new AppError('UNAVAILABLE', { message: 'the document is being loaded again' });
      }
      if (err instanceof WorkerRefusal) {
        this.budget.charge(userId, (err as WorkerRefusal & { ms?: number }).ms ?? 0);
        throw new AppError(err.code === 'OUT_OF_SYNC' ? 'OUT_OF_SYNC' : 'VALIDATION_FAILED', { message: err.message, fields: err.fields });
      }
      if (err instanceof WorkerOverrun) {
        this.log.warn({ docId: loaded.id, op: op.op, reason: err.reason, userId }, 'document work stopped at its bound');
        // The worker is being replaced and the document reloaded, setting aside what stored
        // updates it cannot be loaded with (then the stored document was to blame). Either way
        // the operation is tried once more, with twice the time, before it is refused.
        if (attempt === 0) return this.run(loaded, op, extraBytes, userId, 1);
        this.budget.charge(userId, budget);
        if (op.op !== 'apply') throw new AppError('UNAVAILABLE', { message: 'the document could not be read within limits' });
        throw new AppError('VALIDATION_FAILED', {
          message: 'the update could not be processed within limits',
          fields: [{ path: 'message', message: 'the update could not be processed within limits' }],
        });
      }
      if (err instanceof WorkerLost && attempt < 2) return this.run(loaded, op, extraBytes, userId, attempt + 1);
      throw err instanceof AppError ? err : new AppError('UNAVAILABLE');
    }
  }
}
