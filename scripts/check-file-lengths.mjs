#!/usr/bin/env node
// No source file over 400 lines (issue 13): a file that long holds more than one job. Tests,
// locales, migrations and lint fixtures are exempt; they are long by nature, not by mixing jobs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_LINES = 400;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const exempt = [/\.spec\.tsx?$/, /\/locales\//, /\/migrations\//, /^test\/(e2e|lint\/fixtures)\//];
const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs', '*.cjs', '*.js', '*.css'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !exempt.some((re) => re.test(f)));
const long = files
  .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length - 1 }))
  .filter(({ lines }) => lines > MAX_LINES);
for (const { f, lines } of long) console.error(`${f}: ${lines} lines (at most ${MAX_LINES}; split it by job)`);
if (long.length) process.exit(1);
console.log(`${files.length} source files, none over ${MAX_LINES} lines`);
