import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Hashes running at once. Each takes 128·N·r bytes (32 MB at the default cost) on a libuv thread:
 * two hundred residents signing in together had four of them running, 140 MB on top of the node,
 * and every file and DNS call waiting for a free thread. Two keep both cores busy on this kind of
 * machine; the rest wait their turn.
 */
const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  // A finished hash hands its place straight to the next in line, so none can slip in between.
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((go) => waiting.push(go));
  else running++;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
    );
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Hashes running now (for the test of the bound). */
export function hashesRunning(): number {
  return running;
}

/**
 * scrypt password hashes, stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` so that the cost can
 * be raised later without invalidating existing hashes.
 */
export async function hashPassword(password: string, log2N: number): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** log2N;
  const key = await scrypt(password, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  return ['scrypt', log2N, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, log2N, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt') return false;
  if (salt === undefined || hash === undefined) throw new Error('a stored scrypt password hash is missing its salt or hash');
  const expected = Buffer.from(hash, 'base64url');
  const N = 2 ** Number(log2N);
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  });
  return timingSafeEqual(key, expected);
}
