import { createServer } from 'node:net';
import { BUSY_MACHINE_WORK_MS, type DocClient, docClient, proposalWithParagraph, storedDoc, until } from '../support/docs';
import { editorTokens, EDITORS, seededEnv } from '../support/fault-setup';
import { composeProxyConfig, type NginxProcess, startNginx } from '../support/nginx-process';
import { freshDatabase, type FreshDatabase, type ServerProcess, signIn, startServer } from '../support/server-process';
import { DOC_BODY_FIELD } from '@yishi/shared';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Sockets connected to one node, as its /metrics says (read from loopback, where no token is needed). */
async function socketsOn(node: ServerProcess): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(/^yishi_sockets_connected (\d+)/m.exec(text)![1]);
}

/**
 * Two nodes behind nginx running infra/nginx/compose.conf (local ports filled in), no containers:
 * the proxy keeps each browser on one node by its cookie, and when a node stops its clients
 * come back through the proxy on the other.
 */
describe('two nodes behind the compose proxy (nginx)', () => {
  let db: FreshDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let proxy: NginxProcess;
  const clients: DocClient[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    const env = seededEnv(db.url, 'proxy-failover-secret-proxy-failover', {
      REDIS_URL,
      TRUST_PROXY: '1',
      SHUTDOWN_TIMEOUT_MS: '5000',
      DOC_WORK_TIMEOUT_MS: BUSY_MACHINE_WORK_MS,
    });
    a = await startServer(env);
    b = await startServer(env);
    const port = await freePort();
    proxy = await startNginx(composeProxyConfig([a.port, b.port], port), port);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await proxy?.stop();
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await db?.drop();
  });

  it('gives a browser its node cookie once, and keeps a long-polling client on one node with it', async () => {
    const first = await fetch(`${proxy.url}/api/health/live`);
    expect(first.headers.get('set-cookie')).toMatch(/^yishi_node=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
    const again = await fetch(`${proxy.url}/api/health/live`, { headers: { cookie: 'yishi_node=polling-browser' } });
    expect(again.status).toBe(200);
    expect(again.headers.get('set-cookie')).toBeNull();

    // Long-polling is a row of requests that must all reach the node holding the session.
    const chair = (await signIn(proxy.url, 'chair')).accessToken;
    const docId = await proposalWithParagraph(proxy.url, chair);
    const poller = await docClient(proxy.url, chair, docId, {
      socket: { transports: ['polling'], extraHeaders: { cookie: 'yishi_node=polling-browser' } },
    });
    clients.push(poller);
    expect(poller.socket.io.engine.transport.name).toBe('polling');
    for (let i = 0; i < 5; i++) {
      poller.text().insert(poller.text().length, `轮询${i}`);
      await poller.provider.whenAcknowledged();
    }
    const stored = (await storedDoc(db.url, docId)).getXmlFragment(DOC_BODY_FIELD).toString();
    expect(stored).toContain('轮询0轮询1轮询2轮询3轮询4');
    expect(poller.errors).toEqual([]);
    poller.close();
    clients.splice(clients.indexOf(poller), 1);
  });

  it('when a node stops (SIGTERM), its clients reconnect through the proxy to the other and all converge on the stored text', async () => {
    const tokens = await editorTokens(proxy.url);
    const docId = await proposalWithParagraph(proxy.url, tokens.get('chair')!);
    // Browsers with their own node cookies, until each node holds at least three of them
    // (which node a cookie hashes to depends on the ports this run got).
    const on = { a: [] as DocClient[], b: [] as DocClient[] };
    const editors: DocClient[] = [];
    for (let i = 0; (on.a.length < 3 || on.b.length < 3) && i < 40; i++) {
      const [beforeA, beforeB] = await Promise.all([socketsOn(a), socketsOn(b)]);
      const c = await docClient(proxy.url, tokens.get(EDITORS[i % EDITORS.length]!)!, docId, {
        socket: { extraHeaders: { cookie: `yishi_node=browser-${i}` } },
      });
      clients.push(c);
      editors.push(c);
      const [afterA, afterB] = await Promise.all([socketsOn(a), socketsOn(b)]);
      if (afterA > beforeA) on.a.push(c);
      else if (afterB > beforeB) on.b.push(c);
    }
    expect(on.a.length).toBeGreaterThanOrEqual(3);
    expect(on.b.length).toBeGreaterThanOrEqual(3);

    // Everyone types a word every 40 ms, before, during and after the node goes away.
    const typed: string[] = [];
    let typing = true;
    const loops = editors.map(async (c, i) => {
      for (let n = 0; typing; n++) {
        const word = `[${i}.${n}]`;
        c.text().insert(c.text().length, word);
        typed.push(word);
        await new Promise((r) => setTimeout(r, 40));
      }
    });
    await until(() => typed.length >= editors.length * 5, 20_000, 'everyone typing');
    const left = on.a.map((c) => new Promise<string>((resolve) => c.socket.once('disconnect', resolve)));

    // Each of A's clients is sent away and comes back connected, through the proxy, to B.
    expect(await a.stop('SIGTERM')).toBe(0);
    expect(await Promise.all(left)).toEqual(on.a.map(() => 'transport close'));
    await until(() => on.a.every((c) => c.socket.connected && c.provider.synced), 30_000, "A's clients back");
    expect(await socketsOn(b)).toBe(editors.length);

    typing = false;
    await Promise.all(loops);
    await Promise.all(editors.map((c) => c.provider.whenAcknowledged()));
    const same = () => editors.every((c) => c.text().toString() === editors[0]!.text().toString());
    await until(same, 20_000, 'all texts equal');

    const stored = (await storedDoc(db.url, docId)).getXmlFragment(DOC_BODY_FIELD).toString();
    expect(stored).toContain(editors[0]!.text().toString());
    // Nothing lost: every word typed anywhere (acknowledged by A before it stopped, or typed
    // while moving) is in the stored document.
    expect(typed.filter((w) => !stored.includes(w))).toEqual([]);
    expect(editors.flatMap((c) => c.errors.filter((e) => e !== 'UNAVAILABLE'))).toEqual([]);
  });
});
