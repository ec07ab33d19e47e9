import type { ListChangeKind, ListsChangedEvent } from '@yishi/shared';
import { useEffect, useEffectEvent } from 'react';
import { command, getSocket } from './realtime';

/** How many mounted screens follow each compound's lists: the socket follows while any does. */
const following = new Map<string, number>();

function follow(compoundId: string): void {
  // A refusal (a department reads no demand list) only means no demand or project events come.
  command('lists:follow', { compoundId }).catch(() => undefined);
}

/**
 * Calls `onChange` after each committed change of the compound's lists of the given kinds (the
 * server sends whistles only to who may see them), and once after a reconnection, since changes
 * may have been missed meanwhile: the caller loads what it shows again.
 */
export function useListsChanges(
  compoundId: string,
  kinds: readonly ListChangeKind[],
  onChange: (e: ListsChangedEvent | null) => void,
): void {
  const handle = useEffectEvent(onChange);
  const key = kinds.join(',');
  useEffect(() => {
    const socket = getSocket();
    const wanted = key.split(',');
    const needsRoom = wanted.includes('demand') || wanted.includes('project');
    const listener = (e: ListsChangedEvent) => {
      if (e.compoundId === compoundId && wanted.includes(e.kind)) handle(e);
    };
    // A new connection (also after the network came back) has no rooms: follow again, and load
    // again for what was missed meanwhile.
    const connected = () => {
      if (needsRoom) follow(compoundId);
      handle(null);
    };
    socket.on('lists:changed', listener);
    socket.on('connect', connected);
    if (needsRoom) {
      following.set(compoundId, (following.get(compoundId) ?? 0) + 1);
      if (socket.connected) follow(compoundId);
    }
    return () => {
      socket.off('lists:changed', listener);
      socket.off('connect', connected);
      if (!needsRoom) return;
      const n = (following.get(compoundId) ?? 1) - 1;
      if (n > 0) return void following.set(compoundId, n);
      following.delete(compoundId);
      if (socket.connected) command('lists:unfollow', { compoundId }).catch(() => undefined);
    };
  }, [compoundId, key]);
}
