import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';
import { deleteDocStore } from './offline-store';

/** Edits closer together than this are one change ("3 changes waiting" counts bursts, not keys). */
const BURST_MS = 1500;
const UNSENT_KEY = 'unsent';

/**
 * A proposal document's copy on this device (IndexedDB, through y-indexeddb): every edit is
 * written there as it is made, so text typed offline survives a reload and goes out when the
 * socket is back. It also counts the changes made here that the server has not acknowledged.
 */
export class OfflineDoc {
  /** Changes made here and not yet acknowledged by the server; kept across reloads. */
  unsent = 0;
  /** Resolves once the stored copy has been read into the document. */
  readonly ready: Promise<void>;
  private readonly persistence: IndexeddbPersistence;
  private lastEdit = 0;
  private destroyed = false;

  constructor(
    readonly name: string,
    private readonly doc: Y.Doc,
    private readonly onChange: (unsent: number) => void,
    /** Updates with this origin came from the server, not from this device. */
    private readonly serverOrigin: () => unknown,
  ) {
    this.persistence = new IndexeddbPersistence(name, doc);
    this.ready = this.persistence.whenSynced.then(async () => {
      const stored: unknown = await this.persistence.get(UNSENT_KEY).catch(() => 0);
      if (typeof stored === 'number' && !this.destroyed) this.set(stored);
    });
    doc.on('update', this.onUpdate);
  }

  /** The server has acknowledged every edit made here (the provider's "saved"). */
  acknowledged(): void {
    if (this.unsent !== 0) this.set(0);
  }

  destroy(): void {
    this.destroyed = true;
    this.doc.off('update', this.onUpdate);
    void this.persistence.destroy();
  }

  /** Removes the copy from the device (the document itself is left alone: make a new one). */
  async discard(): Promise<void> {
    this.destroy();
    await this.persistence.destroy();
    await deleteDocStore(this.name);
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === this.persistence || origin === this.serverOrigin() || this.destroyed) return;
    const now = Date.now();
    const newChange = now - this.lastEdit > BURST_MS || this.unsent === 0;
    this.lastEdit = now;
    if (newChange) this.set(this.unsent + 1);
  };

  private set(n: number): void {
    this.unsent = n;
    if (!this.destroyed) void this.persistence.set(UNSENT_KEY, n).catch(() => undefined);
    this.onChange(n);
  }
}
