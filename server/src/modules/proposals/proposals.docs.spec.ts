import { readdirSync, readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { DOC_BODY_FIELD } from '@yishi/shared';
import * as Y from 'yjs';
import { docSpec, raw, syncMessage, until } from '../../testing/doc-sockets';
import { storedDoc } from '../../testing/stored-doc';
import { DocStore } from '../documents/doc-store.service';

/** A TipTap-shaped paragraph with the given text. */
function paragraph(text: string, attrs: Record<string, unknown> = {}): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  t.insert(0, text, attrs);
  p.insert(0, [t]);
  return p;
}
const bodyText = (doc: Y.Doc) =>
  doc
    .getXmlFragment(DOC_BODY_FIELD)
    .toArray()
    .map((n) =>
      (n as Y.XmlElement)
        .toArray()
        .map((t) => (t as Y.XmlText).toString())
        .join(''),
    )
    .join('\n');
describe('co-edited proposals', () => {
  const docs = docSpec();
  const { client, newProposal } = docs;

  it('two residents type and each sees the other; an edit is acknowledged only once it is in the database', async () => {
    const id = await newProposal();
    const a = await client('resident1', id);
    const b = await client('resident2', id);
    expect(a.provider.canEdit).toBe(true);
    a.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('拆除危房，原址翻建。')]);
    b.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('资金由产权单位承担。')]);
    await Promise.all([a.provider.whenAcknowledged(), b.provider.whenAcknowledged()]);
    const [{ n }] = await docs.app.db.query(`SELECT count(*)::int AS n FROM doc_update WHERE doc_id = $1`, [id]);
    expect(n).toBeGreaterThanOrEqual(2);
    await until(() => bodyText(a.doc) === bodyText(b.doc) && bodyText(a.doc).split('\n').length === 2);
    expect(bodyText(a.doc)).toContain('拆除危房');
    // A late joiner gets the whole text.
    const c = await client('observer', id);
    expect(bodyText(c.doc)).toBe(bodyText(a.doc));
  });

  it('a read-only participant cannot change the document, not even with a hand-made update', async () => {
    const id = await newProposal();
    const writer = await client('resident1', id);
    writer.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('原文')]);
    await writer.provider.whenAcknowledged();
    const observer = await client('observer', id);
    expect(observer.provider.canEdit).toBe(false);
    // Its editor's change is not even sent…
    observer.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('观察员改的')]);
    // …and a crafted update, as update or as sync step 2, is refused.
    const forged = new Y.Doc();
    forged.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('伪造')]);
    const update = Y.encodeStateAsUpdate(forged);
    for (const type of [1, 2]) {
      const ack = await raw(observer.socket).emitWithAck('doc:sync', { docId: id, message: syncMessage(type, update) });
      expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    }
    const stored = await storedDoc(docs.app.db, id);
    expect(bodyText(stored.doc)).toBe('原文');
  });

  it('freezes revisions with a content hash anyone can recompute, and shows a readable diff', async () => {
    const author = (await docs.app.signIn('resident1')).accessToken;
    const id = await newProposal(author);
    const a = await client('resident1', id);
    const body = a.doc.getXmlFragment(DOC_BODY_FIELD);
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', '2');
    const ht = new Y.XmlText();
    ht.insert(0, '35号院平房改造');
    heading.insert(0, [ht]);
    const link = paragraph('见鉴定报告', { link: { href: 'javascript:alert(1)' } });
    body.insert(0, [heading, paragraph('<script>alert(1)</script>', { bold: true }), link]);
    await a.provider.whenAcknowledged();

    const r1 = await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals/${id}/revisions`, { token: author });
    expect(r1.status).toBe(201);
    expect(r1.body.number).toBe(1);
    expect(r1.body.html).toBe('<h2>35号院平房改造</h2><p><strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong></p><p>见鉴定报告</p>');
    expect(r1.body.text).toBe('35号院平房改造\n<script>alert(1)</script>\n见鉴定报告');
    const recomputed = createHash('sha256')
      .update(JSON.stringify({ v: 1, html: r1.body.html, funding: null }))
      .digest('hex');
    expect(r1.body.hash).toBe(recomputed);

    // Another resident may not freeze someone else's proposal; the chair may.
    expect(
      (
        await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals/${id}/revisions`, {
          token: (await docs.app.signIn('resident2')).accessToken,
        })
      ).status,
    ).toBe(403);
    body.insert(2, [paragraph('增加：施工期间临时安置。')]);
    await a.provider.whenAcknowledged();
    const r2 = await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals/${id}/revisions`, { token: docs.chair });
    expect(r2.body.number).toBe(2);
    expect(r2.body.hash).not.toBe(r1.body.hash);

    // Revision 1 never changes.
    expect(
      (await docs.app.api('GET', `/api/compounds/${docs.app.compoundId}/proposals/${id}/revisions/1`, { token: docs.chair })).body.hash,
    ).toBe(r1.body.hash);
    const diff = await docs.app.api('GET', `/api/compounds/${docs.app.compoundId}/proposals/${id}/revisions/1/diff/2`, {
      token: docs.chair,
    });
    expect(diff.body).toEqual([
      { op: 'same', text: '35号院平房改造' },
      { op: 'same', text: '<script>alert(1)</script>' },
      { op: 'added', text: '增加：施工期间临时安置。' },
      { op: 'same', text: '见鉴定报告' },
    ]);
    const listed = await docs.app.api('GET', `/api/compounds/${docs.app.compoundId}/proposals/${id}`, { token: docs.chair });
    expect(listed.body.revisions.map((r: { number: number }) => r.number)).toEqual([1, 2]);
  });

  it('anchors a comment to a range that follows the text as others edit around it; threads reply, resolve, reopen', async () => {
    const id = await newProposal();
    const a = await client('resident1', id);
    const b = await client('resident2', id);
    const p = paragraph('产权单位同意投入改造资金。');
    a.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [p]);
    await a.provider.whenAcknowledged();
    const text = p.get(0) as Y.XmlText;
    // Anchor "改造资金" (characters 8–12).
    const start = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, 8));
    const end = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, 12));
    const created = await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals/${id}/comments`, {
      token: (await docs.app.signIn('rights')).accessToken,
      body: {
        body: '资金上限是多少？',
        anchor: { start: Buffer.from(start).toString('base64'), end: Buffer.from(end).toString('base64'), quote: '改造资金' },
      },
    });
    expect(created.status).toBe(201);

    // Someone else edits before and inside the sentence, concurrently.
    await until(() => bodyText(b.doc).length > 0);
    const bText = (b.doc.getXmlFragment(DOC_BODY_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    bText.insert(0, '经协商，');
    bText.insert(bText.length, '（待审）');
    await b.provider.whenAcknowledged();
    await until(() => bodyText(a.doc) === bodyText(b.doc));

    const comments = (await docs.app.api('GET', `/api/compounds/${docs.app.compoundId}/proposals/${id}/comments`, { token: docs.chair }))
      .body;
    const anchor = comments[0].anchor;
    const from = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(anchor.start, 'base64')), a.doc)!;
    const to = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(anchor.end, 'base64')), a.doc)!;
    expect(text.toString().slice(from.index, to.index)).toBe('改造资金');

    const rights = (await docs.app.signIn('rights')).accessToken;
    const reply = await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals/${id}/comments/${created.body.id}/replies`, {
      token: docs.chair,
      body: { body: '上限80万元。' },
    });
    expect(reply.body).toEqual(
      expect.objectContaining({ threadId: created.body.id, parentId: created.body.id, authorName: '张主任（居委会）' }),
    );
    expect(
      (
        await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals/${id}/comments/${created.body.id}/resolve`, {
          token: (await docs.app.signIn('resident2')).accessToken,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals/${id}/comments/${created.body.id}/resolve`, {
          token: rights,
        })
      ).status,
    ).toBe(204);
    let thread = (await docs.app.api('GET', `/api/compounds/${docs.app.compoundId}/proposals/${id}/comments`, { token: docs.chair })).body;
    expect(thread.map((c: { resolved: boolean }) => c.resolved)).toEqual([true, true]);
    await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals/${id}/comments/${created.body.id}/reopen`, {
      token: docs.chair,
    });
    thread = (await docs.app.api('GET', `/api/compounds/${docs.app.compoundId}/proposals/${id}/comments`, { token: docs.chair })).body;
    expect(thread.map((c: { resolved: boolean }) => c.resolved)).toEqual([false, false]);
  });

  it('refuses hostile input (random and mutated updates, oversized messages) and keeps the document intact and the server serving', async () => {
    const id = await newProposal();
    const honest = await client('resident1', id);
    honest.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('正常内容')]);
    await honest.provider.whenAcknowledged();
    const attacker = await client('resident2', id);
    const good = Y.encodeStateAsUpdate(honest.doc);
    let refused = 0;
    let accepted = 0;
    for (let i = 0; i < 150; i++) {
      let bytes: Uint8Array;
      if (i % 3 === 0) bytes = randomBytes(1 + (i % 200));
      else {
        bytes = new Uint8Array(good);
        for (let k = 0; k < 1 + (i % 5); k++) bytes[(i * 7919 + k * 104729) % bytes.length] = (i * 31 + k) & 0xff;
      }
      const ack = (await raw(attacker.socket).emitWithAck('doc:sync', { docId: id, message: syncMessage(2, bytes) })) as {
        ok: boolean;
        error?: { code: string };
      };
      if (ack.ok) accepted++;
      else {
        expect(['VALIDATION_FAILED', 'OUT_OF_SYNC']).toContain(ack.error!.code);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(50);
    expect(refused + accepted).toBe(150);
    const huge = (await raw(attacker.socket).emitWithAck('doc:sync', { docId: id, message: new Uint8Array(300 * 1024) })) as {
      ok: boolean;
      error: { code: string };
    };
    expect(huge.error.code).toBe('VALIDATION_FAILED');
    // The honest client goes on editing, and every node's stored document loads.
    honest.doc.getXmlFragment(DOC_BODY_FIELD).insert(1, [paragraph('之后的内容')]);
    await honest.provider.whenAcknowledged();
    const stored = await storedDoc(docs.app.db, id);
    expect(bodyText(stored.doc)).toContain('之后的内容');
    expect(bodyText(stored.doc)).toContain('正常内容');
    expect((await docs.app.api('GET', '/api/health')).status).toBe(200);
  });

  it('compaction racing with edits loses nothing', async () => {
    const id = await newProposal();
    const a = await client('resident1', id);
    const text = new Y.XmlText();
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    a.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [p]);
    const store = docs.app.app.get(DocStore);
    const compactions: Array<Promise<void>> = [];
    for (let i = 0; i < 300; i++) {
      text.insert(text.length, `${i},`);
      if (i % 20 === 0) {
        await new Promise((r) => setTimeout(r, 1));
        compactions.push(store.compact(id));
      }
    }
    await a.provider.whenAcknowledged();
    await Promise.all(compactions);
    await store.compact(id);
    const stored = await storedDoc(docs.app.db, id);
    expect(bodyText(stored.doc)).toBe(Array.from({ length: 300 }, (_, i) => `${i},`).join(''));
    const [{ n }] = await docs.app.db.query(`SELECT count(*)::int AS n FROM doc_update WHERE doc_id = $1`, [id]);
    expect(n).toBe(0);
    // It ran in the background worker, a thread that yields the CPU to those edits wait on.
    expect(threadNiceness()).toContain(5);
  });
});

