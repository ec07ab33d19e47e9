import { get } from 'node:http';
import { startTestApp, type TestApp } from '../../testing/test-app';

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    // As behind a reverse proxy on the same machine: X-Forwarded-Proto is believed from loopback only.
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  it('sends a CSP with no inline script and the socket on the own origin, and the isolation headers', async () => {
    const res = await fetch(`${t.baseUrl}/api/health`);
    const csp = res.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'", `ws://${new URL(t.baseUrl).host}`, `wss://${new URL(t.baseUrl).host}`]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(res.headers.get('permissions-policy')).toContain('microphone=()');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('never echoes a Host header that is not a host into the policy', async () => {
    const csp = await new Promise<string>((resolve, reject) => {
      get(`${t.baseUrl}/api/health`, { headers: { host: "evil.example script-src 'unsafe-eval'" } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy']));
      }).on('error', reject);
    });
    expect(csp).not.toContain('evil');
    expect(csp).toContain("connect-src 'self';");
  });

  it('sends HSTS only over TLS as the trusted proxy says, never over plain HTTP', async () => {
    expect((await fetch(`${t.baseUrl}/api/health`)).headers.get('strict-transport-security')).toBeNull();
    const viaTls = await fetch(`${t.baseUrl}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('leaves Swagger UI its own scripts, with the other headers', async () => {
    const res = await fetch(`${t.baseUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
