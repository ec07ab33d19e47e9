/**
 * The code that runs inside a document worker thread. Every Yjs operation on bytes that came from
 * a client (or from the update log, which clients filled) happens here and nowhere else: crafted
 * updates are known to make Yjs loop forever, allocate without bound or take quadratic time
 * (yjs #479, #687, and more found by fuzzing), and a worker can be stopped from outside when it
 * takes too long, while the event loop cannot. See DocWorkerPool for the bound.
 *
 * A worker holds the documents assigned to it. For each it keeps the Y.Doc, the committed
 * updates it was built from (to roll back to exactly what is committed without the database)
 * and the updates applied but not yet committed (to keep them through a rollback of others).
 */
import { fundingDocIssues, fundingMap, readFundingLines } from '@yishi/shared/dist/protocol/funding-doc';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { renderHtml, renderText } from '../proposals/doc-html';
import { DONE, nowUs, RUNNING, STARTED_US, type WorkerReply, type WorkerRequest } from './doc-worker.protocol';

interface HeldDoc {
  doc: Y.Doc;
  /** Updates already in the database, in an order that rebuilds the document. */
  committed: Uint8Array[];
  /** How many entries after the first of `committed` are merged chunks (see commitTo). */
  chunks: number;
  /** Applied here, commit not yet known, by sequence number; what a rollback keeps. */
  inflight: Map<number, Uint8Array>;
  /** The whole document encoded, until it changes: what newcomers get. */
  encoded: Uint8Array | null;
}

/**
 * No client's clock may pass this. Yjs counts clocks in doubles: a crafted struct announcing 2^53
 * items leaves clocks that no longer add up, and the document then encodes into an update no
 * fresh client can apply (fuzzing found such a pair). An honest client never gets near 2^32: that
 * is four billion characters typed by one person into one proposal.
 */
const MAX_CLOCK = 2 ** 32;

/** With this many committed updates kept and nothing in flight, the document's encoding replaces them ... */
const FOLD_COMMITTED_AFTER = 256;
/** ... and when something always is, this many are merged into one chunk ... */
const CHUNK_AFTER = 1024;
/** ... and this many chunks are folded with the rest of the list into one update. */
const CHUNKS_PER_FOLD = 16;

const held = new Map<string, HeldDoc>();
let nextSeq = 1;

type ChangedParentType = Parameters<Y.Transaction['changedParentTypes']['has']>[0];

class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

function build(parts: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    for (const p of parts) Y.applyUpdate(doc, p);
  });
  return doc;
}

/** A client whose clock is past MAX_CLOCK, among these (client → clock). */
function clockPastBound(clocks: Map<number, number>): number | undefined {
  for (const [client, clock] of clocks) if (clock > MAX_CLOCK) return client;
  return undefined;
}

/**
 * Builds a document from stored parts and proves it: it encodes (a document that loads but
 * cannot be encoded would hang the first client who asks for it), a fresh client can apply that
 * encoding, and no clock is past the bound (stored before the bound existed). Throws otherwise,
 * and the loader sets aside the stored updates to blame.
 */
function buildProven(parts: Uint8Array[]): { doc: Y.Doc; encoded: Uint8Array } {
  const doc = build(parts);
  try {
    const encoded = Y.encodeStateAsUpdate(doc);
    if (clockPastBound(Y.decodeStateVector(Y.encodeStateVector(doc))) !== undefined)
      throw new Error('a stored update numbers its content past what any client can reach');
    build([encoded]).destroy();
    return { doc, encoded };
  } catch (err) {
    doc.destroy();
    throw err;
  }
}

function heldDoc(docId: string): HeldDoc {
  const h = held.get(docId);
  if (!h) throw new Refusal('NOT_LOADED', 'the document is not loaded in this worker');
  return h;
}

/** What is left undone because something it refers to is missing, in bytes (0: nothing). */
function pendingSize(doc: Y.Doc): number {
  return (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0);
}

/** Rebuilds a document from what is committed plus what is still being committed. */
function rebuild(h: HeldDoc): void {
  const fresh = build([...h.committed, ...h.inflight.values()]);
  h.doc.destroy();
  h.doc = fresh;
  h.encoded = null;
}

/**
 * Applies one untrusted update. Refused (and the document rolled back to exactly what it was)
 * when it does not integrate, refers to content this document lacks, or leaves the funding plan
 * malformed. Returns the change as Yjs itself encodes it (the canonical delta: what is stored and
 * sent on), or null when the update brought nothing new.
 */
