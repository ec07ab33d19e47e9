import { availableParallelism } from 'node:os';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every setting the server reads from the environment. Validated once at start; a bad value
 * stops the server with one line naming the variable.
 */
export const envSchema = z
  .object({
    /** `production` requires JWT_SECRET and never seeds demo data unless asked. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** TCP port of the HTTP and Socket.IO server. */
    PORT: int(0, 65535).default(3000),
    /** Interface to listen on; 0.0.0.0 lets phones on the same network join. */
    HOST: z.string().min(1).default('0.0.0.0'),
    /** PostgreSQL URL. Without it an embedded PostgreSQL runs with its data under DATA_DIR. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** Maximum connections in the database pool. */
    DATABASE_POOL_SIZE: int(1, 200).default(10),
    /** Redis URL; with it several server nodes serve one meeting. */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Where the embedded database and the generated signing secret live. */
    DATA_DIR: z.string().min(1).optional(),
    /** HMAC secret for access tokens, at least 32 characters; required in production. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Lifetime of an access token, in seconds. */
    ACCESS_TOKEN_TTL_S: int(30, 86400).default(900),
    /** Lifetime of a refresh token (a signed-in device), in seconds. */
    REFRESH_TOKEN_TTL_S: int(300, 365 * 86400).default(30 * 86400),
    /** log2 of the scrypt cost for password hashes (15 = 32768). Lower only in tests. */
    PASSWORD_HASH_COST: int(10, 20).default(15),
    /** Comma-separated origins allowed to call the API and open sockets, besides the server's own. */
    ALLOWED_ORIGINS: z.string().default(''),
    /** Requests per minute per client address, across the whole API. */
    RATE_LIMIT_PER_MIN: int(1, 1_000_000).default(600),
    /** Sign-in and join attempts per minute per client address and login. */
    SIGN_IN_LIMIT_PER_MIN: int(1, 100_000).default(10),
    /** Express "trust proxy": set it behind a load balancer (e.g. `loopback` or a hop count) so limits see client addresses. */
    TRUST_PROXY: z.string().optional(),
    /**
     * Bearer token for GET /metrics. Unset: /metrics answers only loopback and private addresses
     * (as Express sees the client: behind a proxy, set TRUST_PROXY too). Set: only with the token.
     */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Largest JSON request body, in kB. */
    BODY_LIMIT_KB: int(1, 10_240).default(256),
    /** Largest uploaded register file, in kB. */
    UPLOAD_LIMIT_KB: int(1, 102_400).default(5120),
    /** Where uploaded photos of paper ballots are streamed while they are checked and downscaled (default DATA_DIR/uploads). */
    UPLOAD_DIR: z.string().min(1).optional(),
    /** Photo uploads a node takes at once; more wait their turn (up to 500), beyond that 503. */
    PAPER_UPLOADS_CONCURRENT: int(1, 64).default(2),
    /** Seed the demo compound when the database is empty. Default: on with the embedded database. */
    SEED_DEMO: bool.optional(),
    /** Folder of the built client to serve; default client/dist of this checkout. */
    CLIENT_DIST: z.string().optional(),
    /**
     * Worker threads that do all Yjs work on clients' bytes (documents are spread over them). By
     * default one core fewer than the machine has (1 to 4), the main thread having the other: on
     * two cores a second worker only added wake-ups (docs/benchmarks.md). A container limited
     * below its host's cores should set it (Node counts the host's).
     */
    DOC_WORKERS: int(1, 16).default(Math.min(4, Math.max(1, availableParallelism() - 1))),
    /** A document worker that has held no document for this long is stopped (started again when needed), in ms; 0: never. */
    DOC_WORKER_IDLE_MS: int(0, 86_400_000).default(60_000),
    /**
     * Longest a busy document holds its committed changes before they go out to its followers, in
     * ms (they go out at once when it was quiet; the gap otherwise is twice what the last send cost).
     * 0: every commit goes out at once.
     */
    DOC_SEND_GAP_MAX_MS: int(0, 1000).default(20),
    /**
     * A document that sent its changes less than this many ms ago holds the next ones until it has
     * passed, so a busy document's edits go out together (a quiet one's at once). Up to three times
     * this on a node whose event loop is busy; at most the max.
     */
    DOC_SEND_GAP_MIN_MS: int(0, 1000).default(5),
    /**
     * Least time between the starts of two inserts of document updates, in ms: updates that arrive
     * sooner wait and go in together (one arriving after a quiet spell goes at once). Followers do
     * not wait for it (they get an edit before it is committed); only the author's "saved" does.
     */
    DOC_COMMIT_GAP_MS: int(0, 1000).default(10),
    /**
     * Logged updates after which a document is folded into its snapshot (in a background worker;
     * a log of 1 MB is folded however few updates it holds). Each fold rebuilds the whole
     * document: at 500 a busy node spent about 6 % of its CPU on folds (docs/benchmarks.md).
     */
    DOC_COMPACT_AFTER: int(10, 1_000_000).default(2000),
    /** Base time bound of one operation in a document worker, in ms; larger documents get 1 ms more per 2 kB. An update that overruns it is refused and the worker replaced. */
    DOC_WORK_TIMEOUT_MS: int(20, 60_000).default(250),
    /** Heap of one document worker, in MB: what a hostile update can make it allocate before it is replaced. */
    DOC_WORKER_HEAP_MB: int(32, 4096).default(256),
    /** Worker time one user's document messages may use per minute, in ms (a cost-based rate limit). */
    DOC_WORK_MS_PER_MIN: int(100, 600_000).default(6_000),
    /** Open sockets one account may have on one node; more are refused at the handshake. */
    MAX_SOCKETS_PER_USER: int(1, 100_000).default(20),
    /** Open sockets one client address may have on one node (a courtyard may share one address). */
    MAX_SOCKETS_PER_ADDRESS: int(1, 1_000_000).default(500),
    /**
     * On SIGTERM or SIGINT, at most this many milliseconds to finish in-flight commits, answer
     * them and send clients elsewhere before the process exits anyway.
     */
    SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
    /** pino log level. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when NODE_ENV=production' });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Validates the environment; throws a ConfigError whose message is one line naming the variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const relevant = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, raw[k] === '' ? undefined : raw[k]]));
  const parsed = envSchema.safeParse(relevant);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const name = String(issue?.path[0] ?? 'environment');
  const hidden = /SECRET|URL/.test(name);
  const shown = raw[name] === undefined ? 'not set' : hidden ? 'value hidden' : `got ${JSON.stringify(String(raw[name]).slice(0, 60))}`;
  throw new ConfigError(`Configuration error: ${name} ${issue?.message ?? 'is invalid'} (${shown})`);
}
