import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FundingIssue, type FundingLine, MAX_DOC_BYTES } from '@yishi/shared';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import { AuditService } from '../audit/audit.service';
import { DocWorkerPool, WorkerLost, WorkerOverrun, WorkerRefusal } from './doc-worker-pool';
import type { WorkerOp } from './doc-worker.protocol';
import { ReadWriteGate } from './read-write-gate';

/** A document held while someone uses it: its Yjs state lives in a worker, not here. */
export interface LoadedDoc {
  id: string;
  /** The worker slot holding it, and that worker's generation when it was loaded there. */
  slot: number;
  generation: number;
  /** Settles when the worker holds the document (again, after its worker was replaced). */
  ready: Promise<void>;
  /** Cursors and names. The Awareness needs a Y.Doc; this empty one only lends it a client id. */
  awareness: Awareness;
  /** Bytes of the stored document: the size limit is checked against this. */
  bytes: number;
  /** Updates in the log since the last compaction, as far as this node knows. */
  tail: number;
  /** Sockets following it on this node. */
  followers: Set<string>;
  idleSince: number;
  gate: ReadWriteGate;
}

/** After this many logged updates a document is compacted into its snapshot. */
const COMPACT_AFTER = 500;
/** A document nobody on this node has followed for this long is dropped from memory. */
const UNLOAD_AFTER_MS = 30_000;
/** Worker time an operation may take on top of the base bound, per byte of document involved. */
const MS_PER_BYTE = 1 / 2048;

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

interface StoredParts {
  snapshot: Buffer | null;
  rows: Array<{ id: string; update: Buffer; user_id: string | null; created_at: Date }>;
}

/** A database that cannot be reached is a passing condition: the client is told to retry. */
function unavailable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('UNAVAILABLE', { message: 'the database did not answer; the edit was not saved and will be sent again' });
}

/**
 * Durable Yjs documents. An update is applied in the document's worker (bounded: see
 * DocWorkerPool), then its canonical delta is appended to `doc_update` and committed before the
 * caller may acknowledge it. Writes are group-committed: everything that arrived while the
 * previous insert ran goes in the next single insert. A failed commit rolls the worker's copy back
 * to exactly what is committed, and nothing tells a client a state that is not committed (see
 * ReadWriteGate). Loading is bounded too: a stored update that cannot be loaded is found by
 * bisection and moved to `doc_quarantine`, recorded in the audit log and reported to the chair.
 */
@Injectable()
export class DocStore implements OnModuleInit, OnApplicationShutdown {
  private readonly docs = new Map<string, Promise<LoadedDoc>>();
  /** The same documents once loaded, to reach them without waiting (a replaced worker's are reloaded at once). */
  private readonly loadedNow = new Map<string, LoadedDoc>();
  private readonly pool: DocWorkerPool;
  private queue: Pending[] = [];
  private flushing = false;
  private sweeper?: NodeJS.Timeout;
  private readonly compacting = new Set<string>();
  /** Worker time each user may still spend, in ms; refilled over time. */
  private readonly budgets = new Map<string, { ms: number; at: number }>();

