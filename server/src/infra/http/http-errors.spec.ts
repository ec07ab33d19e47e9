import { startTestApp, type TestApp } from '../../testing/test-app';

describe('bad input gets a clear error and changes nothing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_KB: '16' });
  });
  afterAll(() => t.close());

  it('names every failing field', async () => {
    const res = await t.api('POST', '/api/auth/join', { body: { code: 'abc', displayName: '', password: 'short', phone: '12345' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['code', 'displayName', 'password', 'phone']);
  });

  it('answers malformed JSON with 400 and an oversized body with 413, never a stack trace', async () => {
    const broken = await t.api('POST', '/api/auth/sign-in', { raw: '{"login": ', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('BAD_REQUEST');
    const big = await t.api('POST', '/api/auth/sign-in', { body: { login: 'x'.repeat(20_000), password: 'y' } });
    expect(big.status).toBe(413);
    expect(JSON.stringify([broken.body, big.body])).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('answers in English when the browser asks for it', async () => {
    const res = await t.api('POST', '/api/auth/sign-in', {
      body: { login: 'chair', password: 'wrong-one' },
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(res.body.error.message).toBe('Wrong phone number, user name or password');
  });

  it('answers an unknown API path with a JSON 404 and carries the request id', async () => {
    const res = await fetch(`${t.baseUrl}/api/no-such-thing`, { headers: { 'x-request-id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: '找不到该内容', requestId: 'req-123' } });
  });

  it('reports health with the database up and Redis not configured', async () => {
    const res = await t.api('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', writable: true, redis: 'not_configured', uptimeS: expect.any(Number) });
  });

  it('serves the OpenAPI description of the API', async () => {
    const res = await fetch(`${t.baseUrl}/api/docs-json`);
    const doc = (await res.json()) as any;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/sign-in', '/api/compounds/{compoundId}/register/import']));
    expect(doc.paths['/api/auth/join'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('code');
  });
});

describe('health with Redis', () => {
  it('reports Redis up when REDIS_URL is set, and 503 when it cannot be reached', async () => {
    const up = await startTestApp({ REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
    try {
      expect((await up.api('GET', '/api/health')).body.redis).toBe('up');
    } finally {
      await up.close();
    }
    const down = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await down.api('GET', '/api/health');
      expect(res.status).toBe(503);
      expect(res.body).toEqual(expect.objectContaining({ status: 'degraded', database: 'up', redis: 'down' }));
      // The rest of the API keeps serving.
      expect((await down.signIn('chair')).user.username).toBe('chair');
    } finally {
      await down.close();
    }
  });
});
