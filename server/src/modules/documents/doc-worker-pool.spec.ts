import { until } from '../../testing/doc-sockets';
import { DocWorkerPool } from './doc-worker-pool';

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
