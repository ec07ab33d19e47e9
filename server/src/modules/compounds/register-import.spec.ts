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

  const counts = async () =>
    (
      await t.db.query(
        `SELECT (SELECT count(*) FROM household)::int AS h, (SELECT count(*) FROM owner)::int AS o, (SELECT count(*) FROM building)::int AS b`,
      )
    )[0];

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
      expect.objectContaining({
        dryRun: true,
        ok: true,
        rows: 4,
        households: { created: 3, updated: 1, unchanged: 0 },
        buildings: { created: 1 },
        gates: { created: 2 },
      }),
    );
    expect(await counts()).toEqual(before);
  });

  it('imports for real, all rows, with an owner of two units counted as one owner; re-importing updates in place', async () => {
    const before = await counts();
    const res = await upload(t, chair, GOOD, 'dryRun=false&createBuildings=true');
    expect(res.status).toBe(200);
    expect(res.body.owners.created).toBe(3);
    expect(await counts()).toEqual({ h: before.h + 3, o: before.o + 3, b: before.b + 1 });
    const [qian] = await t.db.query(
      `SELECT count(*)::int AS units FROM household_owner ho JOIN owner o ON o.id = ho.owner_id WHERE o.phone = '13912340001'`,
    );
    expect(qian.units).toBe(2);
    const hs = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: chair })).body;
    const sun = hs.find((h: { label: string }) => h.label === '7号楼 2单元 201');
    expect(sun.areaCentiM2).toBe(7225);
    expect(sun.owners.map((o: { name: string }) => o.name).sort()).toEqual(['孙小圣', '孙悟空']);
    expect(hs.find((h: { label: string }) => h.label === '1号楼 1单元 101').areaCentiM2).toBe(5678);

    const again = await upload(t, chair, GOOD.replace('61.5', '61.55'), 'dryRun=false&createBuildings=true');
    expect(again.body.households).toEqual({ created: 0, updated: 1, unchanged: 3 });
    expect(await counts()).toEqual({ h: before.h + 3, o: before.o + 3, b: before.b + 1 });
  });

  it('is all or nothing: one bad row and not a single good one is written', async () => {
    const before = await counts();
    const res = await upload(t, chair, GOOD.replace('7号楼', '8号楼') + '8号楼,1单元,999,abc,某人,\n', 'dryRun=false&createBuildings=true');
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
  it('refuses one phone under two names, naming both lines, instead of renaming an owner; writes nothing', async () => {
    const before = await counts();
    const owners = await t.db.query(`SELECT id, name FROM owner ORDER BY id`);
    const csv = `楼栋,楼门,房号,面积,业主,电话
1号楼,1单元,801,50,张三,13912345678
1号楼,1单元,802,50,张三,13912345678
1号楼,1单元,803,60,李四,13912345678
1号楼,1单元,804,60,王五、赵六,13912340011;13912340011
`;
    const res = await upload(t, chair, csv, 'dryRun=false');
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual([
      { line: 4, reason: 'phone_conflict', message: 'phone 13912345678 is 李四 here but 张三 on line 2' },
      { line: 5, reason: 'phone_conflict', message: 'phone 13912340011 is given for both 王五 and 赵六' },
    ]);
    expect(await counts()).toEqual(before);
    expect(await t.db.query(`SELECT id, name FROM owner ORDER BY id`)).toEqual(owners);
  });

  it('answers a missing, repeated, bracketed or unknown flag with a 400 and never imports unless dryRun=false is said', async () => {
    const before = await counts();
    const csv = '楼栋,房号,面积,业主\n1号楼,901,40,周某\n';
    for (const query of [
      '',
      'dryRun[]=true',
      'dryRun[]=false',
      'dryRun=true&dryRun=false',
      'dryRun=yes',
      'dryRun=1',
      'dryrun=true',
      'dryRun=false&force=true',
      'dryRun=false&createBuildings[]=true',
    ]) {
      const res = await upload(t, chair, csv, query);
      expect([query, res.status, res.body.error?.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
    const missing = await upload(t, chair, csv, '');
    expect(missing.body.error.fields).toEqual([
      { path: 'dryRun', message: 'say dryRun=true to check the file or dryRun=false to import it' },
    ]);
    expect(await counts()).toEqual(before);
    expect((await upload(t, chair, csv, 'dryRun=true')).body).toMatchObject({ dryRun: true, households: { created: 1 } });
    expect(await counts()).toEqual(before);
  });

  it('holds building, gate, unit and owner names to the same 40-character limit as the buildings API, and refuses an area of 0', async () => {
    const before = await counts();
    const long = '楼'.repeat(41);
    const at40 = '楼'.repeat(40);
    const csv = `楼栋,楼门,房号,面积,业主
${long},1单元,101,50,甲
1号楼,${'门'.repeat(5000)},101,50,乙
1号楼,1单元,${'9'.repeat(41)},50,丙
1号楼,1单元,905,50,${'名'.repeat(41)}
1号楼,1单元,906,0,丁
1号楼,1单元,907,0.00,戊
`;
    const res = await upload(t, chair, csv, 'dryRun=false&createBuildings=true');
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual([
      [2, 'name_too_long'],
      [3, 'name_too_long'],
      [4, 'name_too_long'],
      [5, 'name_too_long'],
      [6, 'zero_area'],
      [7, 'zero_area'],
    ]);
    expect(res.body.error.details.errors[0].message).toBe('the building name is longer than 40 characters');
    expect(await counts()).toEqual(before);
    // The buildings API has the same limit, from the same schema; exactly 40 is allowed on both.
    const api = await t.api('PUT', `/api/compounds/${t.compoundId}/buildings`, {
      token: chair,
      body: { buildings: [{ name: long, gates: [] }] },
    });
    expect(api.body.error.fields).toEqual([{ path: 'buildings.0.name', message: 'at most 40 characters' }]);
    const ok = await upload(
      t,
      chair,
      `楼栋,楼门,房号,面积,业主\n${at40},${'门'.repeat(40)},${'9'.repeat(40)},0.01,${'名'.repeat(40)}\n`,
      'dryRun=true&createBuildings=true',
    );
    expect(ok.body).toMatchObject({ ok: true, households: { created: 1 }, buildings: { created: 1 } });
  });
});
