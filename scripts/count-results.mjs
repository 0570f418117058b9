// The one closing line CI reads, `N passed, N failed`, summed over every tier's summary: mocha's
// "N passing" / "N failing" (in node, in the browser and in the extension host), and the
// "1 failing (...)" lines scripts/test-all.sh and scripts/e2e-run.sh print for a step that has no
// test summary (type-check, build, setup) or a tier that ended before mocha could print one.
//   node scripts/count-results.mjs <log> [exit status of the run]
// A run that failed without any failure counted (it crashed before any tier) counts as one failure,
// so the line can never read as green when the run was not.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Sums the tiers' summaries in `text` (colour codes allowed); `exitStatus` is the run's. */
export function countResults(text, exitStatus = 0) {
  let passed = 0;
  let failed = 0;
  for (const line of text.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/)) {
    const pass = /^\s*(\d+) passing\b/.exec(line);
    const fail = /^\s*(\d+) failing\b/.exec(line);
    if (pass) passed += Number(pass[1]);
    if (fail) failed += Number(fail[1]);
  }
  if (exitStatus !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

export function closingLine({ passed, failed }) {
  return `${passed} passed, ${failed} failed`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [log, status] = process.argv.slice(2);
  if (!log) {
    console.error('usage: count-results.mjs <log> [exit status]');
    process.exit(2);
  }
  console.log(closingLine(countResults(readFileSync(log, 'utf8'), Number(status ?? 0))));
}
