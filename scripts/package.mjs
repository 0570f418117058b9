#!/usr/bin/env node
// `npm run package`: production bundles, then the .vsix users install, then a check of what went
// into it. The same command makes the package the end-to-end tests install (scripts/e2e-run.sh),
// so what is tested is what ships.
//   node scripts/package.mjs [--out <file.vsix>] [--no-build]
// --no-build packages dist/ as it is (the packaging unit test uses it on the development build).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/** The Marketplace's limit is far higher; this one keeps the bundles honest (one minified bundle per process). */
const MAX_PACKAGE_BYTES = 2 * 1024 * 1024;

/**
 * Every file the .vsix may hold (paths inside `extension/`), mirroring the .vscodeignore allowlist.
 * Anything else (sources, source maps, tests, tools) is a packaging bug.
 */
const ALLOWED_FILES = [
  /^package\.json$/,
  /^readme\.md$/i,
  /^changelog\.md$/i,
  /^LICENSE(\.txt|\.md)?$/,
  /^media\/icon\.png$/,
  /^dist\/(web\/)?(extension|server)\.js$/,
  /^dist\/webview\/[^/]+\.(js|css)$/,
  /^schemas\/[^/]+\.schema\.json$/,
  /^examples\/.+\.(ya?ml|json)$/,
];
const REQUIRED_FILES = ['package.json', 'dist/extension.js', 'dist/server.js', 'dist/web/extension.js', 'dist/web/server.js', 'dist/webview/webview.js', 'media/icon.png'];
/** What vsce adds around the extension folder. */
const VSIX_ENVELOPE = new Set(['[Content_Types].xml', 'extension.vsixmanifest']);

function parseArguments(argv) {
  const options = { out: path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`), build: true };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--out') options.out = path.resolve(argv[++index] ?? '');
    else if (argument === '--no-build') options.build = false;
    else throw new Error(`unknown argument ${argument}; usage: package.mjs [--out <file.vsix>] [--no-build]`);
  }
  return options;
}

function run(command, args) {
  execFileSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Paths inside the .vsix (a zip), from unzip's one-name-per-line listing. */
function listVsix(vsixPath) {
  return execFileSync('unzip', ['-Z1', vsixPath], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

function checkPackage(vsixPath) {
  const entries = listVsix(vsixPath);
  const extensionFiles = entries.filter((entry) => !VSIX_ENVELOPE.has(entry)).map((entry) => entry.replace(/^extension\//, ''));
  const problems = [];
  for (const file of extensionFiles) {
    if (!ALLOWED_FILES.some((pattern) => pattern.test(file))) problems.push(`not on the allowlist: ${file}`);
  }
  for (const file of REQUIRED_FILES) {
    if (!extensionFiles.includes(file)) problems.push(`missing: ${file}`);
  }
  const bytes = statSync(vsixPath).size;
  if (bytes > MAX_PACKAGE_BYTES) problems.push(`${bytes} bytes, over the ${MAX_PACKAGE_BYTES}-byte limit`);
  return { files: extensionFiles.length, bytes, problems };
}

const options = parseArguments(process.argv.slice(2));
if (options.build) run(process.execPath, ['scripts/build.mjs', '--production']);

// Without a `repository` in package.json vsce cannot turn the README's relative links (images in
// docs/images) into absolute ones: it would refuse to package, so they are left as they are.
const repositoryFlags = manifest.repository ? [] : ['--allow-missing-repository', '--no-rewrite-relative-links'];
const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
run(process.execPath, [vsce, 'package', '--no-dependencies', ...repositoryFlags, '--out', options.out]);

const { files, bytes, problems } = checkPackage(options.out);
if (problems.length > 0) {
  console.error(`package: ${path.relative(process.cwd(), options.out)} is wrong:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`package: ${path.relative(process.cwd(), options.out) || options.out}: ${files} files, ${(bytes / 1024).toFixed(0)} KiB (limit ${MAX_PACKAGE_BYTES / 1024} KiB)`);
