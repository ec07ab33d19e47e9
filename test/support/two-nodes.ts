import { seededEnv } from './fault-setup';
import { type FreshDatabase, freshDatabase, type ServerProcess, startServer } from './server-process';

/** The two nodes a multi-node spec runs against; read them in its tests and hooks, once started. */
export interface TwoNodes {
  readonly db: FreshDatabase;
  readonly a: ServerProcess;
  readonly b: ServerProcess;
}

export interface TwoNodesOptions {
  /** The Redis both nodes share, asked for when they start (a fault spec starts its own first). */
  redisUrl?: () => string;
  /** More settings for both nodes. */
  env?: Record<string, string>;
  /** Closes what the spec opened (its clients), before the nodes stop. */
  beforeStop?: () => unknown;
}

/**
 * For a multi-node spec: two nodes of the built server sharing a fresh database seeded with the
 * demo compound and one Redis, started before the spec's tests (so before any beforeAll declared
 * after this call); afterwards both stop and the database is dropped.
 */
export function twoNodes(jwtSecret: string, options: TwoNodesOptions = {}): TwoNodes {
  const redisUrl = options.redisUrl ?? (() => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  let db: FreshDatabase | undefined;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  beforeAll(async () => {
    db = await freshDatabase();
    const env = seededEnv(db.url, jwtSecret, { REDIS_URL: redisUrl(), ...options.env });
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    await options.beforeStop?.();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });
  return {
    get db() {
      return db!;
    },
    get a() {
      return a!;
    },
    get b() {
      return b!;
    },
  };
}
