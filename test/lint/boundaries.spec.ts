import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The import boundaries in eslint.config.mjs, proved: each fixture in ./fixtures is linted with
 * the project's own configuration as if it lived at the given place in the repository (the
 * fixtures themselves are ignored by `npm run lint`), and must break exactly the boundary named.
 */
const RULE = 'no-restricted-imports';

const breaks: Array<[fixture: string, as: string, message: string]> = [
  ['shared-imports-server.ts', 'shared/src/domain/boundary-fixture.ts', 'shared/ is imported by server and client'],
  ['shared-imports-client.ts', 'shared/src/protocol/boundary-fixture.ts', 'shared/ is imported by server and client'],
  ['client-imports-server.ts', 'client/src/lib/boundary-fixture.ts', 'The client never imports the server'],
  ['infra-imports-module.ts', 'server/src/infra/health/boundary-fixture.ts', 'server/src/infra sits beneath the modules'],
  ['domain-imports-realtime.ts', 'server/src/modules/votes/boundary-fixture.ts', 'Domain modules never import realtime/'],
  ['domain-imports-realtime.ts', 'server/src/modules/memberships/boundary-fixture.ts', 'Domain modules never import realtime/'],
  ['memberships-imports-auth.ts', 'server/src/modules/memberships/boundary-fixture.ts', 'memberships never imports auth'],
];

const clean: Array<[fixture: string, as: string]> = [
  ['clean-infra.ts', 'server/src/infra/health/boundary-fixture.ts'],
  ['clean-module.ts', 'server/src/modules/memberships/boundary-fixture.ts'],
  ['clean-module.ts', 'server/src/modules/votes/boundary-fixture.ts'],
  ['clean-realtime.ts', 'server/src/modules/realtime/boundary-fixture.ts'],
  ['clean-shared-or-client.ts', 'shared/src/protocol/boundary-fixture.ts'],
  ['clean-shared-or-client.ts', 'client/src/lib/boundary-fixture.ts'],
  // Tests drive the whole server: a domain module's spec may reach a gateway.
  ['domain-imports-realtime.ts', 'server/src/modules/proposals/boundary-fixture.spec.ts'],
];

interface Linted {
  messages: Array<{ ruleId: string | null; severity: number; message: string }>;
  fixtureIgnored: boolean;
}

describe('import boundaries', () => {
  let linted: Map<string, Linted>;
  const key = (fixture: string, as: string) => `${fixture} as ${as}`;

  beforeAll(() => {
    const cases = [...breaks, ...clean].map(([fixture, as]) => ({ fixture: `test/lint/fixtures/${fixture}`, as }));
    const out: Linted[] = JSON.parse(
      execFileSync(process.execPath, [join(__dirname, 'lint-as.mjs')], { input: JSON.stringify(cases), encoding: 'utf8' }),
    );
    linted = new Map(
      [...breaks, ...clean].map(([fixture, as], i) => {
        const result = out[i];
        if (!result) throw new Error(`lint-as.mjs answered ${out.length} of ${cases.length} cases`);
        return [key(fixture, as), result];
      }),
    );
  });

  it.each(breaks)('%s, linted as %s, fails on "%s"', (fixture, as, message) => {
    const { messages } = linted.get(key(fixture, as))!;
    expect(messages.map((m) => ({ rule: m.ruleId, severity: m.severity }))).toEqual([{ rule: RULE, severity: 2 }]);
    expect(messages[0]?.message).toContain(message);
  });

  it.each(clean)('%s, linted as %s, passes', (fixture, as) => {
    expect(linted.get(key(fixture, as))!.messages).toEqual([]);
  });

  it('npm run lint skips the fixtures themselves', () => {
    expect([...linted.values()].every((l) => l.fixtureIgnored)).toBe(true);
  });
});
