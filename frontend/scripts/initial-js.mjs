// The JavaScript a browser must fetch before the first screen: the entry script and
// the chunks index.html preloads, gzipped (level 9, as a server would). Fails when it
// is over the budget (KB), so the initial bundle cannot grow unnoticed.
//   node scripts/initial-js.mjs [budget_kb]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const budget = Number(process.argv[2] ?? 150);
const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const files = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const file of new Set(files)) {
  const gz = gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
  total += gz;
  console.log(`  ${file}: ${(gz / 1024).toFixed(1)} KB gzipped`);
}
console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${budget} KB)`);
if (total / 1024 > budget) {
  console.error('over budget: load the new code lazily (a route chunk) or drop a dependency');
  process.exit(1);
}
