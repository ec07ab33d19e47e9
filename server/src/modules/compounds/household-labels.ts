import type { EntityManager } from 'typeorm';

/** "3号楼 2单元 301" for each household id, in one query. */
export async function householdLabels(m: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  const rows: Array<{ id: string; label: string }> = await m.query(
    `SELECT h.id, concat_ws(' ', b.name, g.name, h.unit) AS label
     FROM household h JOIN building b ON b.id = h.building_id LEFT JOIN building_gate g ON g.id = h.gate_id
     WHERE h.id = ANY($1)`,
    [wanted],
  );
  return new Map(rows.map((r) => [r.id, r.label]));
}
