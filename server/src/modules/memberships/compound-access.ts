import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@yishi/shared';
import type { AuthedRequest } from '../../infra/http/route-access';
import type { Membership } from './membership.entities';

/** The caller's standing in the compound of the route: set by the AccessGuard for routes marked with @Can. */
export interface CompoundAccess {
  compoundId: string;
  roles: Role[];
  memberships: Membership[];
}

export const Access = createParamDecorator((_: unknown, ctx: ExecutionContext): CompoundAccess => {
  return ctx.switchToHttp().getRequest<AuthedRequest<CompoundAccess>>().access!;
});
