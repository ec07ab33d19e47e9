import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  DONE,
  nowUs,
  PROGRESS_SLOTS,
  RUNNING,
  STARTED_US,
  type WorkerOp,
  type WorkerReply,
  type WorkerRequest,
} from './doc-worker.protocol';

/** A refusal decided inside the worker (the update, not the worker, is at fault). */
export class WorkerRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

/**
 * The operation took longer than its bound or exhausted the worker's memory. The worker was
 * stopped; this operation's input is to blame.
 */
export class WorkerOverrun extends Error {
  constructor(readonly reason: 'timeout' | 'memory') {
    super(`document work stopped: ${reason}`);
  }
}

/** The worker was stopped because of another operation; this one is innocent and may be retried. */
export class WorkerLost extends Error {
  constructor() {
    super('document worker restarted');
  }
}

interface Pending {
  id: number;
  op: WorkerOp;
  budgetMs: number;
  resolve: (r: { result: unknown; ms: number }) => void;
  reject: (e: Error) => void;
}

interface Slot {
  index: number;
  /** Null while the slot is parked: no documents and nothing to do for a while (started again on demand). */
  worker: Worker | null;
  /** Bumped every time the slot's worker is replaced: what a document was loaded into. */
  generation: number;
  /** In the order posted; the worker runs them in that order, so the first is the one running. */
  queue: Pending[];
  /** Requests of this turn of the event loop not yet posted: they go to the worker as one message. */
  outgoing: WorkerRequest[];
  /** Posts `outgoing` at the end of this turn ... */
  flushSoon?: NodeJS.Immediate;
  /** ... or, when only deferred requests wait, a little later. */
  flushTimer?: NodeJS.Timeout;
  timer?: NodeJS.Timeout;
  /** When `timer` fires (performance.now()). */
  checkAt: number;
  docs: Set<string>;
  /** The worker has loaded its code: only then does an operation's clock start. */
  ready: boolean;
  /** Replaced: whatever this worker still says or does is ignored. */
  dead: boolean;
  /** How long this worker's operations take lately (moving average, ms): slow when the machine is. */
  typicalMs: number;
  /** Parks the worker once it has had no documents and nothing to do for a while. */
  idleTimer?: NodeJS.Timeout;
  /** What the worker runs now and since when (written by the worker, see PROGRESS_SLOTS). */
  progress: BigInt64Array;
}

/**
 * An operation is stopped only when it takes this many times what the worker's operations take
 * lately, or its own bound, whichever is longer: when the machine is starved of CPU every
 * operation is slow, and stopping honest ones would only add reloads to the load.
 */
const SLOW_MACHINE_FACTOR = 50;

export interface PoolOptions {
  size: number;
  /** Old-generation heap of one worker, in MB: what a hostile update can make it allocate. */
  heapMb: number;
  /** Called with the documents a replaced worker held (they must be loaded again). */
  onLost: (docIds: string[]) => void;
  /** A worker with no documents and nothing to do for this long is stopped (ms; 0: never). */
  idleMs: number;
  /** Told each operation's name and its time in the worker (ms), for the metrics. */
  onOpTime?: (op: string, ms: number) => void;
  /** The workers' scheduling niceness (0 … 19, higher yields more): for work nobody waits on. */
  nice?: number;
}

/**
 * Worker threads that do all Yjs work on untrusted bytes, each operation under a time bound
 * (given by the caller, from the sizes involved) and every worker under a heap bound. A worker
 * runs its operations one at a time in order, so the one that overruns is known exactly: it is
 * refused (WorkerOverrun), the worker is replaced, the operations queued behind it are refused
 * as WorkerLost (the caller retries them), and the documents it held are reported lost.
 * Workers start when first needed and stop when they have held no document for a while, so a
 * node at rest keeps none (each costs about 14 MB); starting one takes about a quarter second.
 */
