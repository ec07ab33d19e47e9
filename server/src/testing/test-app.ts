import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AuthTokens } from '@yishi/shared';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { createApp } from '../create-app';
import { validateEnv } from '../infra/config/config.schema';
import { resolveConfig } from '../infra/config/resolve-config';
import { createLogger } from '../infra/logging/logger';
import { DEMO_PASSWORD, seedDemo } from '../seed/demo-seed';
import { seedStory } from '../seed/demo-story';

/** The local PostgreSQL the suite runs against; each test file gets a fresh database on it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestApp {
  app: NestExpressApplication;
  db: DataSource;
  baseUrl: string;
  databaseUrl: string;
  /** Calls the API; never throws on an HTTP error status. */
  api<T = any>(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: RequestInit['body'] },
  ): Promise<{ status: number; body: T }>;
  signIn(login: string, password?: string): Promise<AuthTokens>;
  /** The demo compound's id (霞光里35号院). */
  compoundId: string;
  /** Creates `n` more residents of the demo compound (one per household, round robin) and signs them in. */
  residents(n: number, prefix?: string): Promise<Array<{ userId: string; token: string; householdId: string }>>;
  close(): Promise<void>;
}

/**
 * Starts the real server (the same createApp as production) on port 0 against a new database
 * with the demo compound seeded. `logTo` receives its log lines (as JSON text) instead of stdout.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { story?: boolean; logTo?: DestinationStream } = {},
): Promise<TestApp> {
  const dbName = `yishi_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();

  const parsed = validateEnv({
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_HASH_COST: '10',
    RATE_LIMIT_PER_MIN: '1000000',
    SIGN_IN_LIMIT_PER_MIN: '100000',
    DATABASE_POOL_SIZE: '5',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    CLIENT_DIST: '/nonexistent',
    ...env,
  });
  const config = resolveConfig(parsed, databaseUrl, false);
  const app = await createApp(config, createLogger(parsed.LOG_LEVEL, opts.logTo));
  await app.listen(0, '127.0.0.1');
  const db = app.get(DataSource);
  await seedDemo(db, config.PASSWORD_HASH_COST);
  // The story (meetings, a failed round, a second draft) only where a test asks for it: the other tests start from the plain compound.
  if (opts.story) await seedStory(app);
  const [{ id: compoundId }] = await db.query(`SELECT id FROM compound WHERE name = '霞光里35号院'`);
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

  const api: TestApp['api'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: RequestInit['body'] | undefined = opts.raw;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const signIn = async (login: string, password = DEMO_PASSWORD) => {
    const res = await api<AuthTokens>('POST', '/api/auth/sign-in', { body: { login, password } });
    if (res.status !== 200) throw new Error(`sign-in of ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  return {
    app,
    db,
    baseUrl,
    databaseUrl,
    api,
    compoundId,
    signIn,
    async residents(n, prefix = 'r') {
      const households: Array<{ id: string }> = await db.query(`SELECT id FROM household WHERE compound_id = $1 ORDER BY id`, [compoundId]);
      const out = [];
      for (let i = 0; i < n; i++) {
        const username = `${prefix}${i}_${randomBytes(3).toString('hex')}`;
        const [u] = await db.query(
          `INSERT INTO app_user (username, display_name, password_hash) SELECT $1, $2, password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
          [username, `居民${prefix}${i}`],
        );
        const householdId = households[i % households.length]!.id;
        await db.query(`INSERT INTO membership (user_id, compound_id, role, household_id) VALUES ($1, $2, 'resident', $3)`, [
          u.id,
          compoundId,
          householdId,
        ]);
        out.push({ userId: u.id as string, token: (await signIn(username)).accessToken, householdId });
      }
      return out;
    },
    async close() {
      // fetch keeps connections alive; drop them so the test worker can exit.
      (app.getHttpServer() as import('node:http').Server).closeAllConnections();
      await app.close();
      const a = new Client({ connectionString: TEST_DATABASE_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await a.end();
    },
  };
}
