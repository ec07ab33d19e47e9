import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NoticeView } from '@yishi/shared';
import { seedProjects } from '../../seed/demo-projects';
import { adoptThroughTwoRounds, TWO_ROUNDS } from '../../testing/adopted-proposal';
import { type ClientSocket, connect, waitFor } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

/** 公示 through the real server: publish, object, answer, the period's end, the public page, withdrawal, and hostile callers. */
describe('public notices', () => {
  let t: TestApp;
  let tok: Record<'chair' | 'resident1' | 'resident2' | 'observer', string>;
  let outsider: string;
  let otherCompoundId: string;
  let proposalId: string;
  let roundIds: string[];
  const sockets: ClientSocket[] = [];
  const api = (method: string, path: string, token: string | undefined, body?: unknown, compoundId = t.compoundId) =>
    t.api(method, `/api/compounds/${compoundId}${path}`, { token, body });
  const chainCount = async (chainId: string, kind: string) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE chain_id = $1 AND kind = $2`, [chainId, kind]))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp();
    await seedProjects(t.db);
    const logins = ['chair', 'resident1', 'resident2', 'observer'] as const;
    tok = Object.fromEntries(await Promise.all(logins.map(async (l) => [l, (await t.signIn(l)).accessToken]))) as typeof tok;
    ({ proposalId, roundIds } = await adoptThroughTwoRounds(t, tok.chair));
    const [other] = await t.db.query(
      `INSERT INTO compound (community_id, name) SELECT community_id, '霞光里36号院' FROM compound WHERE id = $1 RETURNING id`,
      [t.compoundId],
    );
    otherCompoundId = other.id;
    await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'chair36', '36号院主任', password_hash FROM app_user WHERE username = 'chair'`,
    );
    await t.db.query(
      `INSERT INTO membership (user_id, compound_id, role) SELECT id, $1, 'chair' FROM app_user WHERE username = 'chair36'`,
      [otherCompoundId],
    );
    outsider = (await t.signIn('chair36')).accessToken;
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('publishes the adopted decision with its text and vote record; an objection inside the period is answered on the record, live', async () => {
    expect((await api('POST', '/notices', tok.resident1, { proposalId })).status).toBe(403);
    const res = await api('POST', '/notices', tok.chair, { proposalId, note: '请全体居民查阅' });
    expect(res.status).toBe(201);
    const notice = res.body as NoticeView;
    expect(notice).toMatchObject({
      state: 'open',
      isPublic: false,
      publicToken: null,
      subject: { kind: 'proposal', title: TWO_ROUNDS.title },
    });
    expect(notice.record.text).toContain(TWO_ROUNDS.secondDraft);
    expect(notice.record.rounds.map((r) => [r.number, r.passed, r.for.households, r.against.households])).toEqual([
      [1, false, 0, 1],
      [2, true, 1, 0],
    ]);
    // The default period: seven days.
    expect(Date.parse(notice.endsAt) - Date.parse(notice.publishedAt)).toBe(7 * 86_400_000);
    expect(await chainCount(proposalId, 'notice.published')).toBe(1);
    expect((await api('POST', '/notices', tok.chair, { proposalId })).body.error.code).toBe('NOTICE_EXISTS');

    // A neighbour has the notice open: the objection and the answer reach them without reloading.
    const watcher = await connect(t.baseUrl, tok.resident2);
    sockets.push(watcher);
    const raised = waitFor(watcher, 'notice:changed', (e) => e.noticeId === notice.id);
    const objected = await api('POST', `/notices/${notice.id}/objections`, tok.resident1, { body: '施工噪音时段没有写明。' });
    expect(objected.status).toBe(201);
    await raised;
    const [objection] = (objected.body as NoticeView).objections;
    expect(objection).toMatchObject({ body: '施工噪音时段没有写明。', raisedByName: expect.any(String), mine: true, answer: null });
    // Audited like a ballot: its receipt is the hash of its entry on the proposal's chain.
    const [entry] = await t.db.query(`SELECT hash, body FROM audit_entry WHERE chain_id = $1 AND kind = 'notice.objection'`, [proposalId]);
    expect(entry.hash).toBe(objection!.receipt);
    expect(JSON.parse(entry.body)).toMatchObject({ notice: notice.id, objection: objection!.id, text: '施工噪音时段没有写明。' });

    // A hostile resident tries to answer it: refused, nothing written.
    expect(
      (await api('POST', `/notices/${notice.id}/objections/${objection!.id}/answer`, tok.resident2, { answer: '没问题' })).status,
    ).toBe(403);
    const answeredLive = waitFor(watcher, 'notice:changed', (e) => e.noticeId === notice.id);
    const answered = await api('POST', `/notices/${notice.id}/objections/${objection!.id}/answer`, tok.chair, {
      answer: '施工时间为工作日8:00至18:00。',
    });
    expect(answered.status).toBe(200);
    await answeredLive;
    const seen = (await api('GET', `/notices/${notice.id}`, tok.resident2)).body as NoticeView;
    expect(seen.objections[0]).toMatchObject({ answer: '施工时间为工作日8:00至18:00。', answeredByName: expect.any(String), mine: false });
    expect(seen.can).toEqual({ object: true, answer: false, withdraw: false });
    expect(
      (await api('POST', `/notices/${notice.id}/objections/${objection!.id}/answer`, tok.chair, { answer: '再答一次' })).body.error.code,
    ).toBe('ALREADY_ANSWERED');
    expect(await chainCount(proposalId, 'notice.answered')).toBe(1);
    // Bad input is refused field by field, and writes nothing.
    const long = await api('POST', `/notices/${notice.id}/objections`, tok.resident1, { body: '长'.repeat(2001) });
    expect([long.status, long.body.error.fields.map((f: { path: string }) => f.path)]).toEqual([400, ['body']]);
    expect((await api('POST', `/notices/${notice.id}/objections`, tok.resident1, { body: '   ' })).status).toBe(400);
    expect((await api('POST', '/notices', tok.chair, { proposalId, objectionDays: 0 })).status).toBe(400);
    expect((await api('POST', '/notices', tok.chair, { proposalId, projectId: proposalId })).status).toBe(400);
    expect(await chainCount(proposalId, 'notice.objection')).toBe(1);
    // The chain with the notice's entries on it still verifies, link by link.
    expect((await api('GET', `/rounds/${roundIds[1]}/verify`, tok.resident2)).body).toMatchObject({ ok: true, problems: [] });
    // An observer (列席) only reads.
    expect((await api('POST', `/notices/${notice.id}/objections`, tok.observer, { body: '我也有意见' })).status).toBe(403);
  });

  it('refuses an objection after the period with a clear error and writes nothing', async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM notice WHERE proposal_id = $1 AND withdrawn_at IS NULL`, [proposalId]);
    // The period ends: written into the notice, not waited for.
    await t.db.query(`UPDATE notice SET ends_at = now() - interval '1 second' WHERE id = $1`, [id]);
    const before = await chainCount(proposalId, 'notice.objection');
    const late = await t.api('POST', `/api/compounds/${t.compoundId}/notices/${id}/objections`, {
      token: tok.resident2,
      body: { body: '我反对。' },
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'NOTICE_CLOSED', message: '公示期已结束，不能再提出异议' });
    expect(await chainCount(proposalId, 'notice.objection')).toBe(before);
    const view = (await api('GET', `/notices/${id}`, tok.resident2)).body as NoticeView;
    expect(view).toMatchObject({ state: 'ended', can: { object: false } });
    expect(view.objections).toHaveLength(1);
  });

  it('cannot be edited once published, only withdrawn with a reason by the chair', async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM notice WHERE proposal_id = $1 AND withdrawn_at IS NULL`, [proposalId]);
    const path = `/notices/${id}`;
    // No route edits a notice, and the table itself refuses a change of what was published.
    expect((await api('PATCH', path, tok.chair, { note: '改一下' })).status).toBe(404);
    expect((await api('PUT', path, tok.chair, { note: '改一下' })).status).toBe(404);
    await expect(t.db.query(`UPDATE notice SET note = '改一下' WHERE id = $1`, [id])).rejects.toThrow(/cannot be edited/);
    // A hostile resident tries to withdraw it.
    expect((await api('POST', `${path}/withdraw`, tok.resident1, { reason: '不喜欢' })).status).toBe(403);
    const noReason = await api('POST', `${path}/withdraw`, tok.chair, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['reason']);
    const withdrawn = await api('POST', `${path}/withdraw`, tok.chair, { reason: '资金方案有误，更正后重新公示。' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', withdrawReason: '资金方案有误，更正后重新公示。', can: { answer: false } });
    expect(await chainCount(proposalId, 'notice.withdrawn')).toBe(1);
    expect((await api('POST', `${path}/withdraw`, tok.chair, { reason: '再撤一次' })).body.error.code).toBe('NOTICE_WITHDRAWN');
    await expect(t.db.query(`UPDATE notice SET withdrawn_at = now() WHERE id = $1`, [id])).rejects.toThrow(/cannot be edited/);
  });

  it('shows a public notice without sign-in and without any name; a private one has no public page', async () => {
    const res = await api('POST', '/notices', tok.chair, { proposalId, isPublic: true, objectionDays: 10 });
    expect(res.status).toBe(201);
    const notice = res.body as NoticeView;
    expect(Date.parse(notice.endsAt) - Date.parse(notice.publishedAt)).toBe(10 * 86_400_000);
    const objected = (await api('POST', `/notices/${notice.id}/objections`, tok.resident1, { body: '请公布施工单位。' }))
      .body as NoticeView;
    await api('POST', `/notices/${notice.id}/objections/${objected.objections[0]!.id}/answer`, tok.chair, {
      answer: '施工单位确定后张贴在公告栏。',
    });
    const pub = await t.api('GET', `/api/public/notices/${notice.publicToken}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ publishedByName: null, publicToken: null, can: { object: false, answer: false, withdraw: false } });
    expect(pub.body.objections).toEqual([
      expect.objectContaining({
        body: '请公布施工单位。',
        raisedByName: null,
        answer: '施工单位确定后张贴在公告栏。',
        answeredByName: null,
      }),
    ]);
    const names: Array<{ display_name: string }> = await t.db.query(`SELECT display_name FROM app_user`);
    const text = JSON.stringify(pub.body);
    for (const { display_name } of names) expect(text).not.toContain(display_name);
    expect((await t.api('GET', `/api/public/notices/not-a-token`)).status).toBe(404);
    // The withdrawn, private notice of the same proposal has no token, so no public page.
    expect(
      (await t.db.query(`SELECT public_token FROM notice WHERE proposal_id = $1 AND withdrawn_at IS NOT NULL`, [proposalId]))[0],
    ).toEqual({
      public_token: null,
    });
  });

  it('publishes a finished project’s acceptance on a chain of its own, and another compound sees nothing of any of it', async () => {
    const [done] = await t.db.query(
      `SELECT id FROM project WHERE compound_id = $1 AND status = 'done' AND adopted_proposal_id IS NULL LIMIT 1`,
      [t.compoundId],
    );
    const [active] = await t.db.query(`SELECT id FROM project WHERE compound_id = $1 AND status = 'active' LIMIT 1`, [t.compoundId]);
    expect((await api('POST', '/notices', tok.chair, { projectId: active.id })).body.error.code).toBe('NOTICE_NOT_READY');
    const res = await api('POST', '/notices', tok.chair, { projectId: done.id, objectionDays: 3 });
    expect(res.status).toBe(201);
    expect(res.body.record.acceptance).toEqual({ satisfied: expect.any(Number), unsatisfied: expect.any(Number) });
    expect(await chainCount(res.body.id, 'notice.published')).toBe(1);

    const list = await api('GET', '/notices', tok.resident2);
    expect(list.body.map((n: { state: string }) => n.state).sort()).toEqual(['open', 'open', 'withdrawn']);
    // The other compound's chair: our routes answer 404, and theirs hold nothing of ours.
    expect((await api('GET', '/notices', outsider)).status).toBe(404);
    expect((await api('GET', `/notices/${res.body.id}`, outsider)).status).toBe(404);
    expect((await api('GET', '/notices', outsider, undefined, otherCompoundId)).body).toEqual([]);
    expect((await api('GET', `/notices/${res.body.id}`, outsider, undefined, otherCompoundId)).status).toBe(404);
    expect((await api('POST', `/notices/${res.body.id}/withdraw`, outsider, { reason: 'x' }, otherCompoundId)).status).toBe(404);
    const ours = await t.db.query(`SELECT o.id, o.notice_id FROM notice_objection o LIMIT 1`);
    expect(
      (await api('POST', `/notices/${ours[0].notice_id}/objections/${ours[0].id}/answer`, outsider, { answer: 'x' }, otherCompoundId))
        .status,
    ).toBe(404);
    expect((await api('POST', '/notices', outsider, { projectId: done.id }, otherCompoundId)).status).toBe(404);
    expect((await api('POST', '/notices', outsider, { proposalId }, otherCompoundId)).status).toBe(404);
  });

  it('prints any notice, also one that has no public page, as an A4 paper for the bulletin board that names nobody', async () => {
    // The first notice: private, with an objection answered on the record, then withdrawn with a reason.
    const [{ id }] = await t.db.query(`SELECT id FROM notice WHERE proposal_id = $1 AND NOT is_public`, [proposalId]);
    const pdfOf = (token: string | undefined, compoundId = t.compoundId) =>
      fetch(
        `${t.baseUrl}/api/compounds/${compoundId}/notices/${id}/notice.pdf`,
        token ? { headers: { authorization: `Bearer ${token}` } } : {},
      );
    const res = await pdfOf(tok.resident2);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const file = join(mkdtempSync(join(tmpdir(), 'notice-')), 'notice.pdf');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(`公示：${TWO_ROUNDS.title}`);
    expect(text).toContain('已撤回');
    expect(text).toContain('撤回原因：资金方案有误，更正后重新公示。');
    expect(text).toContain(TWO_ROUNDS.secondDraft.replace(/\s+/g, ''));
    expect(text).toContain('第1轮表决（第1版）：未通过');
    expect(text).toContain('第2轮表决（第2版）：通过');
    expect(text).toContain('一位居民');
    expect(text).toContain('施工噪音时段没有写明。');
    expect(text).toContain('主持人答复：施工时间为工作日8:00至18:00。');
    // A paper on a wall is read by anyone: no one's name is on it.
    const names: Array<{ display_name: string }> = await t.db.query(`SELECT display_name FROM app_user`);
    for (const { display_name } of names) expect(text).not.toContain(display_name.replace(/\s+/g, ''));
    // Nobody outside the compound prints it; without sign-in there is no paper either.
    expect((await pdfOf(outsider)).status).toBe(404);
    expect((await pdfOf(outsider, otherCompoundId)).status).toBe(404);
    expect((await pdfOf(undefined)).status).toBe(401);
  });
});
