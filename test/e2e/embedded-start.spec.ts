import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServerToExit, signIn, startServer } from '../support/server-process';

/** `npm start` on a clean machine: no DATABASE_URL, so the server brings its own PostgreSQL. */
describe('starting from nothing on the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'yishi-e2e-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the database, seeds the demo, serves it, stops cleanly, and reuses the data on a second start', async () => {
    const first = await startServer({ DATA_DIR: dataDir });
    try {
      expect(first.output()).toContain('demo compound seeded just now');
      expect(first.output()).toMatch(/chair\s+13800000001/);
      const health = await fetch(`${first.url}/api/health`);
      expect(await health.json()).toEqual(expect.objectContaining({ status: 'ok', database: 'up' }));

      const { accessToken } = await signIn(first.url, 'chair');
      const me = (await (await fetch(`${first.url}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as any;
      const compoundId = me.memberships[0].compoundId;
      const invite = await fetch(`${first.url}/api/compounds/${compoundId}/invitations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'observer' }),
      });
      expect(invite.status).toBe(201);
      const { code } = (await invite.json()) as { code: string };

      expect(await first.stop('SIGINT')).toBe(0);
      // PostgreSQL was stopped too, not left running.
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
      const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8');

      const second = await startServer({ DATA_DIR: dataDir });
      try {
        expect(second.output()).not.toContain('seeded just now');
        expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(secret);
        // The access token of the first run still works: same secret, same data.
        const again = await fetch(`${second.url}/api/compounds/${compoundId}/invitations`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        expect(again.status).toBe(200);
        expect(((await again.json()) as Array<{ code: string }>).map((i) => i.code)).toContain(code);
      } finally {
        expect(await second.stop('SIGTERM')).toBe(0);
      }
    } finally {
      await first.stop('SIGKILL');
    }
  });

  it('stops at once with one line naming a bad setting', async () => {
    const { code, output } = await runServerToExit({ PORT: 'eighty', DATA_DIR: dataDir });
    expect(code).toBe(78);
    expect(output.trim()).toBe('Configuration error: PORT Invalid input: expected number, received NaN (got "eighty")');
    const prod = await runServerToExit({ NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/x' });
    expect(prod.output.trim()).toBe('Configuration error: JWT_SECRET is required when NODE_ENV=production (not set)');
  });
});
