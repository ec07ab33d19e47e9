import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuthTokens, type JoinRequest, looksLikePhone, normalisePhone, type UserSummary } from '@yishi/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AppError } from '../../infra/errors/app-error';
import { DomainEvents } from '../../infra/events/domain-events';
import { InvitationsService } from '../memberships/invitations.service';
import { User } from '../users/user.entity';
import { toUserSummary } from '../users/user.view';
import type { AccessTokenClaims } from './access.service';
import { hashPassword, verifyPassword } from './password';
import { Session } from './session.entity';

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** Sign-in, refresh, sign-out and joining with an invitation code. */
@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly invitations: InvitationsService,
    private readonly events: DomainEvents,
  ) {}

  async signIn(login: string, password: string, userAgent?: string): Promise<AuthTokens> {
    const user = await this.findByLogin(login);
    // Verify against a dummy hash when there is no such user, so the answer's timing does not tell.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await this.dummy()));
    if (!user || !ok) throw new AppError('INVALID_CREDENTIALS');
    return this.db.transaction((m) => this.openSession(m, user, userAgent));
  }

  /** Exchanges a refresh token for new tokens; the old refresh token stops working (rotation). */
  async refresh(refreshToken: string): Promise<AuthTokens> {
    return this.db.transaction(async (m) => {
      const next = randomBytes(32).toString('base64url');
      const rows: Array<{ id: string; user_id: string }> = await m
        .query(
          `UPDATE session SET refresh_token_hash = $2, last_used_at = now()
         WHERE refresh_token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
         RETURNING id, user_id`,
          [sha256(refreshToken), sha256(next)],
        )
        .then((r: [Array<{ id: string; user_id: string }>, number]) => r[0]);
      const [session] = rows;
      if (!session) throw new AppError('UNAUTHENTICATED');
      const user = await m.findOneByOrFail(User, { id: session.user_id });
      return this.tokens(user, session.id, next);
    });
  }

  async signOut(sessionId: string): Promise<void> {
    await this.db.getRepository(Session).update({ id: sessionId }, { revokedAt: new Date() });
    this.events.emit('session.revoked', { sessionId });
  }

  /** Creates an account, joins the invitation's compound in its role and signs in: all or nothing. */
  async join(req: JoinRequest & { code: string }, userAgent?: string): Promise<AuthTokens> {
    const phone = req.phone ? normalisePhone(req.phone) : null;
    const passwordHash = await hashPassword(req.password, this.config.PASSWORD_HASH_COST);
    return this.db.transaction(async (m) => {
      const invitation = await this.invitations.claim(m, req.code);
      if (phone && (await m.existsBy(User, { phone }))) throw new AppError('PHONE_TAKEN');
      if (req.username && (await m.query('SELECT 1 FROM app_user WHERE lower(username) = lower($1)', [req.username])).length) {
        throw new AppError('USERNAME_TAKEN');
      }
      const user = await m.save(m.create(User, { displayName: req.displayName, phone, username: req.username ?? null, passwordHash }));
      await this.invitations.admit(m, invitation, user);
      return this.openSession(m, user, userAgent);
    });
  }

  private async openSession(m: EntityManager, user: User, userAgent?: string): Promise<AuthTokens> {
    const refreshToken = randomBytes(32).toString('base64url');
    const session = await m.save(
      m.create(Session, {
        userId: user.id,
        refreshTokenHash: sha256(refreshToken),
        expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_S * 1000),
        userAgent: userAgent?.slice(0, 200) ?? null,
        lastUsedAt: new Date(),
      }),
    );
    return this.tokens(user, session.id, refreshToken);
  }

  private async tokens(user: User, sessionId: string, refreshToken: string): Promise<AuthTokens> {
    const claims: AccessTokenClaims = { sub: user.id, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_S });
    const expiresAt = new Date(Date.now() + this.config.ACCESS_TOKEN_TTL_S * 1000);
    return { accessToken, accessTokenExpiresAt: expiresAt.toISOString(), refreshToken, user: toUserSummary(user) };
  }

  private async findByLogin(login: string): Promise<User | null> {
    const repo = this.db.getRepository(User);
    if (looksLikePhone(login)) {
      const phone = normalisePhone(login);
      return phone ? repo.findOneBy({ phone }) : null;
    }
    return repo.createQueryBuilder('u').where('lower(u.username) = lower(:login)', { login }).getOne();
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.config.PASSWORD_HASH_COST);
    return this.dummyHash;
  }

  async me(userId: string): Promise<UserSummary> {
    return toUserSummary(await this.db.getRepository(User).findOneByOrFail({ id: userId }));
  }
}
