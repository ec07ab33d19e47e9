import { useEffect } from 'react';
import { navigate } from '../lib/router';

/** Replaces the current address, so "back" does not bounce the user into the redirect again. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}
