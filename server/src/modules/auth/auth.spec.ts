import { startTestApp, type TestApp } from '../../testing/test-app';

describe('accounts: sign-in, refresh, sign-out', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ACCESS_TOKEN_TTL_S: '30' });
  });
  afterAll(() => t.close());

  it('signs in with a user name or a phone number written as people write it', async () => {
    const byName = await t.signIn('Resident1');
    expect(byName.user.displayName).toBe('王大爷');
    const byPhone = await t.signIn('+86 138-0000-0003');
    expect(byPhone.user.id).toBe(byName.user.id);
    const me = await t.api('GET', '/api/me', { token: byPhone.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.memberships).toEqual([
      expect.objectContaining({
        compoundName: '霞光里35号院',
        communityName: '麦子店街道霞光里社区',
        role: 'resident',
        householdLabel: '1号楼 1单元 201',
      }),
    ]);
  });

  it('refuses a wrong password and an unknown account with the same answer', async () => {
    const wrong = await t.api('POST', '/api/auth/sign-in', { body: { login: 'resident1', password: 'wrong-password' } });
    const unknown = await t.api('POST', '/api/auth/sign-in', { body: { login: 'nobody', password: 'wrong-password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.error).toEqual({ ...wrong.body.error, requestId: expect.any(String) });
  });

  it('rotates the refresh token: the new one works, the used one no longer does', async () => {
    const first = await t.signIn('resident2');
    const second = await t.api('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await t.api('GET', '/api/me', { token: second.body.accessToken })).status).toBe(200);
    const replay = await t.api('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
  });

  it('signing out ends the access token and the refresh token at once', async () => {
    const s = await t.signIn('resident3');
    expect((await t.api('POST', '/api/auth/sign-out', { token: s.accessToken })).status).toBe(204);
    const after = await t.api('GET', '/api/me', { token: s.accessToken });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHENTICATED');
    expect((await t.api('POST', '/api/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
  });

  it('tells an expired access token apart from a bad one', async () => {
    const { JwtService } = await import('@nestjs/jwt');
    const s = await t.signIn('observer');
    const claims = JSON.parse(Buffer.from(s.accessToken.split('.')[1]!, 'base64url').toString());
    const expired = await t.app.get(JwtService).signAsync({ sub: claims.sub, sid: claims.sid }, { expiresIn: -10 });
    const res = await t.api('GET', '/api/me', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
    const forged = s.accessToken.slice(0, -4) + 'AAAA';
    expect((await t.api('GET', '/api/me', { token: forged })).body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('sign-in rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIGN_IN_LIMIT_PER_MIN: '5' });
  });
  afterAll(() => t.close());

  it('throttles password guessing on one login without locking out others', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await t.api('POST', '/api/auth/sign-in', { body: { login: 'chair', password: `guess-${i}` } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await t.api('POST', '/api/auth/sign-in', { body: { login: 'chair', password: 'yishi2026' } });
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect((await t.signIn('resident1')).user.displayName).toBe('王大爷');
  });
});
