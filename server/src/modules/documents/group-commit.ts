import type { Logger } from 'pino';
import type { Metrics } from '../../infra/metrics/metrics';
import type { DataSource } from 'typeorm';
import { type DocWorkerPool, WorkerLost } from './doc-worker-pool';
import type { DocWork } from './doc-work';
import type { LoadedDoc } from './loaded-doc';
import type { WorkBudget } from './work-budget';

/**
 * How long a worker may wait to hear that its updates were committed (ms), when no other node
 * waits for the batch: the notice rides along with the next request to that worker instead of
 * waking it on its own. Order is kept, so whatever is asked of the worker next sees the outcome.
 */
const COMMIT_NOTICE_DEFER_MS = 20;

/**
 * Inserts under way at once. While one waits for its round trip (the database's fsync, a busy
 * event loop reading the answer), the next batch need not wait for it: updates of one document
 * may then be stored out of order, which Yjs does not mind (an update waits in the document for
 * what it builds on, loading included).
 */
const INSERTS_AT_ONCE = 2;

interface Pending {
  loaded: LoadedDoc;
  seq: number;
  generation: number;
  delta: Uint8Array;
  userId: string | null;
  /** performance.now() when queued. */
  queuedAt: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitDeps {
  db: DataSource;
  pool: DocWorkerPool;
  budget: WorkBudget;
  work: DocWork;
  log: Logger;
  metrics: Metrics;
  /** Committed updates to pass on to the other nodes (absent: there are none). */
  toOtherNodes?: (docId: string, update: Uint8Array) => void;
  /** The document's followers were sent changes that are not committed: they should sync again. */
  onReset: (docId: string) => void;
  /** Loads the documents again into their worker. */
  reloadLost: (docIds: string[]) => void;
  /** Least ms between the starts of two inserts (DOC_COMMIT_GAP_MS). */
  commitGapMs: number;
}

/**
 * Writes the deltas workers applied to `doc_update`: everything that arrived while the previous
 * insert ran, or less than `commitGapMs` after it started, goes in the next single insert. The gap
 * costs a busy node's authors a few ms before "saved" (nobody else waits for a commit) and saves
 * most of the inserts: on the 10-document load PostgreSQL's CPU fell from 2.5 to 0.6 s a run.
 * After a commit the worker moves the updates to its committed list (and, with other nodes,
 * merges the batch for them); after a failed one it rolls its copy back to exactly what is
 * committed, and the followers, who were sent those changes as they were applied
 * (EditBroadcast), sync again.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private inserting = 0;
  private lastInsertAt = -Infinity;
  private gapTimer: NodeJS.Timeout | undefined;

  constructor(private readonly d: GroupCommitDeps) {}

  /**
   * Resolves once the delta (applied in the worker as `seq`, in the worker's `generation`) is in
   * the database; rejects with the database's error if its batch could not be committed.
   */
  commit(loaded: LoadedDoc, seq: number, generation: number, delta: Uint8Array, userId: string | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ loaded, seq, generation, delta, userId, queuedAt: performance.now(), resolve, reject });
      this.flush();
    });
  }

  /**
   * One insert for everything queued, and at most INSERTS_AT_ONCE of them at a time: whatever
   * arrives meanwhile goes in the next one.
   */
  private flush(): void {
    if (this.gapTimer) return;
    while (this.queue.length > 0 && this.inserting < INSERTS_AT_ONCE) {
      const wait = this.lastInsertAt + this.d.commitGapMs - performance.now();
      if (wait > 0) {
        this.gapTimer = setTimeout(() => {
          this.gapTimer = undefined;
          this.flush();
        }, wait);
        return;
      }
      this.lastInsertAt = performance.now();
      const batch = this.queue;
      this.queue = [];
      this.inserting++;
      void this.insert(batch).finally(() => {
        this.inserting--;
        this.flush();
      });
    }
  }

  private async insert(batch: Pending[]): Promise<void> {
    let committed = true;
    try {
      await this.d.db.query(`INSERT INTO doc_update (doc_id, update, user_id) SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::uuid[])`, [
        batch.map((p) => p.loaded.id),
        batch.map((p) => Buffer.from(p.delta.buffer, p.delta.byteOffset, p.delta.byteLength)),
        batch.map((p) => p.userId),
      ]);
    } catch (err) {
      committed = false;
      for (const p of batch) p.reject(err);
    }
    // Told to the workers before the writers finish, so a reader let in next sees the outcome.
    for (const [loaded, group] of byDoc(batch)) void this.settle(loaded, group, committed);
    if (committed) this.resolveAll(batch);
  }

  private resolveAll(batch: Pending[]): void {
    const { updateCommitSeconds, updateBatchSize } = this.d.metrics;
    const now = performance.now();
    updateBatchSize.observe(batch.length);
    for (const p of batch) {
      updateCommitSeconds.observe((now - p.queuedAt) / 1000);
      p.resolve();
    }
  }

  /**
   * After a batch commits, the worker moves its updates to committed; after it fails, the worker
   * rolls back to what is committed and the followers sync again. An update applied in a worker
   * since replaced is applied again in the new one as committed.
   */
  private async settle(loaded: LoadedDoc, group: Pending[], committed: boolean): Promise<void> {
    const { pool, budget, toOtherNodes } = this.d;
    const current = group.filter((p) => p.generation === loaded.generation);
    const older = group.filter((p) => p.generation !== loaded.generation);
    try {
      if (!committed) {
        if (current.length)
          await pool.run(loaded.slot, { op: 'rollback', docId: loaded.id, seqs: current.map((p) => p.seq) }, budget.bound(loaded.bytes));
        this.d.onReset(loaded.id);
        return;
      }
      if (current.length) {
        // Alone, nobody waits for it: it travels with the next request to that worker.
        const { result } = await pool.run<{ batch: Uint8Array | null }>(
          loaded.slot,
          { op: 'commit', docId: loaded.id, seqs: current.map((p) => p.seq), merge: toOtherNodes !== undefined },
          budget.bound(loaded.bytes),
          toOtherNodes === undefined ? COMMIT_NOTICE_DEFER_MS : 0,
        );
        if (result.batch) toOtherNodes?.(loaded.id, result.batch);
      }
      if (older.length) {
        const delta = await this.d.work.run<{ delta: Uint8Array | null }>(
          loaded,
          { op: 'remote', docId: loaded.id, updates: older.map((p) => p.delta) },
          0,
          null,
        );
        if (delta.delta) toOtherNodes?.(loaded.id, delta.delta);
      }
    } catch (err) {
      // Its worker was replaced meanwhile: the reload under way reads what was just committed.
      if (err instanceof WorkerLost || loaded.generation === -1) return;
      this.d.log.warn({ err, docId: loaded.id }, 'the worker could not settle a commit; reloading the document');
      this.d.reloadLost([loaded.id]);
    }
  }
}

function byDoc(batch: Pending[]): Map<LoadedDoc, Pending[]> {
  const groups = new Map<LoadedDoc, Pending[]>();
  for (const p of batch) {
    const g = groups.get(p.loaded);
    if (g) g.push(p);
    else groups.set(p.loaded, [p]);
  }
  return groups;
}
