import { Navigate } from 'react-router';
import type { Href } from '../lib/routes';

/** Replaces the current address, so "back" does not bounce the user into the redirect again. */
export function Redirect({ to }: { to: Href }) {
  return <Navigate to={to} replace />;
}
