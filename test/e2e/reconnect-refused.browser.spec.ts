import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { enterMeeting, type Person, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { type PostgresProcess, startPostgres } from '../support/postgres-process';
import { SOCKET_PARSER } from '@yishi/shared';
import { io, type Socket } from 'socket.io-client';
import { type ServerProcess, signIn, startServer } from '../support/server-process';

const TITLE = '第20次议事会：重连';
/** Connections one account may hold at once on this node (the second test fills them). */
const CAP = 3;
const connection = (page: Page, state: string) => page.locator(`[data-testid="connection-state"][data-state="${state}"]`);

/**
 * A phone that comes back while the node cannot let it in: its handshake is refused with
 * UNAVAILABLE (here the database is briefly away; behind a proxy, the node it reached is
 * stopping). Socket.IO does not retry a refused handshake by itself, so without the app's own
 * retry the resident stayed "reconnecting" until they reloaded the page.
 */
describe('in a real browser: a refused reconnection is tried again', () => {
  let pg: PostgresProcess;
  let server: ServerProcess;
  let browser: Browser;
  let wang: Person;
  let cdp: CDPSession;

  beforeAll(async () => {
    pg = await startPostgres();
    server = await startServer({
      DATABASE_URL: pg.url,
      SEED_DEMO: 'true',
      JWT_SECRET: 'reconnect-secret-reconnect-secret-reconnect',
      MAX_SOCKETS_PER_USER: String(CAP),
    });
    browser = await launchChromium();
    await scheduleDemoMeeting(server.url, TITLE);
    wang = await signedIn(browser, server.url, 'resident1', { width: 360, height: 740 }, true);
    cdp = await wang.context.newCDPSession(wang.page);
    await cdp.send('Network.enable');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await pg?.destroy();
  });

  const setNetwork = async (online: boolean) => {
    await cdp.send('Network.emulateNetworkConditions', { offline: !online, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await wang.context.setOffline(!online);
  };

  it('comes back by itself once the node can let it in again', async () => {
    await enterMeeting(wang.page, TITLE);
    await connection(wang.page, 'connected').waitFor({ timeout: 15_000 });
    // The phone loses the network; meanwhile the node's database goes away.
    await setNetwork(false);
    await connection(wang.page, 'offline').waitFor({ timeout: 10_000 });
    await pg.stop();
    // Back online: the app reconnects at once, and the node refuses the handshake.
    const refused = wang.page.waitForEvent('websocket', { timeout: 15_000 });
    await setNetwork(true);
    await refused;
    await connection(wang.page, 'reconnecting').waitFor({ timeout: 10_000 });
    // A refused try takes about two seconds to come round again; wait for two more tries to
    // be refused while the database is away, so the retry is seen to repeat.
    for (let i = 0; i < 2; i++) await wang.page.waitForEvent('websocket', { timeout: 15_000 });
    await pg.start();
    const back = Date.now();
    await connection(wang.page, 'connected').filter({ hasText: '已连接' }).waitFor({ timeout: 20_000 });
    console.log(`database back → connected in ${Date.now() - back} ms`);
  });

  it('is let in once the account has a free connection again, after being refused for too many', async () => {
    // Three old devices of 赵阿姨 (resident2) hold every connection the account may have.
    const { accessToken } = await signIn(server.url, 'resident2');
    const old: Socket[] = [];
    for (let i = 0; i < CAP; i++) {
      const s = io(server.url, {
        parser: SOCKET_PARSER,
        transports: ['websocket'],
        auth: { token: accessToken },
        forceNew: true,
        reconnection: false,
      });
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      old.push(s);
    }
    const zhao = await signedIn(browser, server.url, 'resident2', { width: 360, height: 740 }, true);
    try {
      // The compound's page follows its lists live: its socket is refused.
      await connection(zhao.page, 'reconnecting').waitFor({ timeout: 15_000 });
      // Refused, and tried again while the old devices still hold on.
      await zhao.page.waitForEvent('websocket', { timeout: 20_000 });
      old.pop()!.close();
      const freed = Date.now();
      await connection(zhao.page, 'connected').filter({ hasText: '已连接' }).waitFor({ timeout: 20_000 });
      console.log(`connection freed → connected in ${Date.now() - freed} ms`);
    } finally {
      for (const s of old) s.close();
      await zhao.context.close();
    }
  });
});
