// What yjs-bench checks and measures besides the typing: the documents as stored, and a late
// join of a document of 10,000 edits.
import { createHash } from 'node:crypto';
import { bodyText, docClient, DOC_BODY_FIELD, firstByte, Y } from './doc-client.mjs';
import { median, require, round } from './harness.mjs';

const { Client } = require('pg');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The documents as committed: the snapshot plus the update log, read straight from PostgreSQL. */
export async function readStored(databaseUrl, ids) {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const out = [];
    for (const id of ids) {
      const { rows: snap } = await c.query('SELECT state FROM doc_snapshot WHERE doc_id = $1', [id]);
      const { rows } = await c.query('SELECT update FROM doc_update WHERE doc_id = $1 ORDER BY id', [id]);
      out.push(storedText([...snap.map((s) => s.state), ...rows.map((r) => r.update)]));
    }
    return out;
  } finally {
    await c.end();
  }
}

/** A document's text, length, SHA-1 and stored bytes, from its `updates` (as stored, in order). */
export function storedText(updates) {
  const doc = new Y.Doc();
  let bytes = 0;
  doc.transact(() => {
    for (const u of updates) {
      Y.applyUpdate(doc, u);
      bytes += u.byteLength;
    }
  });
  const text = bodyText(doc);
  const length = doc.getXmlFragment(DOC_BODY_FIELD).get(0).get(0).length;
  doc.destroy();
  return { text, length, hash: createHash('sha1').update(text).digest('hex'), bytes };
}

/**
 * One client types `edits` short edits, `batch` to a message, at random places (`at`: random,
 * cursor or end), as fast as the rate limit allows; then a new client joins, `repeats` times.
 */
export async function lateJoin10k(url, token, docId, { edits: JOIN_EDITS, batch: JOIN_BATCH, at, repeats: JOIN_REPEATS, now, log }) {
  const writer = await docClient(url, token, docId, { now });
  const text = writer.text();
  let messages = 0;
  const emit = writer.socket.emit.bind(writer.socket);
  writer.socket.emit = (ev, p, cb) => {
    if (ev === 'doc:sync' && firstByte(p?.message) === 2) messages++;
    return emit(ev, p, cb);
  };
  // The server allows ~100 doc messages/s per socket (burst 200): one merged message per 10.5 ms.
  let typed = 0;
  let cursor;
  while (typed < JOIN_EDITS) {
    for (let k = 0; k < JOIN_BATCH && typed < JOIN_EDITS; k++, typed++) {
      const len = text.length;
      if (at === 'random' || cursor === undefined || Math.random() < 0.02) cursor = Math.floor(Math.random() * (len + 1));
      const pos = at === 'end' ? len : Math.min(cursor, len);
      const token = `w${typed};`;
      text.insert(pos, token);
      cursor = pos + token.length;
    }
    await sleep(10.5);
  }
  await writer.provider.whenAcknowledged();
  const want = bodyText(writer.doc);
  const state = Y.encodeStateAsUpdate(writer.doc);
  // What the joining client alone spends integrating the document (no network, no server).
  const applyRuns = [];
  for (let k = 0; k < 3; k++) {
    const t0 = now();
    const d = new Y.Doc();
    Y.applyUpdate(d, state);
    applyRuns.push(now() - t0);
    d.destroy();
  }
  await sleep(300);
  const runs = [];
  const connects = [];
  let ok = true;
  for (let k = 0; k < JOIN_REPEATS; k++) {
    const c = await docClient(url, token, docId, { now });
    runs.push(c.timings.syncMs);
    connects.push(c.timings.connectMs);
    ok &&= bodyText(c.doc) === want;
    c.close();
    await sleep(100);
  }
  writer.close();
  if (!ok) log("WARNING: a client joining the 10k document did not get the writer's text");
  return {
    lateJoin10kMs: round(median(runs)),
    lateJoin10kRunsMs: runs.map((x) => round(x)),
    lateJoin10kOk: ok,
    joinDocEdits: typed,
    joinDocMessages: messages,
    joinDocBytes: state.byteLength,
    // Of the join: the socket's connection (handshake, token check), and the client's own apply.
    lateJoin10kConnectMs: round(median(connects)),
    lateJoin10kClientApplyMs: round(median(applyRuns)),
    joinDocChars: want.length,
  };
}
