import { Worker } from 'node:worker_threads';
import { AppError } from '../../infra/errors/app-error';

/** How long decoding one untrusted update may take before it is refused and the worker replaced. */
const DECODE_TIMEOUT_MS = 1000;

// Decoding runs in a worker thread with its own small heap: crafted updates are known to make
// the Yjs decoder loop forever or allocate without bound (yjs #479, #687). The worker pays for
// that, not the node's event loop.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const Y = require(${JSON.stringify(require.resolve('yjs'))});
parentPort.on('message', ({ id, update }) => {
  try {
    const decoded = Y.decodeUpdate(update);
    let deletes = 0;
    decoded.ds.clients.forEach((ranges) => { deletes += ranges.length; });
    parentPort.postMessage({ id, ok: true, structs: decoded.structs.length, deletes });
  } catch (e) {
    parentPort.postMessage({ id, ok: false, error: String((e && e.message) || e) });
  }
});
`;

export interface DecodedSummary {
  structs: number;
  deletes: number;
}

/** Checks that untrusted Yjs updates decode, in bounded time and memory, off the main thread. */
export class UpdateValidator {
  private worker!: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { update: Uint8Array; resolve: (s: DecodedSummary) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }>();
  private closed = false;

  constructor() {
    this.spawn();
  }

  validate(update: Uint8Array): Promise<DecodedSummary> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { update, resolve, reject });
      this.post(id);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  private spawn(): void {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; ok: boolean; structs?: number; deletes?: number; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      clearTimeout(w.timer);
      this.waiting.delete(m.id);
      if (m.ok) w.resolve({ structs: m.structs!, deletes: m.deletes! });
      else w.reject(new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'not a valid Yjs update' }] }));
    });
    // Out of memory on a hostile update: every update in flight is refused, a new worker starts.
    this.worker.on('error', () => this.restart());
  }

  private post(id: number): void {
    const w = this.waiting.get(id)!;
    w.timer = setTimeout(() => this.restart(), DECODE_TIMEOUT_MS);
    this.worker.postMessage({ id, update: w.update });
  }

  /**
   * The worker is stuck on, or died of, an update. It decodes in order, so the oldest waiting
   * update is the culprit: refuse it, start a new worker, and hand it the others again.
   */
  private restart(): void {
    const old = this.worker;
    const ids = [...this.waiting.keys()].sort((a, b) => a - b);
    for (const id of ids) clearTimeout(this.waiting.get(id)!.timer);
    const culprit = ids.shift();
    if (culprit !== undefined) {
      this.waiting.get(culprit)!.reject(new AppError('VALIDATION_FAILED', { fields: [{ path: 'message', message: 'the update could not be decoded within limits' }] }));
      this.waiting.delete(culprit);
    }
    void old.terminate();
    if (this.closed) return;
    this.spawn();
    for (const id of ids) this.post(id);
  }
}
