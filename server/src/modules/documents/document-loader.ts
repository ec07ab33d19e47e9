import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AppError } from '../../infra/errors/app-error';
import type { DomainEvents } from '../../infra/events/domain-events';
import type { AuditService } from '../audit/audit.service';
import { type DocWorkerPool, WorkerLost, WorkerOverrun, WorkerRefusal } from './doc-worker-pool';
import type { LoadedDoc } from './loaded-doc';
import { ReadWriteGate } from './read-write-gate';
import { partsOf, readParts, sizeOf, type StoredParts, unavailable } from './stored-document';
import type { WorkBudget } from './work-budget';

export interface LoaderDeps {
  db: DataSource;
  pool: DocWorkerPool;
  budget: WorkBudget;
  audit: AuditService;
  events: DomainEvents;
  log: Logger;
  /** A document's state may differ from what its followers were told. */
  onReset: (docId: string) => void;
}

/**
 * Puts stored documents into their workers, within bounds. A stored update that keeps a
 * document from loading is found by bisection and moved to `doc_quarantine`, recorded in the
 * audit log and reported to the chair.
 */
export class DocumentLoader {
  constructor(private readonly d: LoaderDeps) {}

  /** Reads the document from the database and loads it into the emptiest worker. */
  async load(docId: string): Promise<LoadedDoc> {
    const stored = await readParts(docId, this.d.db).catch((err) => {
      throw unavailable(err);
    });
    const { slot, generation } = this.d.pool.assign(docId);
    const awarenessDoc = new Y.Doc();
    const awareness = new Awareness(awarenessDoc);
    // The server is no editor: it has no awareness state of its own.
    awareness.setLocalState(null);
    const loaded: LoadedDoc = {
      id: docId,
      slot,
      generation,
      ready: Promise.resolve(),
      awareness,
      bytes: 0,
      tail: stored.rows.length,
      tailBytes: stored.rows.reduce((n, r) => n + r.update.byteLength, 0),
      followers: new Set(),
      idleSince: Date.now(),
      uncommitted: new Set(),
      commitFailures: 0,
      gate: new ReadWriteGate(),
    };
    try {
      loaded.bytes = await this.loadInto(loaded, stored);
    } catch (err) {
      this.d.pool.release(slot, docId);
      awareness.destroy();
      throw err;
    }
    return loaded;
  }

  /** Puts the stored document into the worker, setting aside what cannot be loaded; returns its size. */
  async loadInto(loaded: LoadedDoc, stored: StoredParts): Promise<number> {
    const { pool } = this.d;
    for (let attempt = 0; ; attempt++) {
      const parts = partsOf(stored);
      try {
        const { result } = await pool.run<{ bytes: number }>(
          loaded.slot,
          { op: 'load', docId: loaded.id, parts },
          this.d.budget.loadBound(sizeOf(parts)),
        );
        loaded.generation = pool.generation(loaded.slot);
        return result.bytes;
      } catch (err) {
        if (err instanceof WorkerLost && attempt < 3) {
          pool.reassign(loaded.slot, loaded.id);
          continue;
        }
        if (!(err instanceof WorkerRefusal || err instanceof WorkerOverrun) || attempt >= 3)
          throw new AppError('UNAVAILABLE', { message: 'the document could not be loaded' });
        pool.reassign(loaded.slot, loaded.id);
        const removed = await this.repair(loaded.id, loaded.slot);
        if (removed.length === 0) throw new AppError('UNAVAILABLE', { message: 'the document could not be loaded' });
        stored = await readParts(loaded.id, this.d.db);
      }
    }
  }

  /**
   * Finds the stored updates a document cannot be loaded with (bisecting the log, each trial
   * under the bound), moves them to doc_quarantine, records that in the audit log and tells
   * whoever listens (the chair). The snapshot was made by this code from checked updates; if it
   * alone does not load there is nothing to set aside, and the document stays unavailable.
   * Returns the ids of the updates set aside.
   */
  async repair(docId: string, slot: number): Promise<string[]> {
    const stored = await readParts(docId, this.d.db);
    const base = stored.snapshot ? [new Uint8Array(stored.snapshot)] : [];
    // A trial that overruns is tried once more before it counts: an honest update must not be
    // set aside because the machine was busy for a moment.
    const loads = async (parts: Uint8Array[]): Promise<boolean> => {
      for (let overruns = 0; ;) {
        try {
          await this.d.pool.run(slot, { op: 'build', parts }, this.d.budget.loadBound(sizeOf(parts)));
          return true;
        } catch (err) {
          if (err instanceof WorkerLost) continue;
          if (err instanceof WorkerRefusal) return false;
          if (err instanceof WorkerOverrun && ++overruns >= 2) return false;
          if (!(err instanceof WorkerOverrun)) throw err;
        }
      }
    };
    if (!(await loads(base))) return [];
    const good = [...base];
    let rest = stored.rows;
    const bad: StoredParts['rows'] = [];
    while (rest.length > 0 && !(await loads([...good, ...rest.map((r) => new Uint8Array(r.update))]))) {
      // The shortest prefix of the rest that does not load ends with an offender.
      let lo = 0;
      let hi = rest.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (await loads([...good, ...rest.slice(0, mid + 1).map((r) => new Uint8Array(r.update))])) lo = mid + 1;
        else hi = mid;
      }
      const [offender, ...after] = rest.slice(lo);
      if (!offender) break;
      bad.push(offender);
      good.push(...rest.slice(0, lo).map((r) => new Uint8Array(r.update)));
      rest = after;
    }
    if (bad.length === 0) return [];
    await this.quarantine(docId, bad);
    return bad.map((r) => r.id);
  }

  /** Moves the updates to doc_quarantine, with an audit entry when the document is a proposal's or minutes. */
  private async quarantine(docId: string, bad: StoredParts['rows']): Promise<void> {
    const ids = bad.map((r) => r.id);
    await this.d.db.transaction(async (m: EntityManager) => {
      await m.query(
        `INSERT INTO doc_quarantine (doc_id, update_id, update, user_id, created_at, reason)
         SELECT doc_id, id, update, user_id, created_at, $3 FROM doc_update WHERE doc_id = $1 AND id = ANY($2::bigint[])
         ON CONFLICT DO NOTHING`,
        [docId, ids, 'the document could not be loaded with this update within limits'],
      );
      await m.query('DELETE FROM doc_update WHERE doc_id = $1 AND id = ANY($2::bigint[])', [docId, ids]);
      // A proposal's or a meeting's minutes: the chain keyed by the document's id.
      const [chained] = await m.query('SELECT 1 FROM proposal WHERE id = $1 UNION ALL SELECT 1 FROM minutes WHERE id = $1', [docId]);
      if (chained) {
        await this.d.audit.append(m, docId, [
          {
            kind: 'doc.quarantined',
            body: {
              updates: bad.map((r) => ({
                id: r.id,
                author: r.user_id,
                at: r.created_at.toISOString(),
                sha256: createHash('sha256').update(r.update).digest('hex'),
                bytes: r.update.byteLength,
              })),
            },
          },
        ]);
      }
    });
    this.d.log.error({ docId, updateIds: ids }, 'stored document updates quarantined: the document could not be loaded with them');
    this.d.events.emit('doc.quarantined', {
      docId,
      updates: bad.map((r) => ({ id: r.id, authorId: r.user_id, at: r.created_at.toISOString() })),
    });
    this.d.onReset(docId);
  }
}
