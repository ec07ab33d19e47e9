// A Node editor on a stock Hocuspocus (`yjs-bench --against hocuspocus`): its own WebSocket, a
// Y.Doc and the stock HocuspocusProvider, with the same shape as lib/doc-client.mjs's docClient
// so that the client worker drives both alike.
import { DOC_BODY_FIELD, Y } from './doc-client.mjs';
import { require } from './harness.mjs';

const WebSocket = require('ws');
const { HocuspocusProvider } = require('@hocuspocus/provider');
const { Awareness } = require('y-protocols/awareness');

const SYNC = 0; // Hocuspocus message types: Sync (a y-protocols sync message follows), …
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Connects to document `docName` and waits for the first sync. `onDocMessage` is called for each
 * sync message received (the document's updates, as the Yishi client counts its doc:sync events).
 */
export async function hocuspocusClient(
  url,
  docName,
  { awareness = false, name = 'bench', now = () => performance.now(), timeoutMs = 30_000, onDocMessage } = {},
) {
  const t0 = now();
  const doc = new Y.Doc();
  const aw = awareness ? new Awareness(doc) : null;
  if (aw) aw.setLocalState({ user: { name, color: '#2a7ae2' } });
  let connectMs = null;
  const provider = new HocuspocusProvider({
    url,
    name: docName,
    document: doc,
    awareness: aw,
    WebSocketPolyfill: WebSocket,
    onConnect: () => (connectMs ??= now() - t0),
  });
  // Each message: the document's name, then its type. (Not the onMessage option: the socket
  // the provider makes is given the same options, and calls it with the raw event.)
  provider.on('message', ({ message }) => {
    message.readVarString();
    if (message.readVarUint() === SYNC) onDocMessage?.();
  });
  let timer;
  try {
    await Promise.race([
      new Promise((resolve) => provider.on('synced', resolve)),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`client did not sync in ${timeoutMs} ms`)), timeoutMs))),
    ]);
  } catch (e) {
    provider.destroy();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return {
    doc,
    provider,
    awareness: aw,
    timings: { connectMs, syncMs: now() - t0 },
    synced: () => provider.synced,
    pending: () => provider.unsyncedChanges,
    /** Every update sent so far applied by the server (its SyncStatus answers). */
    async whenAcknowledged() {
      while (provider.unsyncedChanges > 0) await sleep(20);
    },
    /**
     * Calls `onSent()` for each update the provider sends, and the function it returns when the
     * server has applied that update. The server answers a socket's messages in order, one
     * SyncStatus each, and the one to the sync step 1 of a (re)connect comes first.
     */
    timeAcks(onSent) {
      const waiting = [];
      const increment = provider.incrementUnsyncedChanges.bind(provider);
      const decrement = provider.decrementUnsyncedChanges.bind(provider);
      provider.incrementUnsyncedChanges = () => (waiting.push(onSent()), increment());
      provider.decrementUnsyncedChanges = () => {
        if (waiting.length && provider.unsyncedChanges <= waiting.length) waiting.shift()(true);
        decrement();
      };
    },
    onDisconnect: (fn) => provider.on('disconnect', fn),
    text() {
      const p = doc.getXmlFragment(DOC_BODY_FIELD).get(0);
      return p ? p.get(0) : undefined;
    },
    close() {
      provider.destroy();
      doc.destroy();
    },
  };
}
