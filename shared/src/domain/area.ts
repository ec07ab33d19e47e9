/**
 * Floor areas are integers of 0.01 m² end to end: "85.5" m² is 8550. Parsing works on the
 * decimal string itself, never through floating point, so 0.1 + 0.2 never bites a vote.
 */
const AREA_PATTERN = /^(\d{1,7})(?:\.(\d{1,2}))?$/;

/** Parses a floor area in m² ("85", "85.5", "85.50", "８５．５"). Returns null if it is not one. */
export function parseAreaM2(text: string): number | null {
  const normalised = toHalfWidth(text)
    .trim()
    .replace(/(m²|㎡|m2|平方米|平米)$/i, '')
    .trim();
  const m = AREA_PATTERN.exec(normalised);
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  return whole * 100 + frac;
}

/** Formats 0.01 m² units as m² with two decimals ("85.50"). */
export function formatAreaM2(centiSquareMetres: number): string {
  const whole = Math.trunc(centiSquareMetres / 100);
  const frac = Math.abs(centiSquareMetres % 100);
  return `${whole}.${String(frac).padStart(2, '0')}`;
}

/** Full-width digits and punctuation, as typed with a Chinese input method, to ASCII. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}
