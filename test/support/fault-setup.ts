import { type FreshDatabase, freshDatabase, type ServerProcess, signIn, startServer } from './server-process';

/**
 * What the fault and multi-node specs start a server with: the demo compound on `databaseUrl`, the
 * spec's own token secret, and cheap password hashing (the specs sign many people in).
 */
export function seededEnv(databaseUrl: string, jwtSecret: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl, SEED_DEMO: 'true', JWT_SECRET: jwtSecret, PASSWORD_HASH_COST: '10', ...extra };
}

/** The accounts that may edit a proposal's text in the demo compound. */
export const EDITORS = ['chair', 'gate1', 'resident1', 'resident2', 'resident3', 'rights', 'street1', 'street2'];

/** An access token for each of the EDITORS, by login. */
export async function editorTokens(url: string): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const login of EDITORS) tokens.set(login, (await signIn(url, login)).accessToken);
  return tokens;
}

export interface CrashableServer {
  /** The server now running: a new one after restart(). */
  readonly server: ServerProcess;
  readonly db: FreshDatabase;
  /** Starts the server again on the same database, after the test killed it. */
  restart(): Promise<ServerProcess>;
}

/**
 * For a spec that kills its server (kill -9) and checks what survived: a server on a fresh
 * seeded database, started before the spec's tests; afterwards killed and the database dropped.
 */
export function crashableServer(jwtSecret: string, extra: Record<string, string> = {}): CrashableServer {
  let db: FreshDatabase | undefined;
  let server: ServerProcess | undefined;
  const start = async () => (server = await startServer(seededEnv(db!.url, jwtSecret, extra)));
  beforeAll(async () => {
    db = await freshDatabase();
    await start();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db?.drop();
  });
  return {
    get server() {
      return server!;
    },
    get db() {
      return db!;
    },
    restart: start,
  };
}
