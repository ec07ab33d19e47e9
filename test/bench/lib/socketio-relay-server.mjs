// The Socket.IO floor for `yjs-bench --against hocuspocus,socketio-relay`: the least a server
// speaking Yishi's document protocol over Socket.IO can do, as its own process (forked by
// lib/socketio-relay.mjs). Like a stock Hocuspocus it keeps each document in memory on its main
// thread, applies an update there, sends it on to the document's other sockets at once and
// answers at once: no sign-in, no rights, no limits, no worker, no database, no pacing. Same
// Socket.IO, engine.io and msgpack parser as the built server, and the clients are Yishi's own
// (the shared SocketIOProvider), so what it measures is what the transport costs, not our server.
// Not a server to deploy: it trusts every byte.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Socket.IO as the built server loads it (a dependency of the server's workspace only); Yjs as
// the clients and @yishi/shared load it (the CommonJS build: one copy in the process).
const { Server } = createRequire(new URL('../../../server/package.json', import.meta.url))('socket.io');
const Y = require('yjs');
const { SOCKET_PARSER, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE, decodeSyncMessages, encodeSyncMessage } = require('@yishi/shared');

const docs = new Map();
const room = (docId) => `doc:${docId}`;
const wire = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function docOf(docId) {
  let doc = docs.get(docId);
  if (!doc) {
    doc = new Y.Doc();
    // Each change goes to every other socket of the document as Yjs encodes it, as Hocuspocus does.
    doc.on('update', (update, origin) => {
      const to = origin?.id ? origin.to(room(docId)) : io.to(room(docId));
      to.emit('doc:sync', { docId, message: wire(encodeSyncMessage(SYNC_UPDATE, update)) });
    });
    docs.set(docId, doc);
  }
  return doc;
}

const http = createServer();
const io = new Server(http, { serveClient: false, parser: SOCKET_PARSER, transports: ['websocket'], pingInterval: 20_000 });
io.on('connection', (socket) => {
  const answer = (ack, result = {}) => typeof ack === 'function' && ack({ ok: true, ...result });
  socket.on('doc:join', ({ docId }, ack) => {
    const doc = docOf(docId);
    void socket.join(room(docId));
    socket.emit('doc:sync', { docId, message: wire(encodeSyncMessage(SYNC_STEP_1, Y.encodeStateVector(doc))) });
    answer(ack, { canEdit: true });
  });
  socket.on('doc:leave', ({ docId }, ack) => {
    void socket.leave(room(docId));
    answer(ack);
  });
  socket.on('doc:sync', ({ docId, message }, ack) => {
    const doc = docOf(docId);
    let reply;
    for (const m of decodeSyncMessages(new Uint8Array(message))) {
      if (m.type === SYNC_STEP_1) reply = wire(encodeSyncMessage(SYNC_STEP_2, Y.encodeStateAsUpdate(doc, m.payload)));
      else if (m.type === SYNC_STEP_2 || m.type === SYNC_UPDATE) Y.applyUpdate(doc, m.payload, socket);
    }
    answer(ack, reply ? { reply } : {});
  });
  socket.on('doc:awareness', ({ docId, message }, ack) => {
    socket.to(room(docId)).emit('doc:awareness', { docId, message });
    answer(ack);
  });
});

http.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: http.address().port }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
process.on('disconnect', () => process.exit(1));
process.on('message', (m) => {
  if (m.type === 'open') {
    for (const name of m.names) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText()]);
      docOf(name).getXmlFragment(m.field).insert(0, [p]);
    }
    return process.send({ type: 'opened' });
  }
  if (m.type === 'state')
    process.send({ type: 'state', states: m.names.map((n) => (docs.has(n) ? Y.encodeStateAsUpdate(docs.get(n)) : null)) });
});
