#!/usr/bin/env node
// Lints fixture files with the repository's eslint.config.mjs as if each lived at another path,
// through the ESLint Node API. A separate process because ESLint loads its (ES module) config
// with import(), which Jest's module sandbox refuses. In: JSON [{ fixture, as }] on stdin (paths
// relative to the repository). Out: JSON, per case its messages and whether the fixture file
// itself is ignored by `npm run lint`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });
const cases = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (const { fixture, as } of cases) {
  const [result] = await eslint.lintText(readFileSync(join(root, fixture), 'utf8'), { filePath: join(root, as) });
  out.push({
    messages: result.messages.map(({ ruleId, severity, message }) => ({ ruleId, severity, message })),
    fixtureIgnored: await eslint.isPathIgnored(join(root, fixture)),
  });
}
process.stdout.write(JSON.stringify(out));
