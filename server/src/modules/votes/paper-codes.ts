import { createHash, randomInt } from 'node:crypto';
import { PAPER_CODE_LENGTH } from '@yishi/shared';

/** Crockford's base32: no I, L, O or U. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Wrong codes one person may type for one round within WRONG_CODE_WINDOW before being stopped. */
export const WRONG_CODE_LIMIT = 5;
export const WRONG_CODE_WINDOW = '15 minutes';

/** The stored form of a code: bound to its round and household, so a code is worth nothing elsewhere. */
export const codeHash = (roundId: string, householdId: string, code: string): string =>
  createHash('sha256').update(`yishi:paper:v1:${roundId}:${householdId}:${code}`).digest('hex');

export const newCode = (): string => Array.from({ length: PAPER_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
