import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { type Action, allows } from '@yishi/shared';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';
import { Membership } from '../memberships/membership.entities';
import type { AuthContext } from '../../infra/http/route-access';
import type { CompoundAccess } from '../memberships/compound-access';
import { Session } from './session.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessTokenClaims {
  sub: string;
  sid: string;
}

/**
 * Who the caller is and what they may do in a compound. HTTP routes reach it through the
 * AccessGuard; socket handshakes and events call the same two methods.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
  ) {}

  /** Checks the access token's signature and expiry, and that its session is still signed in. */
  async authenticate(token: string | undefined): Promise<AuthContext> {
    if (!token) throw new AppError('UNAUTHENTICATED');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & object>(token, { algorithms: ['HS256'] });
    } catch (e) {
      throw new AppError((e as Error).name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED');
    }
    if (!UUID.test(claims.sid ?? '') || !UUID.test(claims.sub ?? '')) throw new AppError('UNAUTHENTICATED');
    const live = await this.sessions.exists({
      where: { id: claims.sid, userId: claims.sub, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    });
    if (!live) throw new AppError('UNAUTHENTICATED');
    return { userId: claims.sub, sessionId: claims.sid };
  }

  /**
   * The caller's roles in the compound, if they allow the action. A compound the caller is not a
   * member of is answered as not found, so its existence is not revealed.
   */
  async authorize(userId: string, compoundId: string | undefined, action: Action): Promise<CompoundAccess> {
    if (!compoundId || !UUID.test(compoundId)) throw new AppError('NOT_FOUND');
    const memberships = await this.memberships.find({ where: { userId, compoundId } });
    if (memberships.length === 0) throw new AppError('NOT_FOUND');
    const roles = [...new Set(memberships.map((m) => m.role))];
    if (!allows(roles, action)) throw new AppError('FORBIDDEN');
    return { compoundId, roles, memberships };
  }
}
