import { randomUUID } from 'node:crypto';
import {
  addFundingLine,
  type FundingLineInput,
  householdShares,
  type RoundView,
  type SignOffStatusView,
  SocketIOProvider,
  updateFundingLine,
} from '@yishi/shared';
import * as Y from 'yjs';
import { appendParagraphs } from '../../seed/doc-content';
import { type ClientSocket, connect, waitFor } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

const raw = (s: ClientSocket) => s.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };

/** The 670 m² bungalow plan: the rights unit pays most, a subsidy and the maintenance fund the rest. */
const BUNGALOW: FundingLineInput[] = [
  {
    category: '主体工程',
    description: '平房翻建',
    quantityCenti: 67000,
    unit: 'm²',
    unitPriceFen: 120000,
    splits: { property_rights_unit: 70_000_000, government_subsidy: 10_400_000 },
  },
  { category: '设计监理', description: '设计与监理', amountFen: 3_000_000, splits: { maintenance_fund: 3_000_000 } },
  { category: '配套', description: '楼道照明', amountFen: 1_200_000, splits: { property_rights_unit: 400_000, residents: 800_000 } },
];

describe('funding sign-offs', () => {
  let t: TestApp;
  let chair: string;
  let rights: string;
  let property: string;
  let resident: string;
  let orgs: Record<'rights' | 'property' | 'urban' | 'branch', string>;
  const sockets: ClientSocket[] = [];
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });

  /** A proposal whose document holds the given funding lines; returns its id and the line ids. */
  const planned = async (lines: FundingLineInput[] = BUNGALOW) => {
    const p = await api('POST', '/proposals', chair, { title: '35号院平房改造', kind: 'renovation' });
    const socket = await connect(t.baseUrl, chair);
    sockets.push(socket);
    const doc = new Y.Doc();
    const provider = new SocketIOProvider(socket, p.body.id, doc);
    await provider.whenSynced();
    appendParagraphs(doc, ['拆除院内危旧平房，原址翻建。']);
    const ids = lines.map((l) => addFundingLine(doc, l));
    await provider.whenAcknowledged();
    return { id: p.body.id as string, lineIds: ids, doc, provider };
  };
  const freeze = async (id: string) => {
    const r = await api('POST', `/proposals/${id}/revisions`, chair);
    expect(r.status).toBe(201);
    return r.body as { id: string; number: number; hash: string };
  };
  const signOff = (id: string, n: number, token: string, body: Record<string, unknown>) =>
    api('POST', `/proposals/${id}/revisions/${n}/sign-offs`, token, body);
  const counts = async (id: string) => {
    const [s] = await t.db.query(`SELECT count(*)::int AS n FROM sign_off WHERE proposal_id = $1`, [id]);
    const [a] = await t.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE chain_id = $1 AND kind LIKE 'signoff.%'`, [id]);
    return { signOffs: s.n as number, auditEntries: a.n as number };
  };

  beforeAll(async () => {
    t = await startTestApp();
    const tokenOf = async (label: string) => (await t.signIn(label)).accessToken;
    [chair, rights, property, resident] = await Promise.all([
      tokenOf('chair'),
      tokenOf('rights'),
      tokenOf('property'),
      tokenOf('resident1'),
    ]);
    const rows: Array<{ id: string; kind: string; name: string }> = await t.db.query(`SELECT id, kind, name FROM organisation`);
    orgs = {
      rights: rows.find((o) => o.kind === 'property_rights_unit')!.id,
      property: rows.find((o) => o.kind === 'property_company')!.id,
      urban: rows.find((o) => o.name.includes('城市管理'))!.id,
      branch: rows.find((o) => o.kind === 'party_branch')!.id,
    };
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('only a member of the funding organisation signs for it, for exactly what the plan has it pay; every decision is audited', async () => {
    const { id, lineIds } = await planned();
    const rev = await freeze(id);

    // A resident is no funding party at all.
    const byResident = await signOff(id, 1, resident, { decision: 'given', amountFen: 70_400_000 });
    expect([byResident.status, byResident.body.error.code]).toEqual([403, 'FORBIDDEN']);
    // The property company cannot sign for the rights unit.
    const forRights = await signOff(id, 1, property, { decision: 'given', amountFen: 70_400_000, organisationId: orgs.rights });
    expect([forRights.status, forRights.body.error.code]).toEqual([403, 'NOT_YOUR_ORGANISATION']);
    // Amount must be what the plan says; lines must exist; a refusal needs a reason.
    const wrong = await signOff(id, 1, rights, { decision: 'given', amountFen: 60_000_000 });
    expect([wrong.status, wrong.body.error.code, wrong.body.error.details]).toEqual([422, 'SIGN_OFF_MISMATCH', { planFen: 70_400_000 }]);
    const badLine = await signOff(id, 1, rights, { decision: 'given', amountFen: 0, lineIds: ['nope'] });
    expect(badLine.body.error.fields).toEqual([{ path: 'lineIds', message: 'revision 1 has no line "nope"' }]);
    const silent = await signOff(id, 1, rights, { decision: 'refused' });
    expect(silent.body.error.fields).toEqual([{ path: 'note', message: 'a refusal needs a note saying why' }]);
    for (const [amountFen, path] of [
      [-1, 'amountFen'],
      [1.5, 'amountFen'],
      [2 ** 53, 'amountFen'],
      ['100', 'amountFen'],
    ] as const) {
      const bad = await signOff(id, 1, rights, { decision: 'given', amountFen });
      expect([bad.status, bad.body.error.fields[0].path]).toEqual([400, path]);
    }
    expect(await counts(id)).toEqual({ signOffs: 0, auditEntries: 0 });

    // The rights unit commits its share of the whole plan: 700,000 + 4,000 yuan.
    const given = await signOff(id, 1, rights, { decision: 'given', amountFen: 70_400_000, note: '经单位党委会研究同意出资' });
    expect(given.status).toBe(201);
    expect(given.body.signOff).toMatchObject({
      revisionNumber: 1,
      organisationId: orgs.rights,
      organisationName: '35号院产权单位',
      decision: 'given',
      amountFen: 70_400_000,
      lineIds: [lineIds[0], lineIds[2]],
      signedByName: '周处长（产权单位）',
    });
    // The property company pays nothing in this plan: it has nothing to sign, and is told so.
    for (const decision of [
      { decision: 'given', amountFen: 0 },
      { decision: 'refused', note: '不同意' },
    ]) {
      const notAsked = await signOff(id, 1, property, decision);
      expect([notAsked.status, notAsked.body.error.code, notAsked.body.error.message]).toEqual([
        422,
        'SIGN_OFF_NOT_ASKED',
        '该方案没有要求本单位出资，本单位无需签认',
      ]);
    }
    // Nor does the rights unit on lines it does not pay for.
    const notOnLine = await signOff(id, 1, rights, { decision: 'given', amountFen: 0, lineIds: [lineIds[1]] });
    expect(notOnLine.body.error.code).toBe('SIGN_OFF_NOT_ASKED');
    expect(await counts(id)).toEqual({ signOffs: 1, auditEntries: 1 });
    // A commitment for some lines only.
    const street = await signOff(id, 1, (await t.signIn('street1')).accessToken, {
      decision: 'given',
      amountFen: 10_400_000,
      lineIds: [lineIds[0]],
    });
    expect(street.body.signOff).toMatchObject({ organisationId: orgs.urban, amountFen: 10_400_000, lineIds: [lineIds[0]] });

    const entries: Array<{ kind: string; hash: string; body: string }> = await t.db.query(
      `SELECT kind, hash, body FROM audit_entry WHERE chain_id = $1 AND kind LIKE 'signoff.%' ORDER BY seq`,
      [id],
    );
    expect(entries.map((e) => e.hash)).toEqual([given.body.signOff.auditHash, street.body.signOff.auditHash]);
    expect(JSON.parse(entries[0]!.body)).toMatchObject({
      kind: 'signoff.given',
      revision: rev.id,
      revisionHash: rev.hash,
      organisation: orgs.rights,
      amountFen: 70_400_000,
    });
  });

  it('a new revision needs new sign-offs: earlier ones stay on their revision, and the old revision can no longer be signed', async () => {
    const { id, lineIds, doc, provider } = await planned();
    await api('PUT', `/proposals/${id}/required-sign-offs`, chair, { organisationIds: [orgs.rights] });
    await freeze(id);
    expect((await signOff(id, 1, rights, { decision: 'given', amountFen: 70_400_000 })).status).toBe(201);
    let status = (await api('GET', `/proposals/${id}/sign-offs`, resident)).body as SignOffStatusView;
    expect([status.revisionNumber, status.missing, status.required[0]?.state]).toEqual([1, [], 'given']);

    // The plan changes (the rights unit's share grows), and revision 2 is frozen.
    updateFundingLine(doc, lineIds[2]!, { splits: { property_rights_unit: 1_200_000, residents: 0 } });
    await provider.whenAcknowledged();
    await freeze(id);
    status = (await api('GET', `/proposals/${id}/sign-offs`, resident)).body;
    expect(status).toMatchObject({ revisionNumber: 2, missing: [orgs.rights], history: [] });
    expect(status.required[0]).toMatchObject({ organisationId: orgs.rights, state: 'missing', planFen: 71_200_000, latest: null });
    const stale = await signOff(id, 1, rights, { decision: 'given', amountFen: 70_400_000 });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'REVISION_NOT_LATEST']);
    // Revision 1's record is kept as it was.
    expect((await api('GET', `/proposals/${id}/revisions/1/sign-offs`, chair)).body.required[0].state).toBe('given');
  });

  it('a passed proposal waits for a missing sign-off; a refusal keeps it waiting; the last sign-off adopts it and everyone watching sees it', async () => {
    const { id } = await planned();
    const set = await api('PUT', `/proposals/${id}/required-sign-offs`, chair, { organisationIds: [orgs.rights, orgs.urban] });
    expect(set.status).toBe(200);
    expect(set.body.required.map((r: { organisationName: string }) => r.organisationName)).toEqual([
      '35号院产权单位',
      '麦子店街道城市管理科',
    ]);
    expect((await api('GET', `/proposals/${id}`, resident)).body.requiredSignOffs).toEqual([orgs.rights, orgs.urban]);
    const rev = await freeze(id);
    // The street department commits while the vote is on.
    expect((await signOff(id, 1, (await t.signIn('street1')).accessToken, { decision: 'given', amountFen: 10_400_000 })).status).toBe(201);

    const round = (
      await api('POST', `/proposals/${id}/rounds`, chair, {
        revisionNumber: 1,
        question: '是否同意平房改造方案？',
        rule: 'simple_majority',
      })
    ).body as RoundView;
    const voter = await connect(t.baseUrl, resident);
    sockets.push(voter);
    const [h] = await t.db.query(
      `SELECT household_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.username = 'resident1' AND household_id IS NOT NULL`,
    );
    const cast = await raw(voter).emitWithAck('vote:cast', {
      roundId: round.id,
      ballotId: randomUUID(),
      householdId: h.household_id,
      revisionId: rev.id,
      choice: 'for',
    });
    expect(cast.ok).toBe(true);
    const closed = (await api('POST', `/rounds/${round.id}/close`, chair)).body as RoundView;
    expect(closed).toMatchObject({ proposalStatus: 'passed', result: { decision: { passed: true } } });

    // The proposal page shows what is missing.
    let status = (await api('GET', `/proposals/${id}/sign-offs`, resident)).body as SignOffStatusView;
    expect(status).toMatchObject({ proposalStatus: 'passed', revisionNumber: 1, missing: [orgs.rights] });
    expect(status.required.map((r) => [r.organisationId, r.state])).toEqual([
      [orgs.rights, 'missing'],
      [orgs.urban, 'given'],
    ]);

    const refused = await signOff(id, 1, rights, { decision: 'refused', note: '需单位党委会研究' });
    expect(refused.body).toMatchObject({ proposalStatus: 'passed', signOff: { decision: 'refused', note: '需单位党委会研究' } });
    status = (await api('GET', `/proposals/${id}/sign-offs`, resident)).body;
    expect(status.required[0]?.state).toBe('refused');
    expect((await api('GET', `/proposals/${id}`, chair)).body.status).toBe('passed');

    const watcher = await connect(t.baseUrl, resident);
    sockets.push(watcher);
    expect((await raw(watcher).emitWithAck('vote:follow', { roundId: round.id })).ok).toBe(true);
    const seesAdopted = waitFor(watcher as never, 'vote:round' as never, ((r: RoundView) => r.proposalStatus === 'adopted') as never);
    const given = await signOff(id, 1, rights, { decision: 'given', amountFen: 70_400_000, note: '同意出资' });
    expect(given.body.proposalStatus).toBe('adopted');
    await seesAdopted;
    expect((await api('GET', `/proposals/${id}`, chair)).body.status).toBe('adopted');
    status = (await api('GET', `/proposals/${id}/sign-offs`, resident)).body;
    expect(status.missing).toEqual([]);
    expect(status.history.map((s) => [s.organisationId, s.decision])).toEqual([
      [orgs.urban, 'given'],
      [orgs.rights, 'refused'],
      [orgs.rights, 'given'],
    ]);
    const kinds: Array<{ kind: string }> = await t.db.query(
      `SELECT kind FROM audit_entry WHERE chain_id = $1 AND kind NOT LIKE 'ballot.%' ORDER BY seq`,
      [id],
    );
    expect(kinds.map((k) => k.kind)).toEqual([
      'sign_offs.required',
      'revision.frozen',
      'signoff.given',
      'round.opened',
      'round.closed',
      'signoff.refused',
      'signoff.given',
      'proposal.adopted',
    ]);
    expect((await api('GET', `/rounds/${round.id}/verify`, chair)).body.ok).toBe(true);
    // Nothing more to sign once adopted.
    expect((await signOff(id, 1, rights, { decision: 'refused', note: '反悔' })).body.error.code).toBe('PROPOSAL_ADOPTED');
  });

  it('the chair chooses the required sign-offs among organisations that serve the compound and can sign', async () => {
    const { id } = await planned();
    expect((await api('PUT', `/proposals/${id}/required-sign-offs`, resident, { organisationIds: [orgs.rights] })).status).toBe(403);
    const branch = await api('PUT', `/proposals/${id}/required-sign-offs`, chair, { organisationIds: [orgs.rights, orgs.branch] });
    expect(branch.body.error.fields).toEqual([
      { path: 'organisationIds.1', message: 'this kind of organisation has no members who can sign off' },
    ]);
    const [community] = await t.db.query(`INSERT INTO community (name, street) VALUES ('别的社区', '别的街道') RETURNING id`);
    const [elsewhere] = await t.db.query(
      `INSERT INTO organisation (community_id, kind, name) VALUES ($1, 'property_rights_unit', '别处产权单位') RETURNING id`,
      [community.id],
    );
    const foreign = await api('PUT', `/proposals/${id}/required-sign-offs`, chair, { organisationIds: [elsewhere.id] });
    expect(foreign.body.error.fields).toEqual([{ path: 'organisationIds.0', message: 'no such organisation serves this compound' }]);
    const [{ required_sign_offs }] = await t.db.query(`SELECT required_sign_offs FROM proposal WHERE id = $1`, [id]);
    expect(required_sign_offs).toEqual([]);
    const ok = await api('PUT', `/proposals/${id}/required-sign-offs`, chair, { organisationIds: [orgs.rights] });
    expect(ok.body).toMatchObject({ revisionNumber: null, missing: [orgs.rights] });
  });

  it('splits what residents pay among households by floor area, to the fen', async () => {
    const { id } = await planned();
    await freeze(id);
    const res = await api('GET', `/proposals/${id}/revisions/1/household-shares`, resident);
    expect(res.status).toBe(200);
    expect(res.body.residentsFen).toBe(800_000);
    expect(res.body.shares).toHaveLength(36);
    expect(res.body.shares.reduce((s: number, x: { shareFen: number }) => s + x.shareFen, 0)).toBe(800_000);
    expect(res.body.rule.zh).toContain('按专有部分面积分摊');
    // The same as a client computes from the household areas.
    const areas = (await api('GET', '/household-areas', resident)).body as Array<{ id: string; areaCentiM2: number }>;
    const local = new Map(householdShares(800_000, areas).map((s) => [s.id, s.shareFen]));
    for (const s of res.body.shares) expect(s.shareFen).toBe(local.get(s.householdId));
    expect(res.body.shares[0]).toEqual({
      householdId: expect.any(String),
      label: '1号楼 1单元 101',
      areaCentiM2: expect.any(Number),
      shareFen: expect.any(Number),
    });
  });

  it("the demo proposal (the 670 m² bungalows) has a balanced plan that freezes, and needs the rights unit's sign-off", async () => {
    const [demo] = await t.db.query(`SELECT id FROM proposal WHERE title = '霞光里35号院危旧平房改造方案'`);
    const rev = await freeze(demo.id);
    const status = (await api('GET', `/proposals/${demo.id}/sign-offs`, resident)).body as SignOffStatusView;
    expect(status).toMatchObject({ revisionNumber: rev.number, missing: [orgs.rights] });
    expect(status.required[0]).toMatchObject({ source: 'property_rights_unit', planFen: 70_360_000 });
  });
});
