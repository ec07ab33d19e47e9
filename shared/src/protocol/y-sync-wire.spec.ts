import * as encoding from 'lib0/encoding';
import { Awareness } from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  applyAwarenessMessage,
  decodeSyncMessage,
  decodeSyncMessages,
  encodeAwarenessMessage,
  encodeSyncMessage,
  encodeSyncMessages,
  isEmptyStateVector,
  isEmptyUpdate,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from './y-sync-wire';

const written = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

describe('the y-sync wire', () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, '议事');
  const update = Y.encodeStateAsUpdate(doc);

  it('frames sync messages byte for byte as y-protocols does', () => {
    expect(encodeSyncMessage(SYNC_STEP_1, Y.encodeStateVector(doc))).toEqual(written((e) => sync.writeSyncStep1(e, doc)));
    expect(encodeSyncMessage(SYNC_STEP_2, update)).toEqual(written((e) => sync.writeSyncStep2(e, doc)));
    expect(encodeSyncMessage(SYNC_UPDATE, update)).toEqual(written((e) => sync.writeUpdate(e, update)));
  });

  it('reads back the type and the payload, and refuses what is not framed as a sync message', () => {
    expect(decodeSyncMessage(encodeSyncMessage(SYNC_UPDATE, update))).toEqual({ type: SYNC_UPDATE, payload: update });
    expect(() => decodeSyncMessage(new Uint8Array([2, 9, 1]))).toThrow();
  });

  it('carries several updates back to back in one message, each framed as y-protocols frames it', () => {
    const other = new Y.Doc();
    other.getText('t').insert(0, '拆');
    const second = Y.encodeStateAsUpdate(other);
    const both = encodeSyncMessages(SYNC_UPDATE, [update, second]);
    expect(both).toEqual(new Uint8Array([...encodeSyncMessage(SYNC_UPDATE, update), ...encodeSyncMessage(SYNC_UPDATE, second)]));
    expect(decodeSyncMessages(both)).toEqual([
      { type: SYNC_UPDATE, payload: update },
      { type: SYNC_UPDATE, payload: second },
    ]);
    expect(decodeSyncMessages(encodeSyncMessage(SYNC_STEP_1, Uint8Array.of(0)))).toEqual([
      { type: SYNC_STEP_1, payload: Uint8Array.of(0) },
    ]);
    // A message cut short in its second part is refused whole.
    expect(() => decodeSyncMessages(both.subarray(0, both.length - 1))).toThrow();
  });

  it('knows an empty state vector and an empty update', () => {
    expect(isEmptyStateVector(Y.encodeStateVector(new Y.Doc()))).toBe(true);
    expect(isEmptyStateVector(Y.encodeStateVector(doc))).toBe(false);
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))).toBe(true);
    expect(isEmptyUpdate(update)).toBe(false);
  });

  it('carries awareness as a bare y-protocols awareness update', () => {
    const from = new Awareness(new Y.Doc());
    from.setLocalState({ cursor: 1 });
    const to = new Awareness(new Y.Doc());
    applyAwarenessMessage(to, encodeAwarenessMessage(from, [from.clientID]), 'test');
    expect(to.getStates().get(from.clientID)).toEqual({ cursor: 1 });
    from.destroy();
    to.destroy();
  });
});
