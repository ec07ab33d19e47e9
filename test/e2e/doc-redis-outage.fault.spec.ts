import {
  BUSY_MACHINE_WORK_MS,
  type DocClient,
  proposalWithParagraph,
  sameView,
  storedDoc,
  type Typist,
  typist,
  until,
  view,
} from '../support/docs';
import { EDITORS, editorTokens } from '../support/fault-setup';
import { startRedis } from '../support/redis-process';
import { twoNodes } from '../support/two-nodes';

const OUTAGE_MS = 20_000;
const CONVERGE_MS = 5_000;

/**
 * Redis (the channel between nodes) goes away for 20 s while people on two nodes type into one
 * proposal, five times in a row on the same nodes. The nodes go on committing; when Redis is back
 * every screen, on both nodes, must show the same document, the stored one, within 5 s and
 * without anyone reloading.
 */
describe('Redis stopped under people editing one proposal on two nodes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let docId: string;
  const typists: Typist[] = [];
  const clients = () => typists.map((t) => t.client);

  // The nodes' own Redis, to be stopped and started again.
  beforeAll(async () => {
    redis = await startRedis();
  });
  const nodes = twoNodes('doc-redis-outage-secret-doc-redis-outage', {
    redisUrl: () => redis.url,
    env: { DOC_WORK_TIMEOUT_MS: BUSY_MACHINE_WORK_MS },
    beforeStop: () => clients().forEach((c) => c.close()),
  });
  afterAll(() => redis?.stop());

  beforeAll(async () => {
    const tokens = await editorTokens(nodes.a.url);
    docId = await proposalWithParagraph(nodes.a.url, tokens.get('chair')!);
    // Five people on each node.
    for (let i = 0; i < 10; i++)
      typists.push(
        await typist(i % 2 ? nodes.b.url : nodes.a.url, tokens.get(EDITORS[i % EDITORS.length]!)!, docId, String(i).padStart(2, '0')),
      );
  });

  it.each([1, 2, 3, 4, 5])('run %i: everyone converges on the stored document within 5 s of Redis returning', async () => {
    await redis.stop();
    const typedBefore = typists.map((t) => t.typed.length);
    for (const t of typists) t.start(400);
    // The outage lasts 20 s whatever happens (that is the fault); people keep typing throughout.
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    for (const t of typists) t.stop();
    // Edits keep being saved while Redis is down: the nodes need only the database for that.
    expect(typists.filter((t, i) => t.saved <= typedBefore[i]!).map((t) => t.name)).toEqual([]);
    // The two nodes' people did not see each other's edits meanwhile (else this test proves nothing).
    const onA = typists.filter((_, i) => i % 2 === 0);
    const onB = typists.filter((_, i) => i % 2 === 1);
    const [firstOfB] = onB;
    const lastOfB = firstOfB?.typed[firstOfB.saved - 1];
    if (lastOfB === undefined) throw new Error('the first typist on node B has nothing saved');
    expect(onA.some((t) => !view(t.client.doc).body.includes(lastOfB))).toBe(true);

    redis = await startRedis(redis.port);
    const back = Date.now();
    let converged = -1;
    try {
      await until(() => everyoneAgrees(clients()), 30_000, 'every screen shows the same document');
      converged = Date.now() - back;
    } catch {
      // Reported below, with what differs.
    }
    const stored = view(await storedDoc(nodes.db.url, docId));
    const differing = clients().filter((c) => !sameView(view(c.doc), stored)).length;
    expect({ converged: converged >= 0 && converged <= CONVERGE_MS, differing, tookMs: converged }).toEqual({
      converged: true,
      differing: 0,
      tookMs: converged,
    });
    // Everything typed is in it: nobody's edits were lost on the way.
    const words = new Set(stored.body.match(/\[\d\d:\d+\]/g));
    expect(typists.flatMap((t) => t.typed).filter((w) => !words.has(w))).toEqual([]);
  });
});

/** Every client has saved all it typed and shows exactly what the others show. */
function everyoneAgrees(clients: DocClient[]): boolean {
  if (clients.some((c) => c.provider.pending > 0)) return false;
  const [head] = clients;
  if (!head) return true;
  const first = view(head.doc);
  return clients.every((c) => sameView(view(c.doc), first));
}
