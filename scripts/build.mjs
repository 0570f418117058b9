// One build for every bundle the product ships. Targets: the VS Code extension (node, cjs,
// `vscode` external), the language server (node), the webview (browser, iife), the web extension
// and its language server (browser, dist/web/), the CLI, the public API (dist/api.js) and the benchmark.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { writeValidators } from './generate-validators.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

// jsonc-parser's CommonJS entry loads its parts with a dynamic require that a bundle cannot
// follow; its ES module entry bundles cleanly.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

// The web extension's bundles. Node globals (`Buffer`, `process`) are not imports, so the platform
// does not catch them: packages that use them are taken in their browser builds (csv-parse), and
// the web UI test (test/e2e/ui/webExtension.test.mjs) runs both bundles where those globals do not exist.
const web = { ...common, platform: 'browser', target: 'es2022', alias: { 'csv-parse/sync': 'csv-parse/browser/esm/sync' } };

/** Entry points that exist so far; later parts of the product add theirs here. */
const targets = [
  { ...node, entryPoints: { api: 'language-server/src/api.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'language-server/src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // The bench drives Chromium and builds the panel: those tools stay packages, not bundle parts.
  { ...node, entryPoints: { bench: 'test/bench/main.ts' }, outdir: 'dist', external: ['playwright-core', 'esbuild'] },
  { ...node, entryPoints: { server: 'language-server/src/node/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { extension: 'extension/src/node/main.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { webview: 'webview/src/main.ts' }, outdir: 'dist/webview' },
  // The web extension (package.json `browser`): vscode.dev's web worker extension host loads a
  // CommonJS module; its language server runs in a web worker of its own. Platform browser, so a
  // node built-in reached from either entry fails the build instead of failing in the browser.
  { ...web, format: 'cjs', entryPoints: { extension: 'extension/src/browser/main.ts' }, outdir: 'dist/web', external: ['vscode'] },
  { ...web, format: 'iife', entryPoints: { server: 'language-server/src/browser/main.ts' }, outdir: 'dist/web' },
].filter((t) => Object.values(t.entryPoints).every((p) => existsSync(p)));

// The schemas' validators are compiled here, not at start-up (scripts/generate-validators.mjs).
if (await writeValidators()) console.log('schema validators regenerated from schemas/ (language-server/src/config/schemaValidators.generated.ts)');

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${targets.length} bundles`);
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
