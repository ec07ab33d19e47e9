/** Messages between the main thread and a document worker (doc-worker.ts). */
export type WorkerRequest = { id: number } & (
  | { op: 'load'; docId: string; parts: Uint8Array[] }
  | { op: 'build'; parts: Uint8Array[] }
  | { op: 'unload'; docId: string }
  | { op: 'apply'; docId: string; update: Uint8Array }
  | { op: 'commit'; docId: string; seqs: number[]; merge: boolean }
  | { op: 'rollback'; docId: string; seqs: number[] }
  | { op: 'remote'; docId: string; updates: Uint8Array[]; refresh?: boolean }
  | { op: 'vector'; docId: string }
  | { op: 'diff'; docId: string; vector: Uint8Array | null }
  | { op: 'fundingLine'; docId: string; lineId: string }
  | { op: 'render'; parts: Uint8Array[] }
  | { op: 'spin' }
);

export type WorkerOp = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export type WorkerReply =
  | { id: number; ok: true; result: unknown; ms: number }
  | { id: number; ok: false; error: { code: string; message: string; fields?: Array<{ path: string; message: string }> }; ms: number };

/**
 * Shared between a worker and its pool (a BigInt64Array on a SharedArrayBuffer): the operation the
 * worker runs now and since when (µs since the epoch), and the last one it finished. The pool's
 * bound then counts the worker's own time on an operation, not how late the main thread's timer
 * fires or how long an answer waits to be read: on a starved machine the event loop lags by more
 * than the bound, and stopping a worker that had long answered would only add reloads to the load.
 */
export const PROGRESS_SLOTS = 3;
export const RUNNING = 0;
export const STARTED_US = 1;
export const DONE = 2;

export function nowUs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}
