import { Link as RouterLink, type LinkProps } from 'react-router';
import type { Href } from '../lib/routes';

/** A real <a href> (so it can be opened in a new tab) that navigates in place on a plain click. */
export function Link({ to, ...rest }: Omit<LinkProps, 'to'> & { to: Href }) {
  return <RouterLink to={to} {...rest} />;
}
