// A stock Hocuspocus 3.4.4 for `yjs-bench --against hocuspocus`, as its own process (forked by
// lib/hocuspocus.mjs). No extensions: it keeps documents in memory and persists nothing, so it
// answers each update as soon as it has applied it. Over IPC the parent has it open the run's
// documents (each with one empty paragraph, held open by a direct connection: without one, a
// document nobody is connected to is unloaded, and with nothing stored it would be lost) and
// asks for their state (the convergence check), as it reads Yishi's from PostgreSQL.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The CommonJS builds, as the clients load them: one copy of Yjs in the process.
const { Server } = require('@hocuspocus/server');
const Y = require('yjs');

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
await server.listen();
// Its own stop on signals would wait for every document to unload, and ours are held open.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
process.send({ type: 'listening', port: server.address.port });

process.on('disconnect', () => process.exit(1));
const held = [];
process.on('message', async (m) => {
  if (m.type === 'open') {
    for (const name of m.names) {
      const connection = await server.hocuspocus.openDirectConnection(name);
      await connection.transact((doc) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText()]);
        doc.getXmlFragment(m.field).insert(0, [p]);
      });
      held.push(connection);
    }
    return process.send({ type: 'opened' });
  }
  if (m.type !== 'state') return;
  const states = m.names.map((name) => {
    const doc = server.hocuspocus.documents.get(name);
    return doc ? Y.encodeStateAsUpdate(doc) : null;
  });
  process.send({ type: 'state', states });
});
