import type { CreateDemandRequest } from '@yishi/shared';

/**
 * Demands entered on a phone that could not be sent yet (no signal on a home visit), kept in
 * the browser's IndexedDB so they survive a reload or a closed tab, and sent when the network is
 * back. Each entry carries the `clientKey` the server records it under, so an entry sent twice
 * (its answer lost on the way back) is recorded once; `demandId` is set once the text is
 * recorded, while photos are still to go.
 */
export interface OutboxEntry {
  clientKey: string;
  compoundId: string;
  body: CreateDemandRequest & { clientKey: string };
  photos: Blob[];
  demandId?: string;
  savedAt: number;
  /** The server refused the entry (not a network failure): shown, and sent no more. */
  refused?: string;
}

const DB_NAME = 'yishi-outbox';
const STORE = 'demands';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clientKey' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
  } finally {
    db.close();
  }
}

export const outbox = {
  put: (entry: OutboxEntry) => run('readwrite', (s) => s.put(entry)).then(() => undefined),
  remove: (clientKey: string) => run('readwrite', (s) => s.delete(clientKey)).then(() => undefined),
  async list(compoundId: string): Promise<OutboxEntry[]> {
    const all = await run<OutboxEntry[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>);
    return all.filter((e) => e.compoundId === compoundId).sort((a, b) => a.savedAt - b.savedAt);
  },
};
