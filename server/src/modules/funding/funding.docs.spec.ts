import { createHash } from 'node:crypto';
import {
  addFundingLine,
  type CanonicalFunding,
  DOC_BODY_FIELD,
  type FundingLine,
  fundingMap,
  fundingTotals,
  observeFunding,
  readFundingLines,
  setFundingSplit,
  updateFundingLine,
} from '@yishi/shared';
import * as Y from 'yjs';
import { docSpec, raw, syncMessage } from '../../testing/doc-sockets';
import { storedDoc } from '../../testing/stored-doc';

/** Resolves once the plan in `doc` satisfies `check` (now or after a change arrives). */
function whenPlan(doc: Y.Doc, check: (lines: FundingLine[]) => boolean, ms = 10_000): Promise<FundingLine[]> {
  return new Promise((resolve, reject) => {
    const done = (lines: FundingLine[]) => {
      if (!check(lines)) return false;
      clearTimeout(timer);
      stop();
      resolve(lines);
      return true;
    };
    const timer = setTimeout(() => (stop(), reject(new Error('the plan did not reach the expected state'))), ms);
    const stop = observeFunding(doc, done);
    done(readFundingLines(doc));
  });
}

describe('funding plans in the co-edited document', () => {
  const docs = docSpec();
  const { client, newProposal } = docs;
  const path = (id: string, rest = '') => `/api/compounds/${docs.app.compoundId}/proposals/${id}${rest}`;
  const logged = async (id: string) =>
    (await docs.app.db.query(`SELECT count(*)::int AS n FROM doc_update WHERE doc_id = $1`, [id]))[0].n as number;

  it("two people edit the plan at once; each sees the other's lines and shares, with the same totals", async () => {
    const id = await newProposal();
    const chairClient = await client('chair', id);
    const rights = await client('rights', id);
    const line = addFundingLine(chairClient.doc, {
      category: '主体工程',
      description: '平房翻建',
      quantityCenti: 67000,
      unit: 'm²',
      unitPriceFen: 120000,
    });
    await whenPlan(rights.doc, (lines) => lines.length === 1);
    // Concurrently: the chair sets the subsidy's share, the rights unit its own, and adds a line.
    setFundingSplit(chairClient.doc, line, 'government_subsidy', 10_000_000);
    setFundingSplit(rights.doc, line, 'property_rights_unit', 65_400_000);
    addFundingLine(rights.doc, {
      category: '设计监理',
      description: '设计与监理',
      amountFen: 3_000_000,
      splits: { maintenance_fund: 3_000_000 },
    });
    await Promise.all([chairClient.provider.whenAcknowledged(), rights.provider.whenAcknowledged()]);
    const expected = (lines: FundingLine[]) =>
      fundingTotals(lines).totalFen === 83_400_000 && fundingTotals(lines).unassignedFen === 5_000_000;
    const [a, b] = await Promise.all([whenPlan(chairClient.doc, expected), whenPlan(rights.doc, expected)]);
    expect(a).toEqual(b);
    expect(fundingTotals(a).bySource).toEqual(
      expect.objectContaining({ property_rights_unit: 65_400_000, government_subsidy: 10_000_000, maintenance_fund: 3_000_000 }),
    );
    // What the server stored is the same plan, and a late joiner gets it.
    expect(readFundingLines((await storedDoc(docs.app.db, id)).doc)).toEqual(a);
    const late = await client('resident1', id);
    expect(readFundingLines(late.doc)).toEqual(a);
    expect([...chairClient.errors, ...rights.errors]).toEqual([]);
  });

  it('refuses a hand-made update that would leave the plan malformed: nothing stored, nothing sent, the plan unchanged', async () => {
    const id = await newProposal();
    const honest = await client('chair', id);
    const line = addFundingLine(honest.doc, { description: '屋面防水', amountFen: 500_000, splits: { property_rights_unit: 500_000 } });
    await honest.provider.whenAcknowledged();
    const before = readFundingLines(honest.doc);
    const rows = await logged(id);
    const attacker = await client('resident2', id);
    let received = 0;
    honest.doc.on('update', (_: Uint8Array, origin: unknown) => origin === honest.provider && received++);

    const crafts: Array<[string, (line: Y.Map<unknown>, doc: Y.Doc) => void, string]> = [
      ['a negative amount', (l) => l.set('amountFen', -500), `lines.${line}.amountFen`],
      ['a fractional share', (l) => (l.get('splits') as Y.Map<number>).set('residents', 0.5), `lines.${line}.splits.residents`],
      ['an unknown source', (l) => (l.get('splits') as Y.Map<number>).set('bank', 100), `lines.${line}.splits.bank`],
      ['an amount past 2^53', (l) => l.set('amountFen', 2 ** 53 + 2), `lines.${line}.amountFen`],
      ['a description that is not text', (l) => l.set('description', 123), `lines.${line}.description`],
      ['a line that is a plain object', (_, d) => fundingMap(d).set('forged', { amountFen: 1 }), 'lines.forged'],
    ];
    for (const [what, craft, field] of crafts) {
      const forged = new Y.Doc();
      Y.applyUpdate(forged, Y.encodeStateAsUpdate(attacker.doc));
      const sv = Y.encodeStateVector(forged);
      craft(fundingMap(forged).get(line) as Y.Map<unknown>, forged);
      const update = Y.encodeStateAsUpdate(forged, sv);
      const ack = await raw(attacker.socket).emitWithAck('doc:sync', { docId: id, message: syncMessage(2, update) });
      expect({ what, ok: ack.ok, code: ack.error?.code }).toEqual({ what, ok: false, code: 'VALIDATION_FAILED' });
      expect(ack.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
    expect(await logged(id)).toBe(rows);
    expect(readFundingLines((await storedDoc(docs.app.db, id)).doc)).toEqual(before);
    // The server's own copy is intact too: a newcomer gets the honest plan.
    const newcomer = await client('resident3', id);
    expect(readFundingLines(newcomer.doc)).toEqual(before);
    // And honest editing goes on: the editor's draft may be unbalanced, that is allowed.
    updateFundingLine(honest.doc, line, { amountFen: 600_000 });
    await honest.provider.whenAcknowledged();
    await whenPlan(newcomer.doc, (lines) => lines[0]?.amountFen === 600_000);
    expect(received).toBe(0);
    expect(honest.errors).toEqual([]);
  });

  it('freezes only a balanced plan (naming the lines that are not), with the plan in the content hash', async () => {
    const author = (await docs.app.signIn('resident1')).accessToken;
    const created = await docs.app.api('POST', `/api/compounds/${docs.app.compoundId}/proposals`, {
      token: author,
      body: { title: '35号院平房改造', kind: 'renovation' },
    });
    const id = created.body.id as string;
    const a = await client('resident1', id);
    const p = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    text.insert(0, '拆除危房，原址翻建。');
    p.insert(0, [text]);
    a.doc.getXmlFragment(DOC_BODY_FIELD).insert(0, [p]);
    const build = addFundingLine(a.doc, {
      category: '主体工程',
      description: '平房翻建',
      quantityCenti: 67000,
      unit: 'm²',
      unitPriceFen: 120000,
      splits: { property_rights_unit: 70_000_000 },
    });
    const design = addFundingLine(a.doc, {
      category: '设计监理',
      description: '设计与监理',
      amountFen: 3_000_000,
      splits: { maintenance_fund: 2_000_000 },
    });
    const ok = addFundingLine(a.doc, {
      category: '设计监理',
      description: '危房鉴定',
      amountFen: 500_000,
      splits: { government_subsidy: 500_000 },
    });
    await a.provider.whenAcknowledged();

    const refused = await docs.app.api('POST', path(id, '/revisions'), { token: author });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('FUNDING_UNBALANCED');
    expect(refused.body.error.fields.map((f: { path: string }) => f.path)).toEqual([`lines.${build}.splits`, `lines.${design}.splits`]);
    expect(refused.body.error.fields[0].message).toContain('平房翻建');
    expect(refused.body.error.fields[0].message).toContain('short by 10400000 fen');
    expect((await docs.app.api('GET', path(id))).status).toBe(401);
    expect((await docs.app.api('GET', path(id), { token: author })).body.revisions).toEqual([]);

    setFundingSplit(a.doc, build, 'government_subsidy', 10_400_000);
    setFundingSplit(a.doc, design, 'maintenance_fund', 3_000_000);
    await a.provider.whenAcknowledged();
    const r1 = await docs.app.api('POST', path(id, '/revisions'), { token: author });
    expect(r1.status).toBe(201);
    const funding = r1.body.funding as CanonicalFunding;
    expect(funding.lines.map((l) => l.id)).toEqual([build, design, ok]);
    expect(funding.lines[0]).toEqual({
      amountFen: 80_400_000,
      category: '主体工程',
      description: '平房翻建',
      id: build,
      quantityCenti: 67000,
      sort: 1,
      splits: { government_subsidy: 10_400_000, property_rights_unit: 70_000_000 },
      unit: 'm²',
      unitPriceFen: 120000,
    });
    const recomputed = createHash('sha256')
      .update(JSON.stringify({ v: 1, html: r1.body.html, funding }))
      .digest('hex');
    expect(r1.body.hash).toBe(recomputed);
    expect(r1.body.hash).not.toBe(
      createHash('sha256')
        .update(JSON.stringify({ v: 1, html: r1.body.html, funding: null }))
        .digest('hex'),
    );
    expect((await docs.app.api('GET', path(id, '/revisions/1'), { token: docs.chair })).body).toEqual(r1.body);

    // Changing only the funding changes the hash; the diff shows the funding line that changed.
    updateFundingLine(a.doc, ok, { amountFen: 600_000, splits: { government_subsidy: 600_000 } });
    await a.provider.whenAcknowledged();
    const r2 = await docs.app.api('POST', path(id, '/revisions'), { token: author });
    expect(r2.status).toBe(201);
    expect(r2.body.html).toBe(r1.body.html);
    expect(r2.body.hash).not.toBe(r1.body.hash);
    const diff = (await docs.app.api('GET', path(id, '/revisions/1/diff/2'), { token: docs.chair })).body as Array<{
      op: string;
      text: string;
    }>;
    expect(diff.filter((d) => d.op === 'removed').map((d) => d.text)).toEqual([
      '【资金】设计监理 · 合计 35,000.00 元',
      '【资金】危房鉴定 · 5,000.00 元 · 上级拨付帮扶资金 5,000.00',
      '【资金】总计 839,000.00 元 · 产权单位 700,000.00，上级拨付帮扶资金 109,000.00，维修资金 30,000.00',
    ]);
    expect(diff.filter((d) => d.op === 'added').map((d) => d.text)).toEqual([
      '【资金】设计监理 · 合计 36,000.00 元',
      '【资金】危房鉴定 · 6,000.00 元 · 上级拨付帮扶资金 6,000.00',
      '【资金】总计 840,000.00 元 · 产权单位 700,000.00，上级拨付帮扶资金 110,000.00，维修资金 30,000.00',
    ]);
    expect(diff.filter((d) => d.op === 'same').map((d) => d.text)).toContain(
      '【资金】平房翻建 · 804,000.00 元 · 产权单位 700,000.00，上级拨付帮扶资金 104,000.00',
    );
  });

  it('funding parties comment on a funding line: threads, replies, resolve, like text comments', async () => {
    const id = await newProposal();
    const a = await client('chair', id);
    const line = addFundingLine(a.doc, { description: '平房翻建', amountFen: 80_400_000, splits: { property_rights_unit: 80_400_000 } });
    await a.provider.whenAcknowledged();
    const rights = (await docs.app.signIn('rights')).accessToken;
    const property = (await docs.app.signIn('property')).accessToken;
    const thread = await docs.app.api('POST', path(id, '/comments'), {
      token: rights,
      body: { body: '产权单位承担比例需上会研究。', fundingLineId: line },
    });
    expect(thread.status).toBe(201);
    expect(thread.body).toEqual(
      expect.objectContaining({ fundingLineId: line, anchor: null, authorName: '周处长（产权单位）', resolved: false }),
    );
    const reply = await docs.app.api('POST', path(id, `/comments/${thread.body.id}/replies`), {
      token: property,
      body: { body: '物业可承担垃圾清运。' },
    });
    expect(reply.status).toBe(201);
    expect((await docs.app.api('POST', path(id, `/comments/${thread.body.id}/resolve`), { token: rights })).status).toBe(204);
    const all = (await docs.app.api('GET', path(id, '/comments'), { token: docs.chair })).body;
    expect(all.map((c: { fundingLineId: string | null; resolved: boolean }) => [c.fundingLineId, c.resolved])).toEqual([
      [line, true],
      [null, true],
    ]);

    const unknown = await docs.app.api('POST', path(id, '/comments'), {
      token: rights,
      body: { body: '？', fundingLineId: 'no-such-line' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([{ path: 'fundingLineId', message: 'the funding plan has no such line' }]);
    const both = await docs.app.api('POST', path(id, '/comments'), {
      token: rights,
      body: { body: '？', fundingLineId: line, anchor: { start: 'AA==', end: 'AA==' } },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.fields[0].path).toBe('fundingLineId');
    expect((await docs.app.api('GET', path(id, '/comments'), { token: docs.chair })).body).toHaveLength(2);
  });
});
