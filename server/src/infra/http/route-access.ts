import { createParamDecorator, type ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Action } from '@yishi/shared';

// The markings are plain metadata so that infra (health) and the lowest modules can mark routes
// without depending on auth; modules/auth's AccessGuard reads them and refuses unmarked routes.
export const PUBLIC_KEY = 'yishi:public';
export const ACTION_KEY = 'yishi:action';
export const SIGNED_IN_KEY = 'yishi:signed-in';
export const SIGN_IN_ROUTE_KEY = 'yishi:sign-in-route';

/** Who is calling: set by the AccessGuard on every route that is not public. */
export interface AuthContext {
  userId: string;
  sessionId: string;
}

/** What the AccessGuard leaves on the request; `access` is the caller's standing in the route's compound. */
export interface AuthedRequest<Access = unknown> {
  auth?: AuthContext;
  access?: Access;
}

/** No sign-in needed (health, sign-in itself). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Any signed-in user; the route is not about one compound (e.g. /me). */
export const SignedIn = () => applyDecorators(SetMetadata(SIGNED_IN_KEY, true), ApiBearerAuth());

/**
 * The route acts in the compound named by its `:compoundId` parameter and needs `action` there,
 * as the policy table in @yishi/shared says. Every non-public route carries this or @SignedIn.
 */
export const Can = (action: Action) => applyDecorators(SetMetadata(ACTION_KEY, action), ApiBearerAuth());

/** Marks sign-in and join, which get their own, stricter rate limit. */
export const SignInRoute = () => SetMetadata(SIGN_IN_ROUTE_KEY, true);

export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().auth!;
});
