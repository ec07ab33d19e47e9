import { openRoundSchema } from './vote.protocol';

describe("opening a round: the chair's question or the default", () => {
  const base = { revisionNumber: 1, rule: 'unanimous' as const };

  it('takes a question left out or null as the default one (null), never as text in some language', () => {
    expect(openRoundSchema.parse(base).question).toBeNull();
    expect(openRoundSchema.parse({ ...base, question: null }).question).toBeNull();
  });

  it("keeps the chair's own words, trimmed", () => {
    expect(openRoundSchema.parse({ ...base, question: '  是否同意加装电梯？\n' }).question).toBe('是否同意加装电梯？');
  });

  it('refuses a blank, overlong or non-text question on the question field', () => {
    for (const question of ['', '   ', 'x'.repeat(501), 7]) {
      const r = openRoundSchema.safeParse({ ...base, question });
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['question']);
    }
  });
});
