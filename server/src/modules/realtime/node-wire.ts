import { encodeSyncMessage } from '@yishi/shared';

/**
 * Binary for a client, as a Buffer: the msgpack parser's notepack encodes a Buffer as msgpack
 * bin, which browsers decode as an ArrayBuffer, but a plain Uint8Array as an ext type, which the
 * browser decoder hands over as a [type, bytes] pair (see shared/src/protocol/socket-parser.spec.ts).
 */
export function wire(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A y-protocols sync message (shared's y-sync-wire framing), ready to emit. */
export function syncFrame(type: number, payload: Uint8Array): Buffer {
  return wire(encodeSyncMessage(type, payload));
}