function apply(docId: string, update: Uint8Array): { seq: number; delta: Uint8Array } | null {
  const h = heldDoc(docId);
  const before = pendingSize(h.doc);
  // Yjs keys changedParentTypes by a type its Y.Map does not satisfy (event handler variance).
  const funding = fundingMap(h.doc) as unknown as ChangedParentType;
  let delta: Uint8Array | null = null;
  let transaction: Y.Transaction | undefined;
  const onUpdate = (u: Uint8Array) => (delta = u);
  h.doc.on('update', onUpdate);
  try {
    h.doc.transact((tr) => {
      transaction = tr;
      Y.applyUpdate(h.doc, update);
    });
  } catch {
    rebuild(h);
    throw new Refusal('VALIDATION_FAILED', 'the update does not fit the document', [
      { path: 'message', message: 'the update does not fit the document' },
    ]);
  } finally {
    h.doc.off('update', onUpdate);
  }
  if (clockPastBound(transaction!.afterState) !== undefined) {
    rebuild(h);
    throw new Refusal('VALIDATION_FAILED', 'the update numbers its content past what any client can reach', [
      { path: 'message', message: 'the update numbers its content past what any client can reach' },
    ]);
  }
  if (pendingSize(h.doc) > before) {
    // The hub has every update its clients can know of; an update that builds on content the
    // server lacks is stale (or crafted). It is not kept: the client syncs again and resends.
    rebuild(h);
    throw new Refusal('OUT_OF_SYNC', 'the update refers to content the server does not have');
  }
  // Filled in as the transaction ends (deep observers are told), before transact returns.
  if (transaction!.changedParentTypes.has(funding)) {
    const issues = fundingDocIssues(h.doc);
    if (issues.length) {
      rebuild(h);
      throw new Refusal(
        'VALIDATION_FAILED',
        'the update would leave the funding plan malformed',
        issues.slice(0, 20).map((i) => ({ path: i.path, message: i.message })),
      );
    }
  }
  if (delta === null) return null;
  h.encoded = null;
  const seq = nextSeq++;
  h.inflight.set(seq, delta);
  return { seq, delta };
}

/**
 * Keeps these committed updates (or, given `whole`, replaces the list with it). The list is the
 * document as loaded, then merged chunks, then the latest updates. Once FOLD_COMMITTED_AFTER
 * latest updates are kept and nothing is in flight, the document itself is what is committed:
 * its encoding replaces the list (encoding decodes nothing, so it costs a fraction of merging).
 * A document never quiet at that moment merges every CHUNK_AFTER latest updates into one chunk,
 * and every CHUNKS_PER_FOLD chunks with the rest into one update. Merging costs as much as what
 * it merges: folding the whole list every 256 updates was most of a busy worker's time.
 */
function commitTo(h: HeldDoc, updates: Uint8Array[], whole?: Uint8Array): void {
  if (whole) {
    h.committed = [whole];
    h.chunks = 0;
    return;
  }
  h.committed.push(...updates);
  const latest = h.committed.length - 1 - h.chunks;
  if (latest >= FOLD_COMMITTED_AFTER && h.inflight.size === 0) {
    h.encoded ??= Y.encodeStateAsUpdate(h.doc);
    commitTo(h, [], h.encoded);
  } else if (latest >= CHUNK_AFTER) {
    h.committed.splice(1 + h.chunks, latest, Y.mergeUpdates(h.committed.slice(1 + h.chunks)));
    if (++h.chunks >= CHUNKS_PER_FOLD) commitTo(h, [], Y.mergeUpdates(h.committed));
  }
}

