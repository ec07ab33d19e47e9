import { DOC_BODY_FIELD, type ProviderOptions, SOCKET_PARSER, SocketIOProvider } from '@yishi/shared';
import { Client } from 'pg';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import * as Y from 'yjs';

export interface DocClient {
  socket: Socket;
  doc: Y.Doc;
  provider: SocketIOProvider;
  /** Codes of what the server refused, as the provider reports them (passing refusals it retries are not reported). */
  errors: string[];
  /** Every refusal the server sent this client, in order: what it was told, whether or not the provider retries. */
  refusals: Array<{ event: string; code: string; message: string; at: number }>;
  /** The text of the first paragraph of the body. */
  text(): Y.XmlText;
  close(): void;
}

/** A Node client editing a proposal's body, as the browser editor does (one paragraph is enough). */
export async function docClient(
  url: string,
  token: string,
  docId: string,
  options: Pick<ProviderOptions, 'onStatus'> & { socket?: Partial<ManagerOptions & SocketOptions> } = {},
): Promise<DocClient> {
  const socket = io(url, {
    parser: SOCKET_PARSER,
    transports: ['websocket'],
    auth: { token },
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    ...options.socket,
  });
  const doc = new Y.Doc();
  const errors: string[] = [];
  const refusals = recordRefusals(socket);
  const provider = new SocketIOProvider(socket, docId, doc, { onError: (code) => errors.push(code), onStatus: options.onStatus });
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
    refusals,
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
  const me = (await (await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${chairToken}` } })).json()) as {
    memberships: Array<{ compoundId: string }>;
  };
  const compoundId = me.memberships[0]?.compoundId;
  if (!compoundId) throw new Error('the chair is a member of no compound');
  const res = await fetch(`${url}/api/compounds/${compoundId}/proposals`, {
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

/**
 * The bound on one document operation (DOC_WORK_TIMEOUT_MS) for fault tests about the database
 * and Redis. The default 250 ms is exceeded by innocent edits when the machine's cores are
 * shared by many busy processes (as on a test machine), and each overrun replaces a worker and
 * reloads its documents; those specs are about the outage, not about the CPU bound.
 */
export const BUSY_MACHINE_WORK_MS = '3000';

/** Writes one paragraph into a proposal's body as an editor would (an empty body cannot be frozen). */
export async function writeParagraph(url: string, token: string, docId: string, words: string): Promise<void> {
  const writer = await docClient(url, token, docId);
  const para = new Y.XmlElement('paragraph');
  para.insert(0, [new Y.XmlText(words)]);
  writer.doc.getXmlFragment(DOC_BODY_FIELD).insert(writer.doc.getXmlFragment(DOC_BODY_FIELD).length, [para]);
  await writer.provider.whenAcknowledged();
  writer.close();
}

/** Waits (polling the given check) until it holds. */
export async function until(check: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Notes every refusal (`{ ok: false }` ack) the server sends this socket, before its sender sees it. */
function recordRefusals(socket: Socket): DocClient['refusals'] {
  const refusals: DocClient['refusals'] = [];
  const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => Socket;
  (socket as unknown as { emit: typeof emit }).emit = (event, ...args) => {
    const ack = args[args.length - 1];
    if (typeof ack === 'function') {
      args[args.length - 1] = (reply: { ok?: boolean; error?: { code: string; message: string; fields?: Array<{ message: string }> } }) => {
        const e = reply?.ok === false ? reply.error! : undefined;
        if (e)
          refusals.push({
            event,
            code: e.code,
            message: [e.message, ...(e.fields ?? []).map((f) => f.message)].join('; '),
            at: Date.now(),
          });
        return ack(reply);
      };
    }
    return emit(event, ...args);
  };
  return refusals;
}

/** A proposal's document exactly as stored (snapshot plus update log), read with Yjs: what a restart loads. */
export async function storedDoc(databaseUrl: string, docId: string): Promise<Y.Doc> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const snap = (await pg.query('SELECT state FROM doc_snapshot WHERE doc_id = $1', [docId])).rows[0] as { state: Buffer } | undefined;
    const rows = (await pg.query('SELECT update FROM doc_update WHERE doc_id = $1 ORDER BY id', [docId])).rows as Array<{ update: Buffer }>;
    const doc = new Y.Doc();
    doc.transact(() => {
      if (snap) Y.applyUpdate(doc, snap.state);
      for (const r of rows) Y.applyUpdate(doc, r.update);
    });
    return doc;
  } finally {
    await pg.end();
  }
}

/**
 * What a user sees of a document (its body as XML), and its state vector sorted: two documents
 * with equal views hold exactly the same edits. Edits waiting for a missing one do not count.
 */
export function view(doc: Y.Doc): { body: string; vector: Array<[number, number]> } {
  return {
    body: doc.getXmlFragment(DOC_BODY_FIELD).toString(),
    vector: [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]),
  };
}

export function sameView(a: ReturnType<typeof view>, b: ReturnType<typeof view>): boolean {
  return a.body === b.body && JSON.stringify(a.vector) === JSON.stringify(b.vector);
}

/** Someone typing words into a document, each word unique, and what the provider told them was saved. */
export interface Typist {
  name: string;
  client: DocClient;
  /** The words typed, in order. */
  typed: string[];
  /** How many of the first `typed` were acknowledged: the provider's pending count reached 0 after them. */
  readonly saved: number;
  /** Types a word about every `everyMs` (jittered) until stop(). */
  start(everyMs: number): void;
  stop(): void;
}

/**
 * A document client that types words like `[07:12]` into the first paragraph, each between two
 * existing words (so no word is ever split, whoever types concurrently), as an IME commits a
 * word at a time. `saved` follows the provider's status: the "all saved" the user is shown.
 */
export async function typist(url: string, token: string, docId: string, name: string): Promise<Typist> {
  const typed: string[] = [];
  let saved = 0;
  const client = await docClient(url, token, docId, {
    onStatus: ({ pending }) => {
      if (pending === 0) saved = typed.length;
    },
  });
  let timer: NodeJS.Timeout | undefined;
  // Closing the client stops the typing too: a test that fails half-way leaves no timer that
  // keeps Jest (run in band) from exiting.
  const close = client.close;
  client.close = () => {
    clearTimeout(timer);
    close();
  };
  return {
    name,
    client,
    typed,
    get saved() {
      return saved;
    },
    start(everyMs) {
      const next = () => {
        timer = setTimeout(
          () => {
            const text = client.text();
            const s = text.toString();
            const gaps = [0];
            for (let i = s.indexOf(']'); i >= 0; i = s.indexOf(']', i + 1)) gaps.push(i + 1);
            const word = `[${name}:${typed.length}]`;
            typed.push(word);
            text.insert(gaps[Math.floor(Math.random() * gaps.length)]!, word);
            next();
          },
          everyMs * (0.5 + Math.random()),
        );
      };
      next();
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
