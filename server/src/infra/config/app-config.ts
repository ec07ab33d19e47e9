import type { Env } from './config.schema';

/**
 * The settings the running server uses: the validated environment plus what start-up resolved
 * (the embedded database's URL, the generated signing secret, paths).
 */
export interface AppConfig extends Omit<Env, 'DATABASE_URL' | 'JWT_SECRET' | 'DATA_DIR' | 'SEED_DEMO' | 'CLIENT_DIST' | 'UPLOAD_DIR'> {
  databaseUrl: string;
  /** Where uploads are streamed to before they are processed. */
  uploadDir: string;
  jwtSecret: string;
  dataDir: string;
  clientDist: string;
  /** True when the server runs its own embedded PostgreSQL. */
  embeddedDatabase: boolean;
  seedDemo: boolean;
  /** Origins besides the server's own that may call the API and open sockets. */
  allowedOrigins: string[];
}

/** Injection token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
