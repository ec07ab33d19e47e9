import { BroadcastPacer } from './broadcast-pacer';
import type { LoadedDoc } from './loaded-doc';

export interface EditBroadcastDeps {
  /** Passes changes to this node's followers of the document, except `authors`' sockets when one. */
  toFollowers: (docId: string, updates: Uint8Array[], authors: Set<string>) => void;
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
 * ones go out together, as one message holding each of them (not merged: merging costs a worker
 * as much as applying them, and a round trip to it; the client applies them in one transaction).
 */
export class EditBroadcast {
  private readonly pacer: BroadcastPacer;
  private readonly held = new Map<string, Uint8Array[]>();

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
      this.send(loaded.id, [delta], authors);
      return;
    }
    const held = this.held.get(loaded.id);
    if (held) held.push(delta);
    else this.held.set(loaded.id, [delta]);
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
    const held = this.held.get(docId);
    if (!held) return;
    this.held.delete(docId);
    this.send(docId, held, authors);
  }

  private send(docId: string, updates: Uint8Array[], authors: Set<string>): void {
    const started = performance.now();
    this.d.toFollowers(docId, updates, authors);
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