/** Several deltas as one update (null: none). */
function merged(updates: Uint8Array[]): Uint8Array | null {
  return updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

function handle(req: WorkerRequest): unknown {
  switch (req.op) {
    case 'load': {
      const { doc, encoded } = buildProven(req.parts);
      held.get(req.docId)?.doc.destroy();
      held.set(req.docId, { doc, committed: [encoded], chunks: 0, inflight: new Map(), encoded });
      return { bytes: encoded.byteLength };
    }
    case 'build': {
      // A scratch document: proves the parts load (bisection), or merges them (compaction).
      const { doc, encoded } = buildProven(req.parts);
      doc.destroy();
      return { update: encoded };
    }
    case 'unload': {
      held.get(req.docId)?.doc.destroy();
      held.delete(req.docId);
      return {};
    }
    case 'apply':
      return apply(req.docId, req.update);
    case 'commit': {
      const h = heldDoc(req.docId);
      const batch: Uint8Array[] = [];
      for (const seq of req.seqs) {
        const u = h.inflight.get(seq);
        if (!u) continue;
        h.inflight.delete(seq);
        batch.push(u);
      }
      commitTo(h, batch);
      // With other nodes, the batch goes to them as one message.
      return { batch: req.merge ? merged(batch) : null };
    }
    case 'rollback': {
      const h = heldDoc(req.docId);
      let dropped = false;
      for (const seq of req.seqs) dropped = h.inflight.delete(seq) || dropped;
      if (dropped) rebuild(h);
      return {};
    }
    case 'remote': {
      // Committed elsewhere (another node, or before this worker started): kept as committed
      // even if it waits for something, and what it brought is sent on.
      const h = heldDoc(req.docId);
      const deltas: Uint8Array[] = [];
      const onUpdate = (u: Uint8Array) => deltas.push(u);
      h.doc.on('update', onUpdate);
      try {
        h.doc.transact(() => {
          for (const u of req.updates) Y.applyUpdate(h.doc, u);
        });
      } finally {
        h.doc.off('update', onUpdate);
      }
      // A refresh hands over the whole stored document: keep one encoding of it instead.
      if (req.refresh && h.inflight.size === 0) commitTo(h, [], Y.encodeStateAsUpdate(h.doc));
      else commitTo(h, req.updates);
      if (deltas.length === 0) return { delta: null };
      h.encoded = null;
      return { delta: merged(deltas) };
    }
    case 'vector':
      return { vector: Y.encodeStateVector(heldDoc(req.docId).doc) };
    case 'diff': {
      const h = heldDoc(req.docId);
      if (req.vector === null) return { update: (h.encoded ??= Y.encodeStateAsUpdate(h.doc)) };
      return { update: Y.encodeStateAsUpdate(h.doc, req.vector) };
    }
    case 'fundingLine':
      return { exists: fundingMap(heldDoc(req.docId).doc).has(req.lineId) };
    case 'render': {
      const doc = build(req.parts);
      try {
        return {
          state: Y.encodeStateAsUpdate(doc),
          html: renderHtml(doc),
          text: renderText(doc),
          fundingIssues: fundingDocIssues(doc),
          lines: readFundingLines(doc),
        };
      } finally {
        doc.destroy();
      }
    }
    case 'spin':
      // Test hook: a worker that never answers, to prove the bound (allowed only when the pool says so).
      for (;;);
  }
}

const options = workerData as { progress: SharedArrayBuffer; nice: number };

/** What this worker runs now, for the pool's bound (see PROGRESS_SLOTS). */
const progress = new BigInt64Array(options.progress);

// A background worker yields the CPU to the node's other threads. On Linux a thread is a task of
// its own, and setpriority() given its id changes that thread alone.
if (options.nice > 0) {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), options.nice);
  } catch {
    // Not Linux, or not allowed: it runs at the normal priority, which is only slower for others.
  }
}

/** Runs one request; its answer goes back with the rest of its batch (see below). */
function answer(req: WorkerRequest): WorkerReply {
  const started = performance.now();
  Atomics.store(progress, STARTED_US, nowUs());
  Atomics.store(progress, RUNNING, BigInt(req.id));
  let reply: WorkerReply;
  try {
    reply = { id: req.id, ok: true, result: handle(req), ms: performance.now() - started };
  } catch (e) {
    const r =
      e instanceof Refusal
        ? e
        : new Refusal('VALIDATION_FAILED', 'not a valid Yjs update', [{ path: 'message', message: 'not a valid Yjs update' }]);
    reply = { id: req.id, ok: false, error: { code: r.code, message: r.message, fields: r.fields }, ms: performance.now() - started };
  }
  // The pool's bound reads this, not the answer: an operation done is never stopped.
  Atomics.store(progress, DONE, BigInt(req.id));
  return reply;
}

// Requests made in one task of the main thread arrive together, in order, and their answers go
// back together: each message wakes the other thread, and on a busy machine a wake-up costs both.
parentPort!.on('message', (m: WorkerRequest | WorkerRequest[]) => {
  if (!Array.isArray(m)) parentPort!.postMessage(answer(m));
  else parentPort!.postMessage(m.map(answer));
});
parentPort!.postMessage({ ready: true });
