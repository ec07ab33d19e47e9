import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from './app-config';
import type { Env } from './config.schema';

/** The repository root, whether running from src (tests) or dist. */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/**
 * Turns the validated environment into the running configuration. In embedded mode the signing
 * secret is generated once and kept under DATA_DIR, so tokens survive restarts.
 */
export function resolveConfig(env: Env, databaseUrl: string, embeddedDatabase: boolean): AppConfig {
  const dataDir = resolve(env.DATA_DIR ?? join(REPO_ROOT, '.data'));
  const { DATABASE_URL: _u, JWT_SECRET, DATA_DIR: _d, SEED_DEMO, CLIENT_DIST, UPLOAD_DIR, ...rest } = env;
  return {
    ...rest,
    databaseUrl,
    dataDir,
    uploadDir: resolve(UPLOAD_DIR ?? join(dataDir, 'uploads')),
    embeddedDatabase,
    jwtSecret: JWT_SECRET ?? loadOrCreateSecret(dataDir),
    clientDist: resolve(CLIENT_DIST ?? join(REPO_ROOT, 'client/dist')),
    seedDemo: SEED_DEMO ?? embeddedDatabase,
    allowedOrigins: allowedOrigins(env),
  };
}

function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** ALLOWED_ORIGINS; outside production, also Vite's dev server (`npm run dev` on :5173). */
function allowedOrigins(env: Env): string[] {
  const listed = env.ALLOWED_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return env.NODE_ENV === 'production' ? listed : [...listed, 'http://localhost:5173', 'http://127.0.0.1:5173'];
}
