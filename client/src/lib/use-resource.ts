import { useEffect, useEffectEvent, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again; the current data stays on screen until the new answer arrives. */
  reload: () => void;
}

/**
 * Loads data for a screen. `key` names what is loaded (e.g. the compound id): when it changes the
 * old data is dropped at once, so one compound's data never shows under another's heading.
 */
export function useResource<T>(key: string, load: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: unknown } | null>(null);
  const [generation, setGeneration] = useState(0);
  const runLoad = useEffectEvent(load);

  useEffect(() => {
    let current = true;
    runLoad().then(
      (data) => current && setState({ key, data }),
      (error: unknown) => current && setState({ key, error }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);

  const mine = state?.key === key ? state : null;
  return {
    data: mine?.data,
    error: mine?.error,
    loading: mine === null,
    reload: () => setGeneration((g) => g + 1),
  };
}
