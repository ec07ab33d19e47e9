import { commandSchemas } from '@yishi/shared';
import fc from 'fast-check';
import { z, type ZodType } from 'zod';
import { BAD_TEXT, bodyFor, carriesBadText, refusalProblem, SEED, segmentFor, sendHostile } from '../../testing/hostile-input';
import { type ClientSocket, connect } from '../../testing/sockets';
import { startTestApp, type TestApp } from '../../testing/test-app';

/**
 * The whole API as a hostile client sees it: every operation of the OpenAPI document and every
 * socket command of the contract, fed generated bad input as the compound's chair and as a
 * signed-in outsider. Never a 5xx or an INTERNAL ack; every refusal a catalogue code with field
 * messages and nothing internal; text the database cannot store is always refused.
 */
const HTTP_RUNS = 12;
const SOCKET_RUNS = 20;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: string;
  path: string;
  query: string[];
  body: object | undefined;
  hasBody: boolean;
}

describe('generated hostile input on every route and socket command', () => {
  let t: TestApp;
  const tokens: Record<'chair' | 'outsider', string> = { chair: '', outsider: '' };
  const roles = ['chair', 'outsider'] as const;

  beforeAll(async () => {
    t = await startTestApp();
    tokens.chair = (await t.signIn('chair')).accessToken;
    await t.db.query(
      `INSERT INTO app_user (username, display_name, password_hash) SELECT 'outsider', '外人', password_hash FROM app_user WHERE username = 'chair'`,
    );
    tokens.outsider = (await t.signIn('outsider')).accessToken;
  });
  afterAll(() => t.close());

  async function operations(): Promise<Operation[]> {
    const doc = (await (await fetch(`${t.baseUrl}/api/docs-json`)).json()) as { paths: Record<string, Record<string, any>> };
    return Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({
        method: m.toUpperCase(),
        path,
        query: ((item[m].parameters ?? []) as Array<{ in: string; name: string }>).filter((p) => p.in === 'query').map((p) => p.name),
        body: item[m].requestBody?.content?.['application/json']?.schema,
        hasBody: !!item[m].requestBody,
      })),
    );
  }

  /** The request for one operation: each path parameter real or not, declared query values, a body. */
  function requestFor(op: Operation) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const real = (name: string): fc.Arbitrary<string> =>
      name === 'compoundId'
        ? fc.constant(t.compoundId)
        : /^(number|from|to)$/.test(name)
          ? fc.integer({ min: 1, max: 3 }).map(String)
          : fc.uuid();
    return fc.record({
      params: fc.tuple(...params.map((p) => segmentFor(real(p)))),
      query: fc.tuple(...op.query.map(() => fc.option(segmentFor(fc.string({ maxLength: 10 })), { nil: undefined }))),
      body: op.hasBody ? bodyFor(op.body) : fc.constant(undefined),
    });
  }

  it('never answers an OpenAPI operation with a 5xx, and refuses what cannot be stored', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(50);
    let refusedBadText = 0;
    for (const op of ops) {
      for (const role of roles) {
        await fc.assert(
          fc.asyncProperty(requestFor(op), async ({ params, query, body }) => {
            let i = 0;
            const path = op.path.replace(/\{\w+\}/g, () => params[i++]!.raw);
            const qs = op.query.flatMap((name, j) => (query[j] ? [`${name}=${query[j]!.raw}`] : [])).join('&');
            const headers: Record<string, string> = { authorization: `Bearer ${tokens[role]}` };
            if (body !== undefined) headers['content-type'] = 'application/json';
            const res = await fetch(`${t.baseUrl}${path}${qs ? `?${qs}` : ''}`, {
              method: op.method,
              headers,
              body: body === undefined ? undefined : JSON.stringify(body),
            });
            const text = await res.text();
            const what = `${role} ${op.method} ${path} → ${res.status} ${text.slice(0, 200)}`;
            expect({ what, serverError: res.status >= 500 }).toEqual({ what, serverError: false });
            const bad = params.some((p) => p.bad) || query.some((q) => q?.bad) || carriesBadText(body);
            if (bad) {
              expect({ what, refused: res.status >= 400 }).toEqual({ what, refused: true });
              refusedBadText++;
            }
            if (res.status >= 400)
              expect({ what, problem: refusalProblem((JSON.parse(text) as { error: unknown }).error) }).toEqual({ what, problem: null });
            // A sign-out or a password change may end the chair's session: sign in again and go on.
            if (res.status === 401 && role === 'chair') tokens.chair = (await t.signIn('chair')).accessToken;
          }),
          { seed: SEED, numRuns: HTTP_RUNS, endOnFailure: true },
        );
      }
    }
    expect(refusedBadText).toBeGreaterThan(ops.length);
  }, 120_000);

  it('never answers a socket command with INTERNAL, and refuses what cannot be stored', async () => {
    const names = Object.keys(commandSchemas) as Array<keyof typeof commandSchemas>;
    for (const role of roles) tokens[role] = (await t.signIn(role)).accessToken;
    let refusedBadText = 0;
    for (const name of names) {
      const schema = z.toJSONSchema(commandSchemas[name] as ZodType, { io: 'input', unrepresentable: 'any' }) as object;
      for (const role of roles) {
        // A socket of its own per command, so one command's rate limit does not hide another's answers.
        const socket: ClientSocket = await connect(t.baseUrl, tokens[role]);
        try {
          await fc.assert(
            fc.asyncProperty(bodyFor(schema), async (payload) => {
              if ((await sendHostile(socket, role, name, payload)).badText) refusedBadText++;
            }),
            { seed: SEED, numRuns: SOCKET_RUNS, endOnFailure: true },
          );
        } finally {
          socket.close();
        }
      }
    }
    expect(refusedBadText).toBeGreaterThan(names.length);
  }, 120_000);

  it('names the field when the unauthenticated sign-in gets a NUL or a lone surrogate', async () => {
    for (const login of BAD_TEXT) {
      const res = await t.api('POST', '/api/auth/sign-in', { body: { login, password: 'whatever1' } });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(
        expect.objectContaining({ code: 'VALIDATION_FAILED', fields: [expect.objectContaining({ path: 'login' })] }),
      );
    }
  });

  it('answers a revision number past int4 with 404 in a path and a field message in a body', async () => {
    const proposals = await t.api('GET', `/api/compounds/${t.compoundId}/proposals`, { token: tokens.chair });
    const proposalId = (proposals.body as Array<{ id: string }>)[0]?.id ?? '00000000-0000-4000-8000-000000000000';
    const base = `/api/compounds/${t.compoundId}/proposals/${proposalId}`;
    expect((await t.api('GET', `${base}/revisions/2147483648`, { token: tokens.chair })).status).toBe(404);
    expect((await t.api('GET', `${base}/revisions/1/diff/9007199254740993`, { token: tokens.chair })).status).toBe(404);
    const res = await t.api('POST', `${base}/rounds`, { token: tokens.chair, body: { revisionNumber: 2 ** 31, rule: 'simple_majority' } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: 'revisionNumber' })]);
  });

  it('refuses a register CSV with a NUL in a cell, naming the line, and imports nothing', async () => {
    const csv = '楼栋,房号,面积,业主\r\n1号楼,999,80,张\u0000三\r\n';
    const before = await t.db.query(`SELECT count(*)::int AS n FROM household`);
    const res = await t.api('POST', `/api/compounds/${t.compoundId}/register/import?dryRun=false`, {
      token: tokens.chair,
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).toMatch(/NUL/);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM household`)).toEqual(before);
  });
});
