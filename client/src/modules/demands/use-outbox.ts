import type { CreateDemandRequest } from '@yishi/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiRequestError } from '../../lib/api';
import { outbox, type OutboxEntry } from './outbox';

/**
 * A random UUID (v4). crypto.randomUUID exists only on https and localhost; a phone on the
 * community's plain-http LAN address still has getRandomValues.
 */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Worth trying again later: the server was not reached, or could not answer for now. */
const transient = (e: unknown) => !(e instanceof ApiRequestError) || e.code === 'NETWORK' || e.status >= 500 || e.status === 429;

/** Sends one entry: its text (once), then its photos one by one, each step remembered. */
async function sendEntry(entry: OutboxEntry): Promise<void> {
  let current = entry;
  if (!current.demandId) {
    const demand = await api.createDemand(current.compoundId, current.body);
    current = { ...current, demandId: demand.id };
    await outbox.put(current);
  }
  while (current.photos.length > 0) {
    await api.addDemandPhoto(current.compoundId, current.demandId!, current.photos[0]!);
    current = { ...current, photos: current.photos.slice(1) };
    await outbox.put(current);
  }
  await outbox.remove(current.clientKey);
}

/**
 * The compound's unsent demands: `add` keeps an entry and tries to send it at once; whatever
 * is left is sent again when the browser says it is back online, and when the page opens.
 * `onSent` is told after each entry that reached the server.
 */
export function useOutbox(compoundId: string, onSent: () => void) {
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const [storageError, setStorageError] = useState(false);
  const sending = useRef(false);
  const onSentRef = useRef(onSent);
  onSentRef.current = onSent;

  const refresh = useCallback(async () => {
    try {
      setEntries(await outbox.list(compoundId));
    } catch {
      setStorageError(true);
    }
  }, [compoundId]);

  const flush = useCallback(async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      for (const entry of await outbox.list(compoundId)) {
        if (entry.refused) continue;
        try {
          await sendEntry(entry);
          onSentRef.current();
        } catch (e) {
          if (transient(e)) break;
          await outbox.put({ ...entry, refused: e instanceof Error ? e.message : String(e) });
        }
      }
    } catch {
      setStorageError(true);
    } finally {
      sending.current = false;
      await refresh();
    }
  }, [compoundId, refresh]);

  useEffect(() => {
    void flush();
    const online = () => void flush();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [flush]);

  const add = useCallback(
    async (body: CreateDemandRequest, photos: Blob[]): Promise<'sent' | 'waiting' | 'refused'> => {
      const clientKey = newKey();
      await outbox.put({ clientKey, compoundId, body: { ...body, clientKey }, photos, savedAt: Date.now() });
      await refresh();
      await flush();
      const left = (await outbox.list(compoundId)).find((e) => e.clientKey === clientKey);
      return !left ? 'sent' : left.refused ? 'refused' : 'waiting';
    },
    [compoundId, flush, refresh],
  );

  const discard = useCallback(
    async (clientKey: string) => {
      await outbox.remove(clientKey);
      await refresh();
    },
    [refresh],
  );

  return { entries, storageError, add, flush, discard };
}
