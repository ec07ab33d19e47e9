import { type Ack, ERRORS, INT4_MAX } from '@yishi/shared';
import fc from 'fast-check';
import type { ClientSocket } from './sockets';

/**
 * Generators of what a hostile client sends (hostile-input.spec.ts), and the one check every
 * answer must pass. Fixed seed: a failure names the case and reproduces on every run.
 */
export const SEED = 20261203;

/** Text the database cannot store; every answer to a request carrying one must be a refusal. */
export const BAD_TEXT = ['a\u0000b', '\u0000', 'x\uD800', '\uDFFF', 'end\uD83D'];
/** The same in a URL: raw percent-escapes (a lone surrogate cannot be URL-encoded at all). */
const BAD_SEGMENTS = ['%00', 'a%00b', '%ED%A0%80', '%FF', '%C0%80'];
/** A path or query part that is wrong without being unstorable. */
const ODD_SEGMENTS = ['not-a-uuid', '0', '-1', String(INT4_MAX + 1), '9007199254740993', '1e309', '%20', 'x'.repeat(2000)];

const badText = fc.constantFrom(...BAD_TEXT);
const oddNumber = fc.constantFrom(INT4_MAX, INT4_MAX + 1, 2 ** 53, 2 ** 53 + 2, -1, -(2 ** 31) - 1, 0.5, 1e308, -0);
const wrongType = fc.constantFrom<unknown>(null, true, [], {}, [[]], { $gt: '' }, '', '长'.repeat(5000));
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

/** A value that is sometimes plausible for the field's schema, often not. */
function valueFor(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const plausible: fc.Arbitrary<unknown> = s.enum?.length
    ? fc.constantFrom(...s.enum)
    : s.format === 'uuid'
      ? fc.uuid()
      : type === 'integer' || type === 'number'
        ? fc.integer({ min: -5, max: 100 })
        : type === 'boolean'
          ? fc.boolean()
          : type === 'object' && s.properties && depth < 2
            ? objectFor(s, depth + 1)
            : type === 'array' && s.items && depth < 2
              ? fc.array(valueFor(s.items, depth + 1), { maxLength: 3 })
              : fc.string({ maxLength: 20 });
  return fc.oneof(plausible, plausible, badText, oddNumber, wrongType, anyText);
}

/** An object of the schema's fields, any of them missing, each plausible or hostile. */
export function objectFor(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, valueFor(v, depth)]));
  return fc.record(props, { requiredKeys: [] });
}

/** A whole body: usually an object of the schema's fields, sometimes not an object at all. */
export function bodyFor(s: JsonSchema | undefined): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: objectFor(s ?? {}) }, { weight: 1, arbitrary: fc.oneof(wrongType, badText, oddNumber) });
}

/** A path segment or query value, already URL-encoded: the real one, or anything else. */
export function segmentFor(real: fc.Arbitrary<string>): fc.Arbitrary<{ raw: string; bad: boolean }> {
  return fc.oneof(
    { weight: 3, arbitrary: real.map((v) => ({ raw: encodeURIComponent(v), bad: false })) },
    { weight: 2, arbitrary: fc.constantFrom(...BAD_SEGMENTS).map((raw) => ({ raw, bad: true })) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_SEGMENTS).map((raw) => ({ raw, bad: false })) },
  );
}

/** Whether a generated value carries text the database cannot store. */
export function carriesBadText(v: unknown): boolean {
  if (typeof v === 'string') return BAD_TEXT.some((b) => v.includes(b));
  if (Array.isArray(v)) return v.some(carriesBadText);
  if (v && typeof v === 'object') return Object.values(v).some(carriesBadText);
  return false;
}

// What an error must never show a user: a stack frame, SQL, or a driver's message.
const INTERNALS =
  /\bat .+:\d+:\d+|node_modules|QueryFailedError|TypeORM|invalid byte sequence|out of range for type|violates|\bSELECT\b|\bINSERT\b/i;

/**
 * Every refusal is one of ours: a catalogue code, a message, field messages on a validation
 * failure, and nothing of the server's insides. Returns what is wrong, or null.
 */
export function refusalProblem(error: unknown): string | null {
  const e = error as { code?: string; message?: unknown; fields?: Array<{ path?: unknown; message?: unknown }> } | undefined;
  if (!e || typeof e.code !== 'string' || !(e.code in ERRORS)) return `not a catalogue error: ${JSON.stringify(error)}`;
  if (typeof e.message !== 'string' || !e.message) return 'no message';
  if (
    e.code === 'VALIDATION_FAILED' &&
    !(e.fields?.length && e.fields.every((f) => typeof f.path === 'string' && typeof f.message === 'string'))
  )
    return 'a validation failure without field messages';
  if (INTERNALS.test(JSON.stringify(e))) return `internal text leaked: ${JSON.stringify(e).slice(0, 300)}`;
  return null;
}

/** Any command, as a hostile client sends it: the name and whatever payload. */
export function emitAny(socket: ClientSocket, name: string, payload: unknown): Promise<Ack<object>> {
  return (socket.timeout(10_000) as unknown as { emitWithAck(n: string, p: unknown): Promise<Ack<object>> }).emitWithAck(name, payload);
}

/**
 * Sends one generated command as `who` and checks the answer: never INTERNAL, a refusal that is
 * one of ours (refusalProblem), and a refusal whenever the payload carries text the database
 * cannot store. Returns the answer and whether the payload carried such text.
 */
export async function sendHostile(socket: ClientSocket, who: string, name: string, payload: unknown) {
  const ack = await emitAny(socket, name, payload);
  const what = `${who} ${name} ${JSON.stringify(payload)?.slice(0, 200)} → ${JSON.stringify(ack).slice(0, 200)}`;
  if (!ack.ok) {
    expect({ what, code: ack.error.code === 'INTERNAL' }).toEqual({ what, code: false });
    expect({ what, problem: refusalProblem(ack.error) }).toEqual({ what, problem: null });
  }
  const badText = carriesBadText(payload);
  if (badText) expect({ what, refused: !ack.ok }).toEqual({ what, refused: true });
  return { ack, badText };
}
