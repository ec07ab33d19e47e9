import { useCallback } from 'react';
import { useNavigate, useParams, type createBrowserRouter, type PathParam } from 'react-router';

/**
 * Every address of the app, by name. Tests, printed papers and invitations link to these, so a
 * pattern here changes only with a redirect from the old one.
 */
export const ROUTES = {
  home: '/',
  signIn: '/sign-in',
  join: '/join',
  rules: '/rules',
  compounds: '/compounds',
  compound: '/c/:compoundId',
  meeting: '/c/:compoundId/m/:meetingId',
  /** A meeting's minutes (会议纪要) with its automatic record. */
  meetingMinutes: '/c/:compoundId/m/:meetingId/minutes',
  proposal: '/c/:compoundId/p/:proposalId',
  proposalHistory: '/c/:compoundId/p/:proposalId/history',
  /** A ballot's receipt, checked: the QR code on the voter's receipt opens this. */
  receipt: '/c/:compoundId/r/:roundId/receipt/:receipt',
  members: '/c/:compoundId/members',
  households: '/c/:compoundId/households',
  invitations: '/c/:compoundId/invitations',
  register: '/c/:compoundId/register',
  demand: '/c/:compoundId/demands/:demandId',
  whistles: '/c/:compoundId/whistles',
  whistle: '/c/:compoundId/whistles/:whistleId',
  projects: '/c/:compoundId/projects',
  project: '/c/:compoundId/projects/:projectId',
  resources: '/c/:compoundId/resources',
  /** A proposal's whole path at a glance. */
  proposalTimeline: '/c/:compoundId/p/:proposalId/timeline',
  /** 公示: a notice with its objections. */
  notice: '/c/:compoundId/notices/:noticeId',
  /** A notice the chair made public: no sign-in, no names; also the printable version for the bulletin board. */
  publicNotice: '/notice/:token',
  /** A meeting's big screen (投屏); its link's token follows in the fragment (`#…`), never sent to the server in the address. */
  projector: '/projector/:meetingId',
  /** The record in figures; `?from=YYYY-MM-DD&to=YYYY-MM-DD` picks a range. */
  statistics: '/c/:compoundId/statistics',
} as const;

export type RouteName = keyof typeof ROUTES;
export type RouteParams<N extends RouteName> = { [K in PathParam<(typeof ROUTES)[N]>]: string };

declare const built: unique symbol;
/** An address made by `pathTo`. Links and navigation take nothing else, so a mistyped one does not compile. */
export type Href = string & { readonly [built]: true };

const PARAM = /:(\w+)/g;

/** `pathTo('meeting', { compoundId, meetingId })` → "/c/…/m/…", each parameter encoded. */
export function pathTo<N extends RouteName>(name: N, ...[params]: keyof RouteParams<N> extends never ? [] : [RouteParams<N>]): Href {
  const values: Partial<Record<string, string>> = params ?? {};
  return ROUTES[name].replace(PARAM, (_, key: string) => encodeURIComponent(values[key] ?? '')) as Href;
}

/** An address with a query (`?demand=…`), for a screen that reads one. */
export function withQuery(href: Href, query: Record<string, string>): Href {
  return `${href}?${new URLSearchParams(query)}` as Href;
}

/** The parameters of the route a screen is rendered under, by that route's name. */
export function useRouteParams<N extends RouteName>(name: N): RouteParams<N> {
  const params = useParams();
  const found: Record<string, string> = {};
  for (const [, key] of ROUTES[name].matchAll(PARAM)) {
    if (key === undefined) continue;
    const value = params[key];
    // Only a route table that renders the screen under another pattern gets here.
    if (value === undefined) throw new Error(`no :${key} in the address for route "${name}"`);
    found[key] = value;
  }
  return found as RouteParams<N>;
}

/** Moves to another screen in place (a new history entry, or `replace` the current one). */
export function useNavigateTo(): (to: Href, options?: { replace?: boolean }) => void {
  const navigate = useNavigate();
  return useCallback((to, options) => void navigate(to, options), [navigate]);
}

let navigated = false;

/**
 * True once the user has moved between screens. The first screen keeps the browser's own focus;
 * later screens move focus to their heading so screen-reader users hear where they are.
 */
export function hasNavigated(): boolean {
  return navigated;
}

/**
 * Watches the router from before the next screen renders: a new entry or "back" counts as moving
 * (and a new entry starts at the top of the page); replacing the address, as redirects do, does not.
 */
export function followNavigation(router: ReturnType<typeof createBrowserRouter>): void {
  let last = router.state.location;
  router.subscribe((state) => {
    if (state.location === last) return;
    last = state.location;
    if (state.historyAction === 'REPLACE') return;
    navigated = true;
    if (state.historyAction === 'PUSH') window.scrollTo(0, 0);
  });
}
