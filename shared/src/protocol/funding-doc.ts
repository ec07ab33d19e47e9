import * as Y from 'yjs';
import {
  FUNDING_LIMITS,
  type FundingIssue,
  type FundingLine,
  type FundingSource,
  isFen,
  isFundingSource,
  lineAmountFen,
  planShapeIssues,
  sortFundingLines,
} from '../domain/funding';

/**
 * The funding plan inside a proposal's Yjs document, beside the body, so that it is co-edited,
 * persisted, scaled out and frozen by the same mechanism as the text.
 *
 * Structure: the root `Y.Map` named `funding` maps each line id to a `Y.Map` of that line's
 * fields (`category`, `description`, `unit`: strings; `quantityCenti`, `unitPriceFen`: safe
 * integers ≥ 0 or null; `amountFen`: safe integer ≥ 0; `sort`: safe integer), whose `splits`
 * is a `Y.Map` of funding source id to fen (safe integer ≥ 0). Lines live directly in the root
 * map: two clients creating a nested container under the same key at once would lose one of
 * them, a root type never conflicts. A line is created whole in one transaction, and only its
 * fields are set afterwards, so concurrent edits of different fields (or different sources'
 * shares) of one line merge.
 *
 * The server refuses any update that leaves this part malformed (`fundingDocIssues`); a plan
 * whose shares do not add up yet is a normal draft and is only refused when frozen.
 */
export const DOC_FUNDING_FIELD = 'funding';

export const fundingMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(DOC_FUNDING_FIELD);

/** What an editor may set on a line; amounts in fen, quantity in hundredths of the unit. */
export interface FundingLineInput {
  category?: string;
  description?: string;
  quantityCenti?: number | null;
  unit?: string;
  unitPriceFen?: number | null;
  /** Left out while quantity and unit price are both set: computed from them. */
  amountFen?: number;
  sort?: number;
  splits?: Partial<Record<FundingSource, number>>;
}

/** Refused editor input: the plan would be malformed. Nothing was changed. */
export class FundingInputError extends RangeError {
  constructor(readonly issues: FundingIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

// shared compiles without DOM or Node typings; both have Web Crypto.
declare const crypto: { getRandomValues<T extends Uint8Array>(a: T): T };

/** A new random line id (16 base-36 characters). */
export function newFundingLineId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}

/** Items of a type's list part: a Y.Map has none unless someone crafted them. */
function hasListContent(type: Y.Map<unknown>): boolean {
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true;
  return false;
}

/** A line map as a plain value, or why it cannot be one. */
function rawLine(value: unknown): { raw?: Record<string, unknown>; problem?: string } {
  if (!(value instanceof Y.Map)) return { problem: 'a line must be a shared map (Y.Map)' };
  if (hasListContent(value)) return { problem: 'a line must hold only its fields' };
  const raw: Record<string, unknown> = {};
  for (const [k, v] of value.entries()) {
    if (k === 'splits') {
      if (!(v instanceof Y.Map) || hasListContent(v)) return { problem: 'splits must be a shared map (Y.Map) of source to fen' };
      raw.splits = Object.fromEntries(v.entries());
    } else raw[k] = v instanceof Y.AbstractType ? { sharedType: true } : v;
  }
  return { raw };
}

/**
 * Everything that makes the funding part of a document malformed: what the editor helpers
 * below could never produce (wrong types, negative, fractional or unsafe numbers, unknown
 * sources or fields, text too long, too many lines). An empty list means well-formed.
 */
export function fundingDocIssues(doc: Y.Doc): FundingIssue[] {
  const map = fundingMap(doc);
  const out: FundingIssue[] = [];
  if (hasListContent(map)) out.push({ lineId: null, path: 'lines', code: 'malformed', message: 'the funding part must hold only lines' });
  const lines: Array<{ id: string; raw: unknown }> = [];
  for (const [id, value] of map.entries()) {
    const { raw, problem } = rawLine(value);
    if (problem) out.push({ lineId: id, path: `lines.${id}`, code: 'malformed', message: problem });
    else lines.push({ id, raw });
    // Beyond the limit the rest need not be read: the count alone refuses the update.
    if (lines.length > FUNDING_LIMITS.lines) break;
  }
  return [...out, ...planShapeIssues(lines)];
}

/** The plan's lines in table order. Assumes a well-formed plan (the server admits no other). */
export function readFundingLines(doc: Y.Doc): FundingLine[] {
  const out: FundingLine[] = [];
  for (const [id, value] of fundingMap(doc).entries()) {
    const { raw } = rawLine(value);
    if (raw) out.push({ id, ...(raw as Omit<FundingLine, 'id'>) });
  }
  return sortFundingLines(out);
}

/** Calls `listener` with the lines (table order) after every change of the plan; returns the unsubscribe. */
export function observeFunding(doc: Y.Doc, listener: (lines: FundingLine[]) => void): () => void {
  const map = fundingMap(doc);
  const handler = () => listener(readFundingLines(doc));
  map.observeDeep(handler);
  return () => map.unobserveDeep(handler);
}

function check(doc: Y.Doc, changed: FundingLine, removedId?: string): void {
  const lines = readFundingLines(doc).filter((l) => l.id !== changed.id && l.id !== removedId);
  const candidate = [...lines, changed].map(({ id, ...raw }) => ({ id, raw }));
  const issues = planShapeIssues(candidate);
  if (issues.length) throw new FundingInputError(issues);
}

function lineMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const m = fundingMap(doc).get(id);
  if (!(m instanceof Y.Map)) throw new FundingInputError([{ lineId: id, path: `lines.${id}`, code: 'malformed', message: 'no such line' }]);
  return m;
}

