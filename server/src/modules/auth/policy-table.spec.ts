import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import {
  type Action,
  DOC_ACTIONS,
  LISTS_COMMAND_ACTIONS,
  type ListsCommand,
  MEETING_COMMAND_ACTIONS,
  type MeetingCommand,
  POLICY,
  type Role,
  ROLES,
  VOTE_COMMAND_ACTIONS,
  type VoteCommand,
} from '@yishi/shared';
import * as Y from 'yjs';
import { writeDoc } from '../../testing/docs';
import { connect, send } from '../../testing/sockets';
import { DEMO_ACCOUNTS } from '../../seed/demo-seed';
import { DEMO_PARTNER, seedWhistles } from '../../seed/demo-whistles';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { ACTION_KEY, PUBLIC_KEY, SIGNED_IN_KEY } from '../../infra/http/route-access';

interface Route {
  method: string;
  path: string;
  action?: Action;
  isPublic: boolean;
  signedIn: boolean;
}

/** Every route the application serves, read from the controllers themselves. */
function routes(t: TestApp): Route[] {
  const controllers = [...t.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()]);
  const scanner = new MetadataScanner();
  const out: Route[] = [];
  for (const wrapper of controllers) {
    const proto = Object.getPrototypeOf(wrapper.instance);
    const base = Reflect.getMetadata(PATH_METADATA, wrapper.metatype!) as string;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      if (method === undefined) throw new Error(`${name} has a path but no request method Nest knows`);
      const read = (key: string) => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, wrapper.metatype!);
      out.push({
        method,
        path: '/api/' + [base, sub].filter((p) => p && p !== '/').join('/'),
        action: read(ACTION_KEY),
        isPublic: !!read(PUBLIC_KEY),
        signedIn: !!read(SIGNED_IN_KEY),
      });
    }
  }
  return out;
}

/**
 * Issue 15's actions were put in the table before the modules that serve them were built, by
 * three branches: each list's branch removes its own lines here as its routes arrive, and a
 * listed action that has a route fails the test, so none is left behind.
 */
const AWAITING_ROUTES: Action[] = [];

/**
 * Actions a route checks inside its handler for one of its parameters (the route's own action is
 * checked first): each is walked role by role with that parameter below.
 */
const IN_HANDLER: Partial<Record<Action, { method: string; path: string }>> = {
  'statistics.community': { method: 'GET', path: '/api/compounds/:compoundId/statistics?scope=community&from=2026-01-01&to=2026-12-31' },
};

const fill = (path: string, compoundId: string) => path.replace(':compoundId', compoundId).replace(/:\w+/g, () => randomUUID());

