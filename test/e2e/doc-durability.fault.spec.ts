import { DOC_BODY_FIELD, SOCKET_PARSER } from '@yishi/shared';
import * as encoding from 'lib0/encoding';
import { io } from 'socket.io-client';
import * as Y from 'yjs';
import { docClient, proposalWithParagraph } from '../support/docs';
import { crashableServer } from '../support/fault-setup';
import { signIn } from '../support/server-process';

const message = (update: Uint8Array) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
};

/** kill -9 of the server in the middle of a burst of edits: every acknowledged edit survives. */
describe('a crash during a burst of edits', () => {
  const node = crashableServer('durability-secret-durability-secret-1');

  it('keeps every acknowledged update after kill -9 and restart', async () => {
    let server = node.server;
    const token = (await signIn(server.url, 'resident1')).accessToken;
    const docId = await proposalWithParagraph(server.url, (await signIn(server.url, 'chair')).accessToken);
    const writer = await docClient(server.url, token, docId);
    const text = writer.text();
    writer.provider.destroy(); // from here on, edits are sent by hand so each one's ack is seen
    const socket = io(server.url, {
      parser: SOCKET_PARSER,
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    await socket.timeout(5000).emitWithAck('doc:join', { docId });

    const acked = new Set<string>();
    const refused: string[] = [];
    let sent = 0;
    let killed = false;
    const burst = new Promise<void>((resolve) => {
      const tick = () => {
        if (killed) return resolve();
        for (let k = 0; k < 5; k++) {
          const token = `<${sent++}>`;
          const before = Y.encodeStateVector(writer.doc);
          text.insert(text.length, token);
          const update = Y.encodeStateAsUpdate(writer.doc, before);
          socket.emit('doc:sync', { docId, message: message(update) }, (ack: { ok: boolean }) => {
            if (ack.ok) acked.add(token);
            else refused.push(`${token} ${(ack as unknown as { error: { code: string } }).error.code}`);
          });
        }
        // 100 edits a second: the socket's limit. Each edit builds on the one before, so one
        // refused edit would leave every later (acknowledged, stored) edit waiting for it.
        setTimeout(tick, 50);
      };
      tick();
    });
    while (acked.size < 150) await new Promise((r) => setTimeout(r, 5));
    void server.stop('SIGKILL'); // at once (the kill is sent before stop() first waits)
    killed = true;
    await burst;
    await server.stop('SIGKILL');
    socket.close();
    expect(acked.size).toBeGreaterThanOrEqual(150);
    expect(refused).toEqual([]);

    server = await node.restart();
    const reader = await docClient(server.url, (await signIn(server.url, 'resident2')).accessToken, docId);
    const stored = reader.doc.getXmlFragment(DOC_BODY_FIELD).toString();
    const missing = [...acked].filter((t) => !stored.includes(t.replace('<', '&lt;').replace('>', '&gt;')) && !stored.includes(t));
    expect(missing).toEqual([]);
    reader.close();
    writer.socket.close();
  });
});
