import type { Awareness } from 'y-protocols/awareness';
import type { ReadWriteGate } from './read-write-gate';

/** A document held while someone uses it: its Yjs state lives in a worker, not here. */
export interface LoadedDoc {
  id: string;
  /** The worker slot holding it, and that worker's generation when it was loaded there. */
  slot: number;
  generation: number;
  /** Settles when the worker holds the document (again, after its worker was replaced). */
  ready: Promise<void>;
  /** Cursors and names. The Awareness needs a Y.Doc; this empty one only lends it a client id. */
  awareness: Awareness;
  /** Bytes of the stored document: the size limit is checked against this. */
  bytes: number;
  /** Updates in the log since the last compaction, and their bytes, as far as this node knows. */
  tail: number;
  tailBytes: number;
  /** Sockets following it on this node. */
  followers: Set<string>;
  idleSince: number;
  gate: ReadWriteGate;
  /** Commits of its updates still under way on this node. */
  uncommitted: Set<Promise<void>>;
  /** How many of its commits failed on this node so far. */
  commitFailures: number;
}
