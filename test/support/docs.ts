import { DOC_BODY_FIELD, SOCKET_PARSER, SocketIOProvider } from '@yishi/shared';
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';

export interface DocClient {
  socket: Socket;
  doc: Y.Doc;
  provider: SocketIOProvider;
  /** Codes of what the server refused. */
  errors: string[];
  /** The text of the first paragraph of the body. */
  text(): Y.XmlText;
  close(): void;
}

/** A Node client editing a proposal's body, as the browser editor does (one paragraph is enough). */
export async function docClient(url: string, token: string, docId: string): Promise<DocClient> {
  const socket = io(url, { parser: SOCKET_PARSER, transports: ['websocket'], auth: { token }, forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 });
  const doc = new Y.Doc();
  const errors: string[] = [];
  const provider = new SocketIOProvider(socket, docId, doc, { onError: (code) => errors.push(code) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await provider.whenSynced();
  return {
    socket,
    doc,
    provider,
    errors,
    text() {
      const body = doc.getXmlFragment(DOC_BODY_FIELD);
      return (body.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    },
    close() {
      provider.destroy();
      socket.close();
    },
  };
}

/** Creates a proposal (as the chair) whose body holds one empty paragraph; returns its id. */
export async function proposalWithParagraph(url: string, chairToken: string): Promise<string> {
  const me = (await (await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${chairToken}` } })).json()) as { memberships: Array<{ compoundId: string }> };
  const res = await fetch(`${url}/api/compounds/${me.memberships[0].compoundId}/proposals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${chairToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: '平房改造方案', kind: 'renovation' }),
  });
  const { id } = (await res.json()) as { id: string };
  const c = await docClient(url, chairToken, id);
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText()]);
  c.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [p]);
  await c.provider.whenAcknowledged();
  c.close();
  return id;
}

/** Waits (polling the given check) until it holds. */
export async function until(check: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