describe('the policy table, walked: every role × every endpoint', () => {
  // A walk of every route × every role, one request after another: it grows with every new
  // route, and on a loaded two-core machine it took longer than the default 30 s.
  jest.setTimeout(180_000);
  let t: TestApp;
  let all: Route[];
  const tokens = new Map<Role, string>();
  let outsider: string;

  beforeAll(async () => {
    t = await startTestApp();
    all = routes(t);
    // The partner unit's person comes with the whistles of the demo ledger.
    await seedWhistles(t.db);
    const login = (role: Role) => (role === 'partner_unit' ? DEMO_PARTNER.login : DEMO_ACCOUNTS.find((a) => a.role === role)!.login);
    for (const role of ROLES) tokens.set(role, (await t.signIn(login(role))).accessToken);
    // A chair of another compound: a member of Yishi, but not of 霞光里35号院.
    const [other] = await t.db.query(
      `INSERT INTO compound (community_id, name) SELECT community_id, '霞光里36号院' FROM compound WHERE id = $1 RETURNING id`,
      [t.compoundId],
    );
    const [u] = await t.db.query(`SELECT id FROM app_user WHERE username = 'chair'`);
    await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'chair36', '36号院主任', password_hash FROM app_user WHERE id = $1`,
      [u.id],
    );
    const [c36] = await t.db.query(`SELECT id FROM app_user WHERE username = 'chair36'`);
    await t.db.query(`INSERT INTO membership (user_id, compound_id, role) VALUES ($1, $2, 'chair')`, [c36.id, other.id]);
    outsider = (await t.signIn('chair36')).accessToken;
  });
  afterAll(() => t.close());

  it('finds the routes, and every one is public, for any signed-in user, or names an action of the table', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const r of all) {
      const marks = [r.isPublic, r.signedIn, r.action !== undefined].filter(Boolean).length;
      expect({ route: `${r.method} ${r.path}`, marks }).toEqual({ route: `${r.method} ${r.path}`, marks: 1 });
      if (r.action) {
        expect(Object.keys(POLICY)).toContain(r.action);
        expect(r.path).toContain(':compoundId');
      }
    }
    // Every action of the table is used by some route or socket command, so it has no dead rows.
    const used = new Set([
      ...all.map((r) => r.action).filter(Boolean),
      ...Object.values(MEETING_COMMAND_ACTIONS),
      ...Object.values(DOC_ACTIONS),
      ...Object.values(VOTE_COMMAND_ACTIONS),
      ...AWAITING_ROUTES,
      ...(Object.keys(IN_HANDLER) as Action[]),
    ]);
    for (const a of AWAITING_ROUTES)
      expect(`${a} awaits its route: ${all.some((r) => r.action === a)}`).toBe(`${a} awaits its route: false`);
    expect(used).toEqual(new Set(Object.keys(POLICY)));
  });

  it('refuses every non-public route without a token', async () => {
    for (const r of all.filter((x) => !x.isPublic)) {
      const res = await t.api(r.method, fill(r.path, t.compoundId));
      expect({ route: `${r.method} ${r.path}`, status: res.status, code: res.body?.error?.code }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('allows exactly the roles the table names, and refuses the others with 403', async () => {
    const rows: string[] = [];
    for (const r of all.filter((x) => x.action)) {
      for (const role of ROLES) {
        const res = await t.api(r.method, fill(r.path, t.compoundId), { token: tokens.get(role) });
        const allowed = (POLICY[r.action!] as readonly Role[]).includes(role);
        const got =
          res.status === 403 && res.body.error.code === 'FORBIDDEN'
            ? 'denied'
            : [401, 403].includes(res.status)
              ? `odd ${res.status}`
              : 'allowed';
        rows.push(`${r.action} ${role}: ${got}`);
        expect(`${r.method} ${r.path} as ${role}: ${got}`).toBe(`${r.method} ${r.path} as ${role}: ${allowed ? 'allowed' : 'denied'}`);
      }
    }
    expect(rows.length).toBe(all.filter((x) => x.action).length * ROLES.length);
  });

  it('applies the table to the actions a route checks for one of its parameters, role by role', async () => {
    for (const [action, r] of Object.entries(IN_HANDLER) as Array<[Action, { method: string; path: string }]>) {
      for (const role of ROLES) {
        const res = await t.api(r.method, r.path.replace(':compoundId', t.compoundId), { token: tokens.get(role) });
        const got =
          res.status === 403 && res.body.error.code === 'FORBIDDEN' ? 'denied' : res.status === 200 ? 'allowed' : `odd ${res.status}`;
        const allowed = (POLICY[action] as readonly Role[]).includes(role);
        expect(`${action} as ${role}: ${got}`).toBe(`${action} as ${role}: ${allowed ? 'allowed' : 'denied'}`);
      }
    }
  });

  it('answers 404 to a member of another compound on every compound route, so its existence is not revealed', async () => {
    for (const r of all.filter((x) => x.action)) {
      const res = await t.api(r.method, fill(r.path, t.compoundId), { token: outsider });
      expect(`${r.method} ${r.path}: ${res.status} ${res.body?.error?.code}`).toBe(`${r.method} ${r.path}: 404 NOT_FOUND`);
    }
  });

  it('applies the same table to every socket command, role by role', async () => {
    const chair = tokens.get('chair')!;
    const res = await t.api('POST', `/api/compounds/${t.compoundId}/meetings`, {
      token: chair,
      body: { title: '权限检查', scheduledAt: new Date().toISOString(), agenda: [{ title: '一' }] },
    });
    const meetingId = res.body.id as string;
    const commands = Object.keys(MEETING_COMMAND_ACTIONS) as MeetingCommand[];
    // Commands that need more than the meeting id get well-formed values; the ids name nothing.
    const payload = (c: MeetingCommand) => ({
      meetingId,
      agendaItemId: res.body.agenda[0].id,
      householdId: randomUUID(),
      messageId: randomUUID(),
      clientMessageId: randomUUID(),
      body: '测试',
      order: [],
      sinceSeq: c === 'meeting:sync' ? 0 : undefined,
    });
    for (const role of ROLES) {
      const socket = await connect(t.baseUrl, tokens.get(role));
      try {
        for (const c of commands) {
          const ack = await send(socket, c, payload(c));
          const allowed = (POLICY[MEETING_COMMAND_ACTIONS[c]] as readonly Role[]).includes(role);
          const got = !ack.ok && ack.error.code === 'FORBIDDEN' ? 'denied' : 'allowed';
          expect(`${c} as ${role}: ${got}`).toBe(`${c} as ${role}: ${allowed ? 'allowed' : 'denied'}`);
        }
      } finally {
        socket.close();
      }
      const outsiderSocket = await connect(t.baseUrl, outsider);
      try {
        for (const c of commands) {
          const ack = await send(outsiderSocket, c, payload(c));
          expect(`${c}: ${ack.ok ? 'ok' : ack.error.code}`).toBe(`${c}: NOT_FOUND`);
        }
      } finally {
        outsiderSocket.close();
      }
    }
  });

  it('applies the table to the lists commands, role by role', async () => {
    for (const role of ROLES) {
      const socket = await connect(t.baseUrl, tokens.get(role));
      try {
        for (const c of Object.keys(LISTS_COMMAND_ACTIONS) as ListsCommand[]) {
          const ack = await send(socket, c as MeetingCommand, { compoundId: t.compoundId });
          const allowed = (POLICY[LISTS_COMMAND_ACTIONS[c]] as readonly Role[]).includes(role);
          expect(`${c} as ${role}: ${ack.ok ? 'ok' : ack.error.code}`).toBe(`${c} as ${role}: ${allowed ? 'ok' : 'FORBIDDEN'}`);
        }
      } finally {
        socket.close();
      }
    }
  });

  it('applies the table to every vote command, role by role, against a real open round', async () => {
    const chair = tokens.get('chair')!;
    const meeting = await t.api('POST', `/api/compounds/${t.compoundId}/meetings`, {
      token: chair,
      body: { title: '表决权限', scheduledAt: new Date().toISOString() },
    });
    const proposal = await t.api('POST', `/api/compounds/${t.compoundId}/proposals`, {
      token: chair,
      body: { title: '表决权限', kind: 'other' },
    });
    await writeDoc(t.baseUrl, chair, proposal.body.id);
    const revision = await t.api('POST', `/api/compounds/${t.compoundId}/proposals/${proposal.body.id}/revisions`, { token: chair });
    const round = await t.api('POST', `/api/compounds/${t.compoundId}/proposals/${proposal.body.id}/rounds`, {
      token: chair,
      body: { revisionNumber: revision.body.number, question: '是否同意？', rule: 'simple_majority', meetingId: meeting.body.id },
    });
    expect(round.status).toBe(201);
    const commands = Object.keys(VOTE_COMMAND_ACTIONS) as VoteCommand[];
    // A cast for a household nobody here votes for: allowed roles get past the table to NOT_ELIGIBLE.
    const payload = {
      roundId: round.body.id,
      meetingId: meeting.body.id,
      ballotId: randomUUID(),
      householdId: randomUUID(),
      revisionId: revision.body.id,
      choice: 'for',
    };
    for (const role of ROLES) {
      const socket = await connect(t.baseUrl, tokens.get(role));
      const raw = socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<any> };
      try {
        for (const c of commands) {
          const ack = await raw.emitWithAck(c, payload);
          const allowed = (POLICY[VOTE_COMMAND_ACTIONS[c]] as readonly Role[]).includes(role);
          const got = !ack.ok && ack.error.code === 'FORBIDDEN' ? 'denied' : 'allowed';
          expect(`${c} as ${role}: ${got}`).toBe(`${c} as ${role}: ${allowed ? 'allowed' : 'denied'}`);
        }
      } finally {
        socket.close();
      }
    }
    const outsiderSocket = await connect(t.baseUrl, outsider);
    const raw = outsiderSocket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<any> };
    for (const c of commands) expect(`${c}: ${(await raw.emitWithAck(c, payload)).error?.code}`).toBe(`${c}: NOT_FOUND`);
    outsiderSocket.close();
  });

  it('lets exactly the roles the table names sign off on funding, each only for its own organisation', async () => {
    const chair = tokens.get('chair')!;
    const proposal = await t.api('POST', `/api/compounds/${t.compoundId}/proposals`, {
      token: chair,
      body: { title: '签认权限', kind: 'funding' },
    });
    // A plan that asks every kind of funding party to pay, so that each may sign.
    await writeDoc(t.baseUrl, chair, proposal.body.id, {
      lines: [
        {
          category: '工程',
          description: '三方分担',
          amountFen: 300,
          splits: { property_rights_unit: 100, property_company: 100, government_subsidy: 100 },
        },
      ],
    });
    const revision = await t.api('POST', `/api/compounds/${t.compoundId}/proposals/${proposal.body.id}/revisions`, { token: chair });
    const [rights] = await t.db.query(`SELECT id FROM organisation WHERE kind = 'property_rights_unit'`);
    const url = `/api/compounds/${t.compoundId}/proposals/${proposal.body.id}/revisions/${revision.body.number}/sign-offs`;
    for (const role of ROLES) {
      const maySign = (POLICY['funding.sign_off'] as readonly Role[]).includes(role);
      const own = await t.api('POST', url, { token: tokens.get(role), body: { decision: 'refused', note: '测试' } });
      expect(`${role} signs for its own organisation: ${own.status}`).toBe(
        `${role} signs for its own organisation: ${maySign ? 201 : 403}`,
      );
      if (role === 'property_rights_unit' || !maySign) continue;
      // Naming another organisation is refused even for a role that may sign.
      const other = await t.api('POST', url, {
        token: tokens.get(role),
        body: { decision: 'refused', note: '测试', organisationId: rights.id },
      });
      expect(`${role} signs for the rights unit: ${other.body.error?.code}`).toBe(
        `${role} signs for the rights unit: NOT_YOUR_ORGANISATION`,
      );
    }
  });

  it("lets exactly the roles the table names follow and change a proposal's document", async () => {
    const res = await t.api('POST', `/api/compounds/${t.compoundId}/proposals`, {
      token: tokens.get('chair'),
      body: { title: '权限检查', kind: 'other' },
    });
    const docId = res.body.id as string;
    const edit = new Y.Doc();
    edit.getText('t').insert(0, '改');
    const update = Y.encodeStateAsUpdate(edit);
    const message = new Uint8Array([2, ...lengthPrefixed(update)]);
    for (const role of ROLES) {
      const socket = await connect(t.baseUrl, tokens.get(role));
      try {
        const raw = socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<any> };
        const joined = await raw.emitWithAck('doc:join', { docId });
        expect(`${role} follows: ${joined.ok}`).toBe(`${role} follows: ${(POLICY[DOC_ACTIONS.follow] as readonly Role[]).includes(role)}`);
        const mayEdit = (POLICY[DOC_ACTIONS.edit] as readonly Role[]).includes(role);
        expect(`${role} may edit: ${joined.canEdit}`).toBe(`${role} may edit: ${mayEdit}`);
        const sent = await raw.emitWithAck('doc:sync', { docId, message });
        expect(`${role} edits: ${sent.ok ? 'ok' : sent.error.code}`).toBe(`${role} edits: ${mayEdit ? 'ok' : 'FORBIDDEN'}`);
      } finally {
        socket.close();
      }
    }
    const outsiderSocket = await connect(t.baseUrl, outsider);
    const raw = outsiderSocket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<any> };
    expect((await raw.emitWithAck('doc:join', { docId })).error.code).toBe('NOT_FOUND');
    outsiderSocket.close();
  });
});

/** lib0's varUint length prefix followed by the bytes (a y-protocols message payload). */
function lengthPrefixed(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let n = bytes.length;
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n >>>= 7;
  }
  out.push(n);
  return [...out, ...bytes];
}
