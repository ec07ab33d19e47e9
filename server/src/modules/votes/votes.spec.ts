import { randomUUID } from 'node:crypto';
import type { FundingLineInput, RoundView, TallyView } from '@yishi/shared';
import { writeDoc } from '../../testing/docs';
import { type ClientSocket, connect, waitFor } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

/** The socket without the meeting typing, for vote commands. */
const raw = (s: ClientSocket) => s.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('recorded votes', () => {
  let t: TestApp;
  let chair: string;
  const sockets: ClientSocket[] = [];
  const open = async (login: string) => {
    const s = await connect(t.baseUrl, (await t.signIn(login)).accessToken);
    sockets.push(s);
    return s;
  };
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  /** The household of a demo resident, who is (again) made its designated voter by the chair. */
  const householdOf = async (login: string): Promise<string> => {
    const [h] = await t.db.query(
      `SELECT m.household_id AS id, u.id AS user_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.username = $1 AND m.household_id IS NOT NULL`,
      [login],
    );
    expect((await api('PUT', `/households/${h.id}/voter`, chair, { userId: h.user_id })).status).toBe(204);
    return h.id;
  };
  /** A proposal with one frozen revision (and, if given, a funding plan). */
  const proposal = async (title = '平房改造方案', lines: FundingLineInput[] = []) => {
    const p = await api('POST', '/proposals', chair, { title, kind: 'renovation' });
    await writeDoc(t.baseUrl, chair, p.body.id, { lines });
    const rev = await api('POST', `/proposals/${p.body.id}/revisions`, chair);
    return { id: p.body.id as string, revision: rev.body as { id: string; number: number; hash: string } };
  };
  const openRound = async (proposalId: string, revisionNumber: number, extra: Record<string, unknown> = {}) => {
    const res = await api('POST', `/proposals/${proposalId}/rounds`, chair, {
      revisionNumber,
      question: '是否同意平房改造方案？',
      rule: 'simple_majority',
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body as RoundView;
  };
  /** Makes one user the designated voter of every household of the compound (a test-only shortcut for the electorate). */
  const everyoneVotes = async () => {
    const users = await t.residents(36, 'v');
    for (const u of users) await t.db.query(`UPDATE household SET voter_user_id = $1 WHERE id = $2`, [u.userId, u.householdId]);
    // In the order of the units (building, gate, unit), so a test's first voters never include one
    // owner's two units (3号楼) or the developer's (6号楼), which must vote alike (SPLIT_STANCE).
    const order: Array<{ id: string }> = await t.db.query(
      `SELECT h.id FROM household h JOIN building b ON b.id = h.building_id LEFT JOIN building_gate g ON g.id = h.gate_id WHERE h.compound_id = $1 ORDER BY b.sort, b.name, g.sort, h.unit`,
      [t.compoundId],
    );
    const place = new Map(order.map((h, i) => [h.id, i]));
    return users.sort((a, b) => place.get(a.householdId)! - place.get(b.householdId)!);
  };
  const cast = (s: ClientSocket, round: RoundView, householdId: string, choice: string, extra: Record<string, unknown> = {}) =>
    raw(s).emitWithAck('vote:cast', {
      roundId: round.id,
      ballotId: randomUUID(),
      householdId,
      revisionId: round.revisionId,
      choice,
      ...extra,
    });

  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('opens a round only on a frozen revision, by the chair, with a rule that matches the motion', async () => {
    const p = await api('POST', '/proposals', chair, { title: '未定稿', kind: 'other' });
    const unfrozen = await api('POST', `/proposals/${p.body.id}/rounds`, chair, {
      revisionNumber: 1,
      question: '同意吗？',
      rule: 'unanimous',
    });
    expect(unfrozen.status).toBe(409);
    expect(unfrozen.body.error.code).toBe('NOT_FROZEN');

    const { id, revision } = await proposal();
    const resident = (await t.signIn('resident1')).accessToken;
    expect(
      (await api('POST', `/proposals/${id}/rounds`, resident, { revisionNumber: 1, question: '同意吗？', rule: 'unanimous' })).status,
    ).toBe(403);
    const mismatch = await api('POST', `/proposals/${id}/rounds`, chair, {
      revisionNumber: 1,
      question: '改建平房',
      rule: 'art278_ordinary',
      art278Item: 7,
    });
    expect(mismatch.body.error.code).toBe('RULE_MISMATCH');
    const noItem = await api('POST', `/proposals/${id}/rounds`, chair, { revisionNumber: 1, question: '改建平房', rule: 'art278_special' });
    expect(noItem.body.error.fields).toEqual([{ path: 'art278Item', message: 'required for an Article 278 rule' }]);

    const round = await openRound(id, revision.number, { rule: 'art278_special', art278Item: 7 });
    expect(round).toMatchObject({
      number: 1,
      status: 'open',
      revisionNumber: 1,
      revisionHash: revision.hash,
      proposalStatus: 'in_vote',
      totals: { households: 36 },
    });
    const again = await api('POST', `/proposals/${id}/rounds`, chair, { revisionNumber: 1, question: '再来', rule: 'unanimous' });
    expect(again.body.error.code).toBe('ROUND_ALREADY_OPEN');
    // Nothing was written by the refusals: one round, one opening entry.
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE chain_id = $1 AND kind = 'round.opened'`, [id]);
    expect(n).toBe(1);
  });

  it('takes a ballot from the designated voter, lets them change it with a reason, and shows the live tally to others', async () => {
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const voter = await open('resident1');
    const watcher = await open('chair');
    const followed = await raw(watcher).emitWithAck('vote:follow', { roundId: round.id });
    expect(followed.ok).toBe(true);
    expect(followed.tally.tally.participating.households).toBe(0);

    const mine = await raw(voter).emitWithAck('vote:follow', { roundId: round.id });
    const household = await householdOf('resident1');
    expect(mine.mine).toEqual([expect.objectContaining({ householdId: household, as: 'voter', ballot: null })]);

    const seesFor = waitFor(watcher as never, 'vote:tally' as never, ((tv: TallyView) => tv.tally.for.households === 1) as never);
    const first = await cast(voter, round, household, 'for');
    expect(first).toMatchObject({ ok: true, changed: false });
    expect(first.receipt).toMatch(/^[0-9a-f]{64}$/);
    await seesFor;

    const seesAgainst = waitFor(
      watcher as never,
      'vote:tally' as never,
      ((tv: TallyView) => tv.tally.against.households === 1 && tv.tally.for.households === 0) as never,
    );
    const second = await cast(voter, round, household, 'against', {
      reason: '补偿标准没有写清楚',
      anchor: { start: 'AQID', end: 'BAUG', quote: '补偿标准' },
    });
    expect(second).toMatchObject({ ok: true, changed: true });
    await seesAgainst;

    // The first receipt is in the chain but no longer counts; the second counts.
    const r1 = await api('GET', `/rounds/${round.id}/receipts/${first.receipt}`, chair);
    const r2 = await api('GET', `/rounds/${round.id}/receipts/${second.receipt}`, chair);
    expect(r1.body).toMatchObject({ kind: 'ballot.cast', choice: 'for', counted: false });
    expect(r2.body).toMatchObject({ kind: 'ballot.changed', choice: 'against', counted: true });
    // The short receipt the voter's screen shows ("3F9A·C21B") finds the same entry; a shorter one finds nothing.
    const shown = `${second.receipt.slice(0, 4)}·${second.receipt.slice(4, 8)}`.toUpperCase();
    const short = await api('GET', `/rounds/${round.id}/receipts/${encodeURIComponent(shown)}`, chair);
    expect(short.body).toMatchObject({ receipt: second.receipt, counted: true });
    expect((await api('GET', `/rounds/${round.id}/receipts/${second.receipt.slice(0, 7)}`, chair)).status).toBe(404);
    expect((await api('GET', `/rounds/${round.id}/receipts/${'f'.repeat(8)}`, chair)).status).toBe(404);

    const objections = await api('GET', `/proposals/${id}/objections`, chair);
    expect(objections.body).toEqual([
      expect.objectContaining({ roundNumber: 1, choice: 'against', body: '补偿标准没有写清楚', quote: '补偿标准', answered: false }),
    ]);
    // Answering the objection (replying and resolving its thread) shows it answered.
    const thread = objections.body[0].threadId;
    await api('POST', `/proposals/${id}/comments/${thread}/replies`, chair, { body: '第二稿已写明补偿标准' });
    await api('POST', `/proposals/${id}/comments/${thread}/resolve`, chair);
    expect((await api('GET', `/proposals/${id}/objections`, chair)).body[0]).toMatchObject({
      answered: true,
      answer: '第二稿已写明补偿标准',
    });

    const rollCall = await api('GET', `/rounds/${round.id}/roll-call`, chair);
    expect(rollCall.body.find((r: { householdId: string }) => r.householdId === household)).toMatchObject({
      choice: 'against',
      changes: 1,
      voterName: '王大爷',
      assisted: false,
    });
  });

  it('refuses, with a clear error and no change: a non-eligible voter, another revision, an unknown choice, and a ballot after close', async () => {
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const voter = await open('resident1');
    const other = await open('resident2');
    const household = await householdOf('resident1');

    expect((await cast(other, round, household, 'for')).error.code).toBe('NOT_ELIGIBLE');
    expect((await cast(voter, round, household, 'for', { revisionId: randomUUID() })).error.code).toBe('WRONG_REVISION');
    const bad = await cast(voter, round, household, 'maybe');
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    expect(bad.error.fields[0].path).toBe('choice');
    expect((await cast(voter, round, household, 'for', { reason: '理由' })).error.fields[0].path).toBe('reason');
    const [{ n: none }] = await t.db.query(`SELECT count(*)::int AS n FROM ballot WHERE round_id = $1`, [round.id]);
    expect(none).toBe(0);

    // Idempotent: the same ballot id twice is one ballot with one receipt.
    const ballotId = randomUUID();
    const a = await cast(voter, round, household, 'for', { ballotId });
    const b = await cast(voter, round, household, 'for', { ballotId });
    expect(b.receipt).toBe(a.receipt);
    const [{ n: entries }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE round_id = $1 AND kind LIKE 'ballot.%'`, [
      round.id,
    ]);
    expect(entries).toBe(1);

    const closed = await api('POST', `/rounds/${round.id}/close`, chair);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'chair', result: { ballots: 1, decision: { passed: true } } });
    const late = await cast(voter, round, household, 'against');
    expect(late.error.code).toBe('ROUND_CLOSED');
    expect(late.error.message).toBe('表决已经结束，不能再投票');
    const [ballot] = await t.db.query(`SELECT choice FROM ballot WHERE round_id = $1`, [round.id]);
    expect(ballot.choice).toBe('for');
  });

  it('lets a registered proxy vote for the household, flagged as a proxy ballot', async () => {
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const household = await householdOf('resident2');
    const [{ id: gate1 }] = await t.db.query(`SELECT id FROM app_user WHERE username = 'gate1'`);
    // Registered during the round: it counts at once.
    expect((await api('PUT', `/households/${household}/proxy`, chair, { userId: gate1, note: '委托书存居委会' })).status).toBe(204);
    const proxy = await open('gate1');
    expect((await cast(proxy, round, household, 'abstain')).ok).toBe(true);
    const rows = (await api('GET', `/rounds/${round.id}/roll-call`, chair)).body;
    expect(rows.find((r: { householdId: string }) => r.householdId === household)).toMatchObject({
      choice: 'abstain',
      viaProxy: true,
      voterName: '李组长',
    });
  });

  it('records a paper ballot entered by the gate leader from its printed code with a photo, flags it as assisted, and keeps the roll-call closed until the end', async () => {
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const gate1 = (await t.signIn('gate1')).accessToken;
    const resident = (await t.signIn('resident3')).accessToken;
    const [own] = await t.db.query(
      `SELECT h.id FROM household h JOIN building_gate g ON g.id = h.gate_id JOIN building b ON b.id = h.building_id WHERE b.name = '1号楼' AND g.name = '1单元' AND h.unit = '301'`,
    );
    const [foreign] = await t.db.query(
      `SELECT h.id FROM household h JOIN building b ON b.id = h.building_id WHERE b.name = '3号楼' LIMIT 1`,
    );
    const [printed] = (await api('POST', `/rounds/${round.id}/ballot-papers`, gate1, { householdIds: [own.id], format: 'json' })).body;
    const signers = (await api('GET', `/rounds/${round.id}/ballot-papers`, gate1)).body.find(
      (x: { householdId: string }) => x.householdId === own.id,
    ).signers;
    const form = (householdId: string, photo: Buffer | null, extra: Record<string, string> = {}) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({
        ballotId: randomUUID(),
        householdId,
        revisionId: round.revisionId,
        choice: 'for',
        code: printed.code,
        signerId: signers[0].id,
        ...extra,
      }))
        f.append(k, v);
      if (photo) f.append('photo', new Blob([photo], { type: 'image/png' }), 'ballot.png');
      return f;
    };
    const post = (token: string, body: FormData) =>
      t.api('POST', `/api/compounds/${t.compoundId}/rounds/${round.id}/paper-ballots`, { token, raw: body });

    expect((await post(gate1, form(foreign.id, PNG))).body.error.code).toBe('OUTSIDE_YOUR_GATE');
    const noPhoto = await post(gate1, form(own.id, null));
    expect(noPhoto.body.error.fields).toEqual([{ path: 'photo', message: 'a photo of the signed paper is required' }]);
    expect((await post(gate1, form(own.id, Buffer.from('not an image')))).body.error.fields[0].path).toBe('photo');
    expect((await post(resident, form(own.id, PNG))).status).toBe(403);
    const [{ n: papers }] = await t.db.query(`SELECT count(*)::int AS n FROM ballot_paper WHERE round_id = $1`, [round.id]);
    expect(papers).toBe(0);

    const ok = await post(gate1, form(own.id, PNG));
    expect(ok.body).toMatchObject({ receipt: expect.any(String) });
    expect(ok.body.receipt).toMatch(/^[0-9a-f]{64}$/);

    expect((await api('GET', `/rounds/${round.id}/roll-call`, resident)).body.error.code).toBe('ROLL_CALL_AFTER_CLOSE');
    const tally = await api('GET', `/rounds/${round.id}/tally`, resident);
    expect(tally.body).toMatchObject({ assisted: 1, tally: { for: { households: 1 } } });

    await api('POST', `/rounds/${round.id}/close`, chair);
    const rows = (await api('GET', `/rounds/${round.id}/roll-call`, resident)).body;
    const entry = rows.find((r: { householdId: string }) => r.householdId === own.id);
    expect(entry).toMatchObject({
      choice: 'for',
      assisted: true,
      recordedByName: '李组长',
      hasPaper: true,
      viaProxy: false,
      paper: { signerName: '赵阿姨', enteredByName: '李组长' },
    });
    const chairEntry = (await api('GET', `/rounds/${round.id}/roll-call`, chair)).body.find(
      (r: { householdId: string }) => r.householdId === own.id,
    );
    const photo = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/rounds/${round.id}/papers/${chairEntry.photoId}`, {
      headers: { authorization: `Bearer ${chair}` },
    });
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(
      Buffer.from(await photo.arrayBuffer())
        .subarray(0, 3)
        .equals(Buffer.from([0xff, 0xd8, 0xff])),
    ).toBe(true);

    const csv = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/rounds/${round.id}/roll-call.csv`, {
      headers: { authorization: `Bearer ${resident}` },
    });
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('户,面积(m²),表决,时间,表决人,受托,代录,代录人,纸质凭证,签字人,异议未答复,修改次数,理由,回执');
    expect(text).toContain('1号楼 1单元 301');
    expect(text.split('\r\n').find((l) => l.startsWith('1号楼 1单元 301'))).toMatch(/赞成.*,,是,李组长,有,赵阿姨,,0/);
    expect(text.split('\r\n').length).toBe(36 + 2);

    const pdf = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/rounds/${round.id}/result.pdf`, {
      headers: { authorization: `Bearer ${resident}` },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(5000);
  });

  it('verifies a round from its audit chain and reports a ballot changed behind its back', async () => {
    const users = await everyoneVotes();
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const socket = await connect(t.baseUrl, users[0]!.token);
    sockets.push(socket);
    const voters = await Promise.all(users.slice(0, 10).map((u) => connect(t.baseUrl, u.token)));
    sockets.push(...voters);
    await Promise.all(voters.map((s, i) => cast(s, round, users[i]!.householdId, i < 7 ? 'for' : 'against')));
    await api('POST', `/rounds/${round.id}/close`, chair);

    const clean = await api('GET', `/rounds/${round.id}/verify`, chair);
    expect(clean.body).toMatchObject({ ok: true, ballotsCounted: 10, passed: true, problems: [] });
    expect(clean.body.tally.for.households).toBe(7);

    // The log itself refuses to be rewritten.
    await expect(t.db.query(`UPDATE audit_entry SET body = body WHERE round_id = $1`, [round.id])).rejects.toThrow(/append-only/);

    // Someone with database access turns an against into a for.
    await t.db.query(`UPDATE ballot SET choice = 'for' WHERE round_id = $1 AND household_id = $2`, [round.id, users[8]!.householdId]);
    const tampered = await api('GET', `/rounds/${round.id}/verify`, chair);
    expect(tampered.body.ok).toBe(false);
    expect(tampered.body.problems).toEqual([expect.objectContaining({ code: 'BALLOT_ALTERED', householdId: users[8]!.householdId })]);

    // And someone who also gets past the trigger to rewrite an entry breaks its hash.
    await t.db.query(`UPDATE ballot SET choice = 'against' WHERE round_id = $1 AND household_id = $2`, [round.id, users[8]!.householdId]);
    await t.db.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update`);
    await t.db.query(
      `UPDATE audit_entry SET body = replace(body, '"choice":"against"', '"choice":"for"') WHERE round_id = $1 AND body LIKE $2`,
      [round.id, `%${users[9]!.householdId}%`],
    );
    await t.db.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_update`);
    const rewritten = await api('GET', `/rounds/${round.id}/verify`, chair);
    expect(rewritten.body.ok).toBe(false);
    expect(rewritten.body.problems.map((p: { code: string }) => p.code)).toEqual(
      expect.arrayContaining(['HASH_MISMATCH', 'BALLOT_ALTERED', 'RESULT_MISMATCH']),
    );
  });

  it('closes a round at its deadline by itself and tells the meeting room the result', async () => {
    const meeting = await api('POST', '/meetings', chair, { title: '第一次议事会', scheduledAt: new Date().toISOString() });
    const room = await open('resident1');
    await raw(room).emitWithAck('meeting:join', { meetingId: meeting.body.id });
    const { id, revision } = await proposal();
    const opened = waitFor(room as never, 'vote:round' as never, ((r: RoundView) => r.status === 'open') as never);
    const round = await openRound(id, revision.number, { meetingId: meeting.body.id, closesAt: new Date(Date.now() + 1500).toISOString() });
    await opened;
    const listed = await raw(room).emitWithAck('vote:rounds', { meetingId: meeting.body.id });
    expect(listed.rounds.map((r: RoundView) => r.id)).toEqual([round.id]);
    const closed = (await waitFor(
      room as never,
      'vote:round' as never,
      ((r: RoundView) => r.status === 'closed') as never,
    )) as unknown as RoundView;
    expect(closed).toMatchObject({
      id: round.id,
      closeReason: 'deadline',
      result: { ballots: 0, decision: { passed: false, failures: ['no_ballots'] } },
      proposalStatus: 'failed',
    });
  });

  it('runs a proposal round after round until it is adopted, and shows the whole history', async () => {
    const users = await everyoneVotes();
    const voters = await Promise.all(users.map((u) => connect(t.baseUrl, u.token)));
    sockets.push(...voters);
    const { id, revision } = await proposal('危房平房改造方案');

    // Round 1: renovation is a special matter (Art. 278 item 7); too few take part.
    const r1 = await openRound(id, revision.number, { rule: 'art278_special', art278Item: 7 });
    await Promise.all(voters.slice(0, 20).map((s, i) => cast(s, r1, users[i]!.householdId, 'for')));
    const closed1 = (await api('POST', `/rounds/${r1.id}/close`, chair)).body as RoundView;
    expect(closed1.result!.decision.passed).toBe(false);
    expect(closed1.result!.decision.failures).toEqual(expect.arrayContaining(['participation_heads']));
    expect(closed1.proposalStatus).toBe('failed');
    // The next round must be on a new revision.
    const same = await api('POST', `/proposals/${id}/rounds`, chair, {
      revisionNumber: revision.number,
      question: '再表决',
      rule: 'unanimous',
    });
    expect(same.body.error.code).toBe('REVISION_ALREADY_VOTED');

    // Round 2 on revision 2: unanimous, one household against.
    const rev2 = (await api('POST', `/proposals/${id}/revisions`, chair)).body;
    const r2 = await openRound(id, rev2.number, { rule: 'unanimous' });
    await Promise.all(
      voters.map((s, i) => cast(s, r2, users[i]!.householdId, i === 0 ? 'against' : 'for', i === 0 ? { reason: '施工期间住哪里？' } : {})),
    );
    const closed2 = (await api('POST', `/rounds/${r2.id}/close`, chair)).body as RoundView;
    expect(closed2.result!.decision.failures).toEqual(['not_unanimous']);

    // Round 3 on revision 3: everyone for, 全票通过; no sign-off is required, so it is adopted.
    const rev3 = (await api('POST', `/proposals/${id}/revisions`, chair)).body;
    const r3 = await openRound(id, rev3.number, { rule: 'unanimous' });
    const results = await Promise.all(voters.map((s, i) => cast(s, r3, users[i]!.householdId, 'for')));
    expect(results.every((r) => r.ok)).toBe(true);
    const closed3 = (await api('POST', `/rounds/${r3.id}/close`, chair)).body as RoundView;
    expect(closed3).toMatchObject({
      proposalStatus: 'adopted',
      result: { decision: { passed: true }, supportOfWhole: { householdsPermille: 1000 } },
    });
    expect((await api('GET', `/proposals/${id}`, chair)).body.status).toBe('adopted');

    const history = (await api('GET', `/proposals/${id}/rounds`, chair)).body as RoundView[];
    expect(history.map((r) => [r.number, r.revisionNumber, r.rule, r.result?.decision.passed])).toEqual([
      [1, 1, 'art278_special', false],
      [2, 2, 'unanimous', false],
      [3, 3, 'unanimous', true],
    ]);
    const kinds: Array<{ kind: string }> = await t.db.query(
      `SELECT kind FROM audit_entry WHERE chain_id = $1 AND kind NOT LIKE 'ballot.%' ORDER BY seq`,
      [id],
    );
    expect(kinds.map((k) => k.kind)).toEqual([
      'revision.frozen',
      'round.opened',
      'round.closed',
      'revision.frozen',
      'round.opened',
      'round.closed',
      'revision.frozen',
      'round.opened',
      'round.closed',
      'proposal.adopted',
    ]);
    for (const r of history) expect((await api('GET', `/rounds/${r.id}/verify`, chair)).body.ok).toBe(true);
    // An adopted proposal takes no more revisions and no more rounds.
    expect((await api('POST', `/proposals/${id}/revisions`, chair)).body.error.code).toBe('PROPOSAL_ADOPTED');
    expect(
      (await api('POST', `/proposals/${id}/rounds`, chair, { revisionNumber: rev3.number, question: '再表决', rule: 'unanimous' })).body
        .error.code,
    ).toBe('PROPOSAL_ADOPTED');
  });

  it('waits for a required sign-off before adopting a passed proposal', async () => {
    // The rights unit pays for it, so its sign-off is what adoption waits for.
    const { id, revision } = await proposal('产权单位出资改造', [
      { category: '主体工程', description: '平房翻建', amountFen: 1_000_000, splits: { property_rights_unit: 1_000_000 } },
    ]);
    const [org] = await t.db.query(`SELECT id FROM organisation WHERE kind = 'property_rights_unit' LIMIT 1`);
    await t.db.query(`UPDATE proposal SET required_sign_offs = $2 WHERE id = $1`, [id, [org.id]]);
    const round = await openRound(id, revision.number);
    const voter = await open('resident1');
    await cast(voter, round, await householdOf('resident1'), 'for');
    const closed = (await api('POST', `/rounds/${round.id}/close`, chair)).body as RoundView;
    expect(closed.proposalStatus).toBe('passed');
  });

  it('stops taking ballots from a follower whose membership is removed during the round', async () => {
    const [user] = await t.residents(1, 'gone');
    if (!user) throw new Error('t.residents(1) made no resident');
    const [{ id: householdId }] = await t.db.query(`SELECT id FROM household WHERE compound_id = $1 ORDER BY unit DESC, id LIMIT 1`, [
      t.compoundId,
    ]);
    await t.db.query(`UPDATE membership SET household_id = $2 WHERE user_id = $1`, [user.userId, householdId]);
    expect((await api('PUT', `/households/${householdId}/voter`, chair, { userId: user.userId })).status).toBe(204);
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const s = await connect(t.baseUrl, user.token);
    sockets.push(s);
    expect((await raw(s).emitWithAck('vote:follow', { roundId: round.id })).ok).toBe(true);
    expect((await cast(s, round, householdId, 'for')).ok).toBe(true);

    const [m] = await t.db.query(`SELECT id FROM membership WHERE user_id = $1`, [user.userId]);
    expect((await api('DELETE', `/members/${m.id}`, chair)).status).toBe(204);
    let refused: any;
    for (let i = 0; i < 50 && !refused; i++) {
      const ack = await cast(s, round, householdId, 'against');
      if (!ack.ok) refused = ack;
    }
    // Removal clears the household's voter and then empties the round's room on every node: a cast
    // between the two is refused by the batch (NOT_ELIGIBLE), one after by the policy (NOT_FOUND).
    expect(['NOT_FOUND', 'NOT_ELIGIBLE']).toContain(refused.error.code);
    let policy: any = refused;
    for (let i = 0; i < 50 && policy.error.code !== 'NOT_FOUND'; i++) policy = await cast(s, round, householdId, 'against');
    expect(policy.error.code).toBe('NOT_FOUND');
    const [ballot] = await t.db.query(`SELECT choice FROM ballot WHERE round_id = $1`, [round.id]);
    expect(ballot.choice).toBe('for');
  });

  it('keeps a socket that unfollows and follows again at once in the round, so its tallies go on', async () => {
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const watcher = await open('chair');
    await raw(watcher).emitWithAck('vote:follow', { roundId: round.id });
    // Sent back to back, not awaited one by one: they must take effect in this order.
    const [left, back] = await Promise.all([
      raw(watcher).emitWithAck('vote:unfollow', { roundId: round.id }),
      raw(watcher).emitWithAck('vote:follow', { roundId: round.id }),
    ]);
    expect([left.ok, back.ok]).toEqual([true, true]);
    const sees = waitFor(
      watcher as never,
      'vote:tally' as never,
      ((tv: TallyView) => tv.roundId === round.id && tv.tally.for.households === 1) as never,
    );
    const voter = await open('resident1');
    expect((await cast(voter, round, await householdOf('resident1'), 'for')).ok).toBe(true);
    await sees;
  });

  it('tells the followers of the text when its comment threads change, objections with ballots included', async () => {
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const reader = await open('resident2');
    expect((await raw(reader).emitWithAck('doc:join', { docId: id })).ok).toBe(true);
    const told = () => waitFor(reader as never, 'doc:comments' as never, ((p: { docId: string }) => p.docId === id) as never);

    let next = told();
    const thread = await api('POST', `/proposals/${id}/comments`, chair, { body: '请补充施工时间' });
    await next;
    next = told();
    await api('POST', `/proposals/${id}/comments/${thread.body.id}/replies`, chair, { body: '三月开工' });
    await next;
    next = told();
    await api('POST', `/proposals/${id}/comments/${thread.body.id}/resolve`, chair);
    await next;
    next = told();
    const voter = await open('resident1');
    expect((await cast(voter, round, await householdOf('resident1'), 'against', { reason: '噪音太大' })).ok).toBe(true);
    await next;
  });

  it('keeps every acknowledged cast once, and counts the last of each household, when batches follow each other closely', async () => {
    const users = (await everyoneVotes()).slice(0, 10);
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const voters = await Promise.all(users.map((u) => connect(t.baseUrl, u.token)));
    sockets.push(...voters);
    type Sent = { household: string; ballotId: string; choice: string; ack: { ok: boolean; receipt: string; seq: number } };
    const sent: Sent[] = [];
    const send = async (i: number, choice: string, ballotId = randomUUID()) => {
      const ack = (await cast(voters[i]!, round, users[i]!.householdId, choice, { ballotId })) as Sent['ack'];
      sent.push({ household: users[i]!.householdId, ballotId, choice, ack });
      return ballotId;
    };
    // Five waves, each sent while the one before is still being written; in each, every voter
    // also sends its previous ballot again (a client that did not hear back resends the same id).
    const waves: Array<Promise<unknown>> = [];
    let previous: Array<ReturnType<typeof randomUUID>> = [];
    for (let w = 0; w < 5; w++) {
      const choice = ['for', 'against', 'abstain'][w % 3]!;
      const ids = users.map(() => randomUUID());
      waves.push(...users.map((_, i) => send(i, choice, ids[i])));
      waves.push(...previous.map((ballotId, i) => send(i, ['for', 'against', 'abstain'][(w - 1) % 3]!, ballotId)));
      previous = ids;
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(waves);
    expect(sent.filter((s) => !s.ack.ok)).toEqual([]);
    const ok = sent;
    // A resent ballot id got the answer of its first cast, and was stored once.
    const byBallot = new Map<string, Set<string>>();
    for (const s of ok) byBallot.set(s.ballotId, (byBallot.get(s.ballotId) ?? new Set()).add(s.ack.receipt));
    expect([...byBallot.values()].every((receipts) => receipts.size === 1)).toBe(true);
    const [{ casts, transactions }] = await t.db.query(
      `SELECT count(*)::int AS casts, count(DISTINCT cast_at)::int AS transactions FROM ballot_cast WHERE round_id = $1`,
      [round.id],
    );
    expect(casts).toBe(byBallot.size);
    expect(transactions).toBeGreaterThan(1);
    // Each household's counted ballot is its acknowledged cast with the highest place in the chain.
    const last = new Map<string, { choice: string; seq: number }>();
    for (const s of ok) if ((last.get(s.household)?.seq ?? -1) < s.ack.seq) last.set(s.household, { choice: s.choice, seq: s.ack.seq });
    const rows: Array<{ household_id: string; choice: string }> = await t.db.query(
      `SELECT household_id, choice FROM ballot WHERE round_id = $1`,
      [round.id],
    );
    expect(new Map(rows.map((r) => [r.household_id, r.choice]))).toEqual(new Map([...last].map(([h, l]) => [h, l.choice])));
    await api('POST', `/rounds/${round.id}/close`, chair);
    expect((await api('GET', `/rounds/${round.id}/verify`, chair)).body).toMatchObject({ ok: true, ballotsCounted: 10, problems: [] });
  });

  it('keeps one counted ballot per household when casts for it race', async () => {
    const { id, revision } = await proposal();
    const round = await openRound(id, revision.number);
    const household = await householdOf('resident1');
    const a = await open('resident1');
    const b = await open('resident1');
    const choices = ['for', 'against', 'abstain', 'for', 'against', 'abstain'];
    const acks = await Promise.all(choices.map((choice, i) => cast(i % 2 ? b : a, round, household, choice)));
    expect(acks.every((x) => x.ok)).toBe(true);
    // The race happened: some of the casts were written in one transaction (a batch writes its
    // casts with one time), not one after the other.
    const [{ casts, transactions }] = await t.db.query(
      `SELECT count(*)::int AS casts, count(DISTINCT cast_at)::int AS transactions FROM ballot_cast WHERE round_id = $1`,
      [round.id],
    );
    expect(casts).toBe(choices.length);
    expect(transactions).toBeLessThan(casts);
    const rows = await t.db.query(`SELECT choice, changes, receipt FROM ballot WHERE round_id = $1`, [round.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].changes).toBe(choices.length - 1);
    // The one that counts is the last one the chain recorded.
    const [last] = await t.db.query(`SELECT hash FROM audit_entry WHERE round_id = $1 AND kind LIKE 'ballot.%' ORDER BY seq DESC LIMIT 1`, [
      round.id,
    ]);
    expect(rows[0].receipt).toBe(last.hash);
  });
});
