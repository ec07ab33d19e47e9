import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { MyBallotView, RoundView } from '@yishi/shared';
import { type ClientSocket, connect } from '../../testing/sockets';
import { writeDoc } from '../../testing/docs';
import { startTestApp, type TestApp } from '../../testing/test-app';

/** The socket without the meeting typing, for vote commands. */
const raw = (s: ClientSocket) => s.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };

/** The counting rules as the server applies them: head keys, one stance per owner, rule and item, zero area. */
describe('counting rules through the API and the socket', () => {
  let t: TestApp;
  let chair: string;
  const sockets: ClientSocket[] = [];
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  const proposal = async (title = '平房改造方案') => {
    const p = await api('POST', '/proposals', chair, { title, kind: 'renovation' });
    // An empty body cannot be frozen: the proposal gets its text first.
    await writeDoc(t.baseUrl, chair, p.body.id);
    const rev = await api('POST', `/proposals/${p.body.id}/revisions`, chair);
    return { id: p.body.id as string, revision: rev.body as { id: string; number: number } };
  };
  const count = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params))[0].n as number;
  /** What a refused request must leave unchanged. */
  const written = async () => ({
    rounds: await count(`SELECT count(*)::int AS n FROM vote_round`),
    meetings: await count(`SELECT count(*)::int AS n FROM meeting`),
    entries: await count(`SELECT count(*)::int AS n FROM audit_entry`),
    ballots: await count(`SELECT count(*)::int AS n FROM ballot`),
    casts: await count(`SELECT count(*)::int AS n FROM ballot_cast`),
    papers: await count(
      `SELECT count(*)::int AS n FROM ballot_paper WHERE household_id IS NOT NULL AND EXISTS (SELECT 1 FROM ballot_cast c WHERE c.paper_id = ballot_paper.id)`,
    ),
    inVote: await count(`SELECT count(*)::int AS n FROM proposal WHERE status = 'in_vote'`),
  });
  const open = async (token: string) => {
    const s = await connect(t.baseUrl, token);
    sockets.push(s);
    return s;
  };
  const cast = (s: ClientSocket, round: RoundView, householdId: string, choice: string) =>
    raw(s).emitWithAck('vote:cast', { roundId: round.id, ballotId: randomUUID(), householdId, revisionId: round.revisionId, choice });

  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('refuses a rule that does not go with its Article 278 item, and writes nothing', async () => {
    const { id, revision } = await proposal();
    const before = await written();
    const tries: Array<[Record<string, unknown>, string, string]> = [
      [{ rule: 'unanimous', art278Item: 7 }, 'RULE_MISMATCH', 'Unanimous is not an Article 278 rule, so the motion cannot be item 7'],
      [
        { rule: 'simple_majority', art278Item: 1 },
        'RULE_MISMATCH',
        'Simple majority is not an Article 278 rule, so the motion cannot be item 1',
      ],
      [
        { rule: 'two_thirds', art278Item: 9 },
        'RULE_MISMATCH',
        'Two-thirds majority is not an Article 278 rule, so the motion cannot be item 9',
      ],
      [
        { rule: 'art278_ordinary', art278Item: 7 },
        'RULE_MISMATCH',
        'item 7 of Article 278 is decided as Civil Code Art. 278, special matter',
      ],
      [
        { rule: 'art278_special', art278Item: 5 },
        'RULE_MISMATCH',
        'item 5 of Article 278 is decided as Civil Code Art. 278, ordinary matter',
      ],
    ];
    for (const [extra, code, message] of tries) {
      const res = await api('POST', `/proposals/${id}/rounds`, chair, { revisionNumber: revision.number, question: '同意吗？', ...extra });
      expect([res.status, res.body.error.code, res.body.error.fields]).toEqual([400, code, [{ path: 'rule', message }]]);
    }
    expect(await written()).toEqual(before);
  });

  it('schedules a meeting with no rule unless one is given with a matching item, and holds its votes under that rule only', async () => {
    const schedule = (body: Record<string, unknown>) =>
      api('POST', '/meetings', chair, { title: '第十九次议事会', scheduledAt: new Date(Date.now() + 3600_000).toISOString(), ...body });
    const before = await written();
    for (const body of [
      { rule: 'art278_ordinary' },
      { rule: 'art278_special', art278Item: 5 },
      { rule: 'unanimous', art278Item: 7 },
      { art278Item: 7 },
    ]) {
      const res = await schedule(body);
      expect([res.status, res.body.error?.code]).toEqual([400, 'RULE_MISMATCH']);
    }
    expect(await written()).toEqual(before);

    // Not defaulting to an Article 278 rule without an item: no rule is fixed.
    const free = await schedule({});
    expect(free.status).toBe(201);
    expect(free.body).toMatchObject({ rule: null, art278Item: null });

    const unanimous = await schedule({ rule: 'unanimous' });
    const special = await schedule({ rule: 'art278_special', art278Item: 7 });
    expect(special.body).toMatchObject({ rule: 'art278_special', art278Item: 7 });
    const { id, revision } = await proposal();
    const open = (meetingId: string, extra: Record<string, unknown>) =>
      api('POST', `/proposals/${id}/rounds`, chair, { revisionNumber: revision.number, question: '同意吗？', meetingId, ...extra });

    const beforeRounds = await written();
    const art278InUnanimous = await open(unanimous.body.id, { rule: 'art278_special', art278Item: 7 });
    expect([art278InUnanimous.status, art278InUnanimous.body.error.code, art278InUnanimous.body.error.fields]).toEqual([
      400,
      'NOT_MEETING_RULE',
      [{ path: 'rule', message: 'this meeting votes under unanimous' }],
    ]);
    const otherItem = await open(special.body.id, { rule: 'art278_special', art278Item: 6 });
    expect([otherItem.body.error.code, otherItem.body.error.fields[0].message]).toEqual([
      'NOT_MEETING_RULE',
      'this meeting votes under art278_special, item 7',
    ]);
    expect((await open(special.body.id, { rule: 'simple_majority' })).body.error.code).toBe('NOT_MEETING_RULE');
    expect(await written()).toEqual(beforeRounds);

    const ok = await open(special.body.id, { rule: 'art278_special', art278Item: 7 });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ rule: 'art278_special', art278Item: 7, meetingId: special.body.id });
    await api('POST', `/rounds/${ok.body.id}/close`, chair);
    // A meeting without a fixed rule leaves the round its own.
    const again = await proposal('第二个方案');
    const inFree = await api('POST', `/proposals/${again.id}/rounds`, chair, {
      revisionNumber: again.revision.number,
      question: '同意吗？',
      rule: 'two_thirds',
      meetingId: free.body.id,
    });
    expect(inFree.status).toBe(201);
  });

  it('refuses to open an Article 278 round on an electorate of zero total area, naming it; an informal rule may still run', async () => {
    const [b] = await t.db.query(`SELECT id FROM building WHERE compound_id = $1 AND name = '6号楼'`, [t.compoundId]);
    const saved: Array<{ id: string; area_centi_m2: number }> = await t.db.query(
      `SELECT id, area_centi_m2 FROM household WHERE building_id = $1`,
      [b.id],
    );
    await t.db.query(`UPDATE household SET area_centi_m2 = 0 WHERE building_id = $1`, [b.id]);
    try {
      const { id, revision } = await proposal('6号楼外墙');
      const before = await written();
      for (const [rule, item] of [
        ['art278_ordinary', 5],
        ['art278_special', 7],
      ] as const) {
        const res = await api('POST', `/proposals/${id}/rounds`, chair, {
          revisionNumber: revision.number,
          question: '同意吗？',
          rule,
          art278Item: item,
          buildingIds: [b.id],
        });
        expect([res.status, res.body.error.code]).toEqual([422, 'ZERO_AREA_ELECTORATE']);
        expect(res.body.error.message).toBe('参与表决的专有部分总面积为零，无法按《民法典》第二百七十八条计算，请先在业主名册中登记面积');
        expect(res.body.error.details).toEqual({ households: saved.length, areaCentiM2: 0, buildingIds: [b.id] });
      }
      expect(await written()).toEqual(before);
      const informal = await api('POST', `/proposals/${id}/rounds`, chair, {
        revisionNumber: revision.number,
        question: '同意吗？',
        rule: 'simple_majority',
        buildingIds: [b.id],
      });
      expect(informal.status).toBe(201);
      expect(informal.body.totals).toEqual({ households: saved.length, areaCentiM2: 0, heads: expect.any(Number) });
      await api('POST', `/rounds/${informal.body.id}/close`, chair);
    } finally {
      for (const h of saved) await t.db.query(`UPDATE household SET area_centi_m2 = $2 WHERE id = $1`, [h.id, h.area_centi_m2]);
    }
  });

  it('prints each threshold of the result as its formula, the agreement lines as the participation lines', async () => {
    const { id, revision } = await proposal('平房改造（第二稿）');
    const res = await api('POST', `/proposals/${id}/rounds`, chair, {
      revisionNumber: revision.number,
      question: '是否同意改造？',
      rule: 'art278_special',
      art278Item: 7,
    });
    const round = res.body as RoundView;
    const voters = await t.residents(36, 'pdf');
    for (const v of voters) await t.db.query(`UPDATE household SET voter_user_id = $1 WHERE id = $2`, [v.userId, v.householdId]);
    // 26 of 36 households vote, in the order of their labels: 20 for, 4 against, 2 abstain (so the
    // seed's owner of 3号楼 1单元 101 and 2单元 302 votes for with both, as one stance).
    const labels: Array<{ id: string; label: string }> = await t.db.query(
      `SELECT h.id, concat_ws(' ', b.name, g.name, h.unit) AS label FROM household h JOIN building b ON b.id = h.building_id LEFT JOIN building_gate g ON g.id = h.gate_id WHERE h.compound_id = $1`,
      [t.compoundId],
    );
    const labelOf = new Map(labels.map((l) => [l.id, l.label]));
    voters.sort((a, b) => labelOf.get(a.householdId)!.localeCompare(labelOf.get(b.householdId)!, 'zh-CN', { numeric: true }));
    for (const [k, v] of voters.slice(0, 26).entries()) {
      const s = await open(v.token);
      expect((await cast(s, round, v.householdId, k < 20 ? 'for' : k < 24 ? 'against' : 'abstain')).ok).toBe(true);
    }
    const closed = (await api('POST', `/rounds/${round.id}/close`, chair)).body as RoundView;
    const pdf = await fetch(`${t.baseUrl}/api/compounds/${t.compoundId}/rounds/${round.id}/result.pdf`, {
      headers: { authorization: `Bearer ${chair}` },
    });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: Buffer.from(await pdf.arrayBuffer()) }).toString('utf8');
    const tally = closed.result!.tally;
    const totals = closed.result!.totals;
    const part = tally.participating;
    const met = (ok: boolean) => (ok ? '达到' : '未达到');
    const expected = [
      `参与表决面积：3 × ${part.areaCentiM2} ≥ 2 × ${totals.areaCentiM2}（面积以 0.01 m² 计）→ ${met(3 * part.areaCentiM2 >= 2 * totals.areaCentiM2)}`,
      `参与表决人数：3 × ${part.heads} ≥ 2 × ${totals.heads} → ${met(3 * part.heads >= 2 * totals.heads)}`,
      `同意面积：4 × ${tally.for.areaCentiM2} ≥ 3 × ${part.areaCentiM2}（面积以 0.01 m² 计）→ ${met(4 * tally.for.areaCentiM2 >= 3 * part.areaCentiM2)}`,
      `同意人数：4 × ${tally.for.heads} ≥ 3 × ${part.heads} → ${met(4 * tally.for.heads >= 3 * part.heads)}`,
    ];
    // pdftotext may space the text differently around full-width signs; compare without spaces.
    const bare = (l: string) => l.replace(/\s+/g, '');
    const lines = text.split('\n').map(bare);
    for (const e of expected) expect(lines).toContain(bare(e));
  });

  describe('one head per buyer, one stance per head', () => {
    /**
     * Building 5's first four units: A and B owned by wang alone, C by wang and li together (another
     * buyer), D by li alone. wang votes for A and B; zhao is the designated voter of C; li of D.
     */
    type Unit = { id: string; label: string };
    let units: [Unit, Unit, Unit, Unit];
    let wang: { userId: string; token: string };
    let zhao: { userId: string; token: string };
    let o1: string;
    let o2: string;
    beforeAll(async () => {
      const rows: Unit[] = await t.db.query(
        `SELECT h.id, concat_ws(' ', b.name, g.name, h.unit) AS label FROM household h JOIN building b ON b.id = h.building_id LEFT JOIN building_gate g ON g.id = h.gate_id
         WHERE b.name = '5号楼' AND NOT h.developer_held ORDER BY h.unit LIMIT 4`,
      );
      const [a, b, c, d] = rows;
      if (!a || !b || !c || !d) throw new Error(`building 5 has ${rows.length} units not held by the developer; these tests need four`);
      units = [a, b, c, d];
      const [w, z] = await t.residents(2, 'stance');
      const [first, second]: Array<{ id: string }> = await t.db.query(
        `INSERT INTO owner (compound_id, name) VALUES ($1, '王建国'), ($1, '李桂兰') RETURNING id`,
        [t.compoundId],
      );
      if (!w || !z || !first || !second) throw new Error('the two residents and the two owners were not all created');
      [wang, zhao, o1, o2] = [w, z, first.id, second.id];
      await t.db.query(`DELETE FROM household_owner WHERE household_id = ANY($1)`, [units.map((u) => u.id)]);
      await t.db.query(`INSERT INTO household_owner (household_id, owner_id) VALUES ($1, $5), ($2, $5), ($3, $5), ($3, $6), ($4, $6)`, [
        ...units.map((u) => u.id),
        o1,
        o2,
      ]);
      await t.db.query(`UPDATE household SET voter_user_id = $2, proxy_user_id = NULL WHERE id = ANY($1)`, [
        [units[0].id, units[1].id],
        wang.userId,
      ]);
      await t.db.query(`UPDATE household SET voter_user_id = $2, proxy_user_id = NULL WHERE id = $1`, [units[2].id, zhao.userId]);
    });

    const roundOn = async (buildingOnly: boolean) => {
      const { id, revision } = await proposal();
      const [b] = await t.db.query(`SELECT id FROM building WHERE compound_id = $1 AND name = '5号楼'`, [t.compoundId]);
      const res = await api('POST', `/proposals/${id}/rounds`, chair, {
        revisionNumber: revision.number,
        question: '同意吗？',
        rule: 'simple_majority',
        buildingIds: buildingOnly ? [b.id] : [],
      });
      expect(res.status).toBe(201);
      return res.body as RoundView;
    };

    it('counts {wang} and {wang, li} as two buyers and {li} as a third: heads are owner sets, never joined through a co-owner', async () => {
      const round = await roundOn(true);
      const [{ n: units5 }] = await t.db.query(
        `SELECT count(*)::int AS n FROM household h JOIN building b ON b.id = h.building_id WHERE b.name = '5号楼'`,
      );
      // Building 5: wang's two units are one head, C and D a head each, every other unit its own.
      expect(round.totals.households).toBe(units5);
      expect(round.totals.heads).toBe(units5 - 1);
      await api('POST', `/rounds/${round.id}/close`, chair);
    });

    it('shows an owner of two units one ballot for both, and applies one cast to both, through the socket', async () => {
      const round = await roundOn(true);
      const s = await open(wang.token);
      const followed = await raw(s).emitWithAck('vote:follow', { roundId: round.id });
      const mine: MyBallotView[] = followed.mine;
      expect(mine.map((m) => m.householdId).sort()).toEqual([units[0].id, units[1].id].sort());
      expect(new Set(mine.map((m) => m.head)).size).toBe(1);
      expect(mine[0]?.sameOwnerUnits.sort()).toEqual([units[0].label, units[1].label].sort());

      const ack = await cast(s, round, units[0].id, 'for');
      expect(ack.ok).toBe(true);
      const after: MyBallotView[] = (await raw(s).emitWithAck('vote:follow', { roundId: round.id })).mine;
      expect(after.map((m) => m.ballot?.choice)).toEqual(['for', 'for']);
      // Each unit has its own entry in the audit chain.
      expect(await count(`SELECT count(*)::int AS n FROM audit_entry WHERE round_id = $1 AND kind = 'ballot.cast'`, [round.id])).toBe(2);

      // Changing it changes both.
      expect((await cast(s, round, units[1].id, 'against')).ok).toBe(true);
      const rows = await t.db.query(`SELECT household_id, choice, changes FROM ballot WHERE round_id = $1 ORDER BY household_id`, [
        round.id,
      ]);
      expect(rows.map((r: { choice: string }) => r.choice)).toEqual(['against', 'against']);
      const tally = await api('GET', `/rounds/${round.id}/tally`, chair);
      expect(tally.body.tally.against).toMatchObject({ households: 2, heads: 1 });
      await api('POST', `/rounds/${round.id}/close`, chair);
    });

    it('refuses a ballot that splits an owner whose other unit another person votes for, online and on paper, and writes nothing', async () => {
      const round = await roundOn(false);
      // C is {wang, li}: another buyer than wang alone, so zhao's ballot for C never conflicts with wang's units.
      const w = await open(wang.token);
      const z = await open(zhao.token);
      expect((await cast(w, round, units[0].id, 'for')).ok).toBe(true);
      expect((await cast(z, round, units[2].id, 'against')).ok).toBe(true);

      // Now give C's voter a unit of wang's own: unit B's voter becomes zhao, so B and A are one owner with two voters.
      await t.db.query(`UPDATE household SET voter_user_id = $2 WHERE id = $1`, [units[1].id, zhao.userId]);
      const round2 = await (async () => {
        await api('POST', `/rounds/${round.id}/close`, chair);
        return roundOn(false);
      })();
      expect((await cast(w, round2, units[0].id, 'for')).ok).toBe(true);
      const printed = await api('POST', `/rounds/${round2.id}/ballot-papers`, chair, { householdIds: [units[1].id], format: 'json' });
      expect(printed.status).toBe(200);
      const before = await written();
      const split = await cast(z, round2, units[1].id, 'against');
      expect(split).toMatchObject({ ok: false, error: { code: 'SPLIT_STANCE' } });
      expect(split.error.message).toBe('同一业主的多套房屋须持同一意见：您的其他房屋已投了不同的票');
      expect(split.error.details).toEqual({ household: units[0].id, choice: 'for' });

      // The same on paper: the chair enters B against, from its printed code, signed by the owner.
      const f = new FormData();
      for (const [k, v] of Object.entries({
        ballotId: randomUUID(),
        householdId: units[1].id,
        revisionId: round2.revisionId,
        choice: 'against',
        code: printed.body[0].code,
        signerId: o1,
      }))
        f.append(k, v);
      const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#ffffff' } })
        .jpeg()
        .toBuffer();
      f.append('photo', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'paper.jpg');
      const paper = await t.api('POST', `/api/compounds/${t.compoundId}/rounds/${round2.id}/paper-ballots`, { token: chair, raw: f });
      expect([paper.status, paper.body.error.code, paper.body.error.fields]).toEqual([409, 'SPLIT_STANCE', undefined]);
      expect(await written()).toEqual(before);

      // Agreeing with the owner's other unit is accepted, online as on paper.
      expect((await cast(z, round2, units[1].id, 'for')).ok).toBe(true);
      await t.db.query(`UPDATE household SET voter_user_id = $2 WHERE id = $1`, [units[1].id, wang.userId]);
      await api('POST', `/rounds/${round2.id}/close`, chair);
    });
  });
});
