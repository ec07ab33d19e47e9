import { useSyncExternalStore } from 'react';
import { readStorage, writeStorage } from './storage';

const ELDERLY_KEY = 'yishi.elderly';
const SCALE_KEY = 'yishi.textScale';
/** Text sizes a user can choose, as multiples of the mode's base size (18px, or 24px in 长辈版). */
export const TEXT_SCALES = [1, 1.15, 1.3, 1.5] as const;

const listeners = new Set<() => void>();
let elderly = readStorage(ELDERLY_KEY) === '1';
let scaleIndex = Math.max(0, TEXT_SCALES.indexOf(Number(readStorage(SCALE_KEY)) as (typeof TEXT_SCALES)[number]));

/** The stylesheet switches sizes on this attribute and variable, so the whole page follows at once. */
export function applyDisplayMode(): void {
  const root = document.documentElement;
  root.dataset.mode = elderly ? 'elderly' : 'standard';
  root.style.setProperty('--text-scale', String(TEXT_SCALES[scaleIndex]));
}

function changed(): void {
  applyDisplayMode();
  for (const listener of listeners) listener();
}

export function setElderlyMode(on: boolean): void {
  elderly = on;
  writeStorage(ELDERLY_KEY, on ? '1' : '0');
  changed();
}

/** One step larger (+1) or smaller (-1), within TEXT_SCALES; remembered like 长辈版. */
export function stepTextScale(step: 1 | -1): void {
  scaleIndex = Math.min(TEXT_SCALES.length - 1, Math.max(0, scaleIndex + step));
  writeStorage(SCALE_KEY, String(TEXT_SCALES[scaleIndex]));
  changed();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useElderlyMode(): boolean {
  return useSyncExternalStore(subscribe, () => elderly);
}

/** The index into TEXT_SCALES. */
export function useTextScale(): number {
  return useSyncExternalStore(subscribe, () => scaleIndex);
}
