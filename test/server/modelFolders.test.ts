/**
 * Model folders through the real server over stdio: problems from the folder on the `model:` value,
 * the hover on it saying what was read (source of the weight bytes, bytes per dtype and per part),
 * and an edit of the folder's config.json on disk re-checking the deployment.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../unit/config/fixtures';
import { qwen3Fp8Tensors } from '../unit/config/checkpoint/checkpointShards';
import { writeSafetensors } from '../unit/config/checkpoint/writeSafetensors';
import { fileUri, type LspTestClient } from './lspClient';
import { hoverMarkdown, lspSuite } from './suite';

/** Diagnostics of `uri`, waiting past provisional publications until `accept` holds. */
async function diagnosticsUntil(client: LspTestClient, uri: string, first: Promise<Diagnostic[]>, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  let diagnostics = await first;
  for (let round = 0; round < 10 && !accept(diagnostics); round++) diagnostics = await client.nextDiagnostics(uri);
  return diagnostics;
}

/** The message as text (the protocol also allows Markdown, which the server does not send). */
function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function messages(diagnostics: Diagnostic[]): string {
  return JSON.stringify(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message]));
}

describe('model folders through the live server', function () {
  this.timeout(30_000);
  const suite = lspSuite();
  let workspace: string;

  before(() => {
    workspace = mkdtempSync(join(tmpdir(), 'llm-roofline-server-folders-'));
    const folder = join(workspace, 'qwen3-8b-fp8');
    mkdirSync(folder);
    copyFileSync(join(FIXTURES, 'hf', 'qwen3-8b-fp8', 'config.json'), join(folder, 'config.json'));
    const tensors = qwen3Fp8Tensors();
    writeSafetensors(join(folder, 'model-00001-of-00002.safetensors'), tensors.slice(0, tensors.length / 2));
    writeSafetensors(join(folder, 'model-00002-of-00002.safetensors'), tensors.slice(tensors.length / 2));
    const broken = join(workspace, 'broken');
    mkdirSync(broken);
    copyFileSync(join(FIXTURES, 'hf', 'qwen3-8b-fp8', 'config.json'), join(broken, 'config.json'));
    writeFileSync(join(broken, 'model.safetensors'), 'version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 4\n');
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  it('puts a missing folder and a broken shard on the model value', async () => {
    const missingUri = fileUri(join(workspace, 'missing.roofline.yaml'));
    const missing = await diagnosticsUntil(suite.client, missingUri, suite.client.open(missingUri, 'hardware: nvidia-h100-sxm\nmodel: ./nowhere/\n'), (found) =>
      found.some((diagnostic) => diagnostic.code === 'missing-file'),
    );
    const notFound = missing.find((diagnostic) => diagnostic.code === 'missing-file')!;
    assert.match(messageOf(notFound), /model folder not found: \.\/nowhere\//);
    assert.deepEqual(notFound.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 17 } });

    const brokenUri = fileUri(join(workspace, 'broken.roofline.yaml'));
    const broken = await diagnosticsUntil(suite.client, brokenUri, suite.client.open(brokenUri, 'model: ./broken/\nhardware: nvidia-h100-sxm\n'), (found) =>
      found.some((diagnostic) => diagnostic.code === 'checkpoint-header'),
    );
    const header = broken.find((diagnostic) => diagnostic.code === 'checkpoint-header');
    assert.ok(header, messages(broken));
    assert.equal(messageOf(header), 'model.safetensors: is a Git LFS pointer, not the weights: run `git lfs pull` in the model folder');
    assert.deepEqual(header.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 16 } });
  });

  it('hovers the model value with the checkpoint’s bytes, dtypes and parts, and re-checks when config.json changes', async () => {
    const uri = fileUri(join(workspace, 'fp8.roofline.yaml'));
    const text = 'model: ./qwen3-8b-fp8/\nhardware: nvidia-h100-sxm\n';
    const first = await diagnosticsUntil(suite.client, uri, suite.client.open(uri, text), (found) => !found.some((diagnostic) => diagnostic.severity === 1));
    assert.ok(!first.some((diagnostic) => diagnostic.severity === 1), messages(first));

    const markdown = hoverMarkdown(await suite.client.hover(uri, { line: 0, character: 10 }));
    assert.match(markdown, /\*\*Weight bytes from the checkpoint\*\*: 8\.79 GiB \(9,437,399,040 B\), the sum over the headers of 2 safetensors files \(651 tensors\)/);
    assert.match(markdown, /Dtypes: F8_E4M3 [\d.]+ GiB · BF16 [\d.]+ GiB · F32 [\d.]+ MiB/);
    assert.match(markdown, /By part: embedding [\d.]+ GiB · attention [\d.]+ GiB · MLP [\d.]+ GiB · lm_head [\d.]+ GiB · norms and biases [\d.]+ KiB/);

    // config.json edited on disk: the deployment is checked again and the tensors now contradict it.
    const configPath = join(workspace, 'qwen3-8b-fp8', 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, num_hidden_layers: 40 }, null, 2));
    const next = suite.client.nextDiagnostics(uri);
    await suite.client.fileChangedOnDisk(fileUri(configPath));
    const after = await diagnosticsUntil(suite.client, uri, next, (found) => found.some((diagnostic) => diagnostic.code === 'checkpoint-mismatch'));
    const mismatch = after.find((diagnostic) => diagnostic.code === 'checkpoint-mismatch');
    assert.ok(mismatch, messages(after));
    assert.equal(messageOf(mismatch), "config.json: num_hidden_layers is 40, but the checkpoint's tensors are for 36 layers (0–35)");
    assert.deepEqual(mismatch.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 22 } });

    // Put back without a change event (as for a folder outside the workspace): reopening reads the folder again.
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    await suite.client.close(uri);
    const reopened = await diagnosticsUntil(suite.client, uri, suite.client.open(uri, text), (found) => !found.some((diagnostic) => diagnostic.code === 'checkpoint-mismatch'));
    assert.ok(!reopened.some((diagnostic) => diagnostic.severity === 1), messages(reopened));
  });
});
