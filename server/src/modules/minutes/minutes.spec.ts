import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_GENESIS_PREFIX, canonicalJson, DOC_BODY_FIELD, type MinutesView, type RoundView, SocketIOProvider } from '@yishi/shared';
import * as Y from 'yjs';
import { raw, until } from '../../testing/doc-sockets';
import { writeDoc } from '../../testing/docs';
import { type ClientSocket, connect, send } from '../../testing/sockets';
import { storedDoc } from '../../testing/stored-doc';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { minutesHash } from './minutes.service';

const paragraph = (text: string) => {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  t.insert(0, text);
  p.insert(0, [t]);
  return p;
};
const textOf = (doc: Y.Doc) =>
  doc
    .getXmlFragment(DOC_BODY_FIELD)
    .toArray()
    .map((n) => (n as Y.XmlElement).toArray().map(String).join(''))
    .join('\n');

describe('minutes of a meeting', () => {
  let t: TestApp;
  let chair: string;
  let recorder: string;
  let reader: string;
  const sockets: ClientSocket[] = [];
  const providers: SocketIOProvider[] = [];
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  const socket = async (token: string) => {
    const s = await connect(t.baseUrl, token);
    sockets.push(s);
    return s;
  };
  const client = async (token: string, docId: string) => {
    const s = await socket(token);
    const doc = new Y.Doc();
    const errors: string[] = [];
    const provider = new SocketIOProvider(s, docId, doc, { onError: (code) => errors.push(code) });
    providers.push(provider);
    await provider.whenSynced();
    return { socket: s, doc, provider, errors };
  };
  /** A meeting, opened by the chair over the socket. */
  const liveMeeting = async (title: string) => {
    const res = await api('POST', '/meetings', chair, {
      title,
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      place: '35号院活动室',
      agenda: [{ title: '平房改造方案' }],
    });
    expect(res.status).toBe(201);
    const s = await socket(chair);
    expect((await send(s, 'meeting:open', { meetingId: res.body.id })).ok).toBe(true);
    return { id: res.body.id as string, chairSocket: s };
  };
  const userId = async (login: string) => (await t.db.query(`SELECT id FROM app_user WHERE username = $1`, [login]))[0].id as string;

  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
    recorder = (await t.signIn('resident1')).accessToken;
    reader = (await t.signIn('resident2')).accessToken;
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('are co-edited live by the chair and the recorder, read by members, and frozen with a hash into the audit chain; no edit is accepted after', async () => {
    const meeting = await liveMeeting('第18次议事会');
    const base = `/meetings/${meeting.id}/minutes`;
    const first = (await api('GET', base, chair)).body as MinutesView;
    expect(first).toMatchObject({ meetingId: meeting.id, recorder: null, canEdit: true, closed: null });
    // Only the chair names the recorder, and only a member of the compound.
    expect((await api('PUT', `${base}/recorder`, recorder, { userId: await userId('resident1') })).status).toBe(403);
    const stranger = await api('PUT', `${base}/recorder`, chair, { userId: randomUUID() });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.fields).toEqual([{ path: 'userId', message: 'no such member of this compound' }]);
    const named = await api('PUT', `${base}/recorder`, chair, { userId: await userId('resident1') });
    expect(named.body.recorder).toEqual({ userId: await userId('resident1'), name: expect.any(String) });
    expect((await api('GET', base, recorder)).body.canEdit).toBe(true);
    expect((await api('GET', base, reader)).body.canEdit).toBe(false);

    const a = await client(chair, first.id);
    const b = await client(recorder, first.id);
    const r = await client(reader, first.id);
    expect([a.provider.canEdit, b.provider.canEdit, r.provider.canEdit]).toEqual([true, true, false]);
    a.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('会议由王主任主持。')]);
    b.doc.getXmlFragment(DOC_BODY_FIELD).push([paragraph('居民对资金来源提出疑问，产权单位当场答复。')]);
    await Promise.all([a.provider.whenAcknowledged(), b.provider.whenAcknowledged()]);
    await until(() => textOf(a.doc) === textOf(b.doc) && textOf(r.doc) === textOf(a.doc) && textOf(a.doc).split('\n').length === 2);
    // A reader's hand-made update is refused.
    const forged = new Y.Doc();
    forged.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('伪造')]);
    const forgedMsg = (type: number) => {
      const u = Y.encodeStateAsUpdate(forged);
      return new Uint8Array([type, ...varUint(u.length), ...u]);
    };
    expect((await raw(r.socket).emitWithAck('doc:sync', { docId: first.id, message: forgedMsg(2) })).error.code).toBe('FORBIDDEN');

    // The recorder may not close; the chair closes once.
    expect((await api('POST', `${base}/close`, recorder)).status).toBe(403);
    const closed = await api('POST', `${base}/close`, chair);
    expect(closed.status).toBe(200);
    const view = closed.body as MinutesView;
    const expectedText = textOf(a.doc);
    expect(view.canEdit).toBe(false);
    expect(view.closed!.text).toBe(expectedText);
    expect(view.closed!.html).toBe(
      expectedText
        .split('\n')
        .map((p) => `<p>${p}</p>`)
        .join(''),
    );
    expect(view.closed!.hash).toBe(minutesHash(view.closed!.html, canonicalJson(view.record)));
    const entries = await t.db.query(`SELECT kind, body FROM audit_entry WHERE chain_id = $1 ORDER BY seq`, [first.id]);
    expect(entries.map((e: { kind: string }) => e.kind)).toEqual(['minutes.closed']);
    expect(JSON.parse(entries[0].body)).toMatchObject({ hash: view.closed!.hash, meeting: meeting.id });
    expect((await api('POST', `${base}/close`, chair)).status).toBe(409);
    expect((await api('PUT', `${base}/recorder`, chair, { userId: null })).status).toBe(409);

    // After closing: the editors' sockets lost the document, a rejoin is read-only, and an edit is refused.
    const [{ n: logged }] = await t.db.query(`SELECT count(*)::int AS n FROM doc_update WHERE doc_id = $1`, [first.id]);
    const late = new Y.Doc();
    Y.applyUpdate(late, Y.encodeStateAsUpdate(a.doc));
    late.getXmlFragment(DOC_BODY_FIELD).push([paragraph('会后补改')]);
    const lateUpdate = Y.encodeStateAsUpdate(late, Y.encodeStateVector(a.doc));
    const lateMsg = new Uint8Array([2, ...varUint(lateUpdate.length), ...lateUpdate]);
    const refused = await raw(b.socket).emitWithAck('doc:sync', { docId: first.id, message: lateMsg });
    expect(refused.ok).toBe(false);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.error.code);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.error.code);
    expect(await raw(b.socket).emitWithAck('doc:join', { docId: first.id })).toEqual({ ok: true, canEdit: false });
    expect((await raw(b.socket).emitWithAck('doc:sync', { docId: first.id, message: lateMsg })).error.code).toBe('FORBIDDEN');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM doc_update WHERE doc_id = $1`, [first.id]))[0].n).toBe(logged);
    expect(textOf((await storedDoc(t.db, first.id)).doc)).toBe(expectedText);
    expect((await api('GET', base, reader)).body.closed.hash).toBe(view.closed!.hash);
  });

  it('refuse a hostile member, an outsider and bad input, and take the right to edit from a recorder the chair clears', async () => {
    const meeting = await liveMeeting('第21次议事会');
    const base = `/meetings/${meeting.id}/minutes`;
    const view = (await api('GET', base, chair)).body as MinutesView;
    // Someone signed in but of no compound: neither the minutes nor their document.
    await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'outsider', '外人', password_hash FROM app_user WHERE username = 'chair'`,
    );
    const outsider = (await t.signIn('outsider')).accessToken;
    expect((await api('GET', base, outsider)).status).toBe(404);
    expect((await api('GET', `${base}/minutes.pdf`, outsider)).status).toBe(404);
    const os = await socket(outsider);
    expect((await raw(os).emitWithAck('doc:join', { docId: view.id })).ok).toBe(false);
    // Bad input, with field messages, and nothing written.
    for (const body of [{ userId: 'x' }, { userId: null, extra: 1 }, {}]) {
      const res = await api('PUT', `${base}/recorder`, chair, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await api('GET', `/meetings/${randomUUID()}/minutes`, chair)).status).toBe(404);
    // Minutes of a meeting never held cannot be closed, and start no chain.
    const scheduled = await api('POST', '/meetings', chair, {
      title: '未召开的会',
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const unheld = (await api('GET', `/meetings/${scheduled.body.id}/minutes`, chair)).body as MinutesView;
    expect((await api('POST', `/meetings/${scheduled.body.id}/minutes/close`, chair)).status).toBe(409);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_chain WHERE chain_id = $1`, [unheld.id]))[0].n).toBe(0);

    // The recorder types, then the chair clears the recorder: their socket loses the document, a rejoin is read-only.
    await api('PUT', `${base}/recorder`, chair, { userId: await userId('resident1') });
    const b = await client(recorder, view.id);
    expect(b.provider.canEdit).toBe(true);
    b.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('记录人写的')]);
    await b.provider.whenAcknowledged();
    expect((await api('PUT', `${base}/recorder`, chair, { userId: null })).body.recorder).toBeNull();
    const extra = new Y.Doc();
    extra.getXmlFragment(DOC_BODY_FIELD).insert(0, [paragraph('撤销后又写')]);
    const u = Y.encodeStateAsUpdate(extra);
    const msg = new Uint8Array([2, ...varUint(u.length), ...u]);
    // Refused at once, whether or not the socket has left the document yet.
    const refused = await raw(b.socket).emitWithAck('doc:sync', { docId: view.id, message: msg });
    expect(refused.ok).toBe(false);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.error.code);
    expect(await raw(b.socket).emitWithAck('doc:join', { docId: view.id })).toEqual({ ok: true, canEdit: false });
    expect(textOf((await storedDoc(t.db, view.id)).doc)).toBe('记录人写的');
  });

  it('chain their closing so anyone can check it: genesis, link and hash recomputed from the stored entry', async () => {
    const meeting = await liveMeeting('第22次议事会');
    const view = (await api('POST', `/meetings/${meeting.id}/minutes/close`, chair)).body as MinutesView;
    const [e] = await t.db.query(`SELECT seq, prev_hash, hash, body FROM audit_entry WHERE chain_id = $1`, [view.id]);
    const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
    expect(e.prev_hash).toBe(sha(AUDIT_GENESIS_PREFIX + view.id));
    expect(e.hash).toBe(sha(e.prev_hash + e.body));
    expect(JSON.parse(e.body)).toMatchObject({ kind: 'minutes.closed', minutes: view.id, hash: view.closed!.hash, seq: 1 });
    // Empty minutes close too: the record is what was stored.
    expect(view.closed!.text).toBe('');
  });

  it('keep the automatic record of a meeting with two rounds, built from what was stored', async () => {
    const meeting = await liveMeeting('第19次议事会');
    const resident = await socket(recorder);
    const [h] = await t.db.query(
      `SELECT m.household_id AS id, u.id AS user_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.username = 'resident1' AND m.household_id IS NOT NULL`,
    );
    expect((await api('PUT', `/households/${h.id}/voter`, chair, { userId: h.user_id })).status).toBe(204);
    expect((await send(resident, 'attendance:check-in', { meetingId: meeting.id, onSite: true })).ok).toBe(true);
    expect((await send(resident, 'hand:raise', { meetingId: meeting.id })).ok).toBe(true);
    expect((await send(meeting.chairSocket, 'floor:give', { meetingId: meeting.id })).ok).toBe(true);
    expect((await send(meeting.chairSocket, 'floor:end', { meetingId: meeting.id })).ok).toBe(true);

    const p = await api('POST', '/proposals', chair, { title: '平房改造方案', kind: 'renovation' });
    await writeDoc(t.baseUrl, chair, p.body.id, { lines: [] });
    const rounds: RoundView[] = [];
    for (const [n, choice] of [
      [1, 'against'],
      [2, 'for'],
    ] as const) {
      expect((await api('POST', `/proposals/${p.body.id}/revisions`, chair)).status).toBe(201);
      const opened = await api('POST', `/proposals/${p.body.id}/rounds`, chair, {
        revisionNumber: n,
        question: null,
        rule: 'simple_majority',
        meetingId: meeting.id,
      });
      expect(opened.status).toBe(201);
      const round = opened.body as RoundView;
      const cast = await raw(resident).emitWithAck('vote:cast', {
        roundId: round.id,
        ballotId: randomUUID(),
        householdId: h.id,
        revisionId: round.revisionId,
        choice,
        ...(choice === 'against' ? { reason: '资金来源不清楚' } : {}),
      });
      expect(cast.ok).toBe(true);
      const closed = await api('POST', `/rounds/${round.id}/close`, chair);
      expect(closed.status).toBe(200);
      rounds.push(closed.body);
      if (n === 1) {
        const [thread] = await t.db.query(`SELECT id FROM comment WHERE round_id = $1 AND objection = 'against'`, [round.id]);
        expect(
          (await api('POST', `/proposals/${p.body.id}/comments/${thread.id}/replies`, chair, { body: '产权单位已同意出资' })).status,
        ).toBe(201);
      }
    }
    expect((await send(meeting.chairSocket, 'meeting:adjourn', { meetingId: meeting.id })).ok).toBe(true);

    const { record } = (await api('GET', `/meetings/${meeting.id}/minutes`, reader)).body as MinutesView;
    const [resident1] = await t.db.query(`SELECT display_name FROM app_user WHERE username = 'resident1'`);
    const name = resident1.display_name as string;
    expect(record.attendance).toMatchObject({ people: 1, onSite: 1, online: 0, registered: 0, names: [name] });
    expect(record.attendance.present.households).toBe(1);
    expect(record.attendance.eligible.households).toBe(36);
    expect(record.agenda).toEqual([{ position: 1, title: '平房改造方案', status: expect.any(String) }]);
    expect(record.speakers).toEqual([{ name, turns: 1, seconds: expect.any(Number) }]);
    const question = (n: number) => ({ key: 'vote.defaultQuestion', params: { title: '平房改造方案', n } });
    expect(record.rounds).toEqual([
      {
        proposalTitle: '平房改造方案',
        number: 1,
        revisionNumber: 1,
        question: question(1),
        rule: 'simple_majority',
        art278Item: null,
        passed: false,
        for: 0,
        against: 1,
        abstain: 0,
        notVoted: 35,
        closeHash: rounds[0]!.result!.closeHash,
      },
      {
        proposalTitle: '平房改造方案',
        number: 2,
        revisionNumber: 2,
        question: question(2),
        rule: 'simple_majority',
        art278Item: null,
        passed: true,
        for: 1,
        against: 0,
        abstain: 0,
        notVoted: 35,
        closeHash: rounds[1]!.result!.closeHash,
      },
    ]);
    expect(record.decisions).toEqual([{ proposalTitle: '平房改造方案', roundNumber: 2, rule: 'simple_majority' }]);
    expect(record.objections).toEqual([
      {
        proposalTitle: '平房改造方案',
        roundNumber: 1,
        stance: 'against',
        author: name,
        body: '资金来源不清楚',
        answers: [{ author: expect.any(String), body: '产权单位已同意出资' }],
      },
    ]);
  });

  it('export as Markdown and as an A4 PDF whose text is the Chinese minutes and record', async () => {
    const meeting = await liveMeeting('第20次议事会');
    const view = (await api('GET', `/meetings/${meeting.id}/minutes`, chair)).body as MinutesView;
    const a = await client(chair, view.id);
    a.doc
      .getXmlFragment(DOC_BODY_FIELD)
      .insert(0, [paragraph('平房改造方案全票通过，产权单位同意出资。'), paragraph('# 不是标题 [链接](http://x)')]);
    await a.provider.whenAcknowledged();

    const mdRes = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/meetings/${meeting.id}/minutes/minutes.md`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(mdRes.headers.get('content-type')).toContain('text/markdown');
    const md = await mdRes.text();
    expect(md).toContain('# 第20次议事会 会议纪要');
    expect(md).toContain('平房改造方案全票通过，产权单位同意出资。');
    // User text cannot become a heading or a link.
    expect(md).toContain('\\# 不是标题 \\[链接\\](http://x)');
    expect(md).toContain('### 出席情况');

    const pdfRes = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/meetings/${meeting.id}/minutes/minutes.pdf`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    const file = join(mkdtempSync(join(tmpdir(), 'minutes-')), 'minutes.pdf');
    writeFileSync(file, Buffer.from(await pdfRes.arrayBuffer()));
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('第20次议事会会议纪要');
    expect(text).toContain('平房改造方案全票通过，产权单位同意出资。');
    expect(text).toContain('自动记录');
    expect(text).toContain('出席情况');
    expect(text).toContain('地点：35号院活动室');

    const anonymous = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/meetings/${meeting.id}/minutes/minutes.pdf`);
    expect(anonymous.status).toBe(401);
  });
});

/** lib0's variable-length unsigned integer, for hand-made sync messages. */
function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n >>>= 7;
  }
  out.push(n);
  return out;
}
