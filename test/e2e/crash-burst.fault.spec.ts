import { DOC_BODY_FIELD, SOCKET_PARSER } from '@yishi/shared';
import * as encoding from 'lib0/encoding';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { BUSY_MACHINE_WORK_MS, docClient, proposalWithParagraph, until } from '../support/docs';
import { crashableServer, EDITORS, editorTokens } from '../support/fault-setup';
import { signIn } from '../support/server-process';
import { castBallot, connectVoter, expectAckedCastsStored, openRound, type Voter, votingBuilding } from '../support/votes';

const VOTERS = 180;
const EDITOR_SOCKETS = 20;

const syncMessage = (update: Uint8Array) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
};

/** An editor sending its words by hand, one message each, so the answer to each one is seen. */
async function handEditor(url: string, token: string, docId: string, name: string) {
  const synced = await docClient(url, token, docId);
  synced.provider.destroy();
  const socket: Socket = io(url, {
    parser: SOCKET_PARSER,
    transports: ['websocket'],
    auth: { token },
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  expect((await socket.timeout(10_000).emitWithAck('doc:join', { docId })).ok).toBe(true);
  const acked: string[] = [];
  const refused: string[] = [];
  let sent = 0;
  return {
    acked,
    refused,
    type() {
      const word = `[${name}:${sent++}]`;
      const text = synced.text();
      const before = Y.encodeStateVector(synced.doc);
      text.insert(text.length, word);
      socket.emit(
        'doc:sync',
        { docId, message: syncMessage(Y.encodeStateAsUpdate(synced.doc, before)) },
        (ack: { ok: boolean; error?: { code: string } }) => (ack.ok ? acked.push(word) : refused.push(`${word} ${ack.error!.code}`)),
      );
    },
    close() {
      socket.close();
      synced.socket.close();
    },
  };
}

/**
 * kill -9 of the node while 200 clients at once cast ballots (180 voters) and type (20 editors):
 * after the restart every acknowledged ballot and edit is stored, and none is stored twice.
 */
describe('a crash during a burst of ballots and edits from 200 clients', () => {
  const node = crashableServer('crash-burst-secret-crash-burst-secret-crash', { DOC_WORK_TIMEOUT_MS: BUSY_MACHINE_WORK_MS });

  it('keeps every acknowledged ballot and edit, once, after kill -9 and restart', async () => {
    const { db } = node;
    let server = node.server;
    const setup = await votingBuilding(db.url, server.url, VOTERS * 2, VOTERS);
    const tokens = await editorTokens(server.url);
    const chair = tokens.get('chair')!;
    const round = await openRound(server.url, chair, setup.compoundId, [setup.buildingId]);
    const docId = await proposalWithParagraph(server.url, chair);
    const voters: Voter[] = await Promise.all(setup.voters.map((v) => connectVoter(server.url, v.token, v.households)));
    const editors = await Promise.all(
      Array.from({ length: EDITOR_SOCKETS }, (_, i) =>
        handEditor(server.url, tokens.get(EDITORS[i % EDITORS.length]!)!, docId, String(i).padStart(2, '0')),
      ),
    );

    // Every voter changes its households' ballots over and over, every editor types ten words a
    // second, until the node dies under them.
    const acked: Array<{ ballotId: string; householdId: string; receipt: string }> = [];
    let killed = false;
    const casting = voters.map(async (v) => {
      for (let n = 0; !killed; n++) {
        const ack = await castBallot(v.socket, round, v.households[n % 2]!, ['for', 'against', 'abstain'][n % 3]!).catch(() => null);
        if (!ack?.ok) return;
        acked.push(ack);
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const typing = setInterval(() => {
      for (const e of editors) e.type();
    }, 100);
    const editsAcked = () => editors.reduce((n, e) => n + e.acked.length, 0);
    await until(() => acked.length >= 600 && editsAcked() >= 600, 60_000, 'a burst under way');
    void server.stop('SIGKILL'); // at once (the kill is sent before stop() first waits)
    killed = true;
    clearInterval(typing);
    await server.stop('SIGKILL');
    await Promise.all(casting);
    const words = editors.flatMap((e) => e.acked);
    for (const e of editors) e.close();
    for (const v of voters) v.close();
    // Before the crash nothing was refused: every word sent after an acknowledged one builds on it.
    expect(editors.flatMap((e) => e.refused)).toEqual([]);
    console.log(`crash under 200 clients: ${acked.length} ballots and ${words.length} edits acknowledged before kill -9`);

    server = await node.restart();
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await expectAckedCastsStored(pg, round.id, acked);
    } finally {
      await pg.end();
    }

    // Edits: what a reader of the restarted node sees holds every acknowledged word exactly once.
    const reader = await docClient(server.url, (await signIn(server.url, 'resident2')).accessToken, docId);
    const body = reader.doc.getXmlFragment(DOC_BODY_FIELD).toString();
    reader.close();
    const times = (w: string) => body.split(w).length - 1;
    expect(words.filter((w) => times(w) !== 1)).toEqual([]);
  });
});
