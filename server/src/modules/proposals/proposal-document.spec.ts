import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { appendParagraphs } from '../../seed/doc-content';
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

/**
 * A proposal's page opens its document with no meeting involved: joining a proposal's document
 * outside any meeting follows exactly the rules inside one (role, the chair's invitation, the
 * proposal's status), and whoever may not edit is refused every edit, with nothing written.
 */
describe('a proposal on no agenda, edited from its own page', () => {
  let t: TestApp;
  let tokens: Record<'chair' | 'resident1' | 'property' | 'observer', string>;
  let draftId: string;
  const sockets: ClientSocket[] = [];
  const api = (method: string, path: string, token: string, body?: unknown) =>
    t.api(method, `/api/compounds/${t.compoundId}${path}`, { token, body });
  const joined = async (login: keyof typeof tokens) => {
    const s = await connect(t.baseUrl, tokens[login]);
    sockets.push(s);
    const ack = await raw(s).emitWithAck('doc:join', { docId: draftId });
    expect(ack.ok).toBe(true);
    return { s, canEdit: ack.canEdit as boolean };
  };
  const edit = (s: ClientSocket, text: string) => raw(s).emitWithAck('doc:sync', { docId: draftId, message: editMessage(text) });
  const updates = async () => (await t.db.query(`SELECT count(*)::int AS n FROM doc_update WHERE doc_id = $1`, [draftId]))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp();
    tokens = {
      chair: (await t.signIn('chair')).accessToken,
      resident1: (await t.signIn('resident1')).accessToken,
      property: (await t.signIn('property')).accessToken,
      observer: (await t.signIn('observer')).accessToken,
    };
    // A resident's draft on no agenda, in a compound where no meeting was ever scheduled.
    const created = await api('POST', '/proposals', tokens.resident1, { title: '楼道加装扶手', kind: 'renovation' });
    expect(created.status).toBe(201);
    draftId = created.body.id;
    expect(created.body).toMatchObject({ status: 'drafting', agendaItemIds: [] });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM meeting`))[0].n).toBe(0);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  it('residents and the chair edit it, and each edit is committed', async () => {
    for (const login of ['resident1', 'chair'] as const) {
      const { s, canEdit } = await joined(login);
      expect(`${login}: ${canEdit}`).toBe(`${login}: true`);
      const before = await updates();
      expect((await edit(s, `${login} 补充一句。`)).ok).toBe(true);
      expect(await updates()).toBe(before + 1);
    }
  });

  it('the observer and the uninvited property company follow it read-only, and every edit they send is refused without a write', async () => {
    for (const login of ['observer', 'property'] as const) {
      const { s, canEdit } = await joined(login);
      expect(`${login}: ${canEdit}`).toBe(`${login}: false`);
      const before = await updates();
      const refused = await edit(s, '越权修改。');
      expect(`${login}: ${refused.ok ? 'ok' : refused.error.code}`).toBe(`${login}: FORBIDDEN`);
      expect(await updates()).toBe(before);
    }
  });

  it('the chair’s invitation lets the property company edit; once withdrawn, even a resident is refused', async () => {
    const [org] = await t.db.query(`SELECT id FROM organisation WHERE kind = 'property_company'`);
    expect((await api('POST', `/proposals/${draftId}/edit-grants`, tokens.chair, { organisationId: org.id })).status).toBe(201);
    const property = await joined('property');
    expect(property.canEdit).toBe(true);
    expect((await edit(property.s, '物业补充：施工期间保留消防通道。')).ok).toBe(true);

    // Withdrawn by the chair: the proposal no longer allows editing, for anyone.
    expect((await api('POST', `/proposals/${draftId}/withdraw`, tokens.chair, { reason: '合并到整体改造方案' })).status).toBe(200);
    const resident = await joined('resident1');
    expect(resident.canEdit).toBe(false);
    const before = await updates();
    expect((await edit(resident.s, '撤回之后还想改。')).error.code).toBe('FORBIDDEN');
    expect(await updates()).toBe(before);
  });
});
