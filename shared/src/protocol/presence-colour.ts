/** Caret colours with white label text at ≥ 4.5:1. */
const COLOURS = ['#a61b1b', '#0a4fb5', '#1b5e20', '#6a1b9a', '#8a4b00', '#00695c'] as const;

/** The colour of a person's caret and name label, the same on every screen (the server sets it for others). */
export function presenceColour(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length] ?? COLOURS[0];
}
