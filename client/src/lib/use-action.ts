import { useState } from 'react';
import { useErrorText } from './errors';

/**
 * Runs one action of a panel (an API call or a socket command) and keeps its refusal, in words,
 * for that panel, with a busy flag to disable its buttons meanwhile. Resolves to whether it worked.
 */
export function useAction() {
  const { message } = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(message(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { act, error, busy };
}
