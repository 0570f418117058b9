/**
 * Hostile referenced files through the real server over stdio: a FIFO, a symlink to /dev/zero,
 * `#` in a reference, /proc/self/environ, a 10 MB file each get a diagnostic on the reference, and
 * the server keeps answering about other documents. Restricted Mode (trust from the client in
 * initializationOptions) keeps files outside the workspace folders out, and granting trust
 * re-checks the open documents.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-protocol';
import { makeHostileWorkspace, onLinux, SECRET, type HostileWorkspace } from '../unit/config/hostileWorkspace';
import { LspTestClient, SERVER_PATH } from './lspClient';

function errorsOn(diagnostics: Diagnostic[], line: number): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.severity === 1 && diagnostic.range.start.line === line);
}

/** The message as text (the protocol also allows Markdown, which the server does not send). */
function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function only(diagnostics: Diagnostic[]): Diagnostic {
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics.map((diagnostic) => diagnostic.message)));
  return diagnostics[0]!;
}

(onLinux ? describe : describe.skip)('hostile referenced files through the live server', function () {
  this.timeout(30_000);
  let workspace: HostileWorkspace;

  before(() => {
    assert.ok(existsSync(SERVER_PATH), `${SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
    // The server inherits the environment: /proc/self/environ would show it.
    process.env.ROOFLINE_TEST_SECRET = SECRET;
    workspace = makeHostileWorkspace();
  });
  after(() => {
    delete process.env.ROOFLINE_TEST_SECRET;
    workspace.remove();
  });

  describe('trusted', () => {
    let client: LspTestClient;
    before(async () => {
      client = await LspTestClient.start({ settings: { validation: { debounceMs: 0 } } });
    });
    after(async () => client?.stop());

    it('puts a positioned diagnostic on each hostile reference and still answers hovers on other documents', async () => {
      const hostile = workspace.uriOf('hostile.roofline.yaml');
      const text = [
        'model: ./x.model.json',
        'hardware: ./pipe.hardware.yaml',
        'speculative:',
        '  draft_model: /dev/zero#.json',
        '  acceptance_rate: 0.7',
        '',
      ].join('\n');
      const diagnostics = await client.open(hostile, text);
      const model = only(errorsOn(diagnostics, 0));
      // 'model: ' is 7 characters, './x.model.json' 14.
      assert.deepEqual(model.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 21 } });
      assert.equal(messageOf(model), 'model file ./x.model.json was not read: not a regular file (a device, pipe or folder, or a link to one)');
      const hardware = only(errorsOn(diagnostics, 1));
      assert.deepEqual(hardware.range.start, { line: 1, character: 10 });
      assert.equal(hardware.code, 'unreadable-file');
      assert.match(messageOf(hardware), /^hardware file \.\/pipe\.hardware\.yaml was not read: not a regular file/);
      assert.equal(messageOf(only(errorsOn(diagnostics, 3))), "model file not found: /dev/zero#.json, relative to this file's folder");

      const healthy = workspace.uriOf('healthy.roofline.yaml');
      await client.open(healthy, 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\nworkload: { batch_size: 8 }\n');
      const hover = await client.hover(healthy, { line: 2, character: 12 });
      assert.ok(hover, 'no hover on the healthy document');
      assert.match((hover.contents as MarkupContent).value, /batch/i);
    });

    it('never quotes a file that is not one of ours, and refuses a 10 MB model file', async () => {
      const uri = workspace.uriOf('secrets.roofline.yaml');
      const diagnostics = await client.open(uri, `model: ${join(workspace.root, 'package.json')}\nhardware: /proc/self/environ#.yaml\n`);
      assert.ok(!JSON.stringify(diagnostics).includes(SECRET), JSON.stringify(diagnostics));
      assert.match(messageOf(only(errorsOn(diagnostics, 0))), /^package\.json is not a model file/);
      assert.match(messageOf(only(errorsOn(diagnostics, 1))), /^environ#\.yaml is not a hardware file/);
      const big = await client.change(uri, 'model: ./big.model.json\nhardware: nvidia-l4\n');
      assert.equal(messageOf(only(errorsOn(big, 0))), 'model file ./big.model.json was not read: larger than 1 MiB (config files are a few kilobytes)');
    });
  });

  describe('Restricted Mode', () => {
    let client: LspTestClient;
    before(async () => {
      client = await LspTestClient.start({
        settings: { validation: { debounceMs: 0 } },
        workspaceTrust: { trusted: false, folders: [workspace.uriOf('')] },
      });
    });
    after(async () => client?.stop());

    it('reads nothing outside the workspace folders, says so on the reference, and re-checks when trust is granted', async () => {
      const uri = workspace.uriOf('far.roofline.yaml');
      const text = 'model: meta-llama/Llama-2-7b-hf\nhardware: ../elsewhere/far.hardware.yaml\n';
      const restricted = await client.open(uri, text);
      const refused = only(errorsOn(restricted, 1));
      // 'hardware: ' is 10 characters, '../elsewhere/far.hardware.yaml' 30.
      assert.deepEqual(refused.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 40 } });
      assert.equal(messageOf(refused), 'Not read in Restricted Mode: ../elsewhere/far.hardware.yaml is outside the workspace folders. Trust the workspace to read it.');

      const linked = workspace.uriOf('linked.roofline.yaml');
      const throughLink = await client.open(linked, 'model: meta-llama/Llama-2-7b-hf\nhardware: ./linked.hardware.yaml\n');
      assert.match(messageOf(only(errorsOn(throughLink, 1))), /^Not read in Restricted Mode: \.\/linked\.hardware\.yaml/);

      const inside = await client.open(workspace.uriOf('inside.roofline.yaml'), 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\n');
      assert.deepEqual(inside.filter((diagnostic) => diagnostic.severity === 1), []);

      const rechecked = client.nextDiagnostics(uri);
      await client.setWorkspaceTrust({ trusted: true, folders: [workspace.uriOf('')] });
      assert.deepEqual((await rechecked).filter((diagnostic) => diagnostic.severity === 1), []);
    });
  });
});
