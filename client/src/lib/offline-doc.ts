import { fromBase64, toBase64 } from 'lib0/buffer';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { deleteDocStore, pendingEditsKey } from './offline-store';
import { readStorage, removeStorage, writeStorage } from './storage';

/** Edits closer together than this are one change ("3 changes waiting" counts bursts, not keys). */
const BURST_MS = 1500;

/** What localStorage holds for a document: the unsent count, and edits IndexedDB has not yet committed. */
interface PendingEdits {
  unsent: number;
  /** Base64 of the merged Yjs update; absent once IndexedDB has committed every edit. */
  update?: string;
}

/**
 * A proposal document's copy on this device (IndexedDB, through y-indexeddb): every edit is
 * written there as it is made, so text typed offline survives a reload and goes out when the
 * socket is back. It also counts the changes made here that the server has not acknowledged.
 *
 * IndexedDB commits a write some milliseconds after it is asked for, and a reload or a closed tab
 * in between aborts it (Chromium dropped more than half of such writes in a trial): a resident who
 * types offline and reloads at once would lose the last words. So each edit also goes into
 * localStorage, which a page writes at once, until a later IndexedDB transaction has seen it
 * committed; a reload replays what is still there.
 */
export class OfflineDoc {
  /** Changes made here and not yet acknowledged by the server; kept across reloads. */
  unsent = 0;
  /** Resolves once the stored copy has been read into the document. */
  readonly ready: Promise<void>;
  private readonly persistence: IndexeddbPersistence;
  private readonly key: string;
  private lastEdit = 0;
  private destroyed = false;
  /** This device's edits not yet known to be committed in IndexedDB, merged. */
  private uncommitted: Uint8Array | null = null;
  /** Counts edits, so a commit check knows whether newer ones arrived while it waited. */
  private edits = 0;
  private checking = false;

  constructor(
    readonly name: string,
    private readonly doc: Y.Doc,
    private readonly onChange: (unsent: number) => void,
    /** Updates with this origin came from the server, not from this device. */
    private readonly serverOrigin: () => unknown,
  ) {
    this.key = pendingEditsKey(name);
    // Registered before ours: by the time an edit reaches onUpdate, its IndexedDB write was asked for.
    this.persistence = new IndexeddbPersistence(name, doc);
    this.ready = this.persistence.whenSynced.then(() => {
      if (this.destroyed) return;
      const pending = readPending(this.key);
      if (pending?.update) {
        try {
          this.uncommitted = fromBase64(pending.update);
          Y.applyUpdate(this.doc, this.uncommitted, this);
        } catch {
          this.uncommitted = null; // Not ours any more (edited by hand): the IndexedDB copy stands.
        }
      }
      this.set(pending?.unsent ?? 0);
      this.checkCommitted();
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
    removeStorage(this.key);
    await this.persistence.destroy();
    await deleteDocStore(this.name);
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    // The stored copy, the server's edits and the replayed localStorage edits are kept already.
    if (origin === this.persistence || origin === this.serverOrigin() || origin === this || this.destroyed) return;
    this.uncommitted = this.uncommitted ? Y.mergeUpdates([this.uncommitted, update]) : update;
    this.edits++;
    const now = Date.now();
    const newChange = now - this.lastEdit > BURST_MS || this.unsent === 0;
    this.lastEdit = now;
    if (newChange) this.unsent++;
    this.save();
    if (newChange) this.onChange(this.unsent);
    this.checkCommitted();
  };

  /**
   * A read-only transaction over every store starts only after the read-write ones asked for
   * before it have finished (IndexedDB's ordering rule), so when it completes, every edit counted
   * so far is committed and localStorage can let go of it.
   */
  private checkCommitted(): void {
    const db = this.persistence.db;
    if (this.checking || !this.uncommitted || !db || this.destroyed) return;
    const upTo = this.edits;
    let tx: IDBTransaction;
    try {
      tx = db.transaction([...db.objectStoreNames], 'readonly');
    } catch {
      return; // Closing: what localStorage holds is replayed on the next load.
    }
    this.checking = true;
    tx.oncomplete = () => {
      this.checking = false;
      if (this.destroyed) return;
      if (this.edits === upTo) {
        this.uncommitted = null;
        this.save();
      } else this.checkCommitted();
    };
    tx.onabort = () => {
      this.checking = false;
    };
  }

  private set(n: number): void {
    this.unsent = n;
    this.save();
    this.onChange(n);
  }

  private save(): void {
    if (this.destroyed) return;
    if (this.unsent === 0 && !this.uncommitted) return removeStorage(this.key);
    const pending: PendingEdits = { unsent: this.unsent };
    if (this.uncommitted) pending.update = toBase64(this.uncommitted);
    writeStorage(this.key, JSON.stringify(pending));
  }
}

function readPending(key: string): PendingEdits | null {
  try {
    const parsed = JSON.parse(readStorage(key) ?? 'null') as Partial<PendingEdits> | null;
    if (!parsed || typeof parsed.unsent !== 'number') return null;
    return { unsent: parsed.unsent, update: typeof parsed.update === 'string' ? parsed.update : undefined };
  } catch {
    return null;
  }
}
