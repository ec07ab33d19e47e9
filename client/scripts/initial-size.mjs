#!/usr/bin/env node
// The JavaScript and CSS a first visit downloads before any screen shows: what dist/index.html
// loads (its module script, the chunks it preloads, its stylesheets), gzip-compressed as a
// server would send it. Lazy chunks (the editor, management screens) are listed apart.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

let js = 0;
let css = 0;
for (const f of initial) {
  const n = gz(f);
  if (f.endsWith('.js')) js += n;
  else css += n;
  console.log(`initial  ${kB(n).padStart(9)}  ${f}`);
}
for (const f of readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`)) {
  if (!initial.includes(f) && f.endsWith('.js')) console.log(`lazy     ${kB(gz(f)).padStart(9)}  ${f}`);
}
console.log(`\ninitial JavaScript ${kB(js)} gzip (limit 350 kB), CSS ${kB(css)} gzip`);
if (js > 350_000) process.exit(1);
