import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { type DocWorkerPool, WorkerLost } from './doc-worker-pool';
import type { DocWork } from './doc-work';
import type { LoadedDoc } from './loaded-doc';
import type { WorkBudget } from './work-budget';

interface Pending {
  loaded: LoadedDoc;
  seq: number;
  generation: number;
  delta: Uint8Array;
  userId: string | null;
  author: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitDeps {
  db: DataSource;
  pool: DocWorkerPool;
  budget: WorkBudget;
  work: DocWork;
  log: Logger;
  /** Committed updates to pass on to this node's followers and the other nodes. */
  onCommitted: (docId: string, update: Uint8Array, authors: Set<string>, fromHere: boolean) => void;
  /** Loads the documents again into their worker. */
  reloadLost: (docIds: string[]) => void;
}

/**
 * Writes the deltas workers applied to `doc_update`: everything that arrived while the previous
 * insert ran goes in the next single insert. After a commit the worker moves the updates to its
 * committed list; after a failed one it rolls its copy back to exactly what is committed.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly d: GroupCommitDeps) {}

  /**
   * Resolves once the delta (applied in the worker as `seq`, in the worker's `generation`) is in
   * the database; rejects with the database's error if its batch could not be committed.
   */
  commit(loaded: LoadedDoc, seq: number, generation: number, delta: Uint8Array, userId: string | null, author: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ loaded, seq, generation, delta, userId, author, resolve, reject });
      void this.flush();
    });
  }

  /** One insert for everything queued; whatever arrives meanwhile waits for the next one. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        let committed = true;
        try {
          await this.d.db.query(
            `INSERT INTO doc_update (doc_id, update, user_id) SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::uuid[])`,
            [
              batch.map((p) => p.loaded.id),
              batch.map((p) => Buffer.from(p.delta.buffer, p.delta.byteOffset, p.delta.byteLength)),
              batch.map((p) => p.userId),
            ],
          );
        } catch (err) {
          committed = false;
          for (const p of batch) p.reject(err);
        }
        // Told to the workers before the writers finish, so a reader let in next sees the outcome.
        for (const [loaded, group] of byDoc(batch)) void this.settle(loaded, group, committed);
        if (committed) for (const p of batch) p.resolve();
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * After a batch commits, the worker moves its updates to committed and merges them into one
   * message for the followers; after it fails, the worker rolls back to what is committed. An
   * update applied in a worker since replaced is applied again in the new one as committed.
   */
  private async settle(loaded: LoadedDoc, group: Pending[], committed: boolean): Promise<void> {
    const { pool, budget } = this.d;
    const current = group.filter((p) => p.generation === loaded.generation);
    const older = group.filter((p) => p.generation !== loaded.generation);
    const authors = new Set(group.map((p) => p.author));
    try {
      if (!committed) {
        if (current.length)
          await pool.run(loaded.slot, { op: 'rollback', docId: loaded.id, seqs: current.map((p) => p.seq) }, budget.bound(loaded.bytes));
        return;
      }
      if (current.length) {
        const { result } = await pool.run<{ broadcast: Uint8Array | null }>(
          loaded.slot,
          { op: 'commit', docId: loaded.id, seqs: current.map((p) => p.seq) },
          budget.bound(loaded.bytes),
        );
        if (result.broadcast) this.d.onCommitted(loaded.id, result.broadcast, authors, true);
      }
      if (older.length) {
        const delta = await this.d.work.run<{ delta: Uint8Array | null }>(
          loaded,
          { op: 'remote', docId: loaded.id, updates: older.map((p) => p.delta) },
          0,
          null,
        );
        if (delta.delta) this.d.onCommitted(loaded.id, delta.delta, new Set(), true);
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
