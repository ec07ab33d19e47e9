/** The gap is this many times what the last sends cost. */
const COST_FACTOR = 2;

/**
 * How often a document's committed changes go out to its followers. Sending one change to many
 * sockets costs the event loop a write per socket; a busy document with many followers would spend
 * the node's time on writes, and every edit would wait behind them. So a document's changes go out
 * at once when it was quiet, and otherwise at most once per gap, gathered into one message. The gap follows what sending costs: a few followers, no gap worth the name; two
 * hundred, a few milliseconds.
 */
export class BroadcastPacer {
  private readonly docs = new Map<string, Paced>();

  constructor(
    /** Sends what the document's worker holds for its followers, to all but `authors`' sockets if one. */
    private readonly send: (docId: string, authors: Set<string>) => Promise<void>,
    /** The gap is never more than this (ms); 0: no gap. */
    private readonly maxGapMs: number,
    /** A document that sent within this long (ms) waits for it to pass: its changes go out together. */
    private readonly minGapMs = 0,
    /** How busy the event loop is lately (0 … 1): the floor grows with it, up to three times. */
    private readonly loopLoad: () => number = () => 0,
  ) {}

  /**
   * A batch of `authors`' changes to the document was committed: true when it may go out now
   * (the caller sends it and then calls `sent`), false when it is held and will be sent later.
   */
  sendNow(docId: string, authors: Set<string>): boolean {
    const p = this.paced(docId);
    const now = performance.now();
    if (!p.timer && now - p.lastAt >= this.gap(p)) {
      // Counted from now, so a batch committed while this one is on its way waits its turn.
      p.lastAt = now;
      return true;
    }
    for (const a of authors) p.authors.add(a);
    p.held = true;
    this.schedule(docId, p);
    return false;
  }

  /** Sending took `ms` of the event loop's time. */
  sent(docId: string, ms: number): void {
    const p = this.paced(docId);
    p.lastAt = performance.now();
    p.costMs = p.costMs * 0.7 + ms * 0.3;
  }

  /** The document is gone from this node: nothing of it is held here any more. */
  forget(docId: string): void {
    const p = this.docs.get(docId);
    if (p?.timer) clearTimeout(p.timer);
    this.docs.delete(docId);
  }

  close(): void {
    for (const id of [...this.docs.keys()]) this.forget(id);
  }

  private gap(p: Paced): number {
    const byCost = COST_FACTOR * p.costMs;
    // Sending costs next to nothing: holding it for that would only add a timer's delay.
    // The busier the node, the more each send gathers: a send's writes cost the same whatever
    // they carry, and on a busy node they delay every other document's edits and acks.
    const floor = this.minGapMs * (1 + 2 * this.loopLoad());
    return Math.min(this.maxGapMs, Math.max(floor, byCost < 1 ? 0 : byCost));
  }

  private paced(docId: string): Paced {
    let p = this.docs.get(docId);
    if (!p) {
      p = { lastAt: -Infinity, costMs: 0, authors: new Set(), held: false };
      this.docs.set(docId, p);
    }
    return p;
  }

  private schedule(docId: string, p: Paced): void {
    if (p.timer) return;
    p.timer = setTimeout(
      () => {
        // A timer counts from the event loop's clock, read when the loop last woke, so after a
        // long turn it fires early by that much: the gap is kept to the millisecond here.
        if (performance.now() < p.lastAt + this.gap(p)) {
          p.timer = undefined;
          this.schedule(docId, p);
          return;
        }
        void this.flush(docId, p);
      },
      Math.max(0, p.lastAt + this.gap(p) - performance.now()),
    );
  }

  private async flush(docId: string, p: Paced): Promise<void> {
    const authors = p.authors;
    p.authors = new Set();
    p.held = false;
    try {
      await this.send(docId, authors);
    } finally {
      p.timer = undefined;
      // Committed while this send was on its way: it goes out one gap later.
      if (p.held && this.docs.get(docId) === p) this.schedule(docId, p);
    }
  }
}

interface Paced {
  /** When the last send ended (performance.now()). */
  lastAt: number;
  /** What a send costs lately (ms, moving average). */
  costMs: number;
  /** Whose changes are held. */
  authors: Set<string>;
  /** Something committed is held in the worker for the next send. */
  held: boolean;
  timer?: NodeJS.Timeout;
}
