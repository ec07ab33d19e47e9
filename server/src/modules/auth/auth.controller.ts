import { Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthTokens, joinSchema, refreshSchema, signInSchema } from '@yishi/shared';
import type { z } from 'zod';
import { ValidBody } from '../../infra/http/zod.pipe';
import { Auth, type AuthContext, Public, SignedIn, SignInRoute } from '../../infra/http/route-access';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Sign in with a phone number or user name and a password. */
  @Post('sign-in')
  @Public()
  @SignInRoute()
  @HttpCode(200)
  signIn(@ValidBody(signInSchema) body: z.output<typeof signInSchema>, @Headers('user-agent') ua?: string): Promise<AuthTokens> {
    return this.auth.signIn(body.login, body.password, ua);
  }

  /** New tokens for a refresh token; the refresh token rotates. */
  @Post('refresh')
  @Public()
  @HttpCode(200)
  refresh(@ValidBody(refreshSchema) body: z.output<typeof refreshSchema>): Promise<AuthTokens> {
    return this.auth.refresh(body.refreshToken);
  }

  /** Ends this device's session: its access and refresh tokens stop working at once. */
  @Post('sign-out')
  @SignedIn()
  @HttpCode(204)
  async signOut(@Auth() auth: AuthContext): Promise<void> {
    await this.auth.signOut(auth.sessionId);
  }

  /** Create an account with an invitation code and join its compound. */
  @Post('join')
  @Public()
  @SignInRoute()
  @HttpCode(201)
  join(@ValidBody(joinSchema) body: z.output<typeof joinSchema>, @Headers('user-agent') ua?: string): Promise<AuthTokens> {
    return this.auth.join(body, ua);
  }
}
