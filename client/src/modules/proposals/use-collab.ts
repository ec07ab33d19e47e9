import { SocketIOProvider } from '@yishi/shared';
import { useEffect, useState } from 'react';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { getSocket } from '../../lib/realtime';

export interface Collab {
  doc: Y.Doc;
  awareness: Awareness;
}

export interface DocStatus {
  synced: boolean;
  canEdit: boolean;
  pending: number;
}

/**
 * The Y.Doc lives as long as the screen does, not as long as the connection: edits made while
 * offline stay in it, and the provider sends what the server lacks once the socket is back.
 */
export function useCollab(docId: string): { collab: Collab; status: DocStatus; error: string | null; quarantined: number } {
  const [collab] = useState<Collab>(() => {
    const doc = new Y.Doc();
    return { doc, awareness: new Awareness(doc) };
  });
  const [status, setStatus] = useState<DocStatus>({ synced: false, canEdit: false, pending: 0 });
  const [error, setError] = useState<string | null>(null);
  // Sent to the compound's chairs when stored edits of this document could not be loaded.
  const [quarantined, setQuarantined] = useState(0);

  useEffect(() => {
    const socket = getSocket();
    const provider = new SocketIOProvider(socket, docId, collab.doc, {
      awareness: collab.awareness,
      onStatus: setStatus,
      onError: (code) => setError(code),
    });
    const onQuarantined = (p: { docId: string; count: number }) => p.docId === docId && setQuarantined((n) => n + p.count);
    socket.on('doc:quarantined', onQuarantined);
    return () => {
      socket.off('doc:quarantined', onQuarantined);
      provider.destroy();
    };
  }, [docId, collab]);

  return { collab, status, error, quarantined };
}
