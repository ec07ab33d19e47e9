import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  BUSY_MACHINE_WORK_MS,
  type DocClient,
  docClient,
  proposalWithParagraph,
  sameView,
  storedDoc,
  type Typist,
  typist,
  until,
  view,
} from '../support/docs';
import { EDITORS, editorTokens, seededEnv } from '../support/fault-setup';
import { type PostgresProcess, startPostgres } from '../support/postgres-process';
import { type ServerProcess, startServer } from '../support/server-process';

const OUTAGE_MS = 10_000;
/** Refusals that tell the client to send again later: what a database outage may cause. */
const RETRYABLE = ['UNAVAILABLE', 'OUT_OF_SYNC', 'RATE_LIMITED'];

/**
 * PostgreSQL goes away in the middle of a meeting (its own PostgreSQL, not the suite's, so it
 * can be stopped). What people were told is saved must be stored, and everyone's screen must end
 * showing the stored document, without reloading.
 */
describe('PostgreSQL stopped under people editing a proposal', () => {
  let pg: PostgresProcess;
  let server: ServerProcess;
  let tokens: Map<string, string>;
  const clients: DocClient[] = [];
  const env = () => seededEnv(pg.url, 'pg-outage-secret-pg-outage-secret-pg-outage', { DOC_WORK_TIMEOUT_MS: BUSY_MACHINE_WORK_MS });

  beforeAll(async () => {
    pg = await startPostgres();
    server = await startServer(env());
    tokens = await editorTokens(server.url);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    // Whatever a test did, the next one starts with the database up.
    await pg.start().catch(() => undefined);
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await pg?.destroy();
  });

  it('20 people type through a 10 s outage: every edit shown as saved is stored, refusals are UNAVAILABLE, and every screen ends equal to the stored document, also after a restart', async () => {
    const docId = await proposalWithParagraph(server.url, tokens.get('chair')!);
    const typists: Typist[] = [];
    for (let i = 0; i < 20; i++)
      typists.push(await typist(server.url, tokens.get(EDITORS[i % EDITORS.length]!)!, docId, String(i).padStart(2, '0')));
    clients.push(...typists.map((t) => t.client));
    for (const t of typists) t.start(300);

    // Typing is saved before the outage.
    await until(() => typists.every((t) => t.saved >= 3), 30_000, 'everyone has something saved');
    const stopAt = Date.now();
    await pg.stop();
    const typedBefore = typists.map((t) => t.typed.length);
    // The outage lasts 10 s whatever happens (that is the fault); people keep typing.
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const savedAtReturn = typists.map((t) => t.saved);
    const typedDuringOutage = typists.map((t, i) => t.typed.length - typedBefore[i]!);
    await pg.start();
    const startAt = Date.now();
    const typedAtReturn = typists.map((t) => t.typed.length);
    // Edits made after the database is back are saved again, on every screen.
    await until(() => typists.every((t, i) => t.saved > typedAtReturn[i]!), 30_000, 'everyone saves again after the database returned');
    for (const t of typists) t.stop();
    await until(
      () => typists.every((t) => t.client.provider.pending === 0 && t.saved === t.typed.length),
      30_000,
      'everything typed is saved',
    );

    // While the database was down, nobody was shown as saved a word typed after it stopped.
    expect(savedAtReturn.filter((n, i) => n > typedBefore[i]!)).toEqual([]);
    expect(typedDuringOutage.every((n) => n >= 10)).toBe(true);
    // During the outage edits were refused as retryable, never as an internal error.
    const refusals = clients.flatMap((c) => c.refusals);
    expect(refusals.filter((r) => r.event === 'doc:sync').map((r) => r.code)).toContain('UNAVAILABLE');
    expect(tally(refusals.filter((r) => !RETRYABLE.includes(r.code)).map((r) => `${r.event} ${r.code}`))).toEqual({});
    // While refused, each client retries about twice a second, not once more for every word typed meanwhile.
    const retries = clients.map((c) => c.refusals.filter((r) => r.event === 'doc:join' && r.at >= stopAt && r.at < startAt).length);
    expect(Math.max(...retries)).toBeLessThanOrEqual((2 * OUTAGE_MS) / 500);

    // Every word shown as saved is stored, once.
    const stored = storedWords(view(await storedDoc(pg.url, docId)).body);
    const lost = typists.flatMap((t) => t.typed.slice(0, t.saved)).filter((w) => stored.get(w) !== 1);
    expect(lost).toEqual([]);
    expect(stored.size).toBe(typists.reduce((n, t) => n + t.typed.length, 0));
    // Every screen shows the stored document.
    await everyoneShowsStored(clients, pg.url, docId);

    // After a restart of the node, the same: the stored document loads whole, and every screen
    // (reconnected by itself) and a newcomer show it.
    const reconnected = clients.map((c) => new Promise((resolve) => c.socket.once('connect', () => resolve(c.provider.whenSynced()))));
    await server.stop('SIGINT');
    server = await startServer({ ...env(), PORT: String(server.port) });
    await Promise.all(reconnected);
    const newcomer = await docClient(server.url, tokens.get('resident1')!, docId);
    clients.push(newcomer);
    await everyoneShowsStored(clients, pg.url, docId);
    expect(storedWords(view(newcomer.doc).body)).toEqual(stored);
    // Loading it set nothing aside: the chair is not told that stored edits were quarantined.
    expect(await quarantined(pg.url, docId)).toEqual([]);
  });

  it('does not show an edit as saved while the database is down, only once the retry is stored', async () => {
    const docId = await proposalWithParagraph(server.url, tokens.get('chair')!);
    const c = await docClient(server.url, tokens.get('resident2')!, docId);
    clients.push(c);
    c.text().insert(0, '[before]');
    await c.provider.whenAcknowledged();

    await pg.stop();
    c.text().insert(0, '[during]');
    let shownSaved = false;
    const saved = c.provider.whenAcknowledged().then(() => (shownSaved = true));
    // Refused (retryably), and refused again when the provider retries: still not saved.
    await until(() => c.refusals.some((r) => r.event === 'doc:sync' && r.code === 'UNAVAILABLE'), 10_000, 'the edit refused');
    const refused = c.refusals.length;
    await until(() => c.refusals.length >= refused + 2, 10_000, 'the provider retried');
    expect(c.refusals.every((r) => r.code === 'UNAVAILABLE')).toBe(true);
    expect(shownSaved).toBe(false);
    expect(c.provider.pending).toBeGreaterThan(0);

    await pg.start();
    await saved;
    expect(view(await storedDoc(pg.url, docId)).body).toContain('[during]');
  });

  it('does not show an edit as saved when it was refused for going too fast, only once the retry is stored', async () => {
    const docId = await proposalWithParagraph(server.url, tokens.get('chair')!);
    const c = await docClient(server.url, tokens.get('resident3')!, docId);
    clients.push(c);
    await c.provider.whenAcknowledged();
    // Use up the socket's allowance of document messages, then type: the edit is refused as RATE_LIMITED.
    for (let i = 0; i < 400; i++) c.socket.emit('doc:leave', { docId: randomUUID() }, () => undefined);
    c.text().insert(0, '[hurried]');
    const storedWhenShownSaved = c.provider.whenAcknowledged().then(async () => view(await storedDoc(pg.url, docId)).body);
    expect(await storedWhenShownSaved).toContain('[hurried]');
    expect(c.refusals.filter((r) => r.event === 'doc:sync').map((r) => r.code)).toContain('RATE_LIMITED');
  });
});

