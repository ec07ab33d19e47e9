// The server a yjs-bench run measures, set up with the run's documents: Yishi (the built
// server on a fresh database, one proposal per document, residents to sign in) or, with
// --against, a stock Hocuspocus or the Socket.IO relay (lib/in-memory-servers.mjs). All give the
// run the same handle: where to connect, the documents, how to read them back, and a client to
// join with.
import { startBenchServer } from './bench-server.mjs';
import { addParagraph, DOC_BODY_FIELD, docClient } from './doc-client.mjs';
import { api, createResidents, freshDatabase, pool, signIn } from './harness.mjs';
import { hocuspocusClient } from './hocuspocus-client.mjs';
import { startHocuspocus, startSocketIORelay } from './in-memory-servers.mjs';
import { readStored, storedText } from './yjs-checks.mjs';

/**
 * Yishi with `docs` + 1 documents (the last for the 10,000-edit join) and `users` residents
 * (0: the demo accounts). `hold({ db, server })` is told of each as soon as it exists, so that
 * the run can undo it whatever happens next.
 */
export async function yishiTarget({ opt, docs: D, users, nodeArgs, onLine, hold, log }) {
  const db = await freshDatabase();
  hold({ db });
  const server = await startBenchServer(db, opt, { nodeArgs, onLine });
  hold({ db, server });
  log(`server pid ${server.pid} (${opt['server-main'] ?? 'server/dist/main.js'}) on ${server.url}, database ${db.name}`);

  // Documents: D for the run and one for the 10,000-edit join, each with one empty paragraph.
  const chair = await signIn(server.url, 'chair');
  const me = await api(server.url, 'GET', '/api/me', { token: chair });
  const compoundId = me.memberships[0].compoundId;
  const docIds = [];
  for (let d = 0; d <= D; d++) {
    const p = await api(server.url, 'POST', `/api/compounds/${compoundId}/proposals`, {
      token: chair,
      body: { title: `压测文档 ${d + 1}`, kind: 'renovation' },
    });
    await addParagraph(await docClient(server.url, chair, p.id));
    docIds.push(p.id);
  }
  const joinDocId = docIds.pop();

  // Accounts: one resident per client unless told otherwise.
  let tokens;
  if (users > 0) {
    const logins = await createResidents(db.url, compoundId, users);
    tokens = await pool(logins, 4, (login) => signIn(server.url, login));
  } else {
    tokens = await pool(['chair', 'resident1', 'resident2', 'resident3', 'gate1', 'rights', 'street1', 'street2'], 4, (l) =>
      signIn(server.url, l),
    );
  }
  return {
    kind: 'yishi',
    db,
    server,
    docIds,
    joinDocId,
    tokens,
    stored: (ids) => readStored(db.url, ids),
    join: (docId, options) => docClient(server.url, tokens[0], docId, options),
  };
}

/** A stock Hocuspocus with `docs` documents, each given one empty paragraph as Yishi's are. */
export const hocuspocusTarget = (run) =>
  inMemoryTarget(run, {
    kind: 'hocuspocus',
    start: startHocuspocus,
    what: 'hocuspocus (stock, no extensions, persists nothing)',
    tokens: [],
    join: (url, docId, options) => hocuspocusClient(url, docId, options),
  });

/**
 * The Socket.IO relay (lib/socketio-relay-server.mjs): Yishi's protocol and clients over the same
 * Socket.IO, with nothing but Yjs in memory behind it, as a floor for what the transport costs.
 */
export const socketIORelayTarget = (run) =>
  inMemoryTarget(run, {
    kind: 'socketio-relay',
    start: startSocketIORelay,
    what: 'Socket.IO relay (in memory, no checks, persists nothing)',
    tokens: ['none'],
    join: (url, docId, options) => docClient(url, 'none', docId, options),
  });

/** A server of lib/in-memory-servers.mjs with `docs` documents, each given one empty paragraph. */
async function inMemoryTarget({ docs: D, hold, log }, { kind, start, what, tokens, join }) {
  const server = await start();
  hold({ server });
  log(`${what}: pid ${server.pid} on ${server.url}`);
  const docIds = Array.from({ length: D }, (_, d) => `bench-doc-${d + 1}`);
  await server.open(docIds, DOC_BODY_FIELD);
  return {
    kind,
    server,
    docIds,
    tokens,
    // What it holds in memory is all there is of a document.
    stored: async (ids) => (await server.states(ids)).map((s) => storedText(s ? [s] : [])),
    join: (docId, options) => join(server.url, docId, options),
  };
}