export class DocWorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < options.size; i++)
      this.slots.push({
        index: i,
        worker: null,
        generation: 0,
        queue: [],
        outgoing: [],
        docs: new Set(),
        checkAt: Infinity,
        ready: false,
        dead: false,
        typicalMs: 0,
        progress: newProgress(),
      });
  }

  /** The slot for a new document: the one holding the fewest. */
  assign(docId: string): { slot: number; generation: number } {
    const slot = this.slots.reduce((a, b) => (b.docs.size < a.docs.size ? b : a));
    slot.docs.add(docId);
    return { slot: slot.index, generation: slot.generation };
  }

  /** Tells the slot that it holds this document again (after its worker was replaced). */
  reassign(slot: number, docId: string): number {
    const s = this.slot(slot);
    s.docs.add(docId);
    return s.generation;
  }

  release(slot: number, docId: string): void {
    const s = this.slots[slot];
    s?.docs.delete(docId);
    if (s) this.parkWhenIdle(s);
  }

  /** How many workers are running now (parked slots have none). */
  running(): number {
    return this.slots.filter((s) => s.worker !== null).length;
  }

  generation(slot: number): number {
    return this.slot(slot).generation;
  }

  /**
   * Runs one operation in a slot's worker; resolves with its result and its time in the worker.
   * `deferMs`: nobody waits for the answer soon (bookkeeping such as a commit), so the request
   * waits for the next one to that worker to travel with it, or at most this long.
   */
  run<T>(slot: number, op: WorkerOp, budgetMs: number, deferMs = 0): Promise<{ result: T; ms: number }> {
    if (this.closed) return Promise.reject(new WorkerLost());
    return new Promise((resolve, reject) => {
      const s = this.slot(slot);
      clearTimeout(s.idleTimer);
      const worker = s.worker ?? this.start(s);
      // The worker's reply is not checked: the caller names what its operation returns.
      const p: Pending = { id: this.nextId++, op, budgetMs, resolve: (r) => resolve(r as { result: T; ms: number }), reject };
      s.queue.push(p);
      s.outgoing.push(compact({ ...op, id: p.id } as WorkerRequest));
      // A message wakes the other thread, and on a busy machine each wake-up is a context switch
      // both threads pay for: what this turn of the event loop asks of a worker travels together.
      if (deferMs > 0) (s.flushTimer ??= setTimeout(() => this.post(s, worker), deferMs)).unref();
      else s.flushSoon ??= setImmediate(() => this.post(s, worker));
      // Its bound may be shorter than what the clock was set for.
      if (s.queue.length === 1 || performance.now() + this.boundOf(s, p) < s.checkAt) this.arm(s);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map((s) => {
        clearTimeout(s.timer);
        clearTimeout(s.idleTimer);
        clearTimeout(s.flushTimer);
        clearImmediate(s.flushSoon);
        for (const p of s.queue.splice(0)) p.reject(new WorkerLost());
        return s.worker?.terminate();
      }),
    );
  }

  private slot(index: number): Slot {
    const s = this.slots[index];
    if (!s) throw new Error(`there is no document worker slot ${index}`);
    return s;
  }

  private post(slot: Slot, worker: Worker): void {
    clearTimeout(slot.flushTimer);
    clearImmediate(slot.flushSoon);
    slot.flushTimer = slot.flushSoon = undefined;
    const batch = slot.outgoing;
    slot.outgoing = [];
    // Replaced meanwhile: those requests were refused with the rest of its queue.
    if (slot.worker !== worker || slot.dead || batch.length === 0) return;
    worker.postMessage(batch.length === 1 ? batch[0] : batch);
  }

  /** Starts the slot's worker; until it has loaded its code, operations wait in the queue. */
  private start(slot: Slot): Worker {
    slot.progress = newProgress();
    const worker = startWorker(this.options.heapMb, slot.progress, this.options.nice ?? 0);
    slot.worker = worker;
    slot.ready = false;
    worker.unref();
    // Events of a worker the slot no longer runs (replaced or parked) are ignored.
    const current = () => slot.worker === worker && !slot.dead;
    worker.on('message', (m: WorkerReply | WorkerReply[] | { ready: true }) => {
      if (!current()) return;
      if ('ready' in m) {
        slot.ready = true;
        if (slot.queue.length) this.arm(slot);
        return;
      }
      for (const reply of Array.isArray(m) ? m : [m]) this.settle(slot, reply);
      if (slot.queue.length) this.arm(slot);
      else this.parkWhenIdle(slot);
    });
    // Out of heap (ERR_WORKER_OUT_OF_MEMORY) or any other death: the running operation is to blame.
    worker.on('error', () => current() && this.replace(slot, 'memory'));
    worker.on('exit', () => current() && !this.closed && this.replace(slot, 'memory'));
    return worker;
  }

  /** Settles the operation at the head of the queue with the worker's answer to it. */
  private settle(slot: Slot, m: WorkerReply): void {
    const head = slot.queue[0];
    if (!head || head.id !== m.id) return;
    clearTimeout(slot.timer);
    slot.queue.shift();
    slot.typicalMs += (m.ms - slot.typicalMs) * 0.05;
    this.options.onOpTime?.(head.op.op, m.ms);
    if (m.ok) head.resolve({ result: m.result, ms: m.ms });
    else head.reject(Object.assign(new WorkerRefusal(m.error.code, m.error.message, m.error.fields), { ms: m.ms }));
  }

  /** With no documents and nothing queued, the worker stops after the idle time (unless used again). */
  private parkWhenIdle(slot: Slot): void {
    if (!this.options.idleMs || !slot.worker || slot.docs.size > 0 || slot.queue.length > 0) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      const worker = slot.worker;
      if (!worker || slot.docs.size > 0 || slot.queue.length > 0) return;
      slot.worker = null;
      slot.ready = false;
      void worker.terminate();
    }, this.options.idleMs);
    slot.idleTimer.unref();
  }

  /** Starts the clock for what the worker runs (see wake). */
  private arm(slot: Slot): void {
    clearTimeout(slot.timer);
    if (!slot.ready || slot.queue.length === 0) return;
    this.wake(slot, this.shortestBound(slot));
  }

  /** The shortest bound of what is queued: any of it may be what runs by then (a batch runs through). */
  private shortestBound(slot: Slot): number {
    let shortest = Infinity;
    for (let i = 0; i < slot.queue.length && i < 64; i++) shortest = Math.min(shortest, this.boundOf(slot, slot.queue[i]!));
    return shortest;
  }

  /** Never more than 20 times its own bound: slow updates sent on purpose cannot raise it for ever. */
  private boundOf(slot: Slot, op: Pending): number {
    return Math.min(20 * op.budgetMs, Math.max(op.budgetMs, SLOW_MACHINE_FACTOR * slot.typicalMs));
  }

  /** The queued operation the worker is running now (see PROGRESS_SLOTS), if any. */
  private runningOp(slot: Slot): Pending | undefined {
    const running = Atomics.load(slot.progress, RUNNING);
    if (Atomics.load(slot.progress, DONE) >= running) return undefined;
    return slot.queue.find((p) => BigInt(p.id) === running);
  }

  /**
   * When the bound may have passed, asks the worker (see PROGRESS_SLOTS) rather than the clock of
   * this thread: an operation the worker has finished, or not yet begun, is not overdue however
   * late this timer fired; the one it is running is overdue only after the bound of its own time.
   * That is not always the head of the queue: answers travel back a batch at a time.
   */
  private wake(slot: Slot, inMs: number): void {
    slot.checkAt = performance.now() + inMs;
    slot.timer = setTimeout(() => {
      if (slot.queue.length === 0) return;
      const op = this.runningOp(slot);
      if (!op) return this.wake(slot, this.shortestBound(slot));
      const bound = this.boundOf(slot, op);
      const runningMs = Number(nowUs() - Atomics.load(slot.progress, STARTED_US)) / 1000;
      if (runningMs >= bound) this.replace(slot, 'timeout');
      else this.wake(slot, Math.min(bound - runningMs, this.shortestBound(slot)));
    }, inMs);
    slot.timer.unref();
  }

  private replace(slot: Slot, reason: 'timeout' | 'memory'): void {
    clearTimeout(slot.timer);
    clearTimeout(slot.idleTimer);
    clearTimeout(slot.flushTimer);
    clearImmediate(slot.flushSoon);
    slot.dead = true;
    const old = slot.worker;
    // The operation it was running is to blame (the first queued when it had not begun one);
    // the rest, done or not, are lost with the worker and may be tried again.
    const culprit = this.runningOp(slot) ?? slot.queue[0];
    const innocent = slot.queue.splice(0).filter((p) => p !== culprit);
    const lost = [...slot.docs];
    const next: Slot = {
      ...slot,
      worker: null,
      generation: slot.generation + 1,
      queue: [],
      outgoing: [],
      docs: new Set(),
      dead: false,
      timer: undefined,
      checkAt: Infinity,
      idleTimer: undefined,
      flushSoon: undefined,
      flushTimer: undefined,
    };
    this.slots[slot.index] = next;
    // Started at once: its documents are loaded into it again.
    this.start(next);
    void old?.terminate();
    culprit?.reject(new WorkerOverrun(reason));
    for (const p of innocent) p.reject(new WorkerLost());
    if (lost.length && !this.closed) this.options.onLost(lost);
  }
}

