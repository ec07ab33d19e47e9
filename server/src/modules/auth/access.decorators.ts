import { createParamDecorator, type ExecutionContext, SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Action, Role } from '@yishi/shared';
import type { Membership } from '../memberships/membership.entities';

export const PUBLIC_KEY = 'yishi:public';
export const ACTION_KEY = 'yishi:action';
export const SIGNED_IN_KEY = 'yishi:signed-in';
export const SIGN_IN_ROUTE_KEY = 'yishi:sign-in-route';

/** Who is calling: set by the AccessGuard on every route that is not public. */
export interface AuthContext {
  userId: string;
  sessionId: string;
}

/** The caller's standing in the compound of the route: set for routes marked with @Can. */
export interface CompoundAccess {
  compoundId: string;
  roles: Role[];
  memberships: Membership[];
}

export interface AuthedRequest {
  auth?: AuthContext;
  access?: CompoundAccess;
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

export const Access = createParamDecorator((_: unknown, ctx: ExecutionContext): CompoundAccess => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().access!;
});
