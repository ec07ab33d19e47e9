// @ts-nocheck
import * as msgpackParser from 'socket.io-msgpack-parser';

/**
 * The Socket.IO parser both ends must use: msgpack keeps a message with binary data (every Yjs
 * update) in one WebSocket frame, where the default parser sends two, and socket writes are
 * most of the server's time (docs/benchmarks.md). Pass it as `parser` to `io()` and `Server`.
 * Binary data must be sent as a Uint8Array that owns its buffer (or a Node Buffer): notepack
 * encodes a view as its whole underlying ArrayBuffer.
 */
export const SOCKET_PARSER = msgpackParser;

/**
 * Binary data as the browser's msgpack encoder needs it. notepack's browser build encodes only
 * an ArrayBuffer as binary: a Uint8Array there becomes a map of its bytes, which the server
 * refuses. An ArrayBuffer is encoded as binary by both builds, so the provider sends this.
 */
export function wireBytes(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}
