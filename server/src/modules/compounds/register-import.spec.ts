import { TextEncoder } from 'node:util';
import { startTestApp, type TestApp } from '../../testing/test-app';

const upload = (t: TestApp, token: string, csv: string | Buffer, query: string) => {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'register.csv');
  return t.api('POST', `/api/compounds/${t.compoundId}/register/import?${query}`, { token, raw: form });
};

const GOOD = `楼栋,楼门,房号,面积,业主,电话
1号楼,1单元,101,56.78,李组长,13800000002
7号楼,1单元,101,60,钱学森,13912340001
7号楼,1单元,102,61.5,钱学森,13912340001
7号楼,2单元,201,"72.25",孙悟空、孙小圣,13912340002;13912340003
`;

describe('importing the owner register from a CSV file', () => {
  let t: TestApp;
  let chair: string;
  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
  });
  afterAll(() => t.close());

  const counts = async () => (await t.db.query(`SELECT (SELECT count(*) FROM household)::int AS h, (SELECT count(*) FROM owner)::int AS o, (SELECT count(*) FROM building)::int AS b`))[0];

  it('a dry run reports every bad row by line number and reason, and writes nothing', async () => {
    const before = await counts();
    const bad = `building,gate,unit,area,owners,phones
1号楼,1单元,101,56.78,李组长,13800000002
9号楼,1单元,101,60,甲,13912340001
1号楼,1单元,102,,乙,13912340002
1号楼,1单元,101,50,丙,13912340003
2号楼,1单元,201,50,丁,1234
2号楼,1单元,202,-3,戊,
2号楼,1单元,,50,己,
`;
    const res = await upload(t, chair, bad, 'dryRun=true');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    expect(res.body.error.details.errors.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual([
      [3, 'unknown_building'],
      [4, 'missing_area'],
      [5, 'duplicate_unit'],
      [6, 'malformed_phone'],
      [7, 'malformed_area'],
      [8, 'missing_unit'],
    ]);
    expect(res.body.error.details.errors[2].message).toContain('line 2');
    expect(await counts()).toEqual(before);
  });

  it('a dry run of a good file says what an import would do, without doing it', async () => {
    const before = await counts();
    const res = await upload(t, chair, GOOD, 'dryRun=true&createBuildings=true');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ dryRun: true, ok: true, rows: 4, households: { created: 3, updated: 1, unchanged: 0 }, buildings: { created: 1 }, gates: { created: 2 } }),
    );
    expect(await counts()).toEqual(before);
  });

  it('imports for real, all rows, with an owner of two units counted as one owner; re-importing updates in place', async () => {
    const before = await counts();
    const res = await upload(t, chair, GOOD, 'createBuildings=true');
    expect(res.status).toBe(200);
    expect(res.body.owners.created).toBe(3);
    expect(await counts()).toEqual({ h: before.h + 3, o: before.o + 3, b: before.b + 1 });
    const [qian] = await t.db.query(`SELECT count(*)::int AS units FROM household_owner ho JOIN owner o ON o.id = ho.owner_id WHERE o.phone = '13912340001'`);
    expect(qian.units).toBe(2);
    const hs = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: chair })).body;
    const sun = hs.find((h: { label: string }) => h.label === '7号楼 2单元 201');
    expect(sun.areaCentiM2).toBe(7225);
    expect(sun.owners.map((o: { name: string }) => o.name).sort()).toEqual(['孙小圣', '孙悟空']);
    expect(hs.find((h: { label: string }) => h.label === '1号楼 1单元 101').areaCentiM2).toBe(5678);

    const again = await upload(t, chair, GOOD.replace('61.5', '61.55'), 'createBuildings=true');
    expect(again.body.households).toEqual({ created: 0, updated: 1, unchanged: 3 });
    expect(await counts()).toEqual({ h: before.h + 3, o: before.o + 3, b: before.b + 1 });
  });

  it('is all or nothing: one bad row and not a single good one is written', async () => {
    const before = await counts();
    const res = await upload(t, chair, GOOD.replace('7号楼', '8号楼') + '8号楼,1单元,999,abc,某人,\n', 'createBuildings=true');
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([expect.objectContaining({ line: 6, reason: 'malformed_area' })]);
    expect(await counts()).toEqual(before);
  });

  it('reads a register saved by Excel as GB18030, and a raw text/csv body', async () => {
    const gbk = Buffer.from(
      // "楼栋,房号,面积,业主\n1号楼,888,40,周某\n" in GB18030, as Excel in China writes it.
      'c2a5b6b02cb7bfbac52cc3e6bbfd2cd2b5d6f70a31bac5c2a52c3838382c34302cd6dcc4b30a',
      'hex',
    );
    const res = await upload(t, chair, gbk, 'dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body.households.created).toBe(1);
    const raw = await t.api('POST', `/api/compounds/${t.compoundId}/register/import?dryRun=true`, {
      token: chair,
      raw: new TextEncoder().encode('building,unit,area,owner\n1号楼,889,40.5,吴某\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(raw.status).toBe(200);
    expect(raw.body.households.created).toBe(1);
  });

  it('names a missing column, and refuses a file over the size limit', async () => {
    const res = await upload(t, chair, '楼栋,房号,业主\n1号楼,101,张三\n', 'dryRun=true');
    expect(res.body.error.details.errors).toEqual([expect.objectContaining({ line: 1, reason: 'missing_header' })]);
    const huge = await upload(t, chair, 'x'.repeat(6 * 1024 * 1024), 'dryRun=true');
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
