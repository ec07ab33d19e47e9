// A Node editor of a proposal's body, as the browser editor is: a Socket.IO connection of its
// own, a Y.Doc and the shared SocketIOProvider. Everything Yjs comes from the CommonJS build,
// the one @yishi/shared loads, so there is exactly one copy of Yjs in the process.
import { require } from './harness.mjs';

export const Y = require('yjs');
const { io } = require('socket.io-client');
const { SocketIOProvider, DOC_BODY_FIELD, SOCKET_PARSER } = require('@yishi/shared');
const { Awareness } = require('y-protocols/awareness');
export { DOC_BODY_FIELD };

/**
 * Connects and waits for the first sync. The result's `timings` are connectMs (io() to the
 * socket being connected) and syncMs (io() to whenSynced). `beforeProvider(socket)` runs before
 * the provider subscribes to the socket (to listen first, or to intercept what it receives).
 */
export async function docClient(
  url,
  token,
  docId,
  { awareness = false, name = 'bench', onError, now = () => performance.now(), timeoutMs = 30_000, beforeProvider } = {},
) {
  const t0 = now();
  const socket = io(url, {
    parser: SOCKET_PARSER,
    transports: ['websocket'],
    auth: { token },
    forceNew: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
  });
  beforeProvider?.(socket);
  const doc = new Y.Doc();
  const aw = awareness ? new Awareness(doc) : undefined;
  if (aw) aw.setLocalState({ user: { name, color: '#2a7ae2' } });
  const errors = [];
  const provider = new SocketIOProvider(socket, docId, doc, {
    awareness: aw,
    onError: (code, message) => {
      errors.push(code);
      onError?.(code, message);
    },
  });
  let connectMs = null;
  const connected = new Promise((resolve, reject) => {
    socket.once('connect', () => {
      connectMs = now() - t0;
      resolve();
    });
    socket.once('connect_error', (e) => reject(new Error(`connect_error: ${e.message}`)));
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`client did not sync in ${timeoutMs} ms (errors: ${errors.join(',') || 'none'})`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([connected.then(() => provider.whenSynced()), timeout]);
  } catch (e) {
    provider.destroy();
    socket.close();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const syncMs = now() - t0;
  return {
    socket,
    doc,
    provider,
    awareness: aw,
    errors,
    timings: { connectMs, syncMs },
    synced: () => provider.synced,
    pending: () => provider.pending,
    whenAcknowledged: () => provider.whenAcknowledged(),
    /**
     * Calls `onSent()` for each update the provider sends, and the function it returns with
     * (ok, error code) when the server acknowledges that update (after its commit).
     */
    timeAcks(onSent) {
      const emit = socket.emit.bind(socket);
      socket.emit = (event, payload, cb) => {
        // y-protocols message type 2 (update) is the first byte: a typed edit going out.
        if (event !== 'doc:sync' || typeof cb !== 'function' || firstByte(payload?.message) !== 2) return emit(event, payload, cb);
        const done = onSent();
        return emit(event, payload, (res) => {
          done(Boolean(res?.ok), res?.error?.code ?? 'UNKNOWN');
          cb(res);
        });
      };
    },
    onDisconnect: (fn) => socket.on('disconnect', fn),
    /** The text of the body's first paragraph (the bench's shared text). */
    text() {
      const p = doc.getXmlFragment(DOC_BODY_FIELD).get(0);
      return p ? p.get(0) : undefined;
    },
    close() {
      provider.destroy();
      aw?.destroy();
      socket.close();
      doc.destroy();
    },
  };
}

/** The body text as the bench compares it. */
export function bodyText(doc) {
  const p = doc.getXmlFragment(DOC_BODY_FIELD).get(0);
  return p ? String(p.get(0)?.toString() ?? '') : '';
}

/** Gives a fresh document's body one paragraph holding one (empty) text through client `c` (of either kind), then disconnects. */
export async function addParagraph(c) {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText()]);
  c.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [p]);
  await c.whenAcknowledged();
  c.close();
}

/** The first byte of a message the provider sends (an ArrayBuffer on the wire, a Uint8Array elsewhere). */
export function firstByte(message) {
  if (message instanceof ArrayBuffer) return message.byteLength ? new Uint8Array(message, 0, 1)[0] : undefined;
  return message?.[0];
}
