/**
 * A deployment written as a vLLM command, through a real LSP connection: the refusal to start and
 * the unknown argument sit on the arguments inside the string, and the quick fix edits the
 * command until vLLM would start.
 */
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { CodeActionRequest } from 'vscode-languageserver-protocol';
import { EngineCommandRequest } from '../../language-server/src/protocol/lsp';
import { loadFixture } from './fixtures';
import type { LspTestClient } from './lspClient';
import { diagnosticWithCode as byCode, lspSuite } from './suite';



describe('language server: engine arguments', function () {
  const suite = lspSuite();
  let client: LspTestClient;
  before(function () {
    client = suite.client;
  });

  it('puts the refusal on --max-model-len inside a folded YAML string, with the KV pool and concurrency', async function () {
    const fixture = loadFixture('vllm-l4-long-context.roofline.yaml');
    const diagnostics = await client.open(fixture.uri, fixture.text);
    const refusal = byCode(diagnostics, 'engine-would-not-start');
    const cursor = fixture.cursors[0]!;
    assert.deepEqual(refusal.range, { start: { line: cursor.line, character: cursor.character - '--max-model-len '.length }, end: { line: cursor.line, character: cursor.character + 5 } });
    assert.match(String(refusal.message), /^--max-model-len 65536: vLLM would refuse to start/);
    assert.match(String(refusal.message), /KV pool \d+\.\d\d GiB per GPU/);
    assert.match(String(refusal.message), /maximum concurrency of 0\.\d\d requests of 65,536 tokens/);
    await client.close(fixture.uri);
  });

  it('puts a JSON mistake in --speculative-config where it is inside the command string', async function () {
    const fixture = loadFixture('vllm-speculative-malformed.roofline.yaml');
    const diagnostics = await client.open(fixture.uri, fixture.text);
    const malformed = byCode(diagnostics, 'engine-arg-value');
    const cursor = fixture.cursors[0]!;
    // The member after the missing comma: line 5, from the cursor, 24 characters ("num_speculative_tokens" with its quotes).
    assert.deepEqual(malformed.range, { start: cursor, end: { line: cursor.line, character: cursor.character + 24 } });
    assert.match(String(malformed.message), /^--speculative-config takes JSON: comma expected at character \d+ of the JSON/);
    assert.equal(malformed.severity, 1);
    await client.close(fixture.uri);
  });

  it('flags a misspelt argument on its text and offers the right name', async function () {
    const fixture = loadFixture('vllm-l4-long-context.roofline.yaml');
    const uri = fixture.uri.replace('vllm-l4-long-context', 'vllm-l4-typo');
    const diagnostics = await client.open(uri, fixture.text.replace('--port 8000', '--port 8000 --tensor-paralel-size 1'));
    const typo = byCode(diagnostics, 'engine-arg-unknown');
    const line = client.text(uri).split('\n')[typo.range.start.line]!;
    assert.equal(line.slice(typo.range.start.character, typo.range.end.character), '--tensor-paralel-size');
    const actions = await client.codeActions(uri, typo.range, [typo]);
    assert.equal(actions[0]?.title, 'Change to --tensor-parallel-size');
    await client.applyWorkspaceEdit(actions[0]!.edit!);
    assert.ok(client.text(uri).includes('--port 8000 --tensor-parallel-size 1'), client.text(uri));
    await client.close(uri);
  });

  it('lowers --max-model-len to the longest that fits, and vLLM then starts', async function () {
    const fixture = loadFixture('vllm-l4-long-context.roofline.yaml');
    const uri = fixture.uri.replace('vllm-l4-long-context', 'vllm-l4-fix-context');
    const diagnostics = await client.open(uri, fixture.text);
    const refusal = byCode(diagnostics, 'engine-would-not-start');
    const actions = await client.codeActions(uri, refusal.range, [refusal]);
    const lower = actions.find((action) => action.title.startsWith('Lower --max-model-len to'));
    assert.ok(lower?.edit, JSON.stringify(actions.map((action) => action.title)));
    assert.ok(actions.some((action) => action.title === 'Store the KV cache in fp8 (--kv-cache-dtype fp8)'));
    const length = /to (\d+)/.exec(lower.title)![1]!;
    await client.applyWorkspaceEdit(lower.edit);
    assert.ok(client.text(uri).includes(`--max-model-len ${length} --port 8000`), client.text(uri));
    const after = client.diagnostics.get(uri)!.diagnostics;
    assert.ok(!after.some((diagnostic) => diagnostic.code === 'engine-would-not-start'), JSON.stringify(after));
    assert.deepEqual(after.filter((diagnostic) => diagnostic.severity === 1), []);
    const hints = await client.inlayHints(uri);
    const startup = hints.find((hint) => String(hint.label).includes('-token requests'));
    assert.ok(startup, JSON.stringify(hints.map((hint) => hint.label)));
    assert.match(String(startup.label), new RegExp(`^→ 1(\\.\\d+)? × ${Number(length).toLocaleString('en-US')}-token requests · KV pool [\\d.]+ GiB \\([\\d,]+ blocks\\)$`));
    const line = client.text(uri).split('\n')[startup.position.line]!;
    assert.ok(line.slice(0, startup.position.character).endsWith(`--max-model-len ${length}`), line);
    await client.close(uri);
  });

  it('offers Copy as vllm serve / SGLang command as source actions, and answers with the command', async function () {
    const uri = loadFixture('vllm-l4-long-context.roofline.yaml').uri.replace('vllm-l4-long-context', 'copy-command');
    const text = 'model: meta-llama/Llama-3.1-8B\nhardware: nvidia-h100-sxm\nparallelism: { tensor: 2 }\nquantization: { kv_cache: fp8 }\nserving: { max_model_len: 8192 }\n';
    await client.open(uri, text);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source'] },
    });
    const copies = (actions ?? []).filter((action) => 'kind' in action && action.kind === 'source.llmRoofline.copyCommand');
    assert.deepEqual(copies.map((action) => action.title), ['Copy as vllm serve command', 'Copy as SGLang launch command']);
    const copyVllm = copies[0]! as { command?: { command: string; arguments?: unknown[] } };
    assert.equal(copyVllm.command?.command, 'llmRoofline.copyVllmCommand');
    assert.deepEqual(copyVllm.command?.arguments, [uri]);
    const answer = await client.connection.sendRequest(EngineCommandRequest, { uri, engine: 'vllm' });
    assert.equal(answer.command, 'vllm serve meta-llama/Llama-3.1-8B --tensor-parallel-size 2 --kv-cache-dtype fp8 --max-model-len 8192 --max-num-batched-tokens 8192');
    const quickFixesOnly = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(quickFixesOnly, []);
    await client.close(uri);
  });

  it('explains an argument on hover with the key it sets and that key\'s figures', async function () {
    const uri = loadFixture('vllm-l4-long-context.roofline.yaml').uri.replace('vllm-l4-long-context', 'hover-argument');
    const text = 'hardware: nvidia-h100-sxm\nvllm: vllm serve meta-llama/Llama-3.1-8B --max-model-len 32768 --kv-cache-dtype fp8\n';
    await client.open(uri, text);
    const line = text.split('\n')[1]!;
    const hover = await client.hover(uri, { line: 1, character: line.indexOf('32768') + 2 });
    assert.ok(hover, 'a hover on the argument');
    const value = (hover.contents as MarkupContent).value;
    assert.ok(value.startsWith('**--max-model-len 32768** sets `serving.max_model_len: 32768`\n\n**28.1 requests of 32,768 tokens** fit at once'), value);
    assert.match(value, /requests of 32,768 tokens\*\* fit at once: KV pool [\d.]+ GiB per GPU \/ 2\.00 GiB per request/);
    assert.match(value, /\*\*serving\.max_model_len\*\*: The most tokens one request may hold/);
    assert.equal(hover.range?.start.character, line.indexOf('--max-model-len'));
    await client.close(uri);
  });
});
