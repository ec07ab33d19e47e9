import { z } from 'zod';
import type { FieldError } from '../errors/error-codes';

/*
 * Text PostgreSQL cannot store. A NUL character is refused by every `text` column ("invalid byte
 * sequence"), and a lone UTF-16 surrogate is not a character at all: either would reach the
 * database and come back as a 500. Every inbound request and socket payload is walked once for
 * these before its schema runs (server: the global input pipe and `SocketCommands.run`), so no
 * schema needs to remember them.
 */

/** Largest value of a PostgreSQL `integer` (int4) column; past it the insert or lookup fails. */
export const INT4_MAX = 2_147_483_647;

/** A whole number that fits an `integer` column (revision numbers, counts): JSON allows up to 2^53. */
export const int4 = () => z.number().int().max(INT4_MAX, `must be at most ${INT4_MAX}`);

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored as text, or null when it can. */
export function unsafeTextReason(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(s)) return 'must not contain an unpaired surrogate (not valid Unicode)';
  return null;
}

/** Every string (value or object key) in a JSON-like value that cannot be stored, with its path. Binary data is skipped. */
export function findUnsafeText(value: unknown, path: Array<string | number> = [], found: FieldError[] = []): FieldError[] {
  // One path array, pushed and popped as the walk goes: every inbound message is walked, and a
  // copy of the path per value was most of what the walk allocated.
  walk(value, [...path], found);
  return found;
}

const pathText = (path: Array<string | number>): string => path.join('.') || '(root)';

function walk(value: unknown, path: Array<string | number>, found: FieldError[]): void {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    if (reason) found.push({ path: pathText(path), message: reason });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, found);
      path.pop();
    }
  } else if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) {
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const reason = unsafeTextReason(k);
      // The key itself cannot be shown safely, so the message names its parent.
      if (reason) found.push({ path: pathText(path), message: `a key ${reason}` });
      else {
        path.push(k);
        walk((value as Record<string, unknown>)[k], path, found);
        path.pop();
      }
    }
  }
}
