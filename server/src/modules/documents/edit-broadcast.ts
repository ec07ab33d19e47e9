import type { Logger } from 'pino';
import { BroadcastPacer } from './broadcast-pacer';
import { type DocWorkerPool, WorkerLost } from './doc-worker-pool';
import type { LoadedDoc } from './loaded-doc';
import type { WorkBudget } from './work-budget';

interface Held {
  loaded: LoadedDoc;
  deltas: Uint8Array[];
}

export interface EditBroadcastDeps {
  pool: DocWorkerPool;
  budget: WorkBudget;
  log: Logger;
  /** Passes a change to this node's followers of the document, except `authors`' sockets when one. */
  toFollowers: (docId: string, update: Uint8Array, authors: Set<string>) => void;
  /** The longest and shortest gap between a busy document's sends (ms): see BroadcastPacer. */
  sendGapMaxMs: number;
  sendGapMinMs: number;
}

/**
 * Sends each change a worker applied to this node's followers of its document as soon as it is
 * applied: the followers do not wait for the commit (the author's acknowledgement does). The
 * commit of a change very rarely fails after it went out (the database is down); the store then
 * rolls its copy back and tells the followers to sync again, and the change comes back from
 * whoever holds it (the author, who was refused and sends it again, or a follower), so everyone
 * converges on what is committed. A busy document's changes are paced (BroadcastPacer): held
 * ones are merged in the worker, under its bound, and go out as one message.
 */
export class EditBroadcast {
  private readonly pacer: BroadcastPacer;
  private readonly held = new Map<string, Held>();

  constructor(private readonly d: EditBroadcastDeps) {
    const loop = new LoopLoad();
    this.pacer = new BroadcastPacer(
      (docId, authors) => this.sendHeld(docId, authors),
      d.sendGapMaxMs,
      d.sendGapMinMs,
      () => loop.lately(),
    );
  }

  /** A change `author` made, as the worker applied it (its canonical delta). */
  publish(loaded: LoadedDoc, delta: Uint8Array, author: string): void {
    const authors = new Set([author]);
    if (this.pacer.sendNow(loaded.id, authors)) {
      this.send(loaded.id, delta, authors);
      return;
    }
    const h = this.held.get(loaded.id);
    if (h) h.deltas.push(delta);
    else this.held.set(loaded.id, { loaded, deltas: [delta] });
  }

  /** The document left this node: nothing is sent for it any more. */
  forget(docId: string): void {
    this.pacer.forget(docId);
    this.held.delete(docId);
  }

  close(): void {
    this.pacer.close();
    this.held.clear();
  }

  private async sendHeld(docId: string, authors: Set<string>): Promise<void> {
    const h = this.held.get(docId);
    if (!h) return;
    this.held.delete(docId);
    const [only] = h.deltas;
    if (h.deltas.length === 1 && only) {
      this.send(docId, only, authors);
      return;
    }
    try {
      const { result } = await this.d.pool.run<{ update: Uint8Array | null }>(
        h.loaded.slot,
        { op: 'merge', updates: h.deltas },
        this.d.budget.bound(h.deltas.reduce((n, u) => n + u.byteLength, 0)),
      );
      if (result.update) this.send(docId, result.update, authors);
    } catch (err) {
      // Not merged in time (or the worker was replaced): each goes out on its own.
      if (!(err instanceof WorkerLost)) this.d.log.warn({ err, docId }, 'held changes could not be merged; sending them one by one');
      for (const u of h.deltas) this.send(docId, u, authors);
    }
  }

  private send(docId: string, update: Uint8Array, authors: Set<string>): void {
    const started = performance.now();
    this.d.toFollowers(docId, update, authors);
    this.pacer.sent(docId, performance.now() - started);
  }
}

/** The event loop's utilisation over the last quarter second or so (0 idle … 1 never idle). */
class LoopLoad {
  private mark = performance.eventLoopUtilization();
  private markedAt = performance.now();
  private value = 0;

  lately(): number {
    const now = performance.now();
    if (now - this.markedAt >= 250) {
      const current = performance.eventLoopUtilization();
      this.value = performance.eventLoopUtilization(current, this.mark).utilization;
      this.mark = current;
      this.markedAt = now;
    }
    return this.value;
  }
}
