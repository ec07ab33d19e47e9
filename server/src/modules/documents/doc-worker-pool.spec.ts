import * as Y from 'yjs';
import { until } from '../../testing/doc-sockets';
import { compact, DocWorkerPool, WorkerLost, WorkerOverrun } from './doc-worker-pool';

describe('DocWorkerPool: workers run only while there is work', () => {
  let pool: DocWorkerPool;
  afterEach(() => pool.close());

  it('starts no worker until one is needed, stops it when it has held nothing for the idle time, and starts it again on demand', async () => {
    pool = new DocWorkerPool({ size: 2, heapMb: 64, idleMs: 100, onLost: () => undefined });
    expect(pool.running()).toBe(0);
    const built = await pool.run<{ update: Uint8Array }>(0, { op: 'build', parts: [] }, 5_000);
    expect(built.result.update).toBeInstanceOf(Uint8Array);
    expect(pool.running()).toBe(1);
    await until(() => pool.running() === 0);
    // Used again: started again, and it answers.
    await pool.run(0, { op: 'build', parts: [] }, 5_000);
    expect(pool.running()).toBe(1);
  });

  it('keeps a worker that holds a document, and parks it once the document is released', async () => {
    pool = new DocWorkerPool({ size: 1, heapMb: 64, idleMs: 50, onLost: () => undefined });
    const { slot } = pool.assign('d1');
    await pool.run(slot, { op: 'load', docId: 'd1', parts: [] }, 5_000);
    // Longer than the idle time: still running, it holds d1.
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.running()).toBe(1);
    pool.release(slot, 'd1');
    await until(() => pool.running() === 0);
  });
});

describe('DocWorkerPool: the bound counts the worker’s own time', () => {
  let pool: DocWorkerPool;
  afterEach(() => pool.close());

  it('does not stop a worker that answered in time while this thread was too busy to read the answer', async () => {
    const lost: string[][] = [];
    pool = new DocWorkerPool({ size: 1, heapMb: 64, idleMs: 0, onLost: (ids) => lost.push(ids) });
    const { slot } = pool.assign('d1');
    await pool.run(slot, { op: 'load', docId: 'd1', parts: [] }, 5_000);
    const answered = pool.run(slot, { op: 'vector', docId: 'd1' }, 100);
    // The event loop stalls just after the request goes out (a starved node) for longer than the
    // bound can ever be (20 times the operation's own): the bound's timer fires late, before the
    // worker's answer is read.
    setImmediate(() => {
      const until = performance.now() + 2_500;
      while (performance.now() < until);
    });
    await expect(answered).resolves.toMatchObject({ result: { vector: expect.any(Uint8Array) } });
    expect(lost).toEqual([]);
    expect(pool.generation(slot)).toBe(0);
  });

  it('still stops an operation that runs past its bound in the worker', async () => {
    const lost: string[][] = [];
    pool = new DocWorkerPool({ size: 1, heapMb: 64, idleMs: 0, onLost: (ids) => lost.push(ids) });
    const { slot } = pool.assign('d1');
    await pool.run(slot, { op: 'load', docId: 'd1', parts: [] }, 5_000);
    await expect(pool.run(slot, { op: 'spin' }, 50)).rejects.toBeInstanceOf(WorkerOverrun);
    expect(lost).toEqual([['d1']]);
    expect(pool.generation(slot)).toBe(1);
  });

  it('blames the operation the worker was running, not the one before it in the same batch, whose answer had not left yet', async () => {
    pool = new DocWorkerPool({ size: 1, heapMb: 64, idleMs: 0, onLost: () => undefined });
    const { slot } = pool.assign('d1');
    await pool.run(slot, { op: 'load', docId: 'd1', parts: [] }, 5_000);
    // Asked in one turn of the event loop: they travel, and are answered, as one batch.
    const done = pool.run(slot, { op: 'vector', docId: 'd1' }, 5_000);
    const spinning = pool.run(slot, { op: 'spin' }, 50);
    await expect(spinning).rejects.toBeInstanceOf(WorkerOverrun);
    // Finished, but its answer was to go back with the spinning one's: lost with the worker, to be tried again.
    await expect(done).rejects.toBeInstanceOf(WorkerLost);
    expect(pool.generation(slot)).toBe(1);
  });
});

describe('DocWorkerPool: what travels to a worker', () => {
  it('sends only the bytes of an update, not the whole buffer a socket message is a view of', () => {
    const frame = Buffer.alloc(65_536, 7);
    const update = frame.subarray(100, 160);
    const req = compact({ id: 1, op: 'apply', docId: 'd1', update });
    expect('update' in req && req.update.buffer.byteLength).toBe(60);
    expect('update' in req && [...req.update]).toEqual([...update]);
  });
});

describe('DocWorkerPool: a request nobody waits for soon', () => {
  let pool: DocWorkerPool;
  afterEach(() => pool.close());

  it('is answered on its own after its delay, and otherwise travels with the next request, in order', async () => {
    pool = new DocWorkerPool({ size: 1, heapMb: 64, idleMs: 0, onLost: () => undefined });
    const { slot } = pool.assign('d1');
    await pool.run(slot, { op: 'load', docId: 'd1', parts: [] }, 5_000);
    const edit = (text: string) => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, text);
      return Y.encodeStateAsUpdate(doc);
    };
    const textOf = async () => {
      const { result } = await pool.run<{ update: Uint8Array }>(slot, { op: 'diff', docId: 'd1', vector: null }, 5_000);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, result.update);
      return doc.getText('t').toString();
    };

    // Alone: the commit notice still arrives.
    const first = (await pool.run<{ seq: number }>(slot, { op: 'apply', docId: 'd1', update: edit('a') }, 5_000)).result.seq;
    await pool.run(slot, { op: 'commit', docId: 'd1', seqs: [first], merge: false }, 5_000, 20);

    // Followed at once by a rollback of the same update: the worker hears of the commit first,
    // so there is nothing left to roll back and the edit stays (in the other order it would go).
    const second = (await pool.run<{ seq: number }>(slot, { op: 'apply', docId: 'd1', update: edit('b') }, 5_000)).result.seq;
    const committed = pool.run(slot, { op: 'commit', docId: 'd1', seqs: [second], merge: false }, 5_000, 60_000);
    await pool.run(slot, { op: 'rollback', docId: 'd1', seqs: [second] }, 5_000);
    await committed;
    expect([...(await textOf())].sort().join('')).toBe('ab');
  });
});
