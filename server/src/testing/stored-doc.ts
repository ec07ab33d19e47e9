import type { DataSource } from 'typeorm';
import * as Y from 'yjs';

/**
 * The document exactly as stored (snapshot plus log), built in the test: what a restart would
 * load. Test-only; the server itself does this in a bounded document worker.
 */
export async function storedDoc(db: Pick<DataSource, 'query'>, docId: string): Promise<{ doc: Y.Doc }> {
  const doc = new Y.Doc();
  const [snap] = await db.query('SELECT state FROM doc_snapshot WHERE doc_id = $1', [docId]);
  const rows: Array<{ update: Buffer }> = await db.query('SELECT update FROM doc_update WHERE doc_id = $1 ORDER BY id', [docId]);
  doc.transact(() => {
    if (snap) Y.applyUpdate(doc, snap.state as Buffer);
    for (const r of rows) Y.applyUpdate(doc, r.update);
  });
  return { doc };
}
