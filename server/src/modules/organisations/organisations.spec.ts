import { startTestApp, type TestApp } from '../../testing/test-app';

describe('organisations: partner units (共建单位) of any kind', () => {
  let t: TestApp;
  let chair: string;
  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
  });
  afterAll(() => t.close());

  const create = (body: unknown) => t.api('POST', `/api/compounds/${t.compoundId}/organisations`, { token: chair, body });

  it('adds a partner unit that says what it is, and the compound lists it beside the others', async () => {
    const res = await create({ kind: 'partner_unit', name: '麦子店社区卫生服务中心', partnerType: '医疗卫生', contact: '010-6500 0000' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'partner_unit', name: '麦子店社区卫生服务中心', partnerType: '医疗卫生' });
    const compound = await t.api('GET', `/api/compounds/${t.compoundId}`, { token: chair });
    const kinds = compound.body.organisations.map((o: { kind: string }) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['property_company', 'street_department', 'partner_unit']));
    expect(compound.body.organisations.find((o: { kind: string }) => o.kind === 'partner_unit').partnerType).toBe('医疗卫生');
  });

  it('refuses a partner unit that does not say what it is, and a kind nobody knows', async () => {
    const bare = await create({ kind: 'partner_unit', name: '某公司' });
    expect(bare.status).toBe(400);
    expect(bare.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['partnerType']);
    expect((await create({ kind: 'club', name: '某俱乐部', partnerType: '文体' })).status).toBe(400);
  });
});