function newProgress(): BigInt64Array {
  return new BigInt64Array(new SharedArrayBuffer(PROGRESS_SLOTS * BigInt64Array.BYTES_PER_ELEMENT));
}

/**
 * Posting a typed array clones its whole underlying buffer, and the bytes of a socket message
 * are a view into a larger one: copy them out first so only they travel.
 */
export function compact(req: WorkerRequest): WorkerRequest {
  // Not b.slice(): on a Node Buffer (what the socket's parser hands us) that is a view of the same memory.
  const tight = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b));
  if ('update' in req) return { ...req, update: tight(req.update) };
  if ('updates' in req) return { ...req, updates: req.updates.map(tight) };
  if ('parts' in req) return { ...req, parts: req.parts.map(tight) };
  if ('vector' in req && req.vector) return { ...req, vector: tight(req.vector) };
  return req;
}

/**
 * The compiled worker (dist) in production; under the test runner, which runs the TypeScript
 * sources, the same file compiled on the fly by the swc the tests use.
 */
function startWorker(heapMb: number, progress: BigInt64Array, nice: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16 };
  const workerData = { progress: progress.buffer, nice };
  const compiled = join(__dirname, 'doc-worker.js');
  if (existsSync(compiled)) return new Worker(compiled, { resourceLimits, workerData });
  const source = join(__dirname, 'doc-worker.ts');
  const bootstrap = `
    const fs = require('node:fs');
    const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
    require.extensions['.ts'] = (m, filename) => m._compile(transformSync(fs.readFileSync(filename, 'utf8'), {
      filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
    }).code, filename);
    require(${JSON.stringify(source)});
  `;
  return new Worker(bootstrap, { eval: true, resourceLimits, workerData });
}
