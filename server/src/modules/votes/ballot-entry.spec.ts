import { randomUUID } from 'node:crypto';
import { type Choice, seededRandom } from '@yishi/shared';
import { entryBody } from '../audit/audit.service';
import { ballotEntryBody, type BallotEntryFields } from './ballot-entry';

describe('a ballot entry written directly', () => {
  it('is the canonical body of the entry, byte for byte', () => {
    const f: BallotEntryFields = {
      round: 'r1',
      household: 'h1',
      ballot: 'b1',
      choice: 'against',
      revision: 'v1',
      voter: null,
      recordedBy: 'u1',
      viaProxy: false,
      assisted: true,
      paper: 'p1',
      signer: '王 "大爷"',
      reason: '不同意：\n费用太高',
    };
    expect(ballotEntryBody(f, 'c1', 7, 'ballot.changed', '2026-12-06T03:30:00.000Z')).toBe(
      '{"assisted":true,"at":"2026-12-06T03:30:00.000Z","ballot":"b1","chain":"c1","choice":"against","household":"h1",' +
        '"kind":"ballot.changed","paper":"p1","reason":"不同意：\\n费用太高","recordedBy":"u1","revision":"v1","round":"r1","seq":7,' +
        '"signer":"王 \\"大爷\\"","v":1,"viaProxy":false,"voter":null}',
    );
  });

  it('writes the same bytes as the generic canonical writer on 3,000 random ballots', () => {
    const random = seededRandom(20261206);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    // What a resident may type as a reason or a name: quotes, escapes, control characters,
    // CJK, emoji, a lone surrogate, nothing at all.
    const texts = ['', '同意', 'a"b', 'back\\slash', 'tab\tnew\nline', '\u0000\u001f\u007f', '😀👍', '\ud800', '</script>', ' '.repeat(3)];
    const text = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(texts)).join('');
    for (let i = 0; i < 3000; i++) {
      const online = random() < 0.7;
      const f: BallotEntryFields = {
        round: randomUUID(),
        household: randomUUID(),
        ballot: randomUUID(),
        choice: pick<Choice>(['for', 'against', 'abstain']),
        revision: randomUUID(),
        voter: random() < 0.2 ? null : randomUUID(),
        recordedBy: randomUUID(),
        viaProxy: random() < 0.5,
        assisted: random() < 0.5,
        paper: online ? null : randomUUID(),
        signer: online ? undefined : text(),
        reason: random() < 0.5 ? null : text(),
      };
      const seq = pick([1, 2, 1000, Math.floor(random() * 2 ** 40), Number.MAX_SAFE_INTEGER]);
      const kind = pick(['ballot.cast', 'ballot.changed'] as const);
      const at = new Date(Math.floor(random() * 2 ** 41)).toISOString();
      const chain = randomUUID();
      expect(ballotEntryBody(f, chain, seq, kind, at)).toBe(entryBody(chain, seq, kind, at, f));
    }
  });

  it('refuses a place in the chain that is not a safe integer, as the generic writer does', () => {
    const f = { round: 'r', household: 'h', ballot: 'b', choice: 'for', revision: 'v', voter: 'u', recordedBy: 'u' } as const;
    const fields: BallotEntryFields = { ...f, viaProxy: false, assisted: false, paper: null, reason: null };
    for (const seq of [1.5, 2 ** 53, Number.NaN]) expect(() => ballotEntryBody(fields, 'c', seq, 'ballot.cast', 'at')).toThrow(RangeError);
  });
});
