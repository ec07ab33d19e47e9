import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

/**
 * The import boundaries in eslint.config.mjs, proved: each fixture in ./fixtures is linted with
 * the project's own configuration as if it lived at the given place in the repository (the
 * fixtures themselves are ignored by `npm run lint`), and must break exactly the boundary named.
 */
const ROOT = join(__dirname, '..', '..');
const RULE = 'no-restricted-imports';

async function lint(fixture: string, as: string): Promise<ESLint.LintResult> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(readFileSync(join(__dirname, 'fixtures', fixture), 'utf8'), { filePath: join(ROOT, as) });
  return result;
}

describe('import boundaries', () => {
  it.each([
    ['shared-imports-server.ts', 'shared/src/domain/boundary-fixture.ts', 'shared/ is imported by server and client'],
    ['shared-imports-client.ts', 'shared/src/protocol/boundary-fixture.ts', 'shared/ is imported by server and client'],
    ['client-imports-server.ts', 'client/src/lib/boundary-fixture.ts', 'The client never imports the server'],
    ['infra-imports-module.ts', 'server/src/infra/health/boundary-fixture.ts', 'server/src/infra sits beneath the modules'],
    ['domain-imports-realtime.ts', 'server/src/modules/votes/boundary-fixture.ts', 'Domain modules never import realtime/'],
    ['domain-imports-realtime.ts', 'server/src/modules/memberships/boundary-fixture.ts', 'Domain modules never import realtime/'],
    ['memberships-imports-auth.ts', 'server/src/modules/memberships/boundary-fixture.ts', 'memberships never imports auth'],
  ])('%s, linted as %s, fails on %s', async (fixture, as, message) => {
    const result = await lint(fixture, as);
    expect(result.messages.map((m) => ({ rule: m.ruleId, severity: m.severity }))).toEqual([{ rule: RULE, severity: 2 }]);
    expect(result.messages[0].message).toContain(message);
  });

  it.each([
    ['clean-infra.ts', 'server/src/infra/health/boundary-fixture.ts'],
    ['clean-module.ts', 'server/src/modules/memberships/boundary-fixture.ts'],
    ['clean-module.ts', 'server/src/modules/votes/boundary-fixture.ts'],
    ['clean-realtime.ts', 'server/src/modules/realtime/boundary-fixture.ts'],
    ['clean-shared-or-client.ts', 'shared/src/protocol/boundary-fixture.ts'],
    ['clean-shared-or-client.ts', 'client/src/lib/boundary-fixture.ts'],
    // Tests drive the whole server: a domain module's spec may reach a gateway.
    ['domain-imports-realtime.ts', 'server/src/modules/proposals/boundary-fixture.spec.ts'],
  ])('%s, linted as %s, passes', async (fixture, as) => {
    expect((await lint(fixture, as)).messages).toEqual([]);
  });

  it('the fixtures themselves are not linted by npm run lint', async () => {
    expect(await new ESLint({ cwd: ROOT }).isPathIgnored(join(__dirname, 'fixtures', 'infra-imports-module.ts'))).toBe(true);
  });
});
