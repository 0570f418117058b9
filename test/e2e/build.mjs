// Bundles the extension-host suite (suite/index.ts and every suite/*.test.ts) into out/e2e/suite/,
// one CommonJS file each, as the extension host loads them. `vscode` is provided by the host;
// mocha is resolved from the repository's node_modules at run time.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const suiteDir = path.join(e2eDir, 'suite');
const outdir = path.resolve(e2eDir, '..', '..', 'out', 'e2e', 'suite');

const entryPoints = readdirSync(suiteDir)
  .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
  .map((name) => path.join(suiteDir, name));

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`e2e suite: ${entryPoints.length} files bundled into ${path.relative(process.cwd(), outdir) || outdir}`);