  /** Committed updates to pass on to this node's followers and the other nodes (set by the gateway). */
  onCommitted?: (docId: string, update: Uint8Array, authors: Set<string>, fromHere: boolean) => void;
  /** A document's state may differ from what its followers were told: they should sync again. */
  onReset?: (docId: string) => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
  ) {
    this.pool = new DocWorkerPool({ size: config.DOC_WORKERS, heapMb: config.DOC_WORKER_HEAP_MB, onLost: (ids) => this.reloadLost(ids) });
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => this.unloadIdle(), 5_000);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    for (const d of this.loadedNow.values()) d.awareness.destroy();
    this.docs.clear();
    this.loadedNow.clear();
    await this.pool.close();
  }

  /** The document, loaded from its snapshot and log if it is not in memory yet. */
  get(docId: string): Promise<LoadedDoc> {
    let p = this.docs.get(docId);
    if (!p) {
      const loading = this.load(docId);
      p = loading;
      this.docs.set(docId, loading);
      loading.then(
        (d) => this.docs.get(docId) === loading && this.loadedNow.set(docId, d),
        () => this.docs.get(docId) === loading && this.docs.delete(docId),
      );
    }
    return p;
  }

  /** The document if this node holds it, without loading it. */
  peek(docId: string): Promise<LoadedDoc> | undefined {
    return this.docs.get(docId);
  }

  /**
   * Applies an untrusted update in the document's worker and commits its delta. Resolves only
   * once it is in the database; false for an update that brings nothing new (not stored).
   * `author` (a socket id) is left out when the change is passed on to followers.
   */
  async append(docId: string, update: Uint8Array, userId: string | null, author: string): Promise<boolean> {
    this.spendable(userId);
    const loaded = await this.get(docId);
    if (loaded.bytes + update.byteLength > MAX_DOC_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', { message: 'the document would grow past its size limit' });
    }
    return loaded.gate.write(async () => {
      const applied = await this.work<{ seq: number; delta: Uint8Array } | null>(loaded, { op: 'apply', docId, update }, update.byteLength, userId);
      if (!applied) return false;
      const generation = loaded.generation;
      loaded.bytes += applied.delta.byteLength;
      try {
        await new Promise<void>((resolve, reject) => {
          this.queue.push({ loaded, seq: applied.seq, generation, delta: applied.delta, userId, author, resolve, reject });
          void this.flush();
        });
      } catch (err) {
        loaded.bytes -= applied.delta.byteLength;
        throw unavailable(err);
      }
      if (++loaded.tail >= COMPACT_AFTER) void this.compact(docId);
      return true;
    });
  }

  /** The state vector of what is committed, for the server's sync step 1. */
  stateVector(loaded: LoadedDoc): Promise<Uint8Array> {
    return loaded.gate.read(async () => (await this.work<{ vector: Uint8Array }>(loaded, { op: 'vector', docId: loaded.id }, 0, null)).vector);
  }

  /** What a client with this state vector lacks of what is committed (null vector: everything). */
  diff(loaded: LoadedDoc, vector: Uint8Array | null, userId: string | null): Promise<Uint8Array> {
    this.spendable(userId);
    return loaded.gate.read(async () => (await this.work<{ update: Uint8Array }>(loaded, { op: 'diff', docId: loaded.id, vector }, vector?.byteLength ?? 0, userId)).update);
  }

  async hasFundingLine(docId: string, lineId: string): Promise<boolean> {
    const loaded = await this.get(docId);
    return (await this.work<{ exists: boolean }>(loaded, { op: 'fundingLine', docId, lineId }, 0, null)).exists;
  }

  /**
   * The document exactly as committed, read in the caller's transaction and rendered in a worker:
   * what a frozen revision is made of, whichever node took the edits.
   */
  async renderCommitted(docId: string, m: Pick<DataSource, 'query'>): Promise<{ state: Uint8Array; html: string; text: string; fundingIssues: FundingIssue[]; lines: FundingLine[] }> {
    // Loading first sets aside anything stored that cannot be loaded.
    const loaded = await this.get(docId);
    const parts = await this.readParts(docId, m);
    const all = partsOf(parts);
    try {
      const { result } = await this.pool.run<{ state: Uint8Array; html: string; text: string; fundingIssues: FundingIssue[]; lines: FundingLine[] }>(
        loaded.slot,
        { op: 'render', parts: all },
        this.budget(sizeOf(all)),
      );
      return result;
    } catch (err) {
      if (err instanceof WorkerLost) throw new AppError('UNAVAILABLE');
      throw new AppError('UNAVAILABLE', { message: 'the document could not be read within limits' });
    }
  }

  /** Updates other nodes committed: applied to this node's copy, if it holds one; returns what was new. */
  async applyRemote(docId: string, update: Uint8Array): Promise<Uint8Array | null> {
    const p = this.docs.get(docId);
    if (!p) return null;
    const loaded = await p;
    loaded.bytes += update.byteLength;
    try {
      return (await this.work<{ delta: Uint8Array | null }>(loaded, { op: 'remote', docId, updates: [update] }, update.byteLength, null)).delta;
    } catch (err) {
      // Committed elsewhere, so it loads from the database: read everything again.
      this.log.warn({ err, docId }, 'a committed update from another node could not be applied; reloading');
      this.reloadLost([docId]);
      return null;
    }
  }

  /**
   * Catches up every document this node holds with what is committed (after the cross-node
   * channel was down, when updates from other nodes may have been missed), passing on what was new.
   */
  async refreshAll(): Promise<void> {
    for (const [docId, p] of [...this.docs]) {
      try {
        const loaded = await p;
        const parts = partsOf(await this.readParts(docId));
        const { delta } = await this.work<{ delta: Uint8Array | null }>(loaded, { op: 'remote', docId, updates: parts, refresh: true }, sizeOf(parts), null);
        if (delta) this.onCommitted?.(docId, delta, new Set(), false);
      } catch (err) {
        this.log.warn({ err, docId }, 'could not refresh a document after the cross-node channel returned');
      }
    }
  }

  follow(loaded: LoadedDoc, socketId: string): void {
    loaded.followers.add(socketId);
  }

  unfollow(docId: string, socketId: string): void {
    void this.docs.get(docId)?.then((d) => {
      d.followers.delete(socketId);
      if (d.followers.size === 0) d.idleSince = Date.now();
    }, () => undefined);
  }

  /** Folds the logged updates into the snapshot (merged in a worker). One node at a time per document. */
  async compact(docId: string): Promise<void> {
    if (this.compacting.has(docId)) return;
    this.compacting.add(docId);
    try {
      const loaded = await this.get(docId);
      await this.db.transaction(async (m) => {
        const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`doc:${docId}`]);
        if (!locked) return;
        const stored = await this.readParts(docId, m);
        if (stored.rows.length === 0) return;
        const parts = partsOf(stored);
        const { result } = await this.pool.run<{ update: Uint8Array }>(loaded.slot, { op: 'build', parts }, this.loadBudget(sizeOf(parts)));
        const through = stored.rows[stored.rows.length - 1].id;
        await m.query(
          `INSERT INTO doc_snapshot (doc_id, state, through_update_id, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (doc_id) DO UPDATE SET state = excluded.state, through_update_id = excluded.through_update_id, updated_at = now()`,
          [docId, Buffer.from(result.update), through],
        );
        // Exactly the rows merged: one committed meanwhile stays in the log for the next load.
        await m.query('DELETE FROM doc_update WHERE doc_id = $1 AND id = ANY($2::bigint[])', [docId, stored.rows.map((r) => r.id)]);
      });
      loaded.tail = 0;
    } catch (err) {
      this.log.warn({ err, docId }, 'compaction failed');
    } finally {
      this.compacting.delete(docId);
    }
  }

  /**
   * Checks that a document loads within bounds, and sets aside the stored updates that keep it
   * from loading (what `npm run doc:check` runs). Returns the ids of the updates set aside.
   */
  async check(docId: string): Promise<string[]> {
    const { slot } = this.pool.assign(docId);
    try {
      return await this.repair(docId, slot);
    } finally {
      this.pool.release(slot, docId);
    }
  }

  // ----- internals -----

  /** A time bound for an operation on this much data. */
  private budget(bytes: number): number {
    return this.config.DOC_WORK_TIMEOUT_MS + Math.ceil(bytes * MS_PER_BYTE);
  }

  /**
   * Loading is off the hot path and what it costs is paid once: it gets four times the bound, so
   * a slow moment is not taken for a poisoned document.
   */
  private loadBudget(bytes: number): number {
    return 4 * this.budget(bytes);
  }

  /** Refuses a user who has spent their share of worker time (a cost-based rate limit). */
  private spendable(userId: string | null): void {
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

  private charge(userId: string | null, ms: number): void {
    if (!userId) return;
    const cap = this.config.DOC_WORK_MS_PER_MIN;
    const b = this.budgets.get(userId) ?? { ms: cap, at: Date.now() };
    b.ms -= ms;
    this.budgets.set(userId, b);
  }

  /**
   * Runs an operation on a loaded document in its worker. A refusal becomes the AppError the
   * client gets; an overrun is refused as too costly; if the worker was replaced because of
   * another operation, the document is loaded again and the operation tried once more.
   */
  private async work<T>(loaded: LoadedDoc, op: WorkerOp, extraBytes: number, userId: string | null, attempt = 0): Promise<T> {
    await loaded.ready.catch(() => undefined);
    // A second try gets twice the time: a busy machine should not get an honest edit refused.
    const budget = this.budget(loaded.bytes + extraBytes) * (attempt > 0 ? 2 : 1);
    try {
      const { result, ms } = await this.pool.run<T>(loaded.slot, op, budget);
      this.charge(userId, ms);
      return result;
    } catch (err) {
      if (err instanceof WorkerRefusal && err.code === 'NOT_LOADED') {
        // The worker does not hold it (replaced, and the reload lost a race): load it again.
        if (attempt < 2) {
          if (loaded.generation !== -1) this.reloadLost([loaded.id]);
          return this.work(loaded, op, extraBytes, userId, attempt + 1);
        }
        throw new AppError('UNAVAILABLE', { message: 'the document is being loaded again' });
      }
      if (err instanceof WorkerRefusal) {
        this.charge(userId, (err as WorkerRefusal & { ms?: number }).ms ?? 0);
        throw new AppError(err.code === 'OUT_OF_SYNC' ? 'OUT_OF_SYNC' : 'VALIDATION_FAILED', { message: err.message, fields: err.fields });
      }
      if (err instanceof WorkerOverrun) {
        this.log.warn({ docId: loaded.id, op: op.op, reason: err.reason, userId }, 'document work stopped at its bound');
        // The worker is being replaced and the document reloaded, setting aside what stored
        // updates it cannot be loaded with (then the stored document was to blame). Either way
        // the operation is tried once more, with twice the time, before it is refused.
        if (attempt === 0) return this.work(loaded, op, extraBytes, userId, 1);
        this.charge(userId, budget);
        if (op.op !== 'apply') throw new AppError('UNAVAILABLE', { message: 'the document could not be read within limits' });
        throw new AppError('VALIDATION_FAILED', { message: 'the update could not be processed within limits', fields: [{ path: 'message', message: 'the update could not be processed within limits' }] });
      }
      if (err instanceof WorkerLost && attempt < 2) return this.work(loaded, op, extraBytes, userId, attempt + 1);
      throw err instanceof AppError ? err : new AppError('UNAVAILABLE');
    }
  }

  private async load(docId: string): Promise<LoadedDoc> {
    const stored = await this.readParts(docId).catch((err) => {
      throw unavailable(err);
    });
    const { slot, generation } = this.pool.assign(docId);
    const awarenessDoc = new Y.Doc();
    const awareness = new Awareness(awarenessDoc);
    // The server is no editor: it has no awareness state of its own.
    awareness.setLocalState(null);
    const loaded: LoadedDoc = { id: docId, slot, generation, ready: Promise.resolve(), awareness, bytes: 0, tail: stored.rows.length, followers: new Set(), idleSince: Date.now(), gate: new ReadWriteGate() };
    try {
      loaded.bytes = await this.loadInto(loaded, stored);
    } catch (err) {
      this.pool.release(slot, docId);
      awareness.destroy();
      throw err;
    }
    return loaded;
  }

  /** Puts the stored document into the worker, setting aside what cannot be loaded. */
  private async loadInto(loaded: LoadedDoc, stored: StoredParts): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const parts = partsOf(stored);
      try {
        const { result } = await this.pool.run<{ bytes: number }>(loaded.slot, { op: 'load', docId: loaded.id, parts }, this.loadBudget(sizeOf(parts)));
        loaded.generation = this.pool.generation(loaded.slot);
        return result.bytes;
      } catch (err) {
        if (err instanceof WorkerLost && attempt < 3) {
          this.pool.reassign(loaded.slot, loaded.id);
          continue;
        }
        if (!(err instanceof WorkerRefusal || err instanceof WorkerOverrun) || attempt >= 3) throw new AppError('UNAVAILABLE', { message: 'the document could not be loaded' });
        this.pool.reassign(loaded.slot, loaded.id);
        const removed = await this.repair(loaded.id, loaded.slot);
        if (removed.length === 0) throw new AppError('UNAVAILABLE', { message: 'the document could not be loaded' });
        stored = await this.readParts(loaded.id);
      }
    }
  }

  /** A replaced worker's documents: loaded again into its successor; followers sync again. */
  private reloadLost(docIds: string[]): void {
    for (const docId of docIds) {
      const loaded = this.loadedNow.get(docId);
      if (!loaded) continue;
      this.pool.reassign(loaded.slot, docId);
      // Until the reload is done, updates applied in the old worker are settled as committed
      // elsewhere (applied again once the document is back), never by sequence number.
      loaded.generation = -1;
      // Set before anyone refused by the replacement looks again, so they wait for the reload.
      loaded.ready = this.readParts(docId)
        .then((stored) => this.loadInto(loaded, stored))
        .then((bytes) => {
          loaded.bytes = bytes;
          this.onReset?.(docId);
        })
        .catch((err) => {
          // Dropped: the next use loads it afresh.
          this.log.warn({ err, docId }, 'a document could not be loaded again after its worker was replaced');
          this.forget(docId, loaded);
          this.onReset?.(docId);
        });
    }
  }

  private forget(docId: string, loaded: LoadedDoc): void {
    if (this.loadedNow.get(docId) !== loaded) return;
    this.loadedNow.delete(docId);
    this.docs.delete(docId);
    loaded.awareness.destroy();
    this.pool.release(loaded.slot, docId);
  }

  /**
   * Finds the stored updates a document cannot be loaded with (bisecting the log, each trial
   * under the bound), moves them to doc_quarantine, records that in the audit log and tells
   * whoever listens (the chair). The snapshot was made by this code from checked updates; if it
   * alone does not load there is nothing to set aside, and the document stays unavailable.
   */
  private async repair(docId: string, slot: number): Promise<string[]> {
    const stored = await this.readParts(docId);
    const base = stored.snapshot ? [new Uint8Array(stored.snapshot)] : [];
    // A trial that overruns is tried once more before it counts: an honest update must not be
    // set aside because the machine was busy for a moment.
    const loads = async (parts: Uint8Array[]): Promise<boolean> => {
      for (let overruns = 0; ; ) {
        try {
          await this.pool.run(slot, { op: 'build', parts }, this.loadBudget(sizeOf(parts)));
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
      bad.push(rest[lo]);
      good.push(...rest.slice(0, lo).map((r) => new Uint8Array(r.update)));
      rest = rest.slice(lo + 1);
    }
    if (bad.length === 0) return [];
    const ids = bad.map((r) => r.id);
    await this.db.transaction(async (m: EntityManager) => {
      await m.query(
        `INSERT INTO doc_quarantine (doc_id, update_id, update, user_id, created_at, reason)
         SELECT doc_id, id, update, user_id, created_at, $3 FROM doc_update WHERE doc_id = $1 AND id = ANY($2::bigint[])
         ON CONFLICT DO NOTHING`,
        [docId, ids, 'the document could not be loaded with this update within limits'],
      );
      await m.query('DELETE FROM doc_update WHERE doc_id = $1 AND id = ANY($2::bigint[])', [docId, ids]);
      const [isProposal] = await m.query('SELECT 1 FROM proposal WHERE id = $1', [docId]);
      if (isProposal) {
        await this.audit.append(m, docId, [
          {
            kind: 'doc.quarantined',
            body: {
              updates: bad.map((r) => ({ id: r.id, author: r.user_id, at: r.created_at.toISOString(), sha256: createHash('sha256').update(r.update).digest('hex'), bytes: r.update.byteLength })),
            },
          },
        ]);
      }
    });
    this.log.error({ docId, updateIds: ids }, 'stored document updates quarantined: the document could not be loaded with them');
    this.events.emit('doc.quarantined', { docId, updates: bad.map((r) => ({ id: r.id, authorId: r.user_id, at: r.created_at.toISOString() })) });
    this.onReset?.(docId);
    return ids;
  }

  private async readParts(docId: string, m: Pick<DataSource, 'query'> = this.db): Promise<StoredParts> {
    const [snap] = await m.query('SELECT state FROM doc_snapshot WHERE doc_id = $1', [docId]);
    const rows = await m.query('SELECT id, update, user_id, created_at FROM doc_update WHERE doc_id = $1 ORDER BY id', [docId]);
    return { snapshot: snap ? (snap.state as Buffer) : null, rows };
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
          await this.db.query(
            `INSERT INTO doc_update (doc_id, update, user_id) SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::uuid[])`,
            [batch.map((p) => p.loaded.id), batch.map((p) => Buffer.from(p.delta.buffer, p.delta.byteOffset, p.delta.byteLength)), batch.map((p) => p.userId)],
          );
        } catch (err) {
          committed = false;
          for (const p of batch) p.reject(err);
        }
        // Told to the workers before the writers finish, so a reader let in next sees the outcome.
        for (const group of byDoc(batch)) void this.settle(group, committed);
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
  private async settle(group: Pending[], committed: boolean): Promise<void> {
    const loaded = group[0].loaded;
    const current = group.filter((p) => p.generation === loaded.generation);
    const older = group.filter((p) => p.generation !== loaded.generation);
    const authors = new Set(group.map((p) => p.author));
    try {
      if (!committed) {
        if (current.length) await this.pool.run(loaded.slot, { op: 'rollback', docId: loaded.id, seqs: current.map((p) => p.seq) }, this.budget(loaded.bytes));
        return;
      }
      if (current.length) {
        const { result } = await this.pool.run<{ broadcast: Uint8Array | null }>(loaded.slot, { op: 'commit', docId: loaded.id, seqs: current.map((p) => p.seq) }, this.budget(loaded.bytes));
        if (result.broadcast) this.onCommitted?.(loaded.id, result.broadcast, authors, true);
      }
      if (older.length) {
        const delta = await this.work<{ delta: Uint8Array | null }>(loaded, { op: 'remote', docId: loaded.id, updates: older.map((p) => p.delta) }, 0, null);
        if (delta.delta) this.onCommitted?.(loaded.id, delta.delta, new Set(), true);
      }
    } catch (err) {
      // Its worker was replaced meanwhile: the reload under way reads what was just committed.
      if (err instanceof WorkerLost || loaded.generation === -1) return;
      this.log.warn({ err, docId: loaded.id }, 'the worker could not settle a commit; reloading the document');
      this.reloadLost([loaded.id]);
    }
  }

  private unloadIdle(): void {
    const now = Date.now();
    for (const [id, p] of this.docs) {
      void p.then((d) => {
        if (d.followers.size === 0 && now - d.idleSince > UNLOAD_AFTER_MS && this.docs.get(id) === p) {
          this.forget(id, d);
          void this.pool.run(d.slot, { op: 'unload', docId: id }, this.config.DOC_WORK_TIMEOUT_MS).catch(() => undefined);
        }
      }, () => undefined);
    }
  }
}

function partsOf(stored: StoredParts): Uint8Array[] {
  return [...(stored.snapshot ? [stored.snapshot] : []), ...stored.rows.map((r) => r.update)].map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

function sizeOf(parts: Uint8Array[]): number {
  return parts.reduce((n, p) => n + p.byteLength, 0);
}

function byDoc(batch: Pending[]): Pending[][] {
  const groups = new Map<LoadedDoc, Pending[]>();
  for (const p of batch) {
    const g = groups.get(p.loaded);
    if (g) g.push(p);
    else groups.set(p.loaded, [p]);
  }
  return [...groups.values()];
}
