import type { MeetingState, MeView } from '@yishi/shared';
import { useSyncExternalStore } from 'react';
import { readStorage, removeStorage, writeStorage } from './storage';

/**
 * What this device keeps for working offline, and forgets on sign-out: who the user is, the last
 * meeting room they saw, the service worker's copies of that room's API answers, and each
 * proposal document's unsent edits (one IndexedDB database per user, compound and document, and a
 * localStorage record of its unsent count and of the edits IndexedDB has not committed yet).
 */

const ME_KEY = 'yishi.offline.me';
const ROOM_KEY = 'yishi.offline.room';
/** The names of the document stores made here: not every browser can list IndexedDB databases. */
const DOC_STORES_KEY = 'yishi.offline.docs';
const DOC_STORE_PREFIX = 'yishi-doc:';
/** The service worker's cache of the room's API answers (client/pwa/service-worker.js names it too). */
const ROOM_CACHE_PREFIX = 'yishi-room';

function readJson<T>(key: string): T | null {
  const raw = readStorage(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export function keepMeOffline(me: MeView): void {
  writeStorage(ME_KEY, JSON.stringify(me));
}

/** Who signed in last on this device, to open the app while the server cannot be asked. */
export function offlineMe(): MeView | null {
  return readJson<MeView>(ME_KEY);
}

interface SavedRoom {
  userId: string;
  meetingId: string;
  savedAt: string;
  state: MeetingState;
}

/** Only the last room is kept: it is the one a resident reopens after losing the network. */
export function keepRoomOffline(userId: string, meetingId: string, state: MeetingState): void {
  writeStorage(ROOM_KEY, JSON.stringify({ userId, meetingId, savedAt: new Date().toISOString(), state } satisfies SavedRoom));
}

export function offlineRoom(userId: string, meetingId: string): { state: MeetingState; savedAt: string } | null {
  const saved = readJson<SavedRoom>(ROOM_KEY);
  return saved && saved.userId === userId && saved.meetingId === meetingId ? { state: saved.state, savedAt: saved.savedAt } : null;
}

export function docStoreName(userId: string, compoundId: string, docId: string): string {
  const name = `${DOC_STORE_PREFIX}${userId}:${compoundId}:${docId}`;
  const known = readJson<string[]>(DOC_STORES_KEY) ?? [];
  if (!known.includes(name)) writeStorage(DOC_STORES_KEY, JSON.stringify([...known, name]));
  return name;
}

/** The localStorage record of a document store's unsent count and not yet committed edits. */
export function pendingEditsKey(storeName: string): string {
  return `yishi.offline.pending:${storeName}`;
}

/** Resolves once the database is gone (or, if a tab still holds it open, once that tab lets go). */
export function deleteDocStore(name: string): Promise<void> {
  return new Promise((resolve) => {
    try {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = () => resolve();
    } catch {
      resolve();
    }
  });
}

/** The projector links' tokens this device made (link id → token): only here can the chair open the screen again. */
export const PROJECTOR_TOKENS_KEY = 'yishi.projectorTokens';

/** Signing out: nothing of this user's stays on the device. */
export async function forgetOfflineData(): Promise<void> {
  const names = new Set(readJson<string[]>(DOC_STORES_KEY) ?? []);
  try {
    for (const db of (await indexedDB.databases?.()) ?? []) if (db.name?.startsWith(DOC_STORE_PREFIX)) names.add(db.name);
  } catch {
    // Listing is a convenience; the names kept above are the record.
  }
  for (const name of names) removeStorage(pendingEditsKey(name));
  removeStorage(ME_KEY);
  removeStorage(ROOM_KEY);
  removeStorage(DOC_STORES_KEY);
  removeStorage(PROJECTOR_TOKENS_KEY);
  showOfflineCopy(null);
  const caches = typeof window.caches === 'undefined' ? null : window.caches;
  const cacheNames = caches ? (await caches.keys().catch(() => [])).filter((n) => n.startsWith(ROOM_CACHE_PREFIX)) : [];
  await Promise.all([...[...names].map(deleteDocStore), ...cacheNames.map((n) => caches!.delete(n))]);
}

// The screen shows a saved copy rather than live data: when it was saved (null: all live).
let offlineCopyAt: string | null = null;
const copyListeners = new Set<() => void>();

export function showOfflineCopy(savedAt: string | null): void {
  if (savedAt === offlineCopyAt) return;
  offlineCopyAt = savedAt;
  for (const l of copyListeners) l();
}

export function useOfflineCopy(): string | null {
  return useSyncExternalStore(
    (l) => {
      copyListeners.add(l);
      return () => copyListeners.delete(l);
    },
    () => offlineCopyAt,
  );
}
