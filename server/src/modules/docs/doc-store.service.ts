import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { fundingDocIssues, fundingMap, MAX_DOC_BYTES } from '@yishi/shared';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AppError } from '../../infra/errors/app-error';
import { LOGGER } from '../../infra/logging/logger.module';
import { type DecodedSummary, UpdateValidator } from './update-validator';

/** A document held in memory while someone uses it. */
export interface LoadedDoc {
  id: string;
  doc: Y.Doc;
  awareness: Awareness;
  /** Bytes of stored updates and snapshot: the size limit is checked against this. */
  bytes: number;
  /** Updates in the log since the last compaction, as far as this node knows. */
  tail: number;
  /** The whole document encoded, kept until it changes: what every newcomer asks for. */
  encoded: Uint8Array | null;
  /** Sockets following it on this node. */
  followers: Set<string>;
  /** Updates applied in memory and queued for commit, not yet committed: a rebuild keeps them. */
  inflight: Set<Uint8Array>;
  idleSince: number;
}

/** After this many logged updates a document is compacted into its snapshot. */
const COMPACT_AFTER = 500;
/** A document nobody on this node has followed for this long is dropped from memory. */
const UNLOAD_AFTER_MS = 30_000;

interface Pending {
  docId: string;
  update: Uint8Array;
  userId: string | null;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Durable Yjs documents. An update is appended to `doc_update` and committed before the caller
 * may acknowledge it; writes are group-committed (everything that arrived while the previous
 * insert ran goes in the next single insert), so throughput stays high with one round trip per
 * batch. Loading reads the snapshot plus the remaining log; compaction folds the log into the
 * snapshot in the background, deleting exactly the rows it merged, so updates arriving
 * meanwhile are never lost.
 */
@Injectable()
export class DocStore implements OnModuleInit, OnApplicationShutdown {
  private readonly docs = new Map<string, Promise<LoadedDoc>>();
  private readonly validator = new UpdateValidator();
  private queue: Pending[] = [];
  private flushing = false;
  private sweeper?: NodeJS.Timeout;
  private readonly compacting = new Set<string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => this.unloadIdle(), 5_000);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.validator.close();
    for (const p of this.docs.values()) void p.then((d) => (d.awareness.destroy(), d.doc.destroy()), () => undefined);
    this.docs.clear();
  }

  /** The document, loaded from its snapshot and log if it is not in memory yet. */
  get(docId: string): Promise<LoadedDoc> {
    let p = this.docs.get(docId);
    if (!p) {
      p = this.load(docId);
      this.docs.set(docId, p);
      p.catch(() => this.docs.delete(docId));
    }
    return p;
  }

  /** The document if this node holds it, without loading it. */
  peek(docId: string): Promise<LoadedDoc> | undefined {
    return this.docs.get(docId);
  }

  /**
   * Checks an untrusted update (decodes in bounded time, fits the size limits), commits it, and
   * applies it to the document in memory. Resolves only once it is in the database.
   * Returns false for an update that carries nothing (it is not stored).
   */
  async append(docId: string, update: Uint8Array, userId: string | null, origin: unknown): Promise<boolean> {
    const summary: DecodedSummary = await this.validator.validate(update);
    if (summary.structs === 0 && summary.deletes === 0) return false;
    const loaded = await this.get(docId);
    if (loaded.bytes + update.byteLength > MAX_DOC_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', { message: 'the document would grow past its size limit' });
    }
    // Integrate into the document in memory first: an update can decode and still fail to
    // integrate, and such an update must never reach the log, or every later load would fail.
    const funding = fundingMap(loaded.doc) as unknown as Y.AbstractType<Y.YEvent<any>>;
    let fundingTouched: boolean;
    try {
      let transaction: Y.Transaction | undefined;
      loaded.doc.transact((tr) => {
        transaction = tr;
        Y.applyUpdate(loaded.doc, update, origin);
      }, origin);
      // Filled in as the transaction ends (deep observers are told), before transact returns.
      fundingTouched = transaction!.changedParentTypes.has(funding);
    } catch {
      await this.reset(loaded);
      throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'the update does not fit the document' }] });
    }
    // A client can craft any update: one that leaves the funding plan malformed (which the
    // editor cannot produce) is refused like one that does not integrate. Only updates that
    // touch the plan pay for the check.
    if (fundingTouched) {
      const issues = fundingDocIssues(loaded.doc);
      if (issues.length) {
        await this.reset(loaded);
        throw new AppError('VALIDATION_FAILED', { message: 'the update would leave the funding plan malformed', fields: issues.slice(0, 20).map((i) => ({ path: i.path, message: i.message })) });
      }
    }
    loaded.bytes += update.byteLength;
    loaded.inflight.add(update);
    try {
      await new Promise<void>((resolve, reject) => {
        this.queue.push({ docId, update, userId, resolve, reject });
        void this.flush();
      });
    } catch (err) {
      // Not committed: the copy in memory must not keep it.
      loaded.inflight.delete(update);
      await this.reset(loaded);
      throw err;
    }
    loaded.inflight.delete(update);
    if (++loaded.tail >= COMPACT_AFTER) void this.compact(docId);
    return true;
  }

  /** The document as one update, for a client that has nothing yet (cached until the next change). */
  encodeAll(loaded: LoadedDoc): Uint8Array {
    loaded.encoded ??= Y.encodeStateAsUpdate(loaded.doc);
    return loaded.encoded;
  }

  private watch(loaded: LoadedDoc): void {
    loaded.doc.on('update', () => (loaded.encoded = null));
  }

  /** Decodes an untrusted update in bounded time: how many structs and deletions it carries. */
  inspect(update: Uint8Array): Promise<DecodedSummary> {
    return this.validator.validate(update);
  }

  /** Called when a document in memory was rebuilt from the database (its awareness is new). */
  onReset?: (loaded: LoadedDoc) => void;

  /** Rebuilds a document in memory from what is committed, after a failed integration or commit. */
  private async reset(loaded: LoadedDoc): Promise<void> {
    const rebuilt = this.rebuild(loaded);
    // Until it is rebuilt the copy in memory may hold what was just refused: whoever asks for
    // the document meanwhile (a newcomer's sync, another node's update) waits for the new copy.
    if (this.docs.has(loaded.id)) this.docs.set(loaded.id, rebuilt.then(() => loaded, () => loaded));
    await rebuilt;
  }

  private async rebuild(loaded: LoadedDoc): Promise<void> {
    const fresh = await this.readCommitted(loaded.id);
    // Updates accepted but still being committed are not in the database yet; applying one
    // that has meanwhile been committed again does nothing.
    for (const u of loaded.inflight) {
      Y.applyUpdate(fresh.doc, u);
      fresh.bytes += u.byteLength;
    }
    const old = { doc: loaded.doc, awareness: loaded.awareness };
    loaded.doc = fresh.doc;
    loaded.bytes = fresh.bytes;
    loaded.tail = fresh.tail;
    loaded.encoded = null;
    this.watch(loaded);
    loaded.awareness = new Awareness(fresh.doc);
    loaded.awareness.setLocalState(null);
    old.awareness.destroy();
    old.doc.destroy();
    this.onReset?.(loaded);
  }

  /** An update another node committed: applied to this node's copy, if it holds one. */
  async applyRemote(docId: string, update: Uint8Array, origin: unknown): Promise<void> {
    const p = this.docs.get(docId);
    if (!p) return;
    const loaded = await p;
    loaded.bytes += update.byteLength;
    Y.applyUpdate(loaded.doc, update, origin);
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

  /** Folds the logged updates into the snapshot. One node at a time per document. */
  async compact(docId: string): Promise<void> {
    if (this.compacting.has(docId)) return;
    this.compacting.add(docId);
    try {
      await this.db.transaction(async (m) => {
        const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`doc:${docId}`]);
        if (!locked) return;
        const [snap] = await m.query('SELECT state FROM doc_snapshot WHERE doc_id = $1', [docId]);
        const rows: Array<{ id: string; update: Buffer }> = await m.query('SELECT id, update FROM doc_update WHERE doc_id = $1 ORDER BY id', [docId]);
        if (rows.length === 0) return;
        const merged = Y.mergeUpdates([...(snap ? [snap.state as Buffer] : []), ...rows.map((r) => r.update)]);
        const through = rows[rows.length - 1].id;
        await m.query(
          `INSERT INTO doc_snapshot (doc_id, state, through_update_id, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (doc_id) DO UPDATE SET state = excluded.state, through_update_id = excluded.through_update_id, updated_at = now()`,
          [docId, Buffer.from(merged), through],
        );
        // Exactly the rows merged: one committed meanwhile stays in the log for the next load.
        await m.query('DELETE FROM doc_update WHERE doc_id = $1 AND id = ANY($2::bigint[])', [docId, rows.map((r) => r.id)]);
      });
      const p = this.docs.get(docId);
      if (p) (await p).tail = 0;
    } catch (err) {
      this.log.warn({ err, docId }, 'compaction failed');
    } finally {
      this.compacting.delete(docId);
    }
  }

  /**
   * The document exactly as committed, read afresh from the database (in the caller's
   * transaction when given): what a frozen revision is made of, whichever node took the edits.
   */
  async readCommitted(docId: string, m: Pick<DataSource, 'query'> = this.db): Promise<{ doc: Y.Doc; bytes: number; tail: number }> {
    const doc = new Y.Doc({ gc: true });
    const [snap] = await m.query('SELECT state FROM doc_snapshot WHERE doc_id = $1', [docId]);
    const rows: Array<{ update: Buffer }> = await m.query('SELECT update FROM doc_update WHERE doc_id = $1 ORDER BY id', [docId]);
    let bytes = 0;
    doc.transact(() => {
      if (snap) {
        Y.applyUpdate(doc, snap.state as Buffer);
        bytes += (snap.state as Buffer).byteLength;
      }
      for (const r of rows) {
        Y.applyUpdate(doc, r.update);
        bytes += r.update.byteLength;
      }
    });
    return { doc, bytes, tail: rows.length };
  }

  private async load(docId: string): Promise<LoadedDoc> {
    const { doc, bytes, tail } = await this.readCommitted(docId);
    const awareness = new Awareness(doc);
    // The server is no editor: it has no awareness state of its own.
    awareness.setLocalState(null);
    const loaded: LoadedDoc = { id: docId, doc, awareness, bytes, tail, encoded: null, followers: new Set(), inflight: new Set(), idleSince: Date.now() };
    this.watch(loaded);
    return loaded;
  }

  /** One insert for everything queued; whatever arrives meanwhile waits for the next one. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.db.query(
            `INSERT INTO doc_update (doc_id, update, user_id) SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::uuid[])`,
            [batch.map((p) => p.docId), batch.map((p) => Buffer.from(p.update.buffer, p.update.byteOffset, p.update.byteLength)), batch.map((p) => p.userId)],
          );
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private unloadIdle(): void {
    const now = Date.now();
    for (const [id, p] of this.docs) {
      void p.then((d) => {
        if (d.followers.size === 0 && now - d.idleSince > UNLOAD_AFTER_MS && this.docs.get(id) === p) {
          this.docs.delete(id);
          d.awareness.destroy();
          d.doc.destroy();
        }
      }, () => undefined);
    }
  }
}
