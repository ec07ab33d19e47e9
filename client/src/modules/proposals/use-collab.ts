import { SocketIOProvider } from '@yishi/shared';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { OfflineDoc } from '../../lib/offline-doc';
import { docStoreName } from '../../lib/offline-store';
import { getSocket } from '../../lib/realtime';
import { useMe } from '../../lib/session';

export interface Collab {
  doc: Y.Doc;
  awareness: Awareness;
}

export interface DocStatus {
  synced: boolean;
  canEdit: boolean;
  /** Requests the server has not answered yet (the provider's count). */
  pending: number;
  /** Changes made on this device the server has not acknowledged, kept across reloads. */
  unsent: number;
  /** Changes made here that the server refused for good, removed from this device. */
  discarded: number;
}

/**
 * Refusals that will not change by sending again: what this device holds may not be sent. Not
 * NOT_FOUND: it also means "join again" (a membership change takes sockets out of documents).
 */
const FINAL_REFUSALS = ['FORBIDDEN', 'VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE'];

function newCollab(): Collab {
  const doc = new Y.Doc();
  return { doc, awareness: new Awareness(doc) };
}

/**
 * The Y.Doc lives as long as the screen does, not as long as the connection, and a copy of it on
 * the device (IndexedDB) outlives a reload: edits made offline go out once the socket is back.
 * The server's copy wins: a change it refuses for good, or one made by a user who may no longer
 * edit, is removed from the device and the text starts again from the server's copy.
 */
export function useCollab(docId: string): { collab: Collab; status: DocStatus; error: string | null; quarantined: number } {
  const me = useMe();
  const { compoundId = '' } = useParams();
  const [collab, setCollab] = useState<Collab>(newCollab);
  const [status, setStatus] = useState<DocStatus>({ synced: false, canEdit: false, pending: 0, unsent: 0, discarded: 0 });
  const [error, setError] = useState<string | null>(null);
  // Sent to the compound's chairs when stored edits of this document could not be loaded.
  const [quarantined, setQuarantined] = useState(0);

  useEffect(() => {
    const socket = getSocket();
    let provider: SocketIOProvider | null = null;
    let done = false;
    const local = new OfflineDoc(
      docStoreName(me.user.id, compoundId, docId),
      collab.doc,
      (unsent) => setStatus((s) => ({ ...s, unsent })),
      () => provider,
    );
    const discard = () => {
      if (done) return;
      done = true;
      const lost = local.unsent;
      provider?.destroy();
      void local.discard().then(() => {
        setStatus((s) => ({ ...s, synced: false, unsent: 0, discarded: s.discarded + lost }));
        setCollab(newCollab());
      });
    };
    const onQuarantined = (p: { docId: string; count: number }) => p.docId === docId && setQuarantined((n) => n + p.count);
    socket.on('doc:quarantined', onQuarantined);
    void local.ready.then(() => {
      if (done) return;
      provider = new SocketIOProvider(socket, docId, collab.doc, {
        awareness: collab.awareness,
        onStatus: (s) => {
          setStatus((prev) => ({ ...prev, ...s }));
          if (!s.synced || s.pending > 0) return;
          if (s.canEdit) local.acknowledged();
          // Joined read-only (the proposal was frozen, or the rights changed) with edits made here.
          else if (local.unsent > 0) discard();
        },
        onError: (code) => {
          setError(code);
          if (FINAL_REFUSALS.includes(code) && local.unsent > 0) discard();
        },
      });
    });
    return () => {
      done = true;
      socket.off('doc:quarantined', onQuarantined);
      provider?.destroy();
      local.destroy();
    };
  }, [docId, collab, me.user.id, compoundId]);

  return { collab, status, error, quarantined };
}
