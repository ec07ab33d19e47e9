import type { DataSource } from 'typeorm';
import { AppError } from '../../infra/errors/app-error';

/** A document as stored: its snapshot (if it was ever compacted) and the update log after it. */
export interface StoredParts {
  snapshot: Buffer | null;
  rows: Array<{ id: string; update: Buffer; user_id: string | null; created_at: Date }>;
}

export async function readParts(docId: string, m: Pick<DataSource, 'query'>): Promise<StoredParts> {
  const [snap] = await m.query('SELECT state FROM doc_snapshot WHERE doc_id = $1', [docId]);
  const rows = await m.query('SELECT id, update, user_id, created_at FROM doc_update WHERE doc_id = $1 ORDER BY id', [docId]);
  return { snapshot: snap ? (snap.state as Buffer) : null, rows };
}

/** The snapshot, then the logged updates, in the order that rebuilds the document. */
export function partsOf(stored: StoredParts): Uint8Array[] {
  return [...(stored.snapshot ? [stored.snapshot] : []), ...stored.rows.map((r) => r.update)].map(
    (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
  );
}

export function sizeOf(parts: Uint8Array[]): number {
  return parts.reduce((n, p) => n + p.byteLength, 0);
}

/** A database that cannot be reached is a passing condition: the client is told to retry. */
export function unavailable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('UNAVAILABLE', { message: 'the database did not answer; the edit was not saved and will be sent again' });
}
