import { SocketIOProvider } from '@yishi/shared';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { type ClientSocket, connect } from './sockets';
import { startTestApp, type TestApp } from './test-app';

/** Waits until `check` holds (polled every 10 ms), failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The socket without the contract's typing, for hand-made document messages. */
export const raw = (s: ClientSocket) => s.timeout(5000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };

/** A y-protocols sync message of `type` (0 step 1, 1 step 2, 2 update) around `payload`. */
export function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export interface DocClient {
  socket: ClientSocket;
  doc: Y.Doc;
  provider: SocketIOProvider;
  /** Refusals the provider reported (passing ones, which it retries, are not). */
  errors: string[];
}

/**
 * Signed-in users following documents through the real provider, as a browser does; `closeAll`
 * (in afterEach) ends them all.
 */
export function docClients(app: () => TestApp) {
  const open: DocClient[] = [];
  return {
    async client(login: string, docId: string, errors: string[] = []): Promise<DocClient> {
      const t = app();
      const socket = await connect(t.baseUrl, (await t.signIn(login)).accessToken);
      const doc = new Y.Doc();
      const provider = new SocketIOProvider(socket, docId, doc, { onError: (code) => errors.push(code) });
      const c = { socket, doc, provider, errors };
      open.push(c);
      await provider.whenSynced();
      return c;
    },
    closeAll(): void {
      for (const c of open.splice(0)) {
        c.provider.destroy();
        c.socket.close();
      }
    },
  };
}

/** What a spec of co-edited documents runs against; read it in its tests, once started. */
export interface DocSpec {
  readonly app: TestApp;
  /** The chair's access token. */
  readonly chair: string;
  /** A signed-in user following a document (closed after each test). */
  client(login: string, docId: string, errors?: string[]): Promise<DocClient>;
  /** A new proposal, the chair's unless `token` says whose; its id. */
  newProposal(token?: string): Promise<string>;
}

/**
 * For a spec of co-edited documents: the test app (with these settings) with the chair signed in,
 * started before the spec's tests (so before any beforeAll declared after this call) and closed
 * after them.
 */
export function docSpec(env: Record<string, string> = {}): DocSpec {
  let app: TestApp | undefined;
  let chair = '';
  const clients = docClients(() => app!);
  beforeAll(async () => {
    app = await startTestApp(env);
    chair = (await app.signIn('chair')).accessToken;
  });
  afterEach(() => clients.closeAll());
  afterAll(() => app?.close());
  return {
    get app() {
      return app!;
    },
    get chair() {
      return chair;
    },
    client: clients.client,
    async newProposal(token = chair) {
      const res = await app!.api('POST', `/api/compounds/${app!.compoundId}/proposals`, {
        token,
        body: { title: '平房改造方案', kind: 'renovation' },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    },
  };
}
