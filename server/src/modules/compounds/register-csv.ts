import { TextDecoder } from 'node:util';
import {
  findUnsafeText,
  type ImportRowError,
  MAX_PLACE_NAME,
  normalisePhone,
  ownerNameSchema,
  parseAreaM2,
  placeNameSchema,
  toHalfWidth,
} from '@yishi/shared';
import { parse } from 'csv-parse/sync';

/** One unit of the owner register as read from the file, already checked. */
export interface RegisterRow {
  line: number;
  building: string;
  gate: string | null;
  unit: string;
  areaCentiM2: number;
  developerHeld: boolean;
  owners: Array<{ name: string; phone: string | null }>;
}

/** Column names as communities write them in their spreadsheets, Chinese or English. */
const COLUMN_NAMES = {
  building: ['楼栋', '楼号', '楼', '楼栋号', 'building'],
  gate: ['楼门', '单元', '门', '单元号', 'gate', 'entrance'],
  unit: ['房号', '户号', '门牌号', '房间号', 'unit', 'room'],
  area: ['面积', '建筑面积', '专有面积', '专有部分面积', 'area', 'area_m2', 'area(m2)'],
  owners: ['业主', '业主姓名', '产权人', '姓名', 'owner', 'owners', 'name'],
  phones: ['电话', '手机', '手机号', '联系电话', 'phone', 'phones'],
  developer: ['开发商持有', '开发商', 'developer', 'developer_held'],
};
type Column = keyof typeof COLUMN_NAMES;
const HEADERS = Object.entries(COLUMN_NAMES).map(([k, names]) => [k as Column, new Set(names.map((n) => n.toLowerCase()))] as const);
const REQUIRED: Array<Column> = ['building', 'unit', 'area', 'owners'];
const LIST_SEPARATOR = /[;；、,，/]+/;
const MAX_ROWS = 20_000;

/**
 * Decodes a register file: UTF-8 (with or without BOM) or, as Excel in China saves CSV, GB18030.
 */
