/**
 * Exact integer arithmetic for the vote rules: counts and 0.01 m² areas that are not safe
 * integers, or sums and products that would leave them, are refused with a RangeError rather
 * than silently rounded. Internal to the vote rules: not exported from the package.
 */

export function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${value}`);
}

// Thresholds multiply counts by small constants; past 2^53 the product would round silently.
export function times(factor: number, value: number): number {
  const product = factor * value;
  if (!Number.isSafeInteger(product)) throw new RangeError(`${factor} × ${value} is beyond exact integer arithmetic`);
  return product;
}

export function plus(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`${a} + ${b} is beyond exact integer arithmetic`);
  return sum;
}

export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
