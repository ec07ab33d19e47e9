import { BroadcastPacer } from './broadcast-pacer';

/** A pacer whose sends are recorded with their time, and can be made to take a while. */
function pacer(maxGapMs: number, minGapMs = 0, loopLoad = () => 0) {
  const sends: Array<{ docId: string; authors: string[]; at: number }> = [];
  const waiting: Array<() => void> = [];
  const done: Array<() => void> = [];
  let sendTakes: Promise<void> = Promise.resolve();
  const p = new BroadcastPacer(
    async (docId, authors) => {
      sends.push({ docId, authors: [...authors].sort(), at: performance.now() });
      for (const w of waiting.splice(0)) w();
      await sendTakes;
      p.sent(docId, 0);
      for (const d of done.splice(0)) d();
    },
    maxGapMs,
    minGapMs,
    loopLoad,
  );
  const nextSend = () => new Promise<void>((r) => waiting.push(r));
  return {
    p,
    sends,
    nextSend,
    sendDone: () => new Promise<void>((r) => done.push(r)),
    slowSends: (until: Promise<void>) => (sendTakes = until),
  };
}

describe('BroadcastPacer: when a document’s committed changes go out', () => {
  it('sends a quiet document’s change at once', () => {
    const { p, sends } = pacer(10);
    expect(p.sendNow('d1', new Set(['a']))).toBe(true);
    p.sent('d1', 0.05);
    // Cheap sends mean no gap worth the name: the next change goes at once too.
    expect(p.sendNow('d1', new Set(['b']))).toBe(true);
    expect(sends).toEqual([]);
    p.close();
  });

  it('holds a busy document’s changes for a gap that follows what sending costs, then sends them together', async () => {
    const { p, sends, nextSend } = pacer(10);
    expect(p.sendNow('d1', new Set(['a']))).toBe(true);
    p.sent('d1', 20); // two hundred followers: a send costs the event loop milliseconds
    const heldAt = performance.now();
    expect(p.sendNow('d1', new Set(['b']))).toBe(false);
    expect(p.sendNow('d1', new Set(['c']))).toBe(false);
    // Another document is not held back by this one.
    expect(p.sendNow('d2', new Set(['x']))).toBe(true);
    await nextSend();
    expect(sends).toEqual([{ docId: 'd1', authors: ['b', 'c'], at: expect.any(Number) }]);
    // Held for the gap (twice the cost, here capped at 10 ms), not sent at once.
    expect(sends[0]!.at - heldAt).toBeGreaterThanOrEqual(8);
    p.close();
  });

  it('sends what was committed while a send was on its way, one gap later', async () => {
    const { p, sends, nextSend, slowSends } = pacer(5);
    let release!: () => void;
    slowSends(new Promise<void>((r) => (release = r)));
    p.sendNow('d1', new Set(['a']));
    p.sent('d1', 10);
    expect(p.sendNow('d1', new Set(['b']))).toBe(false);
    await nextSend();
    // The held send is still on its way: this one waits for the next.
    expect(p.sendNow('d1', new Set(['c']))).toBe(false);
    const second = nextSend();
    slowSends(Promise.resolve());
    release();
    await second;
    expect(sends.map((s) => s.authors)).toEqual([['b'], ['c']]);
    p.close();
  });

  it('holds a document that sent moments ago for the floor however cheap its sends, and not one quiet for longer', async () => {
    const { p, sends, sendDone } = pacer(10, 5);
    expect(p.sendNow('d1', new Set(['a']))).toBe(true);
    p.sent('d1', 0.05); // a few followers: sending costs next to nothing
    const heldAt = performance.now();
    expect(p.sendNow('d1', new Set(['b']))).toBe(false);
    await sendDone();
    expect(sends[0]!.authors).toEqual(['b']);
    expect(sends[0]!.at - heldAt).toBeGreaterThanOrEqual(4);
    // Quiet for longer than the floor: the next change goes out at once.
    await new Promise<void>((r) => setTimeout(r, 6));
    expect(p.sendNow('d1', new Set(['c']))).toBe(true);
    p.close();
  });

  it('gathers for longer when the node is busy: the floor grows with the event loop’s load, up to three times', async () => {
    let load = 1;
    const { p, sends, sendDone } = pacer(100, 20, () => load);
    expect(p.sendNow('d1', new Set(['a']))).toBe(true);
    p.sent('d1', 0.05);
    const heldAt = performance.now();
    expect(p.sendNow('d1', new Set(['b']))).toBe(false);
    await sendDone();
    expect(sends[0]!.at - heldAt).toBeGreaterThanOrEqual(59);
    // The node at rest again: the floor is back to itself.
    load = 0;
    const again = performance.now();
    expect(p.sendNow('d1', new Set(['c']))).toBe(false);
    await sendDone();
    expect(sends[1]!.at - again).toBeLessThan(55);
    p.close();
  });

  it('never holds anything when the gap is switched off', () => {
    const { p } = pacer(0);
    for (let i = 0; i < 5; i++) {
      expect(p.sendNow('d1', new Set([`s${i}`]))).toBe(true);
      p.sent('d1', 50);
    }
    p.close();
  });

  it('sends nothing for a document this node let go of', async () => {
    const { p, sends } = pacer(2);
    p.sendNow('d1', new Set(['a']));
    p.sent('d1', 10);
    expect(p.sendNow('d1', new Set(['b']))).toBe(false);
    p.forget('d1');
    // A later document's send proves the timers ran: d1's held send was dropped with it.
    const other = pacer(2);
    other.p.sendNow('d9', new Set(['z']));
    other.p.sent('d9', 10);
    other.p.sendNow('d9', new Set(['y']));
    await other.nextSend();
    expect(sends).toEqual([]);
    other.p.close();
  });
});
