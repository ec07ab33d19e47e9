import { useSyncExternalStore } from 'react';
import { readStorage, writeStorage } from './storage';

const ELDERLY_KEY = 'yishi.elderly';
const listeners = new Set<() => void>();
let elderly = readStorage(ELDERLY_KEY) === '1';

/** The stylesheet switches sizes on this attribute, so the whole page follows at once. */
export function applyDisplayMode(): void {
  document.documentElement.dataset.mode = elderly ? 'elderly' : 'standard';
}

export function setElderlyMode(on: boolean): void {
  elderly = on;
  writeStorage(ELDERLY_KEY, on ? '1' : '0');
  applyDisplayMode();
  for (const listener of listeners) listener();
}

export function useElderlyMode(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => elderly,
  );
}
