import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../infra/config/app-config';
import type { Metrics } from '../../infra/metrics/metrics';
import { DocWorkerPool } from './doc-worker-pool';
import type { LoadedDoc } from './loaded-doc';
import { partsOf, readParts, sizeOf } from './stored-document';
import type { WorkBudget } from './work-budget';

/** A log of this many bytes is compacted however few updates it holds (a few large pastes). */
const COMPACT_AFTER_BYTES = 1 << 20;
/** The background worker's niceness (0 normal … 19 lowest): below the workers edits wait on. */
const BACKGROUND_NICE = 5;

/**
 * Folds a document's logged updates into its snapshot, one node at a time per document. The
 * document is rebuilt from what is stored, and proven, in a worker of its own at a lower
 * scheduling priority: rebuilding a whole document neither holds up the edits queued in the
 * document's own worker nor takes the CPU from them. Rows committed meanwhile stay in the log.
 */
export class Compaction {
  private readonly background: DocWorkerPool;
  private readonly running = new Set<string>();

  constructor(private readonly d: { db: DataSource; budget: WorkBudget; log: Logger; config: AppConfig; metrics: Metrics }) {
    this.background = new DocWorkerPool({
      size: 1,
      heapMb: d.config.DOC_WORKER_HEAP_MB,
      idleMs: d.config.DOC_WORKER_IDLE_MS,
      onLost: () => undefined,
      onOpTime: (op, ms) => d.metrics.workerOp(op, ms),
      nice: BACKGROUND_NICE,
    });
  }

  /** An update of this document (`bytes` long) was committed: compacts it once enough have been logged. */
  logged(loaded: LoadedDoc, bytes: number): void {
    loaded.tailBytes += bytes;
    if (++loaded.tail >= this.d.config.DOC_COMPACT_AFTER || loaded.tailBytes >= COMPACT_AFTER_BYTES) void this.compact(loaded);
  }

  async compact(loaded: LoadedDoc): Promise<void> {
    const docId = loaded.id;
    if (this.running.has(docId)) return;
    this.running.add(docId);
    try {
      await this.d.db.transaction(async (m) => {
        const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`doc:${docId}`]);
        if (!locked) return;
        const stored = await readParts(docId, m);
        const last = stored.rows.at(-1);
        if (!last) return;
        const parts = partsOf(stored);
        const { result } = await this.background.run<{ update: Uint8Array }>(
          0,
          { op: 'build', parts },
          this.d.budget.loadBound(sizeOf(parts)),
        );
        await m.query(
          `INSERT INTO doc_snapshot (doc_id, state, through_update_id, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (doc_id) DO UPDATE SET state = excluded.state, through_update_id = excluded.through_update_id, updated_at = now()`,
          [docId, Buffer.from(result.update), last.id],
        );
        // Exactly the rows merged: one committed meanwhile stays in the log for the next load.
        await m.query('DELETE FROM doc_update WHERE doc_id = $1 AND id = ANY($2::bigint[])', [docId, stored.rows.map((r) => r.id)]);
      });
    } catch (err) {
      this.d.log.warn({ err, docId }, 'compaction failed');
    } finally {
      // Failed or not, the next try comes after as many updates again, not with the next one.
      loaded.tail = 0;
      loaded.tailBytes = 0;
      this.running.delete(docId);
    }
  }

  /** Whether its worker is running now (it stops when idle): 1 or 0. */
  workersRunning(): number {
    return this.background.running();
  }

  close(): Promise<void> {
    return this.background.close();
  }
}
