import { type DocClient, docClient, proposalWithParagraph, until } from '../support/docs';
import { EDITORS, editorTokens } from '../support/fault-setup';
import { twoNodes } from '../support/two-nodes';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('20 clients editing one proposal on two nodes, with random disconnects', () => {
  const clients: DocClient[] = [];

  const nodes = twoNodes('convergence-secret-convergence-secret', { beforeStop: () => clients.forEach((c) => c.close()) });

  it('converges: every client, and a late joiner on either node, ends with the same text', async () => {
    const tokens = await editorTokens(nodes.a.url);
    const docId = await proposalWithParagraph(nodes.a.url, tokens.get('chair')!);
    for (let i = 0; i < 20; i++)
      clients.push(await docClient(i % 2 ? nodes.b.url : nodes.a.url, tokens.get(EDITORS[i % EDITORS.length]!)!, docId));

    const rnd = random(20261128);
    // A fixed number of rounds, not a time: on a busy machine the test does the same work, slower.
    for (let round = 0; round < 30; round++) {
      for (const c of clients) {
        const r = rnd();
        // A dropped network connection: the client reconnects by itself a moment later.
        if (r < 0.03 && c.socket.connected) c.socket.io.engine.close();
        const text = c.text();
        // Edits go on while offline too: they must arrive after the reconnect.
        if (rnd() < 0.7 || text.length < 5)
          text.insert(Math.floor(rnd() * (text.length + 1)), String.fromCharCode(0x4e00 + Math.floor(rnd() * 500)));
        else text.delete(Math.floor(rnd() * (text.length - 1)), 1 + Math.floor(rnd() * 2));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    // On failure, say where each client stands.
    const diag = (e: Error) => {
      const where = clients.map(
        (c, i) =>
          `#${i}@${i % 2 ? 'B' : 'A'} connected=${c.socket.connected} synced=${c.provider.synced} pending=${c.provider.pending} length=${c.text().length} refused=${c.errors.join('/')}`,
      );
      throw new Error(`${e.message}\n${where.join('\n')}`);
    };
    await until(() => clients.every((c) => c.provider.synced), 20_000, 'all synced').catch(diag);
    await Promise.all(clients.map((c) => c.provider.whenAcknowledged()));
    const same = () => clients.every((c) => c.text().toString() === clients[0]!.text().toString());
    await until(same, 20_000, 'all texts equal').catch(diag);

    expect(clients[0]!.text().length).toBeGreaterThan(100);
    for (const url of [nodes.a.url, nodes.b.url]) {
      const late = await docClient(url, tokens.get('resident1')!, docId);
      expect(late.text().toString()).toBe(clients[0]!.text().toString());
      late.close();
    }
  });
});
