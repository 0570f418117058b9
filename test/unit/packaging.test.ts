/**
 * The .vsix holds only what the extension needs at run time: the bundles, schemas, examples, the
 * README, CHANGELOG, LICENSE and icon; no sources, source maps, tests or tools; and it stays small.
 * The package is built from dist/ as the build tier left it (development bundles, with source maps
 * beside them), so the .vscodeignore allowlist is what keeps the maps out.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const MAX_PACKAGE_BYTES = 2 * 1024 * 1024;

/** Paths inside the package's `extension/` folder that may ship. */
const ALLOWED = [
  /^package\.json$/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE\.txt$/,
  /^media\/icon\.png$/,
  /^dist\/extension\.js$/,
  /^dist\/server\.js$/,
  /^dist\/web\/(extension|server)\.js$/,
  /^dist\/webview\/webview\.(js|css)$/,
  /^schemas\/(deployment|hardware|model)\.schema\.json$/,
  /^examples\/.+\.(yaml|json)$/,
];

describe('the .vsix package', function () {
  // vsce reads and zips a few MB of bundles: seconds, more on a busy machine.
  this.timeout(120_000);
  let outDir: string;
  let vsixPath: string;
  let files: string[];

  before(function () {
    assert.ok(existsSync(path.join(repoRoot, 'dist', 'extension.js')), 'dist/ is built (npm run build) before the package is checked');
    outDir = mkdtempSync(path.join(tmpdir(), 'llm-roofline-vsix-'));
    vsixPath = path.join(outDir, 'llm-roofline.vsix');
    try {
      execFileSync(process.execPath, ['scripts/package.mjs', '--no-build', '--out', vsixPath], { cwd: repoRoot, stdio: 'pipe', encoding: 'utf8' });
    } catch (error) {
      // package.mjs refuses a package that breaks the allowlist or the size limit, and says why.
      const { stderr, message } = error as { stderr?: string; message: string };
      throw new Error(`npm run package failed: ${stderr?.trim() || message}`);
    }
    files = execFileSync('unzip', ['-Z1', vsixPath], { encoding: 'utf8' })
      .split('\n')
      .filter((entry) => entry.startsWith('extension/'))
      .map((entry) => entry.slice('extension/'.length));
  });

  after(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('holds only files on the allowlist', () => {
    const unexpected = files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
    assert.deepEqual(unexpected, [], `files outside the allowlist: ${unexpected.join(', ')}`);
  });

  it('has no source maps, although the development build writes them into dist/', () => {
    assert.deepEqual(
      files.filter((file) => file.endsWith('.map')),
      [],
    );
  });

  it('has the bundles, the icon, the three schemas and the example deployments', () => {
    for (const required of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'media/icon.png', 'dist/extension.js', 'dist/server.js', 'dist/web/extension.js', 'dist/web/server.js', 'dist/webview/webview.js', 'dist/webview/webview.css']) {
      assert.ok(files.includes(required), `${required} is in the package (it has: ${files.join(', ')})`);
    }
    for (const schema of ['deployment', 'hardware', 'model']) assert.ok(files.includes(`schemas/${schema}.schema.json`), `the ${schema} schema ships`);
    assert.ok(files.filter((file) => /^examples\/.+\.roofline\.yaml$/.test(file)).length >= 4, `the example deployments ship: ${files.join(', ')}`);
    assert.ok(files.includes('examples/models/llama-3.1-8b/config.json'), 'the example model config.json ships (a deployment refers to it)');
  });

  it(`is under ${MAX_PACKAGE_BYTES / 1024 / 1024} MB even with development bundles`, () => {
    const bytes = statSync(vsixPath).size;
    assert.ok(bytes < MAX_PACKAGE_BYTES, `${bytes} bytes`);
  });
});
