import { randomUUID } from 'node:crypto';
import type { EditRightsView, ProposalView, RevisionView, RoundView, SignOffStatusView } from '@yishi/shared';
import * as encoding from 'lib0/encoding';
import type { Server } from 'socket.io';
import * as Y from 'yjs';
import { DocsGateway } from '../realtime/docs.gateway';
import { appendParagraphs } from '../../seed/doc-content';
import { writeDoc } from '../../testing/docs';
import { type ClientSocket, connect } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

const raw = (s: ClientSocket) => s.timeout(10_000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<any> };

/** A y-protocols update message adding one paragraph, as an editor would send it. */
function editMessage(text: string): Buffer {
  const d = new Y.Doc();
  appendParagraphs(d, [text]);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(d));
  d.destroy();
  return Buffer.from(encoding.toUint8Array(e));
}

/** Waits for a condition the server reaches on its own (no event tells a client); fails after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('one owner of the life cycle', () => {
  let t: TestApp;
  let tokens: Record<'chair' | 'resident1' | 'property' | 'rights' | 'observer', string>;
  let orgs: { rights: string; property: string };
  const sockets: ClientSocket[] = [];
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  const socketFor = async (token: string) => {
    const s = await connect(t.baseUrl, token);
    sockets.push(s);
    return s;
  };
  const join = async (s: ClientSocket, docId: string) => raw(s).emitWithAck('doc:join', { docId });
  const edit = async (s: ClientSocket, docId: string, text = '再加一句。') =>
    raw(s).emitWithAck('doc:sync', { docId, message: editMessage(text) });
  const docRooms = () => (t.app.get(DocsGateway) as unknown as { server: Server }).server;
  const inRoom = async (docId: string, s: ClientSocket) => (await docRooms().in(`doc:${docId}`).fetchSockets()).some((x) => x.id === s.id);
  /** Everything a refused request could have written, to compare before and after. */
  const written = async (id: string) => {
    const [r] = await t.db.query(
      `SELECT (SELECT count(*)::int FROM revision WHERE proposal_id = $1) AS revisions,
              (SELECT count(*)::int FROM vote_round WHERE proposal_id = $1) AS rounds,
              (SELECT count(*)::int FROM sign_off WHERE proposal_id = $1) AS sign_offs,
              (SELECT count(*)::int FROM audit_entry WHERE chain_id = $1) AS audit,
              (SELECT count(*)::int FROM doc_update WHERE doc_id = $1) AS updates,
              (SELECT count(*)::int FROM proposal_edit_grant WHERE proposal_id = $1) AS grants,
              (SELECT count(*)::int FROM proposal) AS proposals,
              (SELECT status FROM proposal WHERE id = $1) AS status,
              (SELECT required_sign_offs FROM proposal WHERE id = $1) AS required`,
      [id],
    );
    return r;
  };

  /** A proposal with text and a plan the rights unit pays for, its sign-off required. */
  const drafted = async (title = '1号楼楼道照明改造') => {
    const p = (await api('POST', '/proposals', tokens.chair, { title, kind: 'renovation' })).body as ProposalView;
    const lineIds = await writeDoc(t.baseUrl, tokens.chair, p.id, {
      paragraphs: ['更换1号楼全部楼道照明，改为声控节能灯。'],
      lines: [{ category: '配套', description: '楼道照明', amountFen: 400_000, splits: { property_rights_unit: 400_000 } }],
    });
    expect((await api('PUT', `/proposals/${p.id}/required-sign-offs`, tokens.chair, { organisationIds: [orgs.rights] })).status).toBe(200);
    return { id: p.id, lineIds };
  };
  const freeze = async (id: string) => {
    const r = await api('POST', `/proposals/${id}/revisions`, tokens.chair);
    expect(r.status).toBe(201);
    return r.body as RevisionView;
  };
  /** Opens a round on the revision, resident1 votes for, the chair closes it: passed. */
  const passRound = async (id: string, rev: RevisionView) => {
    const round = (
      await api('POST', `/proposals/${id}/rounds`, tokens.chair, {
        revisionNumber: rev.number,
        question: '是否同意？',
        rule: 'simple_majority',
      })
    ).body as RoundView;
    expect(round.proposalStatus).toBe('in_vote');
    const [h] = await t.db.query(
      `SELECT household_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.username = 'resident1' AND household_id IS NOT NULL`,
    );
    const voter = await socketFor(tokens.resident1);
    expect(
      (
        await raw(voter).emitWithAck('vote:cast', {
          roundId: round.id,
          ballotId: randomUUID(),
          householdId: h.household_id,
          revisionId: rev.id,
          choice: 'for',
        })
      ).ok,
    ).toBe(true);
    const closed = (await api('POST', `/rounds/${round.id}/close`, tokens.chair)).body as RoundView;
    expect(closed.proposalStatus).toBe('passed');
    return closed;
  };
  const adopted = async () => {
    const { id } = await drafted();
    const rev = await freeze(id);
    await passRound(id, rev);
    const given = await api('POST', `/proposals/${id}/revisions/${rev.number}/sign-offs`, tokens.rights, {
      decision: 'given',
      amountFen: 400_000,
    });
    expect(given.body.proposalStatus).toBe('adopted');
    return { id, rev };
  };

  beforeAll(async () => {
    t = await startTestApp();
    const logins = ['chair', 'resident1', 'property', 'rights', 'observer'] as const;
    tokens = Object.fromEntries(await Promise.all(logins.map(async (l) => [l, (await t.signIn(l)).accessToken]))) as typeof tokens;
    const rows: Array<{ id: string; kind: string }> = await t.db.query(`SELECT id, kind FROM organisation`);
    orgs = {
      rights: rows.find((o) => o.kind === 'property_rights_unit')!.id,
      property: rows.find((o) => o.kind === 'property_company')!.id,
    };
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('moves a proposal drafting → frozen → in vote → failed → frozen → in vote → passed → adopted, and says so', async () => {
    const { id } = await drafted();
    expect((await api('GET', `/proposals/${id}`, tokens.resident1)).body.status).toBe('drafting');
    const rev1 = await freeze(id);
    expect((await api('GET', `/proposals/${id}`, tokens.resident1)).body.status).toBe('frozen');
    // Round 1 fails: nobody votes.
    const r1 = (
      await api('POST', `/proposals/${id}/rounds`, tokens.chair, {
        revisionNumber: rev1.number,
        question: '是否同意？',
        rule: 'simple_majority',
      })
    ).body as RoundView;
    // Nothing is frozen while the vote is open.
    const during = await api('POST', `/proposals/${id}/revisions`, tokens.chair);
    expect([during.status, during.body.error.code, during.body.error.details]).toEqual([
      409,
      'PROPOSAL_STATUS',
      { status: 'in_vote', refused: 'freeze' },
    ]);
    expect((await api('POST', `/rounds/${r1.id}/close`, tokens.chair)).body.proposalStatus).toBe('failed');
    const rev2 = await freeze(id);
    expect((await api('GET', `/proposals/${id}`, tokens.resident1)).body.status).toBe('frozen');
    await passRound(id, rev2);
    const given = await api('POST', `/proposals/${id}/revisions/${rev2.number}/sign-offs`, tokens.rights, {
      decision: 'given',
      amountFen: 400_000,
    });
    expect(given.body.proposalStatus).toBe('adopted');
    const view = (await api('GET', `/proposals/${id}`, tokens.resident1)).body as ProposalView;
    expect(view).toMatchObject({ status: 'adopted', adoptedAt: expect.any(String), amends: null, amendedBy: [] });
  });

  it('an adopted proposal is final: its text, freezing, who must sign and the sign-offs are refused over HTTP and the socket, and nothing is written', async () => {
    const { id: pending } = await drafted('待通过的方案');
    const rev = await freeze(pending);
    await passRound(pending, rev);
    // An editor who joined before adoption, and still holds the document open.
    const chairSocket = await socketFor(tokens.chair);
    expect(await join(chairSocket, pending)).toEqual({ ok: true, canEdit: false });
    // (passed: the text no longer changes; an editor of an editable proposal follows below.)

    const { id } = await adopted();
    const before = await written(id);

    // REST: the chair tries to freeze again, change who must sign, open a new round on the adopted revision.
    const frozen = await api('POST', `/proposals/${id}/revisions`, tokens.chair);
    expect([frozen.status, frozen.body.error.code, frozen.body.error.message]).toEqual([
      409,
      'PROPOSAL_ADOPTED',
      '方案已经通过生效，不能再修改、定稿、表决或签认；如需修改，请发起修正案',
    ]);
    const required = await api('PUT', `/proposals/${id}/required-sign-offs`, tokens.chair, { organisationIds: [] });
    expect([required.status, required.body.error.code]).toEqual([409, 'PROPOSAL_ADOPTED']);
    const reopened = await api('POST', `/proposals/${id}/rounds`, tokens.chair, {
      revisionNumber: 1,
      question: '重新表决',
      rule: 'unanimous',
    });
    expect([reopened.status, reopened.body.error.code]).toEqual([409, 'PROPOSAL_ADOPTED']);
    const signed = await api('POST', `/proposals/${id}/revisions/1/sign-offs`, tokens.rights, { decision: 'refused', note: '反悔了' });
    expect([signed.status, signed.body.error.code]).toEqual([409, 'PROPOSAL_ADOPTED']);
    const invited = await api('POST', `/proposals/${id}/edit-grants`, tokens.chair, { organisationId: orgs.property });
    expect([invited.status, invited.body.error.code]).toEqual([409, 'PROPOSAL_ADOPTED']);
    const withdrawn = await api('POST', `/proposals/${id}/withdraw`, tokens.chair, { reason: '不想要了' });
    expect([withdrawn.status, withdrawn.body.error.code]).toEqual([409, 'PROPOSAL_ADOPTED']);

    // Socket: the chair joins the document read-only, and an edit is refused.
    const s = await socketFor(tokens.chair);
    expect(await join(s, id)).toEqual({ ok: true, canEdit: false });
    const refused = await edit(s, id);
    expect([refused.ok, refused.error.code]).toEqual([false, 'FORBIDDEN']);
    expect((await api('GET', `/proposals/${id}/edit-rights`, tokens.chair)).body).toMatchObject({
      status: 'adopted',
      canEdit: false,
      reason: 'status',
    });

    expect(await written(id)).toEqual(before);
    // The sign-off page still agrees with the status: nothing is missing on the adopted revision.
    const status = (await api('GET', `/proposals/${id}/sign-offs`, tokens.resident1)).body as SignOffStatusView;
    expect(status).toMatchObject({ proposalStatus: 'adopted', revisionNumber: 1, missing: [] });
  });

  it('takes the edit right from a socket editing the text at the moment the proposal is adopted', async () => {
    // No sign-off required: the round passing adopts it at once.
    const p = (await api('POST', '/proposals', tokens.chair, { title: '院内绿化', kind: 'other' })).body as ProposalView;
    await writeDoc(t.baseUrl, tokens.chair, p.id, { paragraphs: ['补种院内绿化。'] });
    const rev = await freeze(p.id);
    const editor = await socketFor(tokens.resident1);
    expect(await join(editor, p.id)).toEqual({ ok: true, canEdit: true });
    expect((await edit(editor, p.id, '表决期间继续起草。')).ok).toBe(true);
    const round = (
      await api('POST', `/proposals/${p.id}/rounds`, tokens.chair, {
        revisionNumber: rev.number,
        question: '是否同意？',
        rule: 'simple_majority',
      })
    ).body as RoundView;
    const [h] = await t.db.query(
      `SELECT household_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.username = 'resident1' AND household_id IS NOT NULL`,
    );
    expect(
      (
        await raw(editor).emitWithAck('vote:cast', {
          roundId: round.id,
          ballotId: randomUUID(),
          householdId: h.household_id,
          revisionId: rev.id,
          choice: 'for',
        })
      ).ok,
    ).toBe(true);
    expect((await api('POST', `/rounds/${round.id}/close`, tokens.chair)).body.proposalStatus).toBe('adopted');

    await until('the editor is out of the document', async () => !(await inRoom(p.id, editor)));
    const before = await written(p.id);
    const late = await edit(editor, p.id, '通过之后偷偷改一句。');
    expect(late.ok).toBe(false);
    expect(await join(editor, p.id)).toEqual({ ok: true, canEdit: false });
    expect((await edit(editor, p.id, '通过之后偷偷改一句。')).error.code).toBe('FORBIDDEN');
    expect(await written(p.id)).toEqual(before);
  });

  it('changing an adopted plan starts an amendment: a new proposal from its adopted text and plan, with its own rounds', async () => {
    const { id, rev } = await adopted();
    // Only an adopted proposal is amended; an observer cannot start one.
    const { id: draft } = await drafted('还在起草');
    const before = await written(draft);
    const early = await api('POST', `/proposals/${draft}/amendments`, tokens.chair, {});
    expect([early.status, early.body.error.code]).toEqual([409, 'PROPOSAL_STATUS']);
    expect((await api('POST', `/proposals/${id}/amendments`, tokens.observer, {})).status).toBe(403);
    expect(await written(draft)).toEqual(before);

    const res = await api('POST', `/proposals/${id}/amendments`, tokens.chair, {});
    expect(res.status).toBe(201);
    const amendment = res.body as ProposalView;
    expect(amendment).toMatchObject({
      title: '1号楼楼道照明改造（修正案）',
      status: 'drafting',
      amends: id,
      requiredSignOffs: [orgs.rights],
      revisions: [],
    });
    expect((await api('GET', `/proposals/${id}`, tokens.resident1)).body).toMatchObject({ status: 'adopted', amendedBy: [amendment.id] });
    const [entry] = await t.db.query(`SELECT body FROM audit_entry WHERE chain_id = $1 AND kind = 'proposal.amended'`, [id]);
    expect(JSON.parse(entry.body)).toMatchObject({ amendment: amendment.id, fromRevision: rev.id, fromRevisionHash: rev.hash });

    // It starts exactly where the adopted revision stood: frozen unchanged, the same content hash.
    const first = await freeze(amendment.id);
    expect(first).toMatchObject({ number: 1, hash: rev.hash, text: rev.text, funding: rev.funding });
    // It is edited and voted on by itself; the adopted proposal is untouched.
    const s = await socketFor(tokens.resident1);
    expect(await join(s, amendment.id)).toEqual({ ok: true, canEdit: true });
    expect((await edit(s, amendment.id, '增加2号楼。')).ok).toBe(true);
    const second = await freeze(amendment.id);
    expect(second.text).toContain('增加2号楼。');
    const round = await api('POST', `/proposals/${amendment.id}/rounds`, tokens.chair, {
      revisionNumber: 2,
      question: '是否同意修正案？',
      rule: 'simple_majority',
    });
    expect(round.body).toMatchObject({ number: 1, proposalStatus: 'in_vote' });
    expect((await api('GET', `/proposals/${id}`, tokens.resident1)).body.status).toBe('adopted');
  });

  it('an empty body is neither frozen nor voted on', async () => {
    const p = (await api('POST', '/proposals', tokens.chair, { title: '空方案', kind: 'other' })).body as ProposalView;
    const before = await written(p.id);
    const empty = await api('POST', `/proposals/${p.id}/revisions`, tokens.chair);
    expect([empty.status, empty.body.error.code, empty.body.error.fields]).toEqual([
      422,
      'EMPTY_PROPOSAL',
      [{ path: 'body', message: 'the text is empty' }],
    ]);
    // Blank paragraphs and a funding plan without words are no proposal either.
    await writeDoc(t.baseUrl, tokens.chair, p.id, {
      paragraphs: ['   ', ''],
      lines: [{ category: '配套', description: '照明', amountFen: 100, splits: { residents: 100 } }],
    });
    const blank = await api('POST', `/proposals/${p.id}/revisions`, tokens.chair);
    expect(blank.body.error.code).toBe('EMPTY_PROPOSAL');
    expect(await written(p.id)).toMatchObject({ revisions: 0, rounds: 0, audit: before.audit, status: 'drafting' });

    // A revision frozen empty before this rule existed is not put to the vote.
    const [chair] = await t.db.query(`SELECT id FROM app_user WHERE username = 'chair'`);
    await t.db.query(
      `INSERT INTO revision (proposal_id, number, doc_state, html, text, hash, frozen_by) VALUES ($1, 1, '\\x', '', '', 'legacy', $2)`,
      [p.id, chair.id],
    );
    await t.db.query(`UPDATE proposal SET status = 'frozen' WHERE id = $1`, [p.id]);
    const vote = await api('POST', `/proposals/${p.id}/rounds`, tokens.chair, {
      revisionNumber: 1,
      question: '空的也表决？',
      rule: 'simple_majority',
    });
    expect([vote.status, vote.body.error.code]).toEqual([422, 'EMPTY_PROPOSAL']);
    expect(await written(p.id)).toMatchObject({ rounds: 0, status: 'frozen' });
  });

  it('a hostile chair cannot bend the life cycle: no dropping a missing signer after the vote, no withdrawing mid-vote, no signing a stale revision', async () => {
    const { id, lineIds } = await drafted('产权单位出资');
    const rev1 = await freeze(id);
    // The rights unit signs revision 1; the chair freezes revision 2 (the rights unit now pays more).
    expect(
      (await api('POST', `/proposals/${id}/revisions/1/sign-offs`, tokens.rights, { decision: 'given', amountFen: 400_000 })).status,
    ).toBe(201);
    await writeDoc(t.baseUrl, tokens.chair, id, { paragraphs: ['另加2号楼。'] });
    const rev2 = await freeze(id);
    // A sign-off on the stale revision 1 is refused: it would not bind what is voted on.
    const stale = await api('POST', `/proposals/${id}/revisions/${rev1.number}/sign-offs`, tokens.rights, {
      decision: 'given',
      amountFen: 400_000,
    });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'REVISION_NOT_LATEST']);

    const round = (
      await api('POST', `/proposals/${id}/rounds`, tokens.chair, {
        revisionNumber: rev2.number,
        question: '是否同意？',
        rule: 'simple_majority',
      })
    ).body as RoundView;
    let before = await written(id);
    // Withdrawing or changing who must sign while the vote is open.
    const withdraw = await api('POST', `/proposals/${id}/withdraw`, tokens.chair, { reason: '结果不合意' });
    expect([withdraw.status, withdraw.body.error.code, withdraw.body.error.details]).toEqual([
      409,
      'PROPOSAL_STATUS',
      { status: 'in_vote', refused: 'withdraw' },
    ]);
    const drop = await api('PUT', `/proposals/${id}/required-sign-offs`, tokens.chair, { organisationIds: [] });
    expect([drop.status, drop.body.error.code]).toEqual([409, 'PROPOSAL_STATUS']);
    const second = await api('POST', `/proposals/${id}/rounds`, tokens.chair, {
      revisionNumber: rev2.number,
      question: '再开一轮',
      rule: 'unanimous',
    });
    expect(second.body.error.code).toBe('ROUND_ALREADY_OPEN');
    expect(await written(id)).toEqual(before);

    const [h] = await t.db.query(
      `SELECT household_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.username = 'resident1' AND household_id IS NOT NULL`,
    );
    const voter = await socketFor(tokens.resident1);
    expect(
      (
        await raw(voter).emitWithAck('vote:cast', {
          roundId: round.id,
          ballotId: randomUUID(),
          householdId: h.household_id,
          revisionId: rev2.id,
          choice: 'for',
        })
      ).ok,
    ).toBe(true);
    expect((await api('POST', `/rounds/${round.id}/close`, tokens.chair)).body.proposalStatus).toBe('passed');

    // Passed, awaiting the rights unit: the chair can neither drop it from the signers, nor
    // freeze a new revision over the passed one, nor open another round, nor invite editors.
    before = await written(id);
    const dropAfter = await api('PUT', `/proposals/${id}/required-sign-offs`, tokens.chair, { organisationIds: [] });
    expect([dropAfter.status, dropAfter.body.error.code, dropAfter.body.error.details]).toEqual([
      409,
      'PROPOSAL_STATUS',
      { status: 'passed', refused: 'require_sign_off' },
    ]);
    expect((await api('POST', `/proposals/${id}/revisions`, tokens.chair)).body.error.code).toBe('PROPOSAL_STATUS');
    expect(
      (await api('POST', `/proposals/${id}/rounds`, tokens.chair, { revisionNumber: rev2.number, question: '再开一轮', rule: 'unanimous' }))
        .body.error.code,
    ).toBe('PROPOSAL_STATUS');
    expect((await api('POST', `/proposals/${id}/edit-grants`, tokens.chair, { organisationId: orgs.property })).body.error.code).toBe(
      'PROPOSAL_STATUS',
    );
    // The earlier sign-off was on revision 1: revision 2 still needs its own.
    expect(
      (await api('POST', `/proposals/${id}/revisions/${rev1.number}/sign-offs`, tokens.rights, { decision: 'given', amountFen: 400_000 }))
        .body.error.code,
    ).toBe('REVISION_NOT_LATEST');
    expect(await written(id)).toEqual(before);
    expect((await api('GET', `/proposals/${id}/sign-offs`, tokens.resident1)).body).toMatchObject({
      proposalStatus: 'passed',
      revisionNumber: 2,
      missing: [orgs.rights],
    });
    expect(lineIds).toHaveLength(1);

    // Withdrawing a passed proposal is possible, with a reason, in the open and in the chain.
    expect((await api('POST', `/proposals/${id}/withdraw`, tokens.chair, { reason: '' })).body.error.fields).toEqual([
      { path: 'reason', message: 'say why the proposal is withdrawn' },
    ]);
    expect((await api('POST', `/proposals/${id}/withdraw`, tokens.resident1, { reason: '我不同意' })).status).toBe(403);
    const gone = await api('POST', `/proposals/${id}/withdraw`, tokens.chair, { reason: '产权单位未能出资，撤回另议' });
    expect([gone.status, gone.body.status]).toEqual([200, 'withdrawn']);
    expect(
      (await api('POST', `/proposals/${id}/revisions/2/sign-offs`, tokens.rights, { decision: 'given', amountFen: 400_000 })).body.error
        .code,
    ).toBe('PROPOSAL_STATUS');
    const archived = await api('POST', `/proposals/${id}/archive`, tokens.chair);
    expect(archived.body.status).toBe('archived');
    const kinds: Array<{ kind: string; body: string }> = await t.db.query(
      `SELECT kind, body FROM audit_entry WHERE chain_id = $1 AND kind LIKE 'proposal.%' ORDER BY seq`,
      [id],
    );
    expect(kinds.map((k) => k.kind)).toEqual(['proposal.withdrawn', 'proposal.archived']);
    expect(JSON.parse(kinds[0]!.body).reason).toBe('产权单位未能出资，撤回另议');
  });

  it('a required organisation the passed plan asks nothing of cannot sign, and does not hold adoption back', async () => {
    const { id } = await drafted('只由产权单位出资');
    expect(
      (await api('PUT', `/proposals/${id}/required-sign-offs`, tokens.chair, { organisationIds: [orgs.rights, orgs.property] })).status,
    ).toBe(200);
    const rev = await freeze(id);
    const status = (await api('GET', `/proposals/${id}/sign-offs`, tokens.resident1)).body as SignOffStatusView;
    expect(status.required.map((r) => [r.organisationId, r.planFen, r.state])).toEqual([
      [orgs.rights, 400_000, 'missing'],
      [orgs.property, 0, 'not_asked'],
    ]);
    expect(status.missing).toEqual([orgs.rights]);
    expect(
      (await api('POST', `/proposals/${id}/revisions/${rev.number}/sign-offs`, tokens.property, { decision: 'given', amountFen: 0 })).body
        .error.code,
    ).toBe('SIGN_OFF_NOT_ASKED');
    await passRound(id, rev);
    const given = await api('POST', `/proposals/${id}/revisions/${rev.number}/sign-offs`, tokens.rights, {
      decision: 'given',
      amountFen: 400_000,
    });
    expect(given.body.proposalStatus).toBe('adopted');
    const [entry] = await t.db.query(`SELECT body FROM audit_entry WHERE chain_id = $1 AND kind = 'proposal.adopted'`, [id]);
    expect(JSON.parse(entry.body).signOffs).toEqual([given.body.signOff.auditHash]);
  });

  it('refuses a sign-off on a revision without a funding plan', async () => {
    const p = (await api('POST', '/proposals', tokens.chair, { title: '文明公约', kind: 'rules' })).body as ProposalView;
    await writeDoc(t.baseUrl, tokens.chair, p.id, { paragraphs: ['爱护院内公共设施。'] });
    await freeze(p.id);
    const before = await written(p.id);
    for (const body of [
      { decision: 'given', amountFen: 0 },
      { decision: 'refused', note: '无' },
    ]) {
      const res = await api('POST', `/proposals/${p.id}/revisions/1/sign-offs`, tokens.rights, body);
      expect([res.status, res.body.error.code, res.body.error.message]).toEqual([422, 'NO_FUNDING_PLAN', '该版本没有资金方案，无需签认']);
    }
    expect(await written(p.id)).toEqual(before);
  });

  it('the chair invites the property company to edit one proposal; the invitation is audited, honoured over HTTP and the socket, and withdrawing it takes effect on live sockets', async () => {
    const { id } = await drafted('物业协助起草');
    // Not invited: the property company reads only.
    const property = await socketFor(tokens.property);
    expect(await join(property, id)).toEqual({ ok: true, canEdit: false });
    expect((await edit(property, id)).error.code).toBe('FORBIDDEN');
    expect((await api('GET', `/proposals/${id}/edit-rights`, tokens.property)).body).toMatchObject({
      canEdit: false,
      reason: 'role',
      grants: [],
    });

    // Only the chair invites, and only organisations serving the compound or its members.
    let before = await written(id);
    expect((await api('POST', `/proposals/${id}/edit-grants`, tokens.resident1, { organisationId: orgs.property })).status).toBe(403);
    expect((await api('POST', `/proposals/${id}/edit-grants`, tokens.property, { organisationId: orgs.property })).status).toBe(403);
    expect((await api('POST', `/proposals/${id}/edit-grants`, tokens.chair, {})).body.error.fields).toEqual([
      { path: 'organisationId', message: 'name either an organisation or a person' },
    ]);
    const [community] = await t.db.query(`INSERT INTO community (name, street) VALUES ('别的社区', '别的街道') RETURNING id`);
    const [foreign] = await t.db.query(
      `INSERT INTO organisation (community_id, kind, name) VALUES ($1, 'property_company', '别处物业') RETURNING id`,
      [community.id],
    );
    expect((await api('POST', `/proposals/${id}/edit-grants`, tokens.chair, { organisationId: foreign.id })).body.error.fields).toEqual([
      { path: 'organisationId', message: 'no such organisation serves this compound' },
    ]);
    expect((await api('POST', `/proposals/${id}/edit-grants`, tokens.chair, { userId: randomUUID() })).body.error.fields).toEqual([
      { path: 'userId', message: 'no such member of this compound' },
    ]);
    expect(await written(id)).toEqual(before);

    const granted = await api('POST', `/proposals/${id}/edit-grants`, tokens.chair, { organisationId: orgs.property });
    expect(granted.status).toBe(201);
    const rights = granted.body as EditRightsView;
    expect(rights.grants).toEqual([
      expect.objectContaining({
        organisationId: orgs.property,
        userId: null,
        name: '霞光物业服务有限公司',
        grantedByName: '张主任（居委会）',
      }),
    ]);
    expect((await api('POST', `/proposals/${id}/edit-grants`, tokens.chair, { organisationId: orgs.property })).body.error.code).toBe(
      'CONFLICT',
    );
    // Everyone sees who was invited; the property company may now edit.
    expect((await api('GET', `/proposals/${id}/edit-rights`, tokens.resident1)).body.grants).toHaveLength(1);
    expect((await api('GET', `/proposals/${id}/edit-rights`, tokens.property)).body).toMatchObject({ canEdit: true, reason: null });
    const invited = await socketFor(tokens.property);
    expect(await join(invited, id)).toEqual({ ok: true, canEdit: true });
    expect((await edit(invited, id, '物业补充：施工期间保留消防通道。')).ok).toBe(true);
    // A person invited by name: the observer.
    const [observer] = await t.db.query(`SELECT id FROM app_user WHERE username = 'observer'`);
    expect(
      (await api('POST', `/proposals/${id}/edit-grants`, tokens.chair, { userId: observer.id })).body.grants.map(
        (g: { name: string }) => g.name,
      ),
    ).toEqual(['霞光物业服务有限公司', '孙同志（列席）']);
    const observerSocket = await socketFor(tokens.observer);
    expect(await join(observerSocket, id)).toEqual({ ok: true, canEdit: true });
    // The invitation is for this proposal only.
    const { id: other } = await drafted('另一个方案');
    expect(await join(invited, other)).toEqual({ ok: true, canEdit: false });

    // A resident edits by role and keeps doing so when the invitation is withdrawn.
    const resident = await socketFor(tokens.resident1);
    expect(await join(resident, id)).toEqual({ ok: true, canEdit: true });
    before = await written(id);
    expect((await api('DELETE', `/proposals/${id}/edit-grants/${randomUUID()}`, tokens.chair)).status).toBe(404);
    expect((await api('DELETE', `/proposals/${id}/edit-grants/${rights.grants[0]!.id}`, tokens.property)).status).toBe(403);
    expect(await written(id)).toEqual(before);
    const revoked = await api('DELETE', `/proposals/${id}/edit-grants/${rights.grants[0]!.id}`, tokens.chair);
    expect(revoked.status).toBe(200);
    expect(revoked.body.grants.map((g: { name: string }) => g.name)).toEqual(['孙同志（列席）']);
    await until('the property company is out of the document', async () => !(await inRoom(id, invited)));
    const updatesBefore = (await written(id)).updates;
    expect((await edit(invited, id, '撤销之后还想改。')).ok).toBe(false);
    expect(await join(invited, id)).toEqual({ ok: true, canEdit: false });
    expect((await edit(invited, id, '撤销之后还想改。')).error.code).toBe('FORBIDDEN');
    expect((await written(id)).updates).toBe(updatesBefore);
    // The others are untouched: still in the document, still editing.
    expect(await inRoom(id, resident)).toBe(true);
    expect(await inRoom(id, observerSocket)).toBe(true);
    expect((await edit(resident, id, '居民继续修改。')).ok).toBe(true);

    const entries: Array<{ kind: string; body: string }> = await t.db.query(
      `SELECT kind, body FROM audit_entry WHERE chain_id = $1 AND kind LIKE 'edit.%' ORDER BY seq`,
      [id],
    );
    expect(entries.map((e) => [e.kind, JSON.parse(e.body).organisation ?? JSON.parse(e.body).user])).toEqual([
      ['edit.granted', orgs.property],
      ['edit.granted', observer.id],
      ['edit.revoked', orgs.property],
    ]);
  });
});
