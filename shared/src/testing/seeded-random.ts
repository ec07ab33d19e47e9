/**
 * mulberry32, a small, well-known 32-bit generator: numbers in [0, 1). The seeded tests (random
 * cases checked against an independent implementation, the hostile-update fuzz) draw from it, so
 * the same seed gives the same cases and a failure can be replayed.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
