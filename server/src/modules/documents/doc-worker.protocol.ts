/** Messages between the main thread and a document worker (doc-worker.ts). */
export type WorkerRequest = { id: number } & (
  | { op: 'load'; docId: string; parts: Uint8Array[] }
  | { op: 'build'; parts: Uint8Array[] }
  | { op: 'unload'; docId: string }
  | { op: 'apply'; docId: string; update: Uint8Array }
  | { op: 'commit'; docId: string; seqs: number[]; merge: boolean }
  | { op: 'merge'; updates: Uint8Array[] }
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
