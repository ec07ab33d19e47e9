import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { type Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';

/**
 * How Yjs messages travel inside the `doc:sync` and `doc:awareness` events, for both ends (the
 * server's gateway and shared's SocketIOProvider), byte for byte as y-protocols writes them:
 *
 * - a sync message is `[varUint type][varUint8Array payload]`: type 0 = sync step 1 (a state
 *   vector), 1 = sync step 2, 2 = update (both Yjs updates);
 * - an awareness message is a y-protocols awareness update, with no type in front.
 *
 * A `doc:sync` event from the server may carry several sync messages back to back, each framed
 * as above (a busy document's updates gathered for one send: concatenating them costs nothing,
 * merging them costs as much as applying them). A client's `doc:sync` carries exactly one.
 *
 * Only the framing lives here. Reading a sync message never decodes its payload: on the server
 * every Yjs operation on a client's bytes happens in the document workers, not on the main thread.
 */

export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

export function encodeSyncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** The type and payload of a sync message; throws if the bytes are not framed as one. */
export function decodeSyncMessage(message: Uint8Array): { type: number; payload: Uint8Array } {
  const d = decoding.createDecoder(message);
  const type = decoding.readVarUint(d);
  const payload = decoding.readVarUint8Array(d);
  return { type, payload };
}

/** Several sync messages back to back (see above); one payload: the same bytes as encodeSyncMessage. */
export function encodeSyncMessages(type: number, payloads: Uint8Array[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of payloads) {
    encoding.writeVarUint(e, type);
    encoding.writeVarUint8Array(e, p);
  }
  return encoding.toUint8Array(e);
}

/** Every sync message in the bytes, in order; throws if they are not framed as sync messages. */
export function decodeSyncMessages(message: Uint8Array): Array<{ type: number; payload: Uint8Array }> {
  const d = decoding.createDecoder(message);
  const out: Array<{ type: number; payload: Uint8Array }> = [];
  do {
    const type = decoding.readVarUint(d);
    out.push({ type, payload: decoding.readVarUint8Array(d) });
  } while (decoding.hasContent(d));
  return out;
}

/** An empty state vector (one zero byte): a newcomer, who has nothing yet. */
export function isEmptyStateVector(payload: Uint8Array): boolean {
  return payload.length === 1 && payload[0] === 0;
}

/** An update with no structs and no deletions (two zero bytes): nothing to apply or send. */
export function isEmptyUpdate(payload: Uint8Array): boolean {
  return payload.length <= 2 && payload.every((b) => b === 0);
}

/** The awareness message for these client ids' current states. */
export function encodeAwarenessMessage(awareness: Awareness, clientIds: number[]): Uint8Array {
  return encodeAwarenessUpdate(awareness, clientIds);
}

/** Applies an awareness message; throws if it is not a y-protocols awareness update. */
export function applyAwarenessMessage(awareness: Awareness, message: Uint8Array, origin: unknown): void {
  applyAwarenessUpdate(awareness, message, origin);
}
