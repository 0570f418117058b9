// Sums the "N passing" / "N failing" summaries that every test tier prints (mocha in node, in the
// browser and in the extension host) into the one closing line CI reads.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
for (const line of text.split('\n')) {
  const pass = /^\s*(\d+) passing\b/.exec(line);
  const fail = /^\s*(\d+) failing\b/.exec(line);
  if (pass) passed += Number(pass[1]);
  if (fail) failed += Number(fail[1]);
}
console.log(`${passed} passed, ${failed} failed`);