/** The words of a body, each with how often it occurs. */
function storedWords(body: string): Map<string, number> {
  const words = new Map<string, number>();
  for (const w of body.match(/\[\d\d:\d+\]/g) ?? []) words.set(w, (words.get(w) ?? 0) + 1);
  return words;
}

async function quarantined(databaseUrl: string, docId: string): Promise<string[]> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return (await c.query('SELECT update_id FROM doc_quarantine WHERE doc_id = $1', [docId])).rows.map((r) => String(r.update_id));
  } finally {
    await c.end();
  }
}

function tally(codes: string[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const c of codes) t[c] = (t[c] ?? 0) + 1;
  return t;
}

/** Waits until every client shows exactly the stored document (the same text and the same edits). */
async function everyoneShowsStored(clients: DocClient[], databaseUrl: string, docId: string): Promise<void> {
  const stored = view(await storedDoc(databaseUrl, docId));
  const differing = () => clients.filter((c) => !sameView(view(c.doc), stored));
  await until(() => differing().length === 0, 15_000, 'every screen shows the stored document').catch((err) => {
    const d = differing();
    throw new Error(
      `${err.message}: ${d.length} of ${clients.length} differ; stored ${stored.body.length} chars, theirs ${d.map((c) => view(c.doc).body.length).join(', ')}`,
    );
  });
}
