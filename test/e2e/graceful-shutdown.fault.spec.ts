import { DOC_BODY_FIELD, SOCKET_PARSER } from '@yishi/shared';
import * as encoding from 'lib0/encoding';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { docClient, proposalWithParagraph, storedDoc, until } from '../support/docs';
import { seededEnv } from '../support/fault-setup';
import { freshDatabase, type FreshDatabase, type ServerProcess, signIn, startServer } from '../support/server-process';
import { castBallot, connectVoter, openRound, votingBuilding } from '../support/votes';

const BOUND_MS = 8000;
const syncMessage = (update: Uint8Array) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
};

/** What one client saw of the node going away. */
function watch(socket: Socket) {
  const seen = { draining: false, disconnect: '' };
  socket.on('server:draining', () => (seen.draining = true));
  socket.on('disconnect', (reason) => (seen.disconnect = reason));
  return seen;
}

/** SIGTERM under load: what was accepted is finished, answered and stored; clients are sent elsewhere. */
describe('a node stopped with SIGTERM during a burst of ballots and edits', () => {
  let db: FreshDatabase;
  let server: ServerProcess;
  const opened: Socket[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
    server = await startServer(
      seededEnv(db.url, 'graceful-shutdown-secret-graceful-shutdown', { SHUTDOWN_TIMEOUT_MS: String(BOUND_MS), LOG_LEVEL: 'info' }),
    );
  });
  afterAll(async () => {
    for (const s of opened) s.close();
    await server?.stop('SIGKILL');
    await db?.drop();
  });

  it('answers every command sent before it stops, stores every one it accepted, tells clients to reconnect, and exits in time', async () => {
    const setup = await votingBuilding(db.url, server.url, 200, 10);
    const chair = (await signIn(server.url, 'chair')).accessToken;
    const round = await openRound(server.url, chair, setup.compoundId, [setup.buildingId]);
    const voters = await Promise.all(setup.voters.map((v) => connectVoter(server.url, v.token, v.households)));
    const docId = await proposalWithParagraph(server.url, chair);
    const token = (await signIn(server.url, 'resident1')).accessToken;
    const writer = await docClient(server.url, token, docId);
    const text = writer.text();
    writer.provider.destroy(); // edits are sent by hand from here, so each one's answer is seen
    const editor = io(server.url, {
      parser: SOCKET_PARSER,
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((r) => editor.once('connect', () => r()));
    expect((await editor.timeout(5000).emitWithAck('doc:join', { docId })).ok).toBe(true);
    const clients = [...voters.map((v) => v.socket), editor];
    opened.push(...clients, writer.socket);
    const seen = clients.map(watch);

    // Every command: when it was sent and what came back (nothing yet: undefined).
    const commands: Array<{ kind: 'cast' | 'edit'; sentAt: number; answer?: { ok: boolean; code?: string; at: number }; ref: string }> = [];
    const answered = (c: (typeof commands)[number]) => (ack: { ok: boolean; error?: { code: string } }) =>
      (c.answer = { ok: ack.ok, code: ack.error?.code, at: Date.now() });
    const receipts = new Map<string, string>();
    const cast = async (v: (typeof voters)[number], n: number) => {
      const c: (typeof commands)[number] = { kind: 'cast', sentAt: Date.now(), ref: '' };
      commands.push(c);
      const ack = await castBallot(v.socket, round, v.households[n % v.households.length]!, ['for', 'against'][n % 2]!).catch(() => null);
      if (!ack) return;
      c.ref = ack.ballotId;
      answered(c)(ack);
      if (ack.ok) receipts.set(ack.ballotId, ack.receipt);
    };
    const casting = voters.map(async (v, i) => {
      for (let n = 0; !seen[i]!.draining && !seen[i]!.disconnect; n++) {
        await cast(v, n);
        // Ten a second per voter, under the socket's vote limit (20/s), so no refusal is a rate limit.
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    let edits = 0;
    const edit = () => {
      for (let k = 0; k < 5; k++) {
        const word = `<${edits++}>`;
        const before = Y.encodeStateVector(writer.doc);
        text.insert(text.length, word);
        const c: (typeof commands)[number] = { kind: 'edit', sentAt: Date.now(), ref: word };
        commands.push(c);
        editor.emit('doc:sync', { docId, message: syncMessage(Y.encodeStateAsUpdate(writer.doc, before)) }, answered(c));
      }
    };
    const editing = setInterval(() => {
      if (seen.at(-1)!.draining || seen.at(-1)!.disconnect) clearInterval(editing);
      else edit();
    }, 50);

    await until(
      () => receipts.size >= 100 && commands.filter((c) => c.kind === 'edit' && c.answer?.ok).length >= 50,
      30_000,
      'a burst under way',
    );
    // The signal comes while a cast from every voter and a batch of edits are on their way.
    const lastCasts = voters.map((v) => cast(v, 1));
    edit();
    const termAt = Date.now();
    const exitCode = await server.stop('SIGTERM');
    await Promise.all(lastCasts);
    const stoppedInMs = Date.now() - termAt;
    clearInterval(editing);
    await Promise.all(casting);
    await until(() => seen.every((s) => s.disconnect), 5000, 'every client disconnected');

    expect(exitCode).toBe(0);
    expect(stoppedInMs).toBeLessThan(BOUND_MS);
    // Everything sent got an answer; some were in flight when the signal came.
    expect(commands.filter((c) => !c.answer).map((c) => `${c.kind} ${c.ref}`)).toEqual([]);
    const inFlight = commands.filter((c) => c.sentAt <= termAt && c.answer!.at > termAt);
    expect(inFlight.length).toBeGreaterThan(0);
    // Each client was told, then its transport closed: Socket.IO reconnects by itself after that.
    expect(seen.map((s) => s.draining)).toEqual(clients.map(() => true));
    expect(seen.map((s) => s.disconnect)).toEqual(clients.map(() => 'transport close'));

    // A refusal is only "try again elsewhere", and only once the node drains.
    expect(new Set(commands.filter((c) => !c.answer!.ok).map((c) => c.answer!.code))).toEqual(
      new Set(commands.some((c) => !c.answer!.ok) ? ['UNAVAILABLE'] : []),
    );

    expect(server.output()).toMatch(/"outcome":"drained"/);

    // What was accepted is stored.
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const stored = new Map(
        (await pg.query(`SELECT ballot_id, receipt FROM ballot_cast WHERE round_id = $1`, [round.id])).rows.map((r) => [
          r.ballot_id,
          r.receipt,
        ]),
      );
      for (const [ballotId, receipt] of receipts) expect(stored.get(ballotId)).toBe(receipt);
    } finally {
      await pg.end();
    }
    const body = (await storedDoc(db.url, docId)).getXmlFragment(DOC_BODY_FIELD).toString();
    const acceptedEdits = commands.filter((c) => c.kind === 'edit' && c.answer!.ok).map((c) => c.ref);
    expect(acceptedEdits.filter((w) => !body.includes(w.replace('<', '&lt;').replace('>', '&gt;')) && !body.includes(w))).toEqual([]);
  });
});
