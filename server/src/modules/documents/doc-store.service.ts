import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FundingIssue, type FundingLine, MAX_DOC_BYTES } from '@yishi/shared';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { LOGGER } from '../../infra/logging/logger.module';
import { Metrics } from '../../infra/metrics/metrics';
import { AuditService } from '../audit/audit.service';
import { Compaction } from './compaction';
import { DocWork } from './doc-work';
import { DocWorkerPool, WorkerLost } from './doc-worker-pool';
import { DocumentLoader } from './document-loader';
import { EditBroadcast } from './edit-broadcast';
import { GroupCommit } from './group-commit';
import type { LoadedDoc } from './loaded-doc';
import { partsOf, readParts, sizeOf, unavailable } from './stored-document';
import { WorkBudget } from './work-budget';

export type { LoadedDoc } from './loaded-doc';

/** A document nobody on this node has followed for this long is dropped from memory. */
const UNLOAD_AFTER_MS = 30_000;

/**
 * Durable Yjs documents: what the gateways and services call. An update is applied in the
 * document's worker (bounded: see DocWorkerPool and DocWork), then its canonical delta is
 * appended to `doc_update` and committed before the caller may acknowledge it (GroupCommit). A
 * failed commit rolls the worker's copy back to exactly what is committed, and nothing tells a
 * client a state that is not committed (see ReadWriteGate). Loading is bounded too, and what
 * cannot be loaded is set aside (DocumentLoader). This class holds the loaded documents: it
 * loads them on first use, reloads those of a replaced worker and drops the idle ones.
 */
@Injectable()
export class DocStore implements OnModuleInit, OnApplicationShutdown {
  private readonly docs = new Map<string, Promise<LoadedDoc>>();
  /** The same documents once loaded, to reach them without waiting (a replaced worker's are reloaded at once). */
  private readonly loadedNow = new Map<string, LoadedDoc>();
  private readonly pool: DocWorkerPool;
  private readonly compaction: Compaction;
  private readonly budget: WorkBudget;
  private readonly work: DocWork;
  private readonly loader: DocumentLoader;
  private readonly commits: GroupCommit;
  private readonly broadcast: EditBroadcast;
  private sweeper?: NodeJS.Timeout;