describe('a busy document', () => {
  const docs = docSpec({ DOC_COMPACT_AFTER: '20' });
  const hasSnapshot = async (id: string) => (await docs.app.db.query(`SELECT 1 FROM doc_snapshot WHERE doc_id = $1`, [id])).length === 1;

  it('is folded into its snapshot once DOC_COMPACT_AFTER updates are logged, and loads whole from it', async () => {
    const id = await docs.newProposal();
    const a = await docs.client('resident1', id);
    const text = new Y.XmlText();
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    a.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [p]);
    await a.provider.whenAcknowledged();
    const logged = async () =>
      (await docs.app.db.query(`SELECT count(*)::int AS n FROM doc_update WHERE doc_id = $1`, [id]))[0].n as number;
    const folded = () => hasSnapshot(id);
    // One acknowledged update at a time: 19 logged, none folded yet.
    for (let i = 0; i < 18; i++) {
      text.insert(text.length, `${i},`);
      await a.provider.whenAcknowledged();
    }
    expect(await logged()).toBe(19);
    expect(await folded()).toBe(false);
    for (let i = 18; i < 30; i++) {
      text.insert(text.length, `${i},`);
      await a.provider.whenAcknowledged();
    }
    await until(folded);
    expect(await logged()).toBeLessThan(20);
    const stored = await storedDoc(docs.app.db, id);
    expect(bodyText(stored.doc)).toBe(Array.from({ length: 30 }, (_, i) => `${i},`).join(''));
  });

  it('is folded once its log holds 1 MB, however few updates that is', async () => {
    const id = await docs.newProposal();
    const a = await docs.client('resident1', id);
    const folded = () => hasSnapshot(id);
    // Pastes of 200,000 characters: five make a log just under 1 MiB, the sixth passes it.
    const paste = async (i: number) => {
      a.doc.getXmlFragment(DOC_BODY_FIELD).insert(i, [paragraph(String(i).repeat(200_000))]);
      await a.provider.whenAcknowledged();
    };
    for (let i = 0; i < 5; i++) await paste(i);
    expect(await folded()).toBe(false);
    await paste(5);
    await until(folded);
    const stored = await storedDoc(docs.app.db, id);
    expect(
      bodyText(stored.doc)
        .split('\n')
        .map((t) => t.length),
    ).toEqual(Array(6).fill(200_000));
  });
});