/** Zero shares are not stored: absent and 0 mean the same, and the canonical form leaves them out. */
function cleanSplits(splits: Partial<Record<string, number>>): Partial<Record<FundingSource, number>> {
  return Object.fromEntries(Object.entries(splits).filter(([, v]) => v !== 0)) as Partial<Record<FundingSource, number>>;
}

/**
 * Adds a line (one transaction). The amount is quantity × unit price when both are given and
 * `amountFen` is not. Throws FundingInputError, changing nothing, for input the plan may not hold.
 */
export function addFundingLine(doc: Y.Doc, input: FundingLineInput = {}, id: string = newFundingLineId()): string {
  if (fundingMap(doc).has(id))
    throw new FundingInputError([{ lineId: id, path: `lines.${id}`, code: 'malformed', message: 'a line with this id exists' }]);
  const existing = readFundingLines(doc);
  const quantityCenti = input.quantityCenti ?? null;
  const unitPriceFen = input.unitPriceFen ?? null;
  const line: FundingLine = {
    id,
    category: input.category ?? '',
    description: input.description ?? '',
    quantityCenti,
    unit: input.unit ?? '',
    unitPriceFen,
    amountFen:
      input.amountFen ?? (quantityCenti !== null && unitPriceFen !== null ? (lineAmountFen(quantityCenti, unitPriceFen) ?? -1) : 0),
    sort: input.sort ?? existing.reduce((max, l) => Math.max(max, l.sort), 0) + 1,
    splits: cleanSplits(input.splits ?? {}),
  };
  check(doc, line);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(line)) if (k !== 'id' && k !== 'splits') m.set(k, v);
    const splits = new Y.Map<number>();
    for (const [s, fen] of Object.entries(line.splits)) splits.set(s, fen!);
    m.set('splits', splits);
    fundingMap(doc).set(id, m);
  });
  return id;
}

/**
 * Changes fields of a line; only the fields given are written, so others' concurrent edits of
 * other fields survive. Changing quantity or unit price (without `amountFen`) recomputes the
 * amount when both are set. `splits` here sets the named sources only (0 removes a share).
 */
export function updateFundingLine(doc: Y.Doc, id: string, patch: FundingLineInput): void {
  const m = lineMap(doc, id);
  const current = readFundingLines(doc).find((l) => l.id === id)!;
  const next: FundingLine = { ...current, ...stripUndefined(patch), splits: cleanSplits({ ...current.splits, ...(patch.splits ?? {}) }) };
  if (
    patch.amountFen === undefined &&
    ('quantityCenti' in patch || 'unitPriceFen' in patch) &&
    next.quantityCenti !== null &&
    next.unitPriceFen !== null
  ) {
    next.amountFen = lineAmountFen(next.quantityCenti, next.unitPriceFen) ?? -1;
  }
  check(doc, next);
  doc.transact(() => {
    for (const k of ['category', 'description', 'quantityCenti', 'unit', 'unitPriceFen', 'amountFen', 'sort'] as const) {
      if (next[k] !== current[k]) m.set(k, next[k]);
    }
    if (patch.splits) {
      const splits = m.get('splits') as Y.Map<number>;
      for (const [s, fen] of Object.entries(patch.splits)) {
        if (fen === 0) splits.delete(s);
        else if (splits.get(s) !== fen) splits.set(s, fen!);
      }
    }
  });
}

/** Sets one source's share of a line, in fen (0 removes it). */
export function setFundingSplit(doc: Y.Doc, id: string, source: FundingSource, fen: number): void {
  if (!isFundingSource(source))
    throw new FundingInputError([
      {
        lineId: id,
        path: `lines.${id}.splits.${String(source)}`,
        code: 'malformed',
        message: `unknown funding source "${String(source)}"`,
      },
    ]);
  if (!isFen(fen))
    throw new FundingInputError([
      {
        lineId: id,
        path: `lines.${id}.splits.${source}`,
        code: 'malformed',
        message: 'must be a whole number of fen, 0 or more, below 2^53',
      },
    ]);
  updateFundingLine(doc, id, { splits: { [source]: fen } });
}

export function removeFundingLine(doc: Y.Doc, id: string): void {
  lineMap(doc, id);
  fundingMap(doc).delete(id);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'splits')) as Partial<T>;
}
