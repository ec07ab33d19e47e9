import { startTestApp, type TestApp } from '../../testing/test-app';

describe('joining a compound with an invitation code', () => {
  let t: TestApp;
  let chair: string;
  let households: Array<{ id: string; label: string; gateId: string; voter: unknown }>;
  beforeAll(async () => {
    t = await startTestApp();
    chair = (await t.signIn('chair')).accessToken;
    households = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: chair })).body;
  });
  afterAll(() => t.close());

  const invite = (token: string, body: object) => t.api('POST', `/api/compounds/${t.compoundId}/invitations`, { token, body });

  it('a chair invites a resident of a household; the resident joins, becomes its voter and is signed in', async () => {
    const h = households.find((x) => x.label === '2号楼 2单元 202')!;
    const inv = await invite(chair, { role: 'resident', householdId: h.id, designatedVoter: true });
    expect(inv.status).toBe(201);
    expect(inv.body.code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(inv.body.householdLabel).toBe('2号楼 2单元 202');

    const spaced = `${inv.body.code.slice(0, 4).toLowerCase()}-${inv.body.code.slice(4)}`;
    const joined = await t.api('POST', '/api/auth/join', {
      body: { code: spaced, displayName: '钱奶奶', phone: '139 1234 5678', password: 'a-long-password' },
    });
    expect(joined.status).toBe(201);
    const me = await t.api('GET', '/api/me', { token: joined.body.accessToken });
    expect(me.body.user.phone).toBe('13912345678');
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ role: 'resident', householdLabel: '2号楼 2单元 202', compoundName: '霞光里35号院' }),
    ]);
    const after = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: chair })).body.find(
      (x: { id: string }) => x.id === h.id,
    );
    expect(after.voter.displayName).toBe('钱奶奶');

    const again = await t.api('POST', '/api/auth/join', {
      body: { code: inv.body.code, displayName: '别人', username: 'someone', password: 'a-long-password' },
    });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('INVITATION_USED_UP');
  });

  it('refuses revoked, expired and unknown codes, and a phone that already has an account', async () => {
    const h = households[5]!;
    const revoked = (await invite(chair, { role: 'resident', householdId: h.id, maxUses: 3 })).body;
    expect((await t.api('DELETE', `/api/compounds/${t.compoundId}/invitations/${revoked.id}`, { token: chair })).status).toBe(204);
    const r1 = await t.api('POST', '/api/auth/join', {
      body: { code: revoked.code, displayName: 'x', username: 'xavier', password: 'a-long-password' },
    });
    expect(r1.body.error.code).toBe('INVITATION_EXPIRED');

    const old = (await invite(chair, { role: 'observer' })).body;
    await t.db.query(`UPDATE invitation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [old.id]);
    const r2 = await t.api('POST', '/api/auth/join', {
      body: { code: old.code, displayName: 'x', username: 'xavier', password: 'a-long-password' },
    });
    expect(r2.status).toBe(410);

    const r3 = await t.api('POST', '/api/auth/join', {
      body: { code: 'ZZZZ2222', displayName: 'x', username: 'xavier', password: 'a-long-password' },
    });
    expect(r3.status).toBe(404);
    expect(r3.body.error.code).toBe('INVITATION_INVALID');

    const fresh = (await invite(chair, { role: 'observer' })).body;
    const r4 = await t.api('POST', '/api/auth/join', {
      body: { code: fresh.code, displayName: 'x', phone: '13800000003', password: 'a-long-password' },
    });
    expect(r4.status).toBe(409);
    expect(r4.body.error.code).toBe('PHONE_TAKEN');
    // Nothing was written: the code is still unused.
    const list = (await t.api('GET', `/api/compounds/${t.compoundId}/invitations`, { token: chair })).body;
    expect(list.find((i: { id: string }) => i.id === fresh.id).uses).toBe(0);
  });

  it('a signed-in user redeems a code to add a role, once', async () => {
    const inv = (await invite(chair, { role: 'observer', maxUses: 5 })).body;
    const r = await t.signIn('resident1');
    const res = await t.api('POST', '/api/invitations/redeem', { token: r.accessToken, body: { code: inv.code } });
    expect(res.status).toBe(201);
    expect(res.body.role).toBe('observer');
    const twice = await t.api('POST', '/api/invitations/redeem', { token: r.accessToken, body: { code: inv.code } });
    expect(twice.body.error.code).toBe('ALREADY_MEMBER');
  });

  it('a gate leader invites residents of their own gate only', async () => {
    const gate = (await t.signIn('gate1')).accessToken;
    const own = households.find((x) => x.label === '1号楼 1单元 301')!;
    const other = households.find((x) => x.label === '3号楼 1单元 101')!;
    expect((await invite(gate, { role: 'resident', householdId: own.id })).status).toBe(201);
    const outside = await invite(gate, { role: 'resident', householdId: other.id });
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('OUTSIDE_YOUR_GATE');
    expect((await invite(gate, { role: 'chair' })).body.error.code).toBe('OUTSIDE_YOUR_GATE');
  });

  it('checks that an invitation names what its role needs', async () => {
    const res = await invite(chair, { role: 'property_rights_unit' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: 'organisationId' })]);
    const compound = (await t.api('GET', `/api/compounds/${t.compoundId}`, { token: chair })).body;
    const street = compound.organisations.find((o: { kind: string }) => o.kind === 'street_department');
    const wrongKind = await invite(chair, { role: 'property_rights_unit', organisationId: street.id });
    expect(wrongKind.body.error.fields[0].path).toBe('organisationId');
  });
});

describe('voters and proxies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a gate leader registers a proxy for a household of their gate, not for another gate', async () => {
    const gate = (await t.signIn('gate1')).accessToken;
    const chair = (await t.signIn('chair')).accessToken;
    const hs = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: chair })).body;
    const members = (await t.api('GET', `/api/compounds/${t.compoundId}/members`, { token: chair })).body;
    const wang = members.find((m: { user: { username: string } }) => m.user.username === 'resident1').user;
    const own = hs.find((h: { label: string }) => h.label === '1号楼 1单元 301');
    const res = await t.api('PUT', `/api/compounds/${t.compoundId}/households/${own.id}/proxy`, {
      token: gate,
      body: { userId: wang.id, note: '委托书原件在楼门组长处' },
    });
    expect(res.status).toBe(204);
    const after = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: gate })).body.find(
      (h: { id: string }) => h.id === own.id,
    );
    expect(after.proxy.displayName).toBe('王大爷');
    expect(after.proxyNote).toBe('委托书原件在楼门组长处');
    const other = hs.find((h: { label: string }) => h.label === '5号楼 1单元 101');
    const refused = await t.api('PUT', `/api/compounds/${t.compoundId}/households/${other.id}/proxy`, {
      token: gate,
      body: { userId: wang.id },
    });
    expect(refused.body.error.code).toBe('OUTSIDE_YOUR_GATE');
  });

  it('the chair cannot make someone outside the household its voter, and the last chair cannot be removed', async () => {
    const chair = (await t.signIn('chair')).accessToken;
    const hs = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: chair })).body;
    const members = (await t.api('GET', `/api/compounds/${t.compoundId}/members`, { token: chair })).body;
    const wang = members.find((m: { user: { username: string } }) => m.user.username === 'resident1');
    const notHis = hs.find((h: { label: string }) => h.label === '4号楼 1单元 101');
    const res = await t.api('PUT', `/api/compounds/${t.compoundId}/households/${notHis.id}/voter`, {
      token: chair,
      body: { userId: wang.user.id },
    });
    expect(res.status).toBe(400);
    const chairMembership = members.find((m: { role: string }) => m.role === 'chair');
    const removal = await t.api('DELETE', `/api/compounds/${t.compoundId}/members/${chairMembership.membershipId}`, { token: chair });
    expect(removal.status).toBe(409);
    expect((await t.api('DELETE', `/api/compounds/${t.compoundId}/members/${wang.membershipId}`, { token: chair })).status).toBe(204);
    const hisOwn = (await t.api('GET', `/api/compounds/${t.compoundId}/households`, { token: chair })).body.find(
      (h: { label: string }) => h.label === '1号楼 1单元 201',
    );
    expect(hisOwn.voter).toBeNull();
    // Losing the membership takes effect at once on the open session.
    const wangToken = (await t.signIn('resident1')).accessToken;
    expect((await t.api('GET', `/api/compounds/${t.compoundId}`, { token: wangToken })).status).toBe(404);
  });
});