describe('edits that arrive close together', () => {
  const GAP_MS = 1000;
  const docs = docSpec({ DOC_COMMIT_GAP_MS: String(GAP_MS) });

  it('saves a lone edit at once, and edits that follow within DOC_COMMIT_GAP_MS together in one insert', async () => {
    const id = await docs.newProposal();
    const [a, b, c] = await Promise.all(['resident1', 'resident2', 'resident3'].map((who) => docs.client(who, id)));
    // The first edit after a quiet spell is not held.
    let t0 = performance.now();
    a!.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('甲')]);
    await a!.provider.whenAcknowledged();
    expect(performance.now() - t0).toBeLessThan(GAP_MS / 2);
    await until(() => bodyText(b!.doc) === '甲' && bodyText(c!.doc) === '甲');

    // Three people type right after it: they are shown each other's words at once, and saved
    // together when the gap since the last insert has passed.
    t0 = performance.now();
    a!.doc.getXmlFragment(DOC_BODY_FIELD).insert(1, [paragraph('乙')]);
    await until(() => bodyText(b!.doc).includes('乙'));
    expect(performance.now() - t0).toBeLessThan(GAP_MS / 2);
    b!.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('丙')]);
    c!.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('丁')]);
    await Promise.all([a, b, c].map((x) => x!.provider.whenAcknowledged()));
    expect(performance.now() - t0).toBeGreaterThan(GAP_MS / 2);
    const inserts = await docs.app.db.query(
      `SELECT count(DISTINCT xmin::text)::int AS n, count(*)::int AS rows FROM doc_update WHERE doc_id = $1`,
      [id],
    );
    // The lone edit, then one insert for the three (the proposal starts empty; a provider may send
    // an edit as more than one update, so rows are counted, not assumed).
    expect(inserts[0].rows).toBeGreaterThanOrEqual(4);
    expect(inserts[0].n).toBeLessThanOrEqual(inserts[0].rows - 2);
    const stored = await storedDoc(docs.app.db, id);
    expect(bodyText(stored.doc).split('\n').sort()).toEqual(['丁', '丙', '乙', '甲'].sort());
  });
});

/** The scheduling niceness of each thread of this process (Linux: field 19 of /proc/…/stat). */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').map((tid) =>
    Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]),
  );
}
