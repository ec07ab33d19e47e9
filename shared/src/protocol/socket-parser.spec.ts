import { wireBytes } from './socket-parser';

import { dirname, join } from 'node:path';

// The two builds of the notepack the msgpack parser itself depends on: Node's, and the one
// bundlers pick for browsers.
const notepack = dirname(require.resolve('notepack.io/package.json', { paths: [dirname(require.resolve('socket.io-msgpack-parser'))] }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeEncode: (v: unknown) => Uint8Array = require(join(notepack, 'lib/encode'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const browserEncode: (v: unknown) => ArrayBuffer = require(join(notepack, 'browser/encode'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeDecode: (b: Buffer) => unknown = require(join(notepack, 'lib/decode'));
const decode = (b: Uint8Array | ArrayBuffer) => nodeDecode(Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b));
const bytesOf = (v: unknown) => [...new Uint8Array(v as ArrayBuffer)];

// eslint-disable-next-line @typescript-eslint/no-require-imports
const browserDecode: (b: ArrayBuffer) => unknown = require(join(notepack, 'browser/decode'));
const arrayBufferOf = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('binary from the server (Node) to a browser', () => {
  it('a Buffer arrives as binary; a plain Uint8Array would arrive as an ext pair, which is why the server sends Buffers', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const asBuffer = browserDecode(
      arrayBufferOf(nodeEncode({ message: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })),
    ) as { message: unknown };
    expect(asBuffer.message).toBeInstanceOf(ArrayBuffer);
    expect(bytesOf(asBuffer.message)).toEqual([1, 2, 3]);
    const asView = browserDecode(arrayBufferOf(nodeEncode({ message: bytes }))) as { message: unknown };
    expect(Array.isArray(asView.message)).toBe(true);
  });
});

describe('wireBytes', () => {
  const view = new Uint8Array([9, 1, 2, 3, 4, 9]).subarray(1, 5);

  it('is encoded as binary by the browser encoder, where a Uint8Array is not', () => {
    const asView = decode(browserEncode({ message: view })) as { message: unknown };
    expect(asView.message instanceof ArrayBuffer || Buffer.isBuffer(asView.message)).toBe(false);
    const asWire = decode(browserEncode({ message: wireBytes(view) })) as { message: unknown };
    expect(bytesOf(asWire.message)).toEqual([1, 2, 3, 4]);
  });

  it('carries exactly the bytes of a view, not its whole underlying buffer, in Node too', () => {
    const decoded = decode(nodeEncode({ message: wireBytes(view) })) as { message: unknown };
    expect(bytesOf(decoded.message)).toEqual([1, 2, 3, 4]);
  });

  it('passes a Uint8Array that owns its buffer without copying', () => {
    const owned = new Uint8Array([5, 6]);
    expect(wireBytes(owned)).toBe(owned.buffer);
  });
});
