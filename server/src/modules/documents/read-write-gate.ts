/**
 * Many writers at once, or many readers at once, never both. A document's writers are updates
 * applied in its worker and not yet committed; its readers are whatever tells a client the
 * document's state (a state vector, a diff). So a client is only ever told what is committed:
 * a reader waits for the writers in flight (one group commit, a few ms) and holds new writers
 * back until it is done.
 */
export class ReadWriteGate {
  private writers = 0;
  private readers = 0;
  private readonly waitingReaders: Array<() => void> = [];
  private readonly waitingWriters: Array<() => void> = [];

  async write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.readers > 0 || this.waitingReaders.length > 0) await new Promise<void>((go) => this.waitingWriters.push(go));
    else this.writers++;
    try {
      return await fn();
    } finally {
      this.writers--;
      this.wake();
    }
  }

  async read<T>(fn: () => Promise<T>): Promise<T> {
    if (this.writers > 0) await new Promise<void>((go) => this.waitingReaders.push(go));
    else this.readers++;
    try {
      return await fn();
    } finally {
      this.readers--;
      this.wake();
    }
  }

  /** Lets the waiting side in, counting them in here so nobody slips between the two. */
  private wake(): void {
    if (this.writers === 0 && this.waitingReaders.length > 0) {
      const go = this.waitingReaders.splice(0);
      this.readers += go.length;
      for (const g of go) g();
    } else if (this.readers === 0 && this.waitingReaders.length === 0 && this.waitingWriters.length > 0) {
      const go = this.waitingWriters.splice(0);
      this.writers += go.length;
      for (const g of go) g();
    }
  }
}
