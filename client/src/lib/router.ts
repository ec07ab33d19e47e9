import { useSyncExternalStore } from 'react';

/**
 * A few screens do not need a router library: the pathname is the state, history.pushState
 * changes it, and components subscribe to it.
 */
const listeners = new Set<() => void>();
let navigated = false;

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', () => {
  navigated = true;
  notify();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) {
    window.history.replaceState(null, '', to);
  } else {
    window.history.pushState(null, '', to);
    navigated = true;
    window.scrollTo(0, 0);
  }
  notify();
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/**
 * True once the user has moved between screens. The first screen keeps the browser's own focus;
 * later screens move focus to their heading so screen-reader users hear where they are.
 */
export function hasNavigated(): boolean {
  return navigated;
}

/** "/c/:compoundId/members" matched against "/c/abc/members" gives { compoundId: "abc" }. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = pathname.replace(/\/+$/, '').split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (!have[i]) return null;
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== have[i]) {
      return null;
    }
  }
  return params;
}
