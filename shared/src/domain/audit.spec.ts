import { createHash } from 'node:crypto';
import { seededRandom } from '../testing/seeded-random';
import { AUDIT_GENESIS_PREFIX, AUDIT_KINDS, canonicalJson } from './audit';

describe('canonical JSON: the same content always gives the same bytes', () => {
  it.each([
    [null, 'null'],
    [true, 'true'],
    [false, 'false'],
    [0, '0'],
    [-7, '-7'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [Number.MIN_SAFE_INTEGER, '-9007199254740991'],
    ['', '""'],
    ['王"大爷"\n', '"王\\"大爷\\"\\n"'],
    [[], '[]'],
    [{}, '{}'],
    [[1, 'a', null, [true]], '[1,"a",null,[true]]'],
  ])('writes %p as %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('sorts keys at every level, drops undefined values and keeps no whitespace', () => {
    const value = { b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' }, u: undefined, 中: 0 };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1,"中":0}');
    // Key order of the input does not matter.
    expect(canonicalJson({ 中: 0, a: { c: 'x', d: [{ y: 2, z: 1 }] }, b: 1 })).toBe(canonicalJson(value));
  });

  it('writes the same bytes as an independent sort-then-stringify on 3,000 random values', () => {
    const random = seededRandom(20261206);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    // Keys are never integer-like: an object orders those before the others, which the
    // independent writer below (an object rebuilt in sorted order) would not undo.
    const keys = ['a', 'b', 'ab', 'B', 'household', 'voter', 'z9', '中', '王大爷', '_', 'a b', 'é', '"q"', 'x\ny'];
    const strings = ['', '王"大爷"\n', 'tab\there', '\\', '😀', 'ünï', '</script>', '0', 'null'];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.45) {
        return pick([null, true, false, 0, -1, Math.floor((random() - 0.5) * 2 ** 40), Number.MAX_SAFE_INTEGER, pick(strings)]);
      }
      if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 6); i > 0; i--) o[pick(keys)] = random() < 0.15 ? undefined : value(depth + 1);
      return o;
    };
    const sortedCopy = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(sortedCopy);
      if (v === null || typeof v !== 'object') return v;
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortedCopy(o[k]);
      return out;
    };
    for (let i = 0; i < 3000; i++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(JSON.stringify(sortedCopy(v)));
    }
  });

  it('keeps null values (they are data) and undefined inside arrays would not be JSON', () => {
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
  });

  it.each([0.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity, -Infinity])('refuses the number %p', (n) => {
    expect(() => canonicalJson(n)).toThrow(RangeError);
    expect(() => canonicalJson({ area: n })).toThrow('canonical JSON takes safe integers only');
  });

  it.each([[() => 1], [Symbol('x')], [10n]])('refuses %p', (value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
    expect(() => canonicalJson(value)).toThrow(`canonical JSON cannot hold a ${typeof value}`);
  });

  it('chains as documented: hash = sha256(prevHash + body), starting from the genesis', () => {
    const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
    const proposal = '6f1c2d8e-0000-4000-8000-000000000001';
    const genesis = sha(AUDIT_GENESIS_PREFIX + proposal);
    const body = canonicalJson({ kind: 'ballot.cast', household: 'h1', choice: 'for' });
    expect(body).toBe('{"choice":"for","household":"h1","kind":"ballot.cast"}');
    expect(AUDIT_GENESIS_PREFIX).toBe('yishi:audit:v1:');
    expect(sha(genesis + body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists what the log records, each kind once', () => {
    // Other kinds may be added; these must stay, spelled as stored in every chain so far.
    for (const kind of [
      'revision.frozen',
      'round.opened',
      'ballot.cast',
      'ballot.changed',
      'round.closed',
      'signoff.given',
      'signoff.refused',
      'sign_offs.required',
      'proposal.adopted',
      'doc.quarantined',
    ]) {
      expect(AUDIT_KINDS).toContain(kind);
    }
    expect(new Set(AUDIT_KINDS).size).toBe(AUDIT_KINDS.length);
  });
});