  /** Changes to pass on to this node's followers, except `authors`' sockets when one (set by the gateway). */
  toFollowers?: (docId: string, updates: Uint8Array[], authors: Set<string>) => void;
  /** Updates committed here, to pass on to the other nodes (set by the gateway when there are some). */
  toOtherNodes?: (docId: string, update: Uint8Array) => void;
  /** A document's state may differ from what its followers were told: they should sync again. */
  onReset?: (docId: string) => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    audit: AuditService,
    events: DomainEvents,
    metrics: Metrics,
  ) {
    const reloadLost = (ids: string[]) => this.reloadLost(ids);
    this.pool = new DocWorkerPool({
      size: config.DOC_WORKERS,
      heapMb: config.DOC_WORKER_HEAP_MB,
      idleMs: config.DOC_WORKER_IDLE_MS,
      onLost: reloadLost,
      onOpTime: (op, ms) => metrics.workerOp(op, ms),
    });
    metrics.gauge('yishi_documents_loaded', 'Documents held in memory on this node', () => this.loadedNow.size);
    metrics.gauge(
      'yishi_doc_workers_running',
      'Document worker threads running',
      () => this.pool.running() + this.compaction.workersRunning(),
    );
    this.budget = new WorkBudget(config);
    this.compaction = new Compaction({ db, budget: this.budget, log, config, metrics });
    this.work = new DocWork(this.pool, this.budget, log, reloadLost);
    this.loader = new DocumentLoader({
      db,
      pool: this.pool,
      budget: this.budget,
      audit,
      events,
      log,
      onReset: (docId) => this.onReset?.(docId),
    });
    this.commits = new GroupCommit({
      db,
      pool: this.pool,
      budget: this.budget,
      work: this.work,
      log,
      metrics,
      toOtherNodes: config.REDIS_URL ? (docId, update) => this.toOtherNodes?.(docId, update) : undefined,
      onReset: (docId) => this.onReset?.(docId),
      reloadLost,
      commitGapMs: config.DOC_COMMIT_GAP_MS,
    });
    this.broadcast = new EditBroadcast({
      toFollowers: (docId, updates, authors) => this.toFollowers?.(docId, updates, authors),
      sendGapMaxMs: config.DOC_SEND_GAP_MAX_MS,
      sendGapMinMs: config.DOC_SEND_GAP_MIN_MS,
    });
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => this.unloadIdle(), 5_000);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    this.broadcast.close();
    for (const d of this.loadedNow.values()) d.awareness.destroy();
    this.docs.clear();
    this.loadedNow.clear();
    await Promise.all([this.pool.close(), this.compaction.close()]);
  }

  /** The document, loaded from its snapshot and log if it is not in memory yet. */
  get(docId: string): Promise<LoadedDoc> {
    let p = this.docs.get(docId);
    if (!p) {
      const loading = this.loader.load(docId);
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
   * Applies an untrusted update in the document's worker, passes its delta on to the followers and
   * commits it. Resolves only once it is in the database; false for an update that brings nothing
   * new (not stored). `author` (a socket id) is left out when the change is passed on.
   */
  async append(docId: string, update: Uint8Array, userId: string | null, author: string): Promise<boolean> {
    this.budget.spendable(userId);
    const loaded = await this.get(docId);
    if (loaded.bytes + update.byteLength > MAX_DOC_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', { message: 'the document would grow past its size limit' });
    }
    return loaded.gate.write(async () => {
      const failuresBefore = loaded.commitFailures;
      const applied = await this.work.run<{ seq: number; delta: Uint8Array } | null>(
        loaded,
        { op: 'apply', docId, update },
        update.byteLength,
        userId,
      );
      if (!applied) {
        // Nothing new, but what it holds may be another update still being committed (a follower
        // sending back a change it was passed before its commit): acknowledged only once that is
        // committed, and refused as not saved if any commit failed meanwhile.
        await Promise.allSettled([...loaded.uncommitted]);
        if (loaded.commitFailures !== failuresBefore) throw unavailable(null);
        return false;
      }
      const generation = loaded.generation;
      loaded.bytes += applied.delta.byteLength;
      let failed = false;
      const committed = this.commits.commit(loaded, applied.seq, generation, applied.delta, userId);
      loaded.uncommitted.add(committed);
      // Out to the followers once the insert is on its way: their writes then overlap the
      // database's work instead of delaying it. Not at all if the commit already failed.
      setImmediate(() => failed || this.broadcast.publish(loaded, applied.delta, author));
      try {
        await committed;
      } catch (err) {
        failed = true;
        loaded.commitFailures++;
        loaded.bytes -= applied.delta.byteLength;
        throw unavailable(err);
      } finally {
        loaded.uncommitted.delete(committed);
      }
      this.compaction.logged(loaded, applied.delta.byteLength);
      return true;
    });
  }

  /** The state vector of what is committed, for the server's sync step 1. */
  stateVector(loaded: LoadedDoc): Promise<Uint8Array> {
    return loaded.gate.read(
      async () => (await this.work.run<{ vector: Uint8Array }>(loaded, { op: 'vector', docId: loaded.id }, 0, null)).vector,
    );
  }

  /** What a client with this state vector lacks of what is committed (null vector: everything). */
  diff(loaded: LoadedDoc, vector: Uint8Array | null, userId: string | null): Promise<Uint8Array> {
    this.budget.spendable(userId);
    return loaded.gate.read(
      async () =>
        (await this.work.run<{ update: Uint8Array }>(loaded, { op: 'diff', docId: loaded.id, vector }, vector?.byteLength ?? 0, userId))
          .update,
    );
  }

  async hasFundingLine(docId: string, lineId: string): Promise<boolean> {
    const loaded = await this.get(docId);
    return (await this.work.run<{ exists: boolean }>(loaded, { op: 'fundingLine', docId, lineId }, 0, null)).exists;
  }

  /**
   * The document exactly as committed, read in the caller's transaction and rendered in a worker:
   * what a frozen revision is made of, whichever node took the edits.
   */
  async renderCommitted(
    docId: string,
    m: Pick<DataSource, 'query'>,
  ): Promise<{ state: Uint8Array; html: string; text: string; fundingIssues: FundingIssue[]; lines: FundingLine[] }> {
    // Loading first sets aside anything stored that cannot be loaded.
    const loaded = await this.get(docId);
    const parts = await readParts(docId, m);
    const all = partsOf(parts);
    try {
      const { result } = await this.pool.run<{
        state: Uint8Array;
        html: string;
        text: string;
        fundingIssues: FundingIssue[];
        lines: FundingLine[];
      }>(loaded.slot, { op: 'render', parts: all }, this.budget.bound(sizeOf(all)));
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
      return (
        await this.work.run<{ delta: Uint8Array | null }>(loaded, { op: 'remote', docId, updates: [update] }, update.byteLength, null)
      ).delta;
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
        const parts = partsOf(await readParts(docId, this.db));
        const { delta } = await this.work.run<{ delta: Uint8Array | null }>(
          loaded,
          { op: 'remote', docId, updates: parts, refresh: true },
          sizeOf(parts),
          null,
        );
        if (delta) this.toFollowers?.(docId, [delta], new Set());
      } catch (err) {
        this.log.warn({ err, docId }, 'could not refresh a document after the cross-node channel returned');
      }
    }
  }

  follow(loaded: LoadedDoc, socketId: string): void {
    loaded.followers.add(socketId);
  }

  unfollow(docId: string, socketId: string): void {
    void this.docs.get(docId)?.then(
      (d) => {
        d.followers.delete(socketId);
        if (d.followers.size === 0) d.idleSince = Date.now();
      },
      () => undefined,
    );
  }

  /** Folds the document's logged updates into its snapshot (see Compaction). */
  async compact(docId: string): Promise<void> {
    const loaded = await this.get(docId).catch(() => null);
    if (loaded) await this.compaction.compact(loaded);
  }

  /**
   * Checks that a document loads within bounds, and sets aside the stored updates that keep it
   * from loading (what `npm run doc:check` runs). Returns the ids of the updates set aside.
   */
  async check(docId: string): Promise<string[]> {
    const { slot } = this.pool.assign(docId);
    try {
      return await this.loader.repair(docId, slot);
    } finally {
      this.pool.release(slot, docId);
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
      loaded.ready = readParts(docId, this.db)
        .then((stored) => this.loader.loadInto(loaded, stored))
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
    this.broadcast.forget(docId);
    this.pool.release(loaded.slot, docId);
  }

  private unloadIdle(): void {
    const now = Date.now();
    for (const [id, p] of this.docs) {
      void p.then(
        (d) => {
          if (d.followers.size === 0 && now - d.idleSince > UNLOAD_AFTER_MS && this.docs.get(id) === p) {
            this.forget(id, d);
            void this.pool.run(d.slot, { op: 'unload', docId: id }, this.config.DOC_WORK_TIMEOUT_MS).catch(() => undefined);
          }
        },
        () => undefined,
      );
    }
  }
}
