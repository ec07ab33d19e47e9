import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Action } from '@yishi/shared';
import type { Request } from 'express';
import { AppError } from '../../infra/errors/app-error';
import { ACTION_KEY, type AuthedRequest, PUBLIC_KEY, SIGNED_IN_KEY } from '../../infra/http/route-access';
import type { CompoundAccess } from '../memberships/compound-access';
import { AccessService } from './access.service';

/**
 * The one guard every HTTP route goes through: it authenticates the bearer token and, for routes
 * marked @Can(action), checks the policy table for the caller's roles in `:compoundId`.
 * A route with no marking is refused (fail closed), so a forgotten decorator cannot open a hole.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & AuthedRequest<CompoundAccess>>();
    req.auth = await this.access.authenticate(bearer(req));
    const action = this.reflector.getAllAndOverride<Action | undefined>(ACTION_KEY, targets);
    if (action) {
      req.access = await this.access.authorize(req.auth.userId, req.params.compoundId as string | undefined, action);
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(SIGNED_IN_KEY, targets)) return true;
    throw new AppError('FORBIDDEN');
  }
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}
