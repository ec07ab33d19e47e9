import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { BroadcastPacer } from './broadcast-pacer';
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
  /** Longest a busy document's committed changes are held before they go out (BroadcastPacer). */
  sendGapMaxMs: number;
}

/**
 * Writes the deltas workers applied to `doc_update`: everything that arrived while the previous
 * insert ran goes in the next single insert. After a commit the worker moves the updates to its
 * committed list; after a failed one it rolls its copy back to exactly what is committed.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private flushing = false;
  private readonly pacer: BroadcastPacer;
  /** The documents by id, for the pacer's later sends. */
  private readonly loaded = new Map<string, LoadedDoc>();

  constructor(private readonly d: GroupCommitDeps) {
    this.pacer = new BroadcastPacer((docId, authors) => this.sendHeld(docId, authors), d.sendGapMaxMs);
  }

  /** The document left this node: nothing is sent for it any more. */
  forget(docId: string): void {
    this.pacer.forget(docId);
    this.loaded.delete(docId);
  }

  close(): void {
    this.pacer.close();
  }

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
        this.loaded.set(loaded.id, loaded);
        const send = this.pacer.sendNow(loaded.id, authors);
        const { result } = await pool.run<{ broadcast: Uint8Array | null }>(
          loaded.slot,
          { op: 'commit', docId: loaded.id, seqs: current.map((p) => p.seq), send },
          budget.bound(loaded.bytes),
        );
        if (result.broadcast) this.broadcast(loaded.id, result.broadcast, authors);
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

  /** Sends what the pacer held: the worker merges what it kept since the last send. */
  private async sendHeld(docId: string, authors: Set<string>): Promise<void> {
    const loaded = this.loaded.get(docId);
    if (!loaded) return;
    try {
      const { result } = await this.d.pool.run<{ broadcast: Uint8Array | null }>(
        loaded.slot,
        { op: 'send', docId },
        this.d.budget.bound(loaded.bytes),
      );
      if (result.broadcast) this.broadcast(docId, result.broadcast, authors);
    } catch (err) {
      // A replaced worker's documents are reloaded and their followers told to sync again.
      if (err instanceof WorkerLost || loaded.generation === -1) return;
      this.d.log.warn({ err, docId }, 'the worker could not send held changes; reloading the document');
      this.d.reloadLost([docId]);
    }
  }

  private broadcast(docId: string, update: Uint8Array, authors: Set<string>): void {
    const started = performance.now();
    this.d.onCommitted(docId, update, authors, true);
    this.pacer.sent(docId, performance.now() - started);
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
