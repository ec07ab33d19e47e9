import * as Y from 'yjs';
import { fundingTotals } from '../domain/funding';
import {
  addFundingLine,
  DOC_FUNDING_FIELD,
  FundingInputError,
  fundingDocIssues,
  fundingMap,
  newFundingLineId,
  observeFunding,
  readFundingLines,
  removeFundingLine,
  setFundingSplit,
  updateFundingLine,
} from './funding-doc';

/** Exchanges everything each side lacks, as the provider does through the server. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}
const refused = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FundingInputError);
    return (e as FundingInputError).issues.map((i) => i.path);
  }
  throw new Error('not refused');
};

describe('the funding plan in a Y.Doc', () => {
  it('adds a line with every field, computing the amount from quantity × unit price', () => {
    const doc = new Y.Doc();
    const id = addFundingLine(doc, {
      category: '主体工程',
      description: '平房翻建',
      quantityCenti: 67000,
      unit: 'm²',
      unitPriceFen: 120000,
      splits: { property_rights_unit: 70_000_000, maintenance_fund: 0 },
    });
    expect(readFundingLines(doc)).toEqual([
      {
        id,
        category: '主体工程',
        description: '平房翻建',
        quantityCenti: 67000,
        unit: 'm²',
        unitPriceFen: 120000,
        amountFen: 80_400_000,
        sort: 1,
        splits: { property_rights_unit: 70_000_000 },
      },
    ]);
    expect(fundingDocIssues(doc)).toEqual([]);
    const second = addFundingLine(doc, { description: '设计费', amountFen: 2_000_000 });
    expect(readFundingLines(doc).map((l) => [l.id, l.sort])).toEqual([
      [id, 1],
      [second, 2],
    ]);
  });

  it('updates only the fields given, recomputes the amount when quantity or price change, and removes lines', () => {
    const doc = new Y.Doc();
    const id = addFundingLine(doc, { quantityCenti: 100, unitPriceFen: 500 });
    updateFundingLine(doc, id, { quantityCenti: 300 });
    expect(readFundingLines(doc)[0]!.amountFen).toBe(1500);
    updateFundingLine(doc, id, { amountFen: 1400, description: '议价后' });
    expect(readFundingLines(doc)[0]).toEqual(expect.objectContaining({ amountFen: 1400, description: '议价后', quantityCenti: 300 }));
    setFundingSplit(doc, id, 'residents', 400);
    setFundingSplit(doc, id, 'property_company', 1000);
    setFundingSplit(doc, id, 'residents', 0);
    expect(readFundingLines(doc)[0]!.splits).toEqual({ property_company: 1000 });
    removeFundingLine(doc, id);
    expect(readFundingLines(doc)).toEqual([]);
  });

  it('refuses input the plan may not hold, and changes nothing', () => {
    const doc = new Y.Doc();
    const id = addFundingLine(doc, { amountFen: 100 });
    const before = Y.encodeStateAsUpdate(doc);
    expect(refused(() => setFundingSplit(doc, id, 'residents', -1))).toEqual([`lines.${id}.splits.residents`]);
    expect(refused(() => setFundingSplit(doc, id, 'residents', 0.5))).toEqual([`lines.${id}.splits.residents`]);
    expect(refused(() => setFundingSplit(doc, id, 'bank' as never, 5))).toEqual([`lines.${id}.splits.bank`]);
    expect(refused(() => updateFundingLine(doc, id, { amountFen: Number.MAX_SAFE_INTEGER + 1 }))).toEqual([`lines.${id}.amountFen`]);
    expect(refused(() => updateFundingLine(doc, id, { quantityCenti: Number.MAX_SAFE_INTEGER, unitPriceFen: 1000 }))).toEqual([
      `lines.${id}.amountFen`,
    ]);
    expect(refused(() => updateFundingLine(doc, id, { description: 'x'.repeat(501) }))).toEqual([`lines.${id}.description`]);
    expect(refused(() => addFundingLine(doc, { amountFen: Number.MAX_SAFE_INTEGER }))).toEqual(['lines']);
    expect(refused(() => addFundingLine(doc, {}, id))).toEqual([`lines.${id}`]);
    expect(refused(() => updateFundingLine(doc, 'nope', { amountFen: 1 }))).toEqual(['lines.nope']);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('two editors change different fields and shares of one line at once, and both edits survive', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = addFundingLine(a, { description: '平房翻建', amountFen: 1000 });
    sync(a, b);
    updateFundingLine(a, id, { description: '平房翻建（含拆除）' });
    setFundingSplit(a, id, 'property_rights_unit', 700);
    setFundingSplit(b, id, 'government_subsidy', 300);
    updateFundingLine(b, id, { unit: '项' });
    const other = addFundingLine(b, { description: '监理', amountFen: 50, splits: { maintenance_fund: 50 } });
    sync(a, b);
    expect(readFundingLines(a)).toEqual(readFundingLines(b));
    const [line] = readFundingLines(a).filter((l) => l.id === id);
    expect(line).toEqual(
      expect.objectContaining({
        description: '平房翻建（含拆除）',
        unit: '项',
        splits: { property_rights_unit: 700, government_subsidy: 300 },
      }),
    );
    const totals = fundingTotals(readFundingLines(b));
    expect(totals.totalFen).toBe(1050);
    expect(totals.bySource.property_rights_unit).toBe(700);
    expect(totals.balanced).toBe(true);
    expect(readFundingLines(a).map((l) => l.id)).toContain(other);
  });

  it('tells observers the lines after every change, local or remote', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const seen: number[] = [];
    const stop = observeFunding(b, (lines) => seen.push(fundingTotals(lines).totalFen));
    addFundingLine(a, { amountFen: 100 });
    sync(a, b);
    addFundingLine(b, { amountFen: 5 });
    stop();
    addFundingLine(b, { amountFen: 1 });
    expect(seen).toEqual([100, 105]);
  });

  it('new line ids are random and well-formed', () => {
    const ids = new Set(Array.from({ length: 100 }, newFundingLineId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{16}$/);
  });
});

describe('what a hand-made update can do to the funding part (fundingDocIssues)', () => {
  const wellFormed = () => {
    const doc = new Y.Doc();
    const id = addFundingLine(doc, { description: '平房翻建', amountFen: 1000, splits: { property_rights_unit: 1000 } });
    return { doc, id, line: fundingMap(doc).get(id) as Y.Map<unknown> };
  };
  it.each<[string, (d: { doc: Y.Doc; id: string; line: Y.Map<unknown> }) => void, string]>([
    ['a negative amount', ({ line }) => line.set('amountFen', -1), 'amountFen'],
    ['a fractional amount', ({ line }) => line.set('amountFen', 0.5), 'amountFen'],
    ['an unsafe amount', ({ line }) => line.set('amountFen', 2 ** 60), 'amountFen'],
    ['an amount as text', ({ line }) => line.set('amountFen', '1000'), 'amountFen'],
    ['a bigint amount', ({ line }) => line.set('amountFen', 1000n as unknown as number), 'amountFen'],
    ['an amount that is a shared type', ({ line }) => line.set('amountFen', new Y.Map()), 'amountFen'],
    ['a deleted field', ({ line }) => line.delete('category'), 'category'],
    ['an unknown field', ({ line }) => line.set('payee', 'x'), 'payee'],
    ['description as a number', ({ line }) => line.set('description', 5), 'description'],
    ['description as binary', ({ line }) => line.set('description', new Uint8Array([1])), 'description'],
    ['an unknown source', ({ line }) => (line.get('splits') as Y.Map<number>).set('bank', 5), 'splits.bank'],
    ['a negative share', ({ line }) => (line.get('splits') as Y.Map<number>).set('residents', -5), 'splits.residents'],
    ['splits as a plain object', ({ line }) => line.set('splits', { residents: 5 }), ''],
    ['a line as a plain object', ({ doc, id }) => fundingMap(doc).set(id, { amountFen: 5 }), ''],
    ['a line as text', ({ doc }) => fundingMap(doc).set('x', 'text'), ''],
  ])('finds %s', (_, mutate, field) => {
    const d = wellFormed();
    // Whatever the editor did first, the crafted change arrives as an update from elsewhere.
    const crafted = new Y.Doc();
    Y.applyUpdate(crafted, Y.encodeStateAsUpdate(d.doc));
    const target = { doc: crafted, id: d.id, line: fundingMap(crafted).get(d.id) as Y.Map<unknown> };
    mutate(target);
    Y.applyUpdate(d.doc, Y.encodeStateAsUpdate(crafted));
    const issues = fundingDocIssues(d.doc);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.code === 'malformed' || i.code === 'overflow')).toBe(true);
    if (field) expect(issues.map((i) => i.path)).toContain(`lines.${d.id}.${field}`);
  });
  it('finds list content in the funding map (another kind of type under the same name)', () => {
    const { doc } = wellFormed();
    const crafted = new Y.Doc();
    Y.applyUpdate(crafted, Y.encodeStateAsUpdate(doc));
    crafted.getArray(DOC_FUNDING_FIELD).insert(0, [1]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(crafted));
    expect(fundingDocIssues(doc)).toEqual([expect.objectContaining({ path: 'lines', code: 'malformed' })]);
  });
  it('finds too many lines', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (let i = 0; i < 501; i++) {
        const m = new Y.Map<unknown>();
        for (const [k, v] of Object.entries({
          category: '',
          description: '',
          quantityCenti: null,
          unit: '',
          unitPriceFen: null,
          amountFen: 0,
          sort: i,
        }))
          m.set(k, v);
        m.set('splits', new Y.Map());
        fundingMap(doc).set(`l${i}`, m);
      }
    });
    expect(fundingDocIssues(doc).map((i) => i.code)).toEqual(['too_many_lines']);
  });
  it('accepts an unbalanced draft and an empty plan', () => {
    const doc = new Y.Doc();
    expect(fundingDocIssues(doc)).toEqual([]);
    addFundingLine(doc, { amountFen: 1000, splits: { residents: 1 } });
    expect(fundingDocIssues(doc)).toEqual([]);
  });
});
