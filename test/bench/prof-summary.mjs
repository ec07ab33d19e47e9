#!/usr/bin/env node
// Prints where a .cpuprofile's time went: node test/bench/prof-summary.mjs FILE [--window window.json] [--top N]
// yjs-bench.mjs --cpu-prof writes the server's profiles and window.json (the measured run, in
// CLOCK_MONOTONIC microseconds) next to them; without it the whole profile is summarised.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatSummary, summarize } from './lib/profile.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { window: { type: 'string' }, top: { type: 'string', default: '25' } },
});
if (positionals.length === 0) {
  console.error('usage: node test/bench/prof-summary.mjs FILE.cpuprofile [--window window.json] [--top N]');
  process.exit(2);
}
for (const file of positionals) {
  const wfile = values.window ?? join(dirname(file), 'window.json');
  const win = values.window || existsSync(wfile) ? JSON.parse(readFileSync(wfile, 'utf8')) : {};
  console.log(formatSummary(summarize(file, { ...win, top: Number(values.top) }), file));
}
