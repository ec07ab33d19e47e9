import { randomUUID } from 'node:crypto';
import type { IssuedPaper, PaperHouseholdView, RoundView } from '@yishi/shared';
import sharp from 'sharp';
import { writeDoc } from '../../testing/docs';
import { codesInPdf } from '../../testing/pdf-codes';
import { type ClientSocket, connect } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

const raw = (s: ClientSocket) => s.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };

describe('paper ballots that can be trusted', () => {
  let t: TestApp;
  let chair: string;
  let gate1: string;
  let resident1: string;
  let resident2: string;
  /** Households of gate 1号楼 1单元 added for these tests. */
  const h: Record<'sun' | 'nobody' | 'developer' | 'zhao' | 'wang' | 'chen', string> = {} as never;
  let sunOwner: string;
  let zhaoOwner: string;
  let photo: Buffer;
  const sockets: ClientSocket[] = [];

  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  const openRound = async (): Promise<RoundView> => {
    const p = await api('POST', '/proposals', chair, { title: '纸质票测试', kind: 'renovation' });
    // An empty body is not frozen: the proposal gets its text first.
    await writeDoc(t.baseUrl, chair, p.body.id, { paragraphs: ['1号楼加装电梯。'] });
    await api('POST', `/proposals/${p.body.id}/revisions`, chair);
    const r = await api('POST', `/proposals/${p.body.id}/rounds`, chair, {
      revisionNumber: 1,
      question: '是否同意加装电梯？',
      rule: 'simple_majority',
    });
    expect(r.status).toBe(201);
    return r.body;
  };
  /** One paper per household asked for, in the order asked. */
  const codes = async <const Ids extends readonly string[]>(
    round: RoundView,
    householdIds: Ids,
    token = chair,
  ): Promise<{ [K in keyof Ids]: IssuedPaper }> => {
    const res = await api('POST', `/rounds/${round.id}/ballot-papers`, token, { householdIds, format: 'json' });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(householdIds.length);
    return res.body;
  };
  const enter = (round: RoundView, token: string, fields: Record<string, string | undefined>, image: Buffer | null = photo) => {
    const f = new FormData();
    const all = { ballotId: randomUUID(), revisionId: round.revisionId, choice: 'for', ...fields };
    for (const [k, v] of Object.entries(all)) if (v !== undefined) f.append(k, v);
    if (image) f.append('photo', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), 'paper.jpg');
    return t.api('POST', `/api/compounds/${t.compoundId}/rounds/${round.id}/paper-ballots`, { token, raw: f });
  };
  /** What a refused request must not have written. */
  const written = async (roundId: string) =>
    (
      await t.db.query(
        `SELECT (SELECT count(*) FROM ballot WHERE round_id = $1)::int AS ballots, (SELECT count(*) FROM ballot_paper WHERE round_id = $1)::int AS papers,
                (SELECT count(*) FROM audit_entry WHERE round_id = $1 AND kind LIKE 'ballot.%')::int AS entries,
                (SELECT count(*) FROM ballot_code WHERE round_id = $1 AND used_at IS NOT NULL)::int AS used`,
        [roundId],
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    const tokenOf = async (label: string) => (await t.signIn(label)).accessToken;
    [chair, gate1, resident1, resident2] = await Promise.all([
      tokenOf('chair'),
      tokenOf('gate1'),
      tokenOf('resident1'),
      tokenOf('resident2'),
    ]);
    const [gate] = await t.db.query(
      `SELECT g.id, g.building_id FROM building_gate g JOIN building b ON b.id = g.building_id WHERE b.name = '1号楼' AND g.name = '1单元'`,
    );
    const add = async (unit: string, developer: boolean, owner: string | null) => {
      const [row] = await t.db.query(
        `INSERT INTO household (compound_id, building_id, gate_id, unit, area_centi_m2, developer_held) VALUES ($1, $2, $3, $4, 6000, $5) RETURNING id`,
        [t.compoundId, gate.building_id, gate.id, unit, developer],
      );
      if (owner) {
        const [o] = await t.db.query(`INSERT INTO owner (compound_id, name) VALUES ($1, $2) RETURNING id`, [t.compoundId, owner]);
        await t.db.query(`INSERT INTO household_owner (household_id, owner_id) VALUES ($1, $2)`, [row.id, o.id]);
        return { id: row.id as string, owner: o.id as string };
      }
      return { id: row.id as string, owner: '' };
    };
    const sun = await add('401', false, '孙奶奶'); // an owner without an account: the paper ballot's reason to exist
    h.sun = sun.id;
    sunOwner = sun.owner;
    h.nobody = (await add('402', false, null)).id; // nobody on the record
    h.developer = (await add('403', true, '某房地产开发公司')).id;
    const unit = async (label: string) =>
      (
        await t.db.query(
          `SELECT h.id FROM household h JOIN building b ON b.id = h.building_id JOIN building_gate g ON g.id = h.gate_id WHERE concat_ws(' ', b.name, g.name, h.unit) = $1`,
          [label],
        )
      )[0].id;
    h.zhao = await unit('1号楼 1单元 301');
    h.wang = await unit('1号楼 1单元 201');
    h.chen = await unit('2号楼 1单元 101');
    [{ id: zhaoOwner }] = await t.db.query(
      `SELECT o.id FROM owner o JOIN household_owner ho ON ho.owner_id = o.id WHERE ho.household_id = $1`,
      [h.zhao],
    );
    // A phone photo of 12 megapixels, with the camera's metadata (here a GPS-like comment) that must not be kept.
    photo = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#f4f1e8' } })
      .composite([
        {
          input: Buffer.from('<svg width="4000" height="3000"><text x="200" y="400" font-size="200">赞成 √ 孙奶奶</text></svg>'),
          top: 0,
          left: 0,
        },
      ])
      .jpeg({ quality: 90 })
      .withExif({ IFD0: { ImageDescription: 'GPS 39.9289N 116.4883E', Make: 'PhoneCam' } })
      .toBuffer();
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('prints an A4 ballot paper per household with its one-time code as text and QR code, refusing units that get no paper', async () => {
    const round = await openRound();
    const res = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/rounds/${round.id}/ballot-papers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chair}`, 'content-type': 'application/json' },
      body: JSON.stringify({ householdIds: [h.sun, h.zhao] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect((pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBe(2);
    const printed = codesInPdf(pdf);
    expect(printed).toHaveLength(2);
    // The codes are stored only as hashes.
    const stored = await t.db.query(`SELECT code_hash, issue, used_at FROM ballot_code WHERE round_id = $1`, [round.id]);
    expect(stored).toHaveLength(2);
    for (const s of stored) expect(printed.some((c) => s.code_hash.includes(c.replace('-', '')))).toBe(false);
    expect(stored.every((s: { issue: number; used_at: Date | null }) => s.issue === 1 && s.used_at === null)).toBe(true);

    // The printed code is the one the server accepts: it enters 孙奶奶's paper.
    const ok = await enter(round, gate1, { householdId: h.sun, code: printed[0]!.toLowerCase(), signerId: sunOwner });
    expect(ok.body).toMatchObject({ receipt: expect.any(String) });

    // A developer-held unit and a household with nobody on the record get no paper; nothing is issued for any of the request.
    const dev = await api('POST', `/rounds/${round.id}/ballot-papers`, chair, { householdIds: [h.zhao, h.developer], format: 'json' });
    expect(dev.status).toBe(409);
    expect(dev.body.error).toMatchObject({
      code: 'PAPER_DEVELOPER_HELD',
      fields: [{ path: 'householdIds.1', message: '1号楼 1单元 403' }],
    });
    const nobody = await api('POST', `/rounds/${round.id}/ballot-papers`, chair, { householdIds: [h.nobody], format: 'json' });
    expect(nobody.body.error.code).toBe('PAPER_NO_VOTER');
    // A gate leader prints only for his own gate.
    const foreign = await api('POST', `/rounds/${round.id}/ballot-papers`, gate1, { householdIds: [h.chen], format: 'json' });
    expect(foreign.body.error.code).toBe('OUTSIDE_YOUR_GATE');
    expect((await api('POST', `/rounds/${round.id}/ballot-papers`, resident1, { householdIds: [h.wang] })).status).toBe(403);
    const bad = await api('POST', `/rounds/${round.id}/ballot-papers`, chair, { householdIds: [h.zhao], format: 'json', extra: 1 });
    expect(bad.status).toBe(400);
    expect((await t.db.query(`SELECT issue FROM ballot_code WHERE round_id = $1 AND household_id = $2`, [round.id, h.zhao]))[0].issue).toBe(
      1,
    );
    const [{ n: issued }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE round_id = $1 AND kind = 'paper.issued'`, [
      round.id,
    ]);
    expect(issued).toBe(2);

    // The list shows who may sign and why some get no paper.
    const list: PaperHouseholdView[] = (await api('GET', `/rounds/${round.id}/ballot-papers`, gate1)).body;
    expect(list.every((x) => x.label.startsWith('1号楼 1单元'))).toBe(true);
    expect(list.find((x) => x.householdId === h.sun)).toMatchObject({
      refused: null,
      issues: 1,
      used: true,
      ballot: 'paper',
      signers: [{ id: sunOwner, name: '孙奶奶', as: 'owner' }],
    });
    expect(list.find((x) => x.householdId === h.developer)?.refused).toBe('PAPER_DEVELOPER_HELD');
    expect(list.find((x) => x.householdId === h.nobody)?.refused).toBe('PAPER_NO_VOTER');
  });

  it('refuses a hostile chair manufacturing ballots, writing nothing: no code, reused code, another household’s code, a reprinted (void) code, developer units, nobody on the record, an unknown signer', async () => {
    const round = await openRound();
    const [sun, zhao] = await codes(round, [h.sun, h.zhao]);
    const none = await written(round.id);

    const noCode = await enter(round, chair, { householdId: h.sun, signerId: sunOwner });
    expect(noCode.status).toBe(400);
    expect(noCode.body.error.fields).toEqual([expect.objectContaining({ path: 'code' })]);
    const noPhoto = await enter(round, chair, { householdId: h.sun, code: sun.code, signerId: sunOwner }, null);
    expect(noPhoto.body.error.fields).toEqual([{ path: 'photo', message: 'a photo of the signed paper is required' }]);
    const notPhoto = await enter(
      round,
      chair,
      { householdId: h.sun, code: sun.code, signerId: sunOwner },
      Buffer.from('%PDF-1.4 not a photo'),
    );
    expect(notPhoto.body.error.fields).toEqual([{ path: 'photo', message: 'must be a JPEG, PNG or WebP photo' }]);
    expect(await written(round.id)).toEqual(none);

    const otherHouseholds = await enter(round, chair, { householdId: h.sun, code: zhao.code, signerId: sunOwner });
    expect(otherHouseholds.status).toBe(403);
    expect(otherHouseholds.body.error.code).toBe('PAPER_CODE_WRONG');
    const developer = await enter(round, chair, { householdId: h.developer, code: sun.code, signerId: sunOwner });
    expect(developer.body.error.code).toBe('PAPER_DEVELOPER_HELD');
    const nobody = await enter(round, chair, { householdId: h.nobody, code: sun.code, signerId: sunOwner });
    expect(nobody.body.error.code).toBe('PAPER_NO_VOTER');
    const stranger = await enter(round, chair, { householdId: h.sun, code: sun.code, signerId: zhaoOwner });
    expect(stranger.body.error).toMatchObject({
      code: 'PAPER_SIGNER_UNKNOWN',
      fields: [{ path: 'signerId', message: 'not on the record for this household' }],
    });
    expect(await written(round.id)).toEqual(none);
    // Nor over the socket: a cast dressed up as a paper ballot is an online cast, and a chair as such casts no ballot.
    const socket = await connect(t.baseUrl, chair);
    sockets.push(socket);
    const smuggled = await raw(socket).emitWithAck('vote:cast', {
      roundId: round.id,
      ballotId: randomUUID(),
      householdId: h.sun,
      revisionId: round.revisionId,
      choice: 'for',
      assisted: true,
      voterUserId: null,
      recordedBy: randomUUID(),
      codeHash: 'x',
      paper: { id: randomUUID(), sha256: 'x', signer: '孙奶奶' },
    });
    expect(smuggled.error.code).toBe('FORBIDDEN');
    expect(await written(round.id)).toEqual(none);

    const first = await enter(round, chair, { householdId: h.sun, code: sun.code, signerId: sunOwner });
    expect(first.status).toBe(200);
    const reused = await enter(round, chair, { householdId: h.sun, code: sun.code, signerId: sunOwner, choice: 'against' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('PAPER_CODE_USED');
    const once = await written(round.id);
    expect(once).toEqual({ ballots: 1, papers: 1, entries: 1, used: 1 });

    // A reprint voids the earlier paper: its code no longer works, the new one does (once).
    const [again] = await codes(round, [h.zhao]);
    expect(again.issue).toBe(2);
    const voided = await enter(round, chair, { householdId: h.zhao, code: zhao.code, signerId: zhaoOwner });
    expect(voided.body.error.code).toBe('PAPER_CODE_WRONG');
    expect(await written(round.id)).toEqual(once);

    // Two entries of the same paper at the same moment: exactly one counts.
    const [a, b] = await Promise.all([
      enter(round, chair, { householdId: h.zhao, code: again.code, signerId: zhaoOwner }),
      enter(round, gate1, { householdId: h.zhao, code: again.code, signerId: zhaoOwner }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await written(round.id)).toEqual({ ballots: 2, papers: 2, entries: 2, used: 2 });
  });

  it('does not let a paper ballot replace a ballot the household cast online', async () => {
    const round = await openRound();
    const socket = await connect(t.baseUrl, resident1);
    sockets.push(socket);
    const [wangOwner] = await t.db.query(
      `SELECT o.id FROM owner o JOIN household_owner ho ON ho.owner_id = o.id WHERE ho.household_id = $1`,
      [h.wang],
    );
    const online = await raw(socket).emitWithAck('vote:cast', {
      roundId: round.id,
      ballotId: randomUUID(),
      householdId: h.wang,
      revisionId: round.revisionId,
      choice: 'against',
    });
    expect(online.ok).toBe(true);
    const [paper] = await codes(round, [h.wang]);
    const over = await enter(round, chair, { householdId: h.wang, code: paper.code, signerId: wangOwner.id, choice: 'for' });
    expect(over.body.error.code).toBe('PAPER_OVER_ONLINE');
    expect(await written(round.id)).toEqual({ ballots: 1, papers: 0, entries: 1, used: 0 });
    const [ballot] = await t.db.query(`SELECT choice, assisted FROM ballot WHERE round_id = $1`, [round.id]);
    expect(ballot).toEqual({ choice: 'against', assisted: false });
  });

  it('stops a person after five wrong codes, even when the sixth is right', async () => {
    const round = await openRound();
    const [sun] = await codes(round, [h.sun]);
    for (let i = 0; i < 5; i++) {
      const wrong = await enter(round, gate1, { householdId: h.sun, code: 'ABCDE-FGHJ' + String(i), signerId: sunOwner });
      expect(wrong.body.error.code).toBe('PAPER_CODE_WRONG');
    }
    const right = await enter(round, gate1, { householdId: h.sun, code: sun.code, signerId: sunOwner });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('RATE_LIMITED');
    expect(await written(round.id)).toEqual({ ballots: 0, papers: 0, entries: 0, used: 0 });
    // Another person (the chair) is not stopped by the gate leader's mistakes.
    expect((await enter(round, chair, { householdId: h.sun, code: sun.code, signerId: sunOwner })).status).toBe(200);
  });

  it('keeps the photo downscaled and without metadata, shows it beside the entry to those allowed, and names the signer and who entered it to everyone after close', async () => {
    const round = await openRound();
    const [sun, zhao] = await codes(round, [h.sun, h.zhao]);
    expect((await enter(round, gate1, { householdId: h.sun, code: sun.code, signerId: sunOwner })).status).toBe(200);
    // 赵阿姨 (resident2) signs her own paper as the registered owner; the gate leader enters it.
    expect(
      (
        await enter(round, gate1, {
          householdId: h.zhao,
          code: zhao.code,
          signerId: zhaoOwner,
          choice: 'against',
          reason: '电梯费用分摊不清',
        })
      ).status,
    ).toBe(200);

    const chairRows = (await api('GET', `/rounds/${round.id}/roll-call`, chair)).body;
    const entry = chairRows.find((r: { householdId: string }) => r.householdId === h.sun);
    expect(entry).toMatchObject({
      choice: 'for',
      assisted: true,
      hasPaper: true,
      paper: { signerName: '孙奶奶', enteredByName: '李组长' },
      disputed: false,
      voterName: null,
    });
    expect(entry.photoId).toMatch(/^[0-9a-f-]{36}$/);
    const res = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/rounds/${round.id}/papers/${entry.photoId}`, {
      headers: { authorization: `Bearer ${chair}` },
    });
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="paper-${entry.photoId}.jpg"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // Opened on its own, an uploaded file runs nothing.
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    const stored = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1600, 1200]);
    expect(meta.exif).toBeUndefined();
    expect(stored.includes(Buffer.from('GPS'))).toBe(false);
    expect(stored.length).toBeLessThan(photo.length);

    await api('POST', `/rounds/${round.id}/close`, chair);
    // Every member sees which households were entered on paper and by whom; a stranger's photo is not theirs to see.
    const residentRows = (await api('GET', `/rounds/${round.id}/roll-call`, resident1)).body;
    expect(residentRows.find((r: { householdId: string }) => r.householdId === h.sun)).toMatchObject({
      paper: { signerName: '孙奶奶', enteredByName: '李组长' },
      photoId: null,
    });
    const denied = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/rounds/${round.id}/papers/${entry.photoId}`, {
      headers: { authorization: `Bearer ${resident1}` },
    });
    expect(denied.status).toBe(403);
    // 赵阿姨 sees the photo of her own paper.
    const own = (await api('GET', `/rounds/${round.id}/roll-call`, resident2)).body.find(
      (r: { householdId: string }) => r.householdId === h.zhao,
    );
    expect(own.photoId).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (
        await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/rounds/${round.id}/papers/${own.photoId}`, {
          headers: { authorization: `Bearer ${resident2}` },
        })
      ).status,
    ).toBe(200);
  });

  it('lets a household dispute its paper entry on the record, shows it to the chair until answered, and the chair answers once', async () => {
    const round = await openRound();
    const [zhao] = await codes(round, [h.zhao]);
    expect((await enter(round, gate1, { householdId: h.zhao, code: zhao.code, signerId: zhaoOwner })).status).toBe(200);
    await api('POST', `/rounds/${round.id}/close`, chair);

    const notTheirs = await api('POST', `/rounds/${round.id}/paper-disputes`, resident1, { householdId: h.zhao, reason: '不是我签的' });
    expect(notTheirs.body.error.code).toBe('NOT_YOUR_HOUSEHOLD');
    const noPaper = await api('POST', `/rounds/${round.id}/paper-disputes`, resident1, { householdId: h.wang, reason: '我没有交纸质票' });
    expect(noPaper.status).toBe(404);
    const empty = await api('POST', `/rounds/${round.id}/paper-disputes`, resident2, { householdId: h.zhao, reason: '  ' });
    expect(empty.body.error.fields).toEqual([{ path: 'reason', message: 'required' }]);
    const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE kind LIKE 'paper.dispute%'`);
    expect(before).toBe(0);

    const raised = await api('POST', `/rounds/${round.id}/paper-disputes`, resident2, {
      householdId: h.zhao,
      reason: '我投的是反对，不是赞成',
    });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ householdId: h.zhao, label: '1号楼 1单元 301', raisedByName: '赵阿姨', answer: null });
    const [entry] = await t.db.query(`SELECT body FROM audit_entry WHERE kind = 'paper.disputed' AND round_id = $1`, [round.id]);
    expect(JSON.parse(entry.body)).toMatchObject({ household: h.zhao, reason: '我投的是反对，不是赞成' });

    const openList = await api('GET', '/paper-disputes?open=true', chair);
    expect(openList.body.map((d: { id: string }) => d.id)).toContain(raised.body.id);
    expect((await api('GET', '/paper-disputes?open=true', resident2)).status).toBe(403);
    expect(
      (await api('GET', `/rounds/${round.id}/roll-call`, chair)).body.find((r: { householdId: string }) => r.householdId === h.zhao)
        .disputed,
    ).toBe(true);

    expect((await api('POST', `/rounds/${round.id}/paper-disputes/${raised.body.id}/answer`, gate1, { answer: '已核对' })).status).toBe(
      403,
    );
    const answered = await api('POST', `/rounds/${round.id}/paper-disputes/${raised.body.id}/answer`, chair, {
      answer: '已上门核对原件，纸质票勾选“赞成”，签字为赵阿姨本人；照片存档。',
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ answeredByName: '张主任（居委会）', answer: expect.stringContaining('已上门核对原件') });
    const twice = await api('POST', `/rounds/${round.id}/paper-disputes/${raised.body.id}/answer`, chair, { answer: '再答' });
    expect(twice.body.error.code).toBe('DISPUTE_ANSWERED');
    expect((await api('GET', '/paper-disputes?open=true', chair)).body.map((d: { id: string }) => d.id)).not.toContain(raised.body.id);
    expect((await api('GET', `/rounds/${round.id}/paper-disputes`, resident2)).body).toEqual([
      expect.objectContaining({ id: raised.body.id, answeredByName: '张主任（居委会）' }),
    ]);
    const verify = await api('GET', `/rounds/${round.id}/verify`, chair);
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
  });
});
