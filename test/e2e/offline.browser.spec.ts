import { join } from 'node:path';
import { DOC_BODY_FIELD } from '@yishi/shared';
import type { CDPSession, Page } from 'playwright-core';
import { measureElderly, seriousAxeViolations } from '../support/a11y';
import { browserStory, SCREENSHOTS_DIR } from '../support/browser';
import { storedDoc, until } from '../support/docs';
import { type DemoMeeting, enterMeeting, type Person, scheduleDemoMeeting, signedIn } from '../support/meeting-setup';
import { signIn } from '../support/server-process';

const TITLE = '第19次议事会：离线修改';
const OFFLINE_TEXT = '三、离线时补充：保留院内两棵老槐树。';
const editor = (page: Page) => page.getByTestId('proposal-editor');
const connection = (page: Page, state: string) => page.locator(`[data-testid="connection-state"][data-state="${state}"]`);
const docStatus = (page: Page) => page.getByTestId('doc-status');

/**
 * Both ways a browser can lose the network: the page's own (CDP, as a phone's radio going off)
 * and the context's, which also cuts the service worker off.
 */
async function setNetwork(person: Person, cdp: CDPSession, online: boolean): Promise<void> {
  await cdp.send('Network.emulateNetworkConditions', { offline: !online, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await person.context.setOffline(!online);
}

async function call<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The names of this origin's IndexedDB databases and caches, and its offline keys in localStorage. */
function offlineTraces(page: Page) {
  return page.evaluate(async () => ({
    databases: ((await indexedDB.databases()).map((d) => d.name ?? '') as string[]).filter((n) => n.startsWith('yishi-doc:')),
    caches: (await caches.keys()).filter((n) => n.startsWith('yishi-room')),
    stored: Object.keys(localStorage).filter((k) => k.startsWith('yishi.offline.')),
  }));
}

/**
 * Keeps a read-write transaction open on the page's document store until the page goes: later
 * writes to it wait (IndexedDB runs overlapping read-write transactions one after another).
 */
async function holdDocStore(): Promise<void> {
  const name = (await indexedDB.databases()).find((d) => d.name?.startsWith('yishi-doc:'))!.name!;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const store = db.transaction('updates', 'readwrite').objectStore('updates');
  await new Promise<void>((held) => {
    const keepBusy = () => {
      store.count().onsuccess = keepBusy;
      held();
    };
    keepBusy();
  });
}

describe('in a real browser: a resident on a 360 px phone in 长辈版 works offline', () => {
  const story = browserStory();
  let meeting: DemoMeeting;
  let chair: Person;
  let wang: Person; // 王大爷, resident1
  let cdp: CDPSession;

  beforeAll(async () => {
    meeting = await scheduleDemoMeeting(story.server.url, TITLE);
    [chair, wang] = await Promise.all([
      signedIn(story.browser, story.server.url, 'chair', { width: 1280, height: 900 }),
      signedIn(story.browser, story.server.url, 'resident1', { width: 360, height: 740 }, true),
    ]);
    cdp = await wang.context.newCDPSession(wang.page);
    await cdp.send('Network.enable');
  });

  it('installs: a manifest with the name and icons, and a service worker that controls the page', async () => {
    const manifest = await wang.page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href;
      return (await fetch(href)).json() as Promise<{ name: string; theme_color: string; icons: Array<{ src: string; sizes: string }> }>;
    });
    expect(manifest.name).toBe('议事');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) expect((await wang.page.request.get(new URL(icon.src, story.server.url).href)).ok()).toBe(true);
    // The worker claims the page it was installed from: the room's data goes through it from here on.
    await wang.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const cacheNames = await wang.page.evaluate(() => caches.keys());
    expect(cacheNames.filter((n) => /^yishi-shell-[0-9a-f]{12}$/.test(n))).toHaveLength(1);
  });

  it('types offline, reloads offline: the app opens, the text and the count of waiting changes are still there', async () => {
    await Promise.all([enterMeeting(chair.page, TITLE), enterMeeting(wang.page, TITLE)]);
    await chair.page.getByTestId('meeting-open').click();
    await wang.page.locator('[data-testid="meeting-status"][data-status="live"]').waitFor();
    await docStatus(wang.page).filter({ hasText: '所有修改已保存' }).waitFor();
    // The room is kept on the device a second after it last changed.
    await wang.page.waitForFunction(() => localStorage.getItem('yishi.offline.room')?.includes('"status":"live"'), null, {
      timeout: 10_000,
    });

    await setNetwork(wang, cdp, false);
    // 长辈版's header says it in a short line.
    await connection(wang.page, 'offline').filter({ hasText: '已断网' }).waitFor({ timeout: 5_000 });
    await editor(wang.page).click();
    await wang.page.keyboard.press('Control+End');
    await wang.page.keyboard.type(OFFLINE_TEXT.slice(0, -1));
    await docStatus(wang.page).filter({ hasText: '1 处修改等待发送' }).waitFor();
    await expect(docStatus(wang.page).getAttribute('data-synced')).resolves.toBe('false');

    // The device's storage is busy (y-indexeddb compacting its log, a slow phone's flash): the
    // write of the last character queues behind a long transaction, and the reload comes first,
    // which aborts it. The character must survive anyway.
    await wang.page.evaluate(holdDocStore);
    await wang.page.keyboard.type(OFFLINE_TEXT.slice(-1));
    await wang.page.reload({ waitUntil: 'domcontentloaded' });
    await wang.page.getByTestId('meeting-title').filter({ hasText: TITLE }).waitFor({ timeout: 30_000 });
    await wang.page.getByTestId('offline-copy').filter({ hasText: '离线副本' }).waitFor();
    await editor(wang.page).filter({ hasText: OFFLINE_TEXT }).waitFor({ timeout: 30_000 });
    await docStatus(wang.page).filter({ hasText: '1 处修改等待发送' }).waitFor();
    await connection(wang.page, 'offline').waitFor();
    await wang.page.screenshot({ path: join(SCREENSHOTS_DIR, 'offline-reload-360-elderly.png'), fullPage: true });

    // Still 长辈版 offline: large text, large targets, enough contrast, nothing axe objects to.
    const m = await measureElderly(wang.page);
    expect({ smallText: m.smallText, lowContrast: m.lowContrast, smallTargets: m.smallTargets }).toEqual({
      smallText: [],
      lowContrast: [],
      smallTargets: [],
    });
    expect(await seriousAxeViolations(wang.page)).toEqual([]);
    // Nothing was sent meanwhile.
    expect(await editor(chair.page).innerText()).not.toContain('老槐树');
  });

  it('back online: connected within 5 s, the text reaches the chair and is stored, and the status says saved', async () => {
    await setNetwork(wang, cdp, true);
    const back = Date.now();
    await connection(wang.page, 'connected').filter({ hasText: '已连接' }).waitFor({ timeout: 5_000 });
    console.log(`offline → connected in ${Date.now() - back} ms after the network returned`);

    await editor(chair.page).filter({ hasText: OFFLINE_TEXT }).waitFor({ timeout: 20_000 });
    await docStatus(wang.page).filter({ hasText: '所有修改已保存' }).waitFor({ timeout: 20_000 });
    await wang.page.locator('[data-testid="doc-status"][data-unsent="0"][data-synced="true"]').waitFor();
    // Saved and committed on the device: localStorage holds nothing more for the document.
    await wang.page.waitForFunction(() => Object.keys(localStorage).every((k) => !k.startsWith('yishi.offline.pending:')));
    const stored = await storedDoc(story.db.url, meeting.proposalId);
    expect(stored.getXmlFragment(DOC_BODY_FIELD).toString()).toContain(OFFLINE_TEXT);
    // Live again: the offline copy's notice is gone.
    await wang.page.getByTestId('offline-copy').waitFor({ state: 'detached' });
  });

  it('the network returns while the socket still claims to be connected: it is probed, and reconnected when dead', async () => {
    // Every WebSocket from here on passes through this relay; those up to `deadUpTo` fall silent
    // both ways, like a connection that died with the network without anyone noticing. It also
    // counts the answers to the client's probe (a refused doc:leave) that went through it.
    let opened = 0;
    let deadUpTo = 0;
    let answers = 0;
    const text = (m: string | Buffer) => (typeof m === 'string' ? m : m.toString('latin1'));
    await wang.page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const n = ++opened;
      const server = ws.connectToServer();
      ws.onMessage((m) => n <= deadUpTo || server.send(m));
      server.onMessage((m) => {
        if (n <= deadUpTo) return;
        if (text(m).includes('VALIDATION_FAILED')) answers++;
        ws.send(m);
      });
    });
    // The relay takes over WebSockets of pages loaded after it is set up.
    await wang.page.reload();
    await connection(wang.page, 'connected').waitFor({ timeout: 20_000 });

    // `online` with a live socket (a phone switching networks): the probe is answered, nothing
    // changes. (Socket.IO starts on long-polling and moves to the WebSocket once that works: until
    // then a probe goes round the relay, so ask until one has gone through it.)
    for (let tries = 0; answers === 0; tries++) {
      if (tries === 30) throw new Error('no probe went over the WebSocket');
      await wang.page.evaluate(() => window.dispatchEvent(new Event('online')));
      await until(() => answers > 0, 1_000).catch(() => undefined);
    }
    const live = opened;
    await connection(wang.page, 'connected').waitFor();
    expect(opened).toBe(live);

    // Now the socket is dead but believes it is connected: the probe goes unanswered, a new one is opened.
    const dead = opened;
    deadUpTo = dead;
    // Every state the header shows from here on, however briefly.
    await wang.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenStates: string[] }).seenStates = seen;
      const note = () => {
        const now = document.querySelector('[data-testid="connection-state"]')?.getAttribute('data-state') ?? 'none';
        if (seen[seen.length - 1] !== now) seen.push(now);
      };
      note();
      new MutationObserver(note).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      });
    });
    const back = Date.now();
    await wang.page.evaluate(() => window.dispatchEvent(new Event('online')));
    await until(() => opened > dead, 5_000, 'a new WebSocket');
    await connection(wang.page, 'connected').waitFor({ timeout: 5_000 });
    console.log(`dead socket found and replaced in ${Date.now() - back} ms`);
    // It said so while it reconnected, and said connected again only once it was.
    expect(await wang.page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates)).toEqual([
      'connected',
      'reconnecting',
      'connected',
    ]);
    // And it carries edits again, once the document has synced over the new connection.
    await wang.page.locator('[data-testid="doc-status"][data-synced="true"][data-pending="0"]').waitFor({ timeout: 20_000 });
    await editor(wang.page).click();
    await wang.page.keyboard.press('Control+End');
    await wang.page.keyboard.type('四、重新连接后补充。');
    await editor(wang.page).filter({ hasText: '四、重新连接后补充。' }).waitFor();
    await editor(chair.page).filter({ hasText: '四、重新连接后补充。' }).waitFor({ timeout: 20_000 });
    await wang.page.unrouteAll();
  });

  it('signing out removes the copies kept on the device', async () => {
    const before = await offlineTraces(wang.page);
    expect(before.databases).toHaveLength(1);
    expect(before.databases[0]).toContain(meeting.compoundId);
    expect(before.caches).toHaveLength(1);
    // In 长辈版 sign-out is in the header's one menu.
    await wang.page.getByTestId('menu-button').click();
    await wang.page.getByTestId('sign-out').click();
    await wang.page.getByLabel('手机号或用户名').waitFor();
    await wang.page.waitForFunction(
      async () =>
        (await indexedDB.databases()).every((d) => !d.name?.startsWith('yishi-doc:')) &&
        (await caches.keys()).every((n) => !n.startsWith('yishi-room')) &&
        Object.keys(localStorage).every((k) => !k.startsWith('yishi.offline.')),
      null,
      { timeout: 10_000 },
    );
    expect(await offlineTraces(wang.page)).toEqual({ databases: [], caches: [], stored: [] });
  });

  it('edits made offline by someone whose right to edit was withdrawn meanwhile are removed, not kept forever', async () => {
    // The property company edits only when invited: the chair invites 刘经理, then withdraws it while he is offline.
    const chairToken = (await signIn(story.server.url, 'chair')).accessToken;
    const propertyToken = (await signIn(story.server.url, 'property')).accessToken;
    const { user } = await call<{ user: { id: string } }>(story.server.url, propertyToken, 'GET', '/me');
    const proposalPath = `/compounds/${meeting.compoundId}/proposals/${meeting.proposalId}`;
    const rights = await call<{ grants: Array<{ id: string; userId: string | null }> }>(
      story.server.url,
      chairToken,
      'POST',
      `${proposalPath}/edit-grants`,
      { userId: user.id },
    );
    const grant = rights.grants.find((g) => g.userId === user.id)!;

    const liu = await signedIn(story.browser, story.server.url, 'property', { width: 360, height: 740 }, true);
    const liuCdp = await liu.context.newCDPSession(liu.page);
    await liu.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await enterMeeting(liu.page, TITLE);
    await editor(liu.page).filter({ hasText: OFFLINE_TEXT }).waitFor();
    await liu.page.locator('[data-testid="doc-status"][data-synced="true"]').filter({ hasText: '所有修改已保存' }).waitFor();
    await liu.page.locator('[data-testid="proposal-editor"][contenteditable="true"]').waitFor();

    await setNetwork(liu, liuCdp, false);
    await connection(liu.page, 'offline').waitFor({ timeout: 5_000 });
    await editor(liu.page).click();
    await liu.page.keyboard.press('Control+End');
    await liu.page.keyboard.type('物业离线时加的一句。');
    await docStatus(liu.page).filter({ hasText: '1 处修改等待发送' }).waitFor();
    await call(story.server.url, chairToken, 'DELETE', `${proposalPath}/edit-grants/${grant.id}`);

    await setNetwork(liu, liuCdp, true);
    await liu.page.getByTestId('doc-discarded').filter({ hasText: '1 处在本机做的修改无法保存' }).waitFor({ timeout: 20_000 });
    await liu.page.getByTestId('read-only-note').waitFor({ timeout: 20_000 });
    await editor(liu.page).filter({ hasText: OFFLINE_TEXT }).waitFor();
    expect(await editor(liu.page).innerText()).not.toContain('物业离线时加的一句');
    await docStatus(liu.page).filter({ hasText: '所有修改已保存' }).waitFor();
    // Not on the server, and not back after a reload either: the copy on the device is gone.
    expect((await storedDoc(story.db.url, meeting.proposalId)).getXmlFragment(DOC_BODY_FIELD).toString()).not.toContain(
      '物业离线时加的一句',
    );
    await liu.page.reload();
    await editor(liu.page).filter({ hasText: OFFLINE_TEXT }).waitFor({ timeout: 30_000 });
    await liu.page.getByTestId('read-only-note').waitFor({ timeout: 20_000 });
    expect(await editor(liu.page).innerText()).not.toContain('物业离线时加的一句');
    expect(await editor(chair.page).innerText()).not.toContain('物业离线时加的一句');
    await liu.context.close();
  });
});
