import { toHalfWidth } from './area';

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}\d{7,8}$/;

/**
 * Normalises a mainland Chinese phone number as people write it in a register
 * ("138 0013 8000", "+86 138-0013-8000", "010-6500 1234") to digits only.
 * Returns null when it is not a mobile or landline number.
 */
export function normalisePhone(text: string): string | null {
  let digits = toHalfWidth(text).replace(/[\s\-()（）]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  // Both patterns are anchored and all digits, so nothing else can pass.
  return MOBILE.test(digits) || LANDLINE.test(digits) ? digits : null;
}

/** Whether a sign-in name looks like a phone number rather than a user name. */
export function looksLikePhone(login: string): boolean {
  return /^[+\d][\d\s\-()]*$/.test(toHalfWidth(login).trim());
}
