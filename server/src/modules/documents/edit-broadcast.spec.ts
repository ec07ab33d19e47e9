import { decodeSyncMessages } from '@yishi/shared';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { docSpec, raw, syncMessage, until } from '../../testing/doc-sockets';
import { connect } from '../../testing/sockets';
import { storedDoc } from '../../testing/stored-doc';

const text = (doc: Y.Doc) => doc.getText('probe').toString();

/**
 * Followers see an edit as soon as the server has applied it, not once it is committed; the
 * author is told "saved" only after the commit; a commit that fails after the edit went out is
 * undone everywhere it must be, and the edit comes back and is stored.
 */
describe('edits reach the followers before the commit, and nothing is lost when the commit fails', () => {
  const docs = docSpec();
  const { client, newProposal } = docs;

  it('a follower sees the text while the database still holds the commit; the author is told saved only after it', async () => {
    const id = await newProposal();
    const author = await client('resident1', id);
    const follower = await client('resident2', id);
    // The update log is locked against inserts: the commit waits.
    const lock = docs.app.db.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    let saved = false;
    try {
      await lock.query('LOCK TABLE doc_update IN SHARE MODE');
      author.doc.getText('probe').insert(0, '先拆后建');
      const acknowledged = author.provider.whenAcknowledged().then(() => (saved = true));
      await until(() => text(follower.doc) === '先拆后建');
      expect(saved).toBe(false);
      expect(author.provider.pending).toBeGreaterThan(0);
      await lock.commitTransaction();
      await acknowledged;
    } finally {
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      await lock.release();
    }
    expect(saved).toBe(true);
    expect((await storedDoc(docs.app.db, id)).doc.getText('probe').toString()).toBe('先拆后建');
  });

  it('when the commit fails after the edit went out, the follower is told to sync again and both end equal to what is stored', async () => {
    const id = await newProposal();
    const author = await client('resident1', id);
    const follower = await client('resident2', id);
    const resets: string[] = [];
    follower.socket.on('doc:reset' as never, ((e: { docId: string }) => resets.push(e.docId)) as never);
    await docs.app.db.query(`CREATE OR REPLACE FUNCTION refuse_doc_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await docs.app.db.query(
      `CREATE TRIGGER refuse_doc_update BEFORE INSERT ON doc_update FOR EACH ROW EXECUTE FUNCTION refuse_doc_update()`,
    );
    try {
      author.doc.getText('probe').insert(0, '资金由产权单位承担');
      // It went out as soon as it was applied; its commit then failed.
      await until(() => text(follower.doc) === '资金由产权单位承担');
      await until(() => resets.includes(id));
      expect((await storedDoc(docs.app.db, id)).doc.getText('probe').toString()).toBe('');
      expect(author.provider.pending).toBeGreaterThan(0);
    } finally {
      await docs.app.db.query('DROP TRIGGER IF EXISTS refuse_doc_update ON doc_update');
    }
    // The author sends it again (it was refused for a passing reason): stored once, everyone equal.
    await author.provider.whenAcknowledged();
    await until(() => text(follower.doc) === '资金由产权单位承担');
    const stored = (await storedDoc(docs.app.db, id)).doc.getText('probe').toString();
    expect(stored).toBe('资金由产权单位承担');
    expect(text(author.doc)).toBe(stored);
    expect(author.errors).toEqual([]);
    // A newcomer gets exactly what is stored.
    const late = await client('observer', id);
    expect(text(late.doc)).toBe(stored);
  });

  it('a follower sending back a change it was passed before its commit is told saved only if that commit succeeds', async () => {
    const id = await newProposal();
    const author = await client('resident1', id);
    const follower = await client('resident2', id);
    await docs.app.db.query(`CREATE OR REPLACE FUNCTION refuse_doc_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await docs.app.db.query(
      `CREATE TRIGGER refuse_doc_update BEFORE INSERT ON doc_update FOR EACH ROW EXECUTE FUNCTION refuse_doc_update()`,
    );
    const lock = docs.app.db.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    try {
      // The commit waits on the lock, and then fails.
      await lock.query('LOCK TABLE doc_update IN SHARE MODE');
      author.doc.getText('probe').insert(0, '增设电梯');
      await until(() => text(follower.doc) === '增设电梯');
      // The follower sends the same change back: nothing new to the server, but not stored either.
      const resent = (follower.socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<any> }).emitWithAck(
        'doc:sync',
        { docId: id, message: syncMessage(2, Y.encodeStateAsUpdate(follower.doc)) },
      );
      let answered = false;
      void resent.then(() => (answered = true));
      // The server takes a socket's messages in order: once a later one is answered, the resend
      // has been taken in, while the author's commit is still held by the lock.
      await raw(follower.socket).emitWithAck('doc:leave', { docId: randomUUID() });
      expect(answered).toBe(false);
      await lock.commitTransaction();
      expect(await resent).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNAVAILABLE' }) });
    } finally {
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      await lock.release();
      await docs.app.db.query('DROP TRIGGER IF EXISTS refuse_doc_update ON doc_update');
    }
    await author.provider.whenAcknowledged();
    expect((await storedDoc(docs.app.db, id)).doc.getText('probe').toString()).toBe('增设电梯');
  });

  it('a burst of edits reaches a follower gathered: several updates to a message, applied in order', async () => {
    const id = await newProposal();
    const author = await client('resident1', id);
    const follower = await client('resident2', id);
    const events: number[] = [];
    follower.socket.on(
      'doc:sync' as never,
      ((e: { message: ArrayBuffer }) => events.push(decodeSyncMessages(new Uint8Array(e.message)).length)) as never,
    );
    // A client that does not say it reads several updates to an event (an older app) gets one each.
    const older = await connect(docs.app.baseUrl, (await docs.app.signIn('resident3')).accessToken);
    const olderEvents: number[] = [];
    const olderDoc = new Y.Doc();
    older.on(
      'doc:sync' as never,
      ((e: { message: ArrayBuffer }) => {
        const messages = decodeSyncMessages(new Uint8Array(e.message));
        olderEvents.push(messages.length);
        for (const m of messages) if (m.type === 2) Y.applyUpdate(olderDoc, m.payload);
      }) as never,
    );
    // Anything but a boolean is refused, and joins nothing.
    expect(await raw(older).emitWithAck('doc:join', { docId: id, batched: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await raw(older).emitWithAck('doc:join', { docId: id })).toMatchObject({ ok: true });
    Y.applyUpdate(olderDoc, Y.encodeStateAsUpdate(author.doc));
    // Ten updates, each its own message, sent without waiting for answers (as ten typists would).
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(author.doc));
    const updates: Uint8Array[] = [];
    local.on('update', (u: Uint8Array) => updates.push(u));
    for (const word of ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'])
      local.getText('probe').insert(local.getText('probe').length, word);
    const acks = updates.map((u) => raw(author.socket).emitWithAck('doc:sync', { docId: id, message: syncMessage(2, u) }));
    expect(await Promise.all(acks)).toEqual(updates.map(() => expect.objectContaining({ ok: true })));
    await until(() => text(follower.doc) === '一二三四五六七八九十');
    // Fewer messages than updates: the document was busy, and what it held went out together.
    expect(events.reduce((a, b) => a + b, 0)).toBe(10);
    expect(events.length).toBeLessThan(10);
    expect(Math.max(...events)).toBeGreaterThan(1);
    await until(() => olderDoc.getText('probe').toString() === '一二三四五六七八九十');
    expect(olderEvents.filter((n) => n !== 1)).toEqual([]);
    older.close();
  });
});