export function decodeRegister(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/**
 * Reads and checks every row of an owner register. Building and gate names are checked against
 * `known` (building name → gate names) unless `createBuildings` allows new ones.
 * Returns the good rows and every bad row's line number and reason.
 */
export function readRegister(
  text: string,
  known: Map<string, Set<string>>,
  createBuildings: boolean,
): { rows: RegisterRow[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, trim: true, bom: true });
  } catch (e) {
    return {
      rows: [],
      errors: [
        { line: Number((e as { lines?: number }).lines ?? 1), reason: 'malformed_csv', message: `not a CSV file: ${(e as Error).message}` },
      ],
    };
  }
  const [headerRecord] = records;
  if (!headerRecord) return { rows: [], errors: [{ line: 1, reason: 'empty_file', message: 'the file is empty' }] };

  const header = headerRecord.map((h) => toHalfWidth(h).trim().replace(/\s+/g, ''));
  const col: Partial<Record<Column, number>> = {};
  header.forEach((h, i) => {
    for (const [k, names] of HEADERS) if (names.has(h.toLowerCase()) && col[k] === undefined) col[k] = i;
  });
  const missing = REQUIRED.filter((k) => col[k] === undefined);
  if (missing.length) {
    return {
      rows: [],
      errors: [
        {
          line: 1,
          reason: 'missing_header',
          message: `missing column(s): ${missing.map((k) => COLUMN_NAMES[k].slice(0, 1).concat(COLUMN_NAMES[k].at(-1)!).join('/')).join(', ')}`,
        },
      ],
    };
  }
  if (records.length - 1 > MAX_ROWS)
    return { rows: [], errors: [{ line: MAX_ROWS + 2, reason: 'too_many_rows', message: `at most ${MAX_ROWS} rows` }] };

  const seen = new Map<string, number>();
  /** Each phone number's name and the line it was first given on. */
  const phoneOwner = new Map<string, { name: string; line: number }>();
  const created = new Map<string, Set<string>>();
  const rows: RegisterRow[] = [];
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    const cell = (k: Column) => (col[k] === undefined ? '' : toHalfWidth(rec[col[k]!] ?? '').trim());
    if (rec.every((c) => c.trim() === '')) return;
    const fail = (reason: ImportRowError['reason'], message: string) => errors.push({ line, reason, message });
    const before = errors.length;
    // The same text rule as every request (input-safety.ts): the database cannot store these cells.
    const unsafe = findUnsafeText(rec)[0];
    if (unsafe) {
      fail('malformed_csv', `column ${Number(unsafe.path) + 1} ${unsafe.message}`);
      return;
    }

    const building = cell('building');
    const gate = cell('gate') || null;
    const unit = cell('unit');
    if (!building) fail('missing_building', 'the building is missing');
    else if (!known.has(building) && !createBuildings && !created.has(building)) fail('unknown_building', `unknown building "${building}"`);
    else if (gate && known.has(building) && !known.get(building)!.has(gate) && !createBuildings)
      fail('unknown_gate', `building "${building}" has no gate "${gate}"`);
    if (createBuildings && building) {
      if (!created.has(building)) created.set(building, new Set());
      if (gate) created.get(building)!.add(gate);
    }
    for (const [what, value] of [
      ['building', building],
      ['gate', gate],
      ['unit', unit],
    ] as const) {
      if (value && !placeNameSchema.safeParse(value).success)
        fail('name_too_long', `the ${what} name is longer than ${MAX_PLACE_NAME} characters`);
    }
    if (!unit) fail('missing_unit', 'the unit number is missing');
    else if (building) {
      const key = `${building}\u0000${unit}`;
      const first = seen.get(key);
      if (first) fail('duplicate_unit', `unit ${building} ${unit} already appears on line ${first}`);
      else seen.set(key, line);
    }

    const areaText = cell('area');
    const areaCentiM2 = areaText ? parseAreaM2(areaText) : null;
    if (!areaText) fail('missing_area', 'the floor area is missing');
    else if (areaCentiM2 === null) fail('malformed_area', `"${areaText}" is not a floor area in m² (e.g. 56.78)`);
    else if (areaCentiM2 === 0) fail('zero_area', 'the floor area is 0 m²: every unit has an exclusive area');

    const names = cell('owners')
      .split(LIST_SEPARATOR)
      .map((s: string) => s.trim())
      .filter(Boolean);
    const phoneTexts = cell('phones')
      .split(LIST_SEPARATOR)
      .map((s: string) => s.trim())
      .filter(Boolean);
    if (names.length === 0) fail('missing_owner', 'no owner is named');
    if (phoneTexts.length > names.length) fail('owner_phone_mismatch', `${phoneTexts.length} phone numbers for ${names.length} owner(s)`);
    for (const n of names)
      if (!ownerNameSchema.safeParse(n).success) fail('name_too_long', `the owner's name is longer than ${MAX_PLACE_NAME} characters`);
    const phones = phoneTexts.map((p: string) => {
      const n = normalisePhone(p);
      if (!n) fail('malformed_phone', `"${p}" is not a phone number`);
      return n;
    });
    // An owner is identified by phone: the same phone under two names would silently rename one
    // owner to the other on every unit, so it is an error naming both lines.
    phones.forEach((phone, j) => {
      if (!phone || !names[j]) return;
      const first = phoneOwner.get(phone);
      if (!first) phoneOwner.set(phone, { name: names[j], line });
      else if (first.name !== names[j]) {
        fail(
          'phone_conflict',
          first.line === line
            ? `phone ${phone} is given for both ${first.name} and ${names[j]}`
            : `phone ${phone} is ${names[j]} here but ${first.name} on line ${first.line}`,
        );
      }
    });

    if (errors.length > before) return;
    rows.push({
      line,
      building,
      gate,
      unit,
      areaCentiM2: areaCentiM2!,
      developerHeld: /^(是|yes|y|true|1|开发商)$/i.test(cell('developer')),
      owners: names.map((name: string, j: number) => ({ name, phone: phones[j] ?? null })),
    });
  });
  if (rows.length === 0 && errors.length === 0) errors.push({ line: 2, reason: 'empty_file', message: 'the file has no rows' });
  return { rows, errors };
}
