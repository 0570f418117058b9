/**
 * The language server through a real LSP connection over stdio: diagnostics, hovers, completion,
 * quick fixes, inlay hints, code lens, the custom analysis protocol and dependency re-checks.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { AnalysisRequest, SetFieldRequest, SweepRequest } from '../../language-server/src/protocol/lsp';
import { FIXTURE_DIR, loadFixture } from './fixtures';
import { fileUri, LspTestClient, SERVER_PATH } from './lspClient';
import { diagnosticWithCode as byCode, hoverMarkdown as markdown } from './suite';

const FAST = { validation: { debounceMs: 0 } };



describe('language server over stdio', function () {
  let client: LspTestClient;

  before(async function () {
    assert.ok(existsSync(SERVER_PATH), `${SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
    client = await LspTestClient.start({ settings: FAST });
  });

  after(async function () {
    await client?.stop();
  });

  describe('diagnostics', function () {
    it('publishes nothing for a valid 70B deployment and every diagnostic carries the source', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const diagnostics = await client.open(fixture.uri, fixture.text);
      assert.deepEqual(diagnostics, []);
    });

    it('flags an unknown key and an unknown preset id on their exact ranges, with suggestions', async function () {
      const fixture = loadFixture('typos.roofline.yaml');
      const diagnostics = await client.open(fixture.uri, fixture.text);
      const key = byCode(diagnostics, 'unknown-key');
      assert.deepEqual(key.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 8 } });
      assert.match(String(key.message), /workload/);
      const preset = byCode(diagnostics, 'unknown-preset');
      assert.deepEqual(preset.range, { start: { line: 2, character: 10 }, end: { line: 2, character: 24 } });
      assert.match(String(preset.message), /nvidia-h100-sxm/);
      for (const diagnostic of diagnostics) assert.equal(diagnostic.source, 'llm-roofline');
    });

    it('says how much memory a deployment needs, what it has, and what would fit', async function () {
      const fixture = loadFixture('l4-too-big-batch.roofline.yaml');
      const diagnostics = await client.open(fixture.uri, fixture.text);
      const tooBig = byCode(diagnostics, 'does-not-fit');
      assert.deepEqual(tooBig.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 12 } });
      // Measured against the 90% of the L4's 24 GiB a serving engine may use: 21.6 GiB.
      assert.match(String(tooBig.message), /^Does not fit in memory: needs [\d.]+ GiB \(weights 12\.6 GiB \+ KV cache 32\.0 GiB \+ activations [\d.]+ [KMG]?i?B\) but .+ may use 21\.6 GiB \(90% of 24\.0 GiB\)\. Fits with batch_size \d+/);
    });

    it('reports missed targets with by how much', async function () {
      const fixture = loadFixture('targets.roofline.yaml');
      const diagnostics = await client.open(fixture.uri, fixture.text);
      const missed = diagnostics.filter((diagnostic) => diagnostic.code === 'target-missed');
      assert.equal(missed.length, 1, JSON.stringify(diagnostics));
      assert.deepEqual(missed[0]!.range, { start: { line: 7, character: 2 }, end: { line: 7, character: 9 } });
      assert.match(String(missed[0]!.message), /^TTFT target missed: [\d.]+ ms is [\d.]+ ms over 1\.00 ms \([\d.]+×\); no single change of formats, tensor parallelism or load meets every target/);
    });

    it('flags heads that do not divide in a model file', async function () {
      const fixture = loadFixture('bad-heads.model.yaml');
      const diagnostics = await client.open(fixture.uri, fixture.text);
      const heads = byCode(diagnostics, 'heads-not-divisible');
      assert.equal(heads.range.start.line, 6);
    });

    it('flags a referenced file that does not exist', async function () {
      const fixture = loadFixture('missing-hardware-file.roofline.yaml');
      const diagnostics = await client.open(fixture.uri, fixture.text);
      const missing = diagnostics.find((diagnostic) => /missing|not-found/.test(String(diagnostic.code)));
      assert.ok(missing, JSON.stringify(diagnostics));
      assert.equal(missing.range.start.line, 1);
    });

    it('publishes syntax errors for broken YAML', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const uri = fixture.uri.replace('llama-70b-h100', 'broken');
      const diagnostics = await client.open(uri, 'model: [unclosed\nhardware: nvidia-l4\n');
      assert.ok(diagnostics.length > 0);
      assert.ok(diagnostics.every((diagnostic) => diagnostic.source === 'llm-roofline'));
      await client.close(uri);
    });
  });

  describe('hovers', function () {
    it('escapes names and keys from the file, so they cannot become images, links or HTML', async function () {
      const uri = 'file:///hostile/escaped.roofline.yaml';
      const text = 'model:\n  extends: meta-llama/Llama-2-7b-hf\n  name: "![t](https://example.com/t.png) <img src=x> www.example.com"\nhardware: nvidia-h100-sxm\n';
      await client.open(uri, text);
      const hover = markdown(await client.hover(uri, { line: 0, character: 2 }));
      assert.ok(hover.startsWith('**6.74 B parameters**'), hover);
      assert.ok(hover.includes('(\\!\\[t\\](https\\://example.com/t.png) \\<img src=x\\> www\\.example.com)'), hover);
      await client.close(uri);
    });

    it('explains batch_size with the KV formula, the decode bound and memory', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const hover = await client.hover(fixture.uri, fixture.cursors[1]!);
      assert.deepEqual(hover?.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 12 } });
      const text = markdown(hover);
      // The figure leads; what the key means follows.
      // 80 layers × 2 × 8 KV heads × 128 × 2 B = 327,680 B = 320 KiB per token; at the end of decoding
      // the cache holds 1024 + 256 tokens: 327,680 × 1280 × 8 sequences = 3,355,443,200 B = 3.13 GiB.
      assert.ok(text.startsWith('KV cache **3.13 GiB**: `320 KiB/token × 1,280 tokens × 8 sequences`, with `80 layers × 2 × 8 kv_heads × 128 head_dim × 2 B = 320 KiB per token`'), text);
      assert.ok(text.endsWith('**workload.batch_size**: Sequences processed together.') || text.includes('\n\n---\n\n**workload.batch_size**: Sequences processed together.'), text);
      assert.match(text, /Decode: intensity [\d.]+ FLOP\/B < ridge [\d.]+ FLOP\/B → \*\*memory-bound\*\*/);
      // Usable 0.9 × 80 GiB = 77.3e9 B (72.0 GiB); weights 38.4e9 B (int4 blocks, the embedding and
      // lm_head kept in bf16) leave 38.9e9 B; one sequence needs its KV cache (327,680 B × 1280 =
      // 419e6 B) and its share of the activation peak (1.54e9 B / 8 = 193e6 B), 612e6 B:
      // 38.9e9 / 612e6 = 63.5, so 63 sequences fit.
      assert.ok(text.includes('Largest batch that fits: **63** (at these prompt and output lengths, within 72.0 GiB: 90% of memory, memory.utilization)'), text);
    });

    it('names the matmuls that run at another peak than the rest: the 16-bit lm_head under fp8', async function () {
      const uri = 'file:///hovers/fp8-head.roofline.yaml';
      await client.open(uri, 'model: meta-llama/Llama-3.1-8B\nhardware: nvidia-h100-sxm\nquantization:\n  weights: fp8\n  activations: fp8\n');
      const hover = markdown(await client.hover(uri, { line: 4, character: 4 }));
      // H100 SXM: 1,979 TFLOP/s fp8, 989 bf16; lm_head keeps bf16 weights under runtime fp8.
      assert.ok(hover.startsWith('Matmuls run at the fp8 peak: 1.98 PFLOP/s; ridge'), hover);
      assert.ok(hover.includes("lm_head at the bf16 peak: 989 TFLOP/s (their own weights' precision)"), hover);
      await client.close(uri);
      const bf16Uri = 'file:///hovers/bf16-head.roofline.yaml';
      await client.open(bf16Uri, 'model: meta-llama/Llama-3.1-8B\nhardware: nvidia-h100-sxm\nquantization:\n  weights: bf16\n  activations: bf16\n');
      const bf16 = markdown(await client.hover(bf16Uri, { line: 4, character: 4 }));
      assert.ok(bf16.startsWith('Matmuls run at the bf16 peak: 989 TFLOP/s; ridge'), bf16);
      assert.doesNotMatch(bf16, /lm_head at the/);
      await client.close(bf16Uri);
    });

    it('gives the latent KV formula for multi-head latent attention, per device with tensor parallelism', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const uri = fixture.uri.replace('llama-70b-h100', 'deepseek-v3-tp8');
      const text = 'model: deepseek-ai/DeepSeek-V3\nhardware: nvidia-h200-sxm\nworkload:\n  batch_size: 8\n  prompt_tokens: 2048\n  output_tokens: 512\nquantization:\n  weights: fp8\nparallelism:\n  tensor: 8\n';
      await client.open(uri, text);
      const hover = markdown(await client.hover(uri, { line: 3, character: 4 }));
      // 61 layers × (512 + 64) × 2 B = 70,272 B = 68.6 KiB per token; the latent is not split across devices.
      assert.ok(hover.includes('`61 layers × (512 kv_lora_rank + 64 rope) × 2 B = 68.6 KiB per token per device`'), hover);
      // Every cached token is counted: 2,048 + 512 = 2,560.
      assert.ok(hover.includes('68.6 KiB/token × 2,560 tokens × 8 sequences'), hover);
      assert.doesNotMatch(hover, /kv_heads/);
      await client.close(uri);
    });

    it('names the blocks of a hybrid and adds its constant state to the KV figure', async function () {
      // The example beside its model: Qwen3-Next-80B-A3B, fp8 weights, tensor parallelism 2.
      const uri = fileUri(resolve(FIXTURE_DIR, '../../../examples/qwen3-next-hover.roofline.yaml'));
      const text = 'model: ./models/qwen3-next-80b-a3b/config.json\nhardware: nvidia-h100-sxm\nworkload:\n  batch_size: 16\n  prompt_tokens: 8192\n  output_tokens: 1024\nquantization:\n  weights: fp8\nparallelism:\n  tensor: 2\n';
      await client.open(uri, text);
      const model = markdown(await client.hover(uri, { line: 0, character: 2 }));
      assert.ok(model.includes('Blocks: 36 gated DeltaNet (blocks 0–2, 4–6, 8–10, 12–14, 16–18, 20–22, …) · 12 full attention (blocks 3, 7, 11, 15, 19, 23, …)'), model);
      const batch = markdown(await client.hover(uri, { line: 3, character: 4 }));
      // Per device: 12 attention blocks × 2 × 1 KV head × 256 × 2 B = 12,288 B per token, for 9,216 tokens;
      // 36 DeltaNet blocks × (16 × 128 × 128 + 4096 × 4) = 278,528 elements × 2 B = 20,054,016 B per sequence:
      // 16 × (12,288 × 9,216 + 20,054,016) = 2,132,803,584 B = 1.99 GiB.
      assert.ok(batch.startsWith('KV cache and state **1.99 GiB** per device: `12.0 KiB/token × 9,216 tokens × 16 sequences + 19.1 MiB state × 16 sequences`'), batch);
      assert.ok(batch.includes('plus a constant 36 gated DeltaNet layers × 278,528 × 2 B = 19.1 MiB per sequence per device'), batch);
      await client.close(uri);
    });

    it('gives the weight bytes and the decode speed-up of int4 weights', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const text = markdown(await client.hover(fixture.uri, fixture.cursors[2]!));
      // int4 blocks: (70,553,706,496 − 2 · 1,050,673,152 − 1,318,912 norm weights) · 0.5 B
      // = 34.2e9 B (attention 6.04e9 B = 5.63 GiB, MLP 28.2e9 B = 26.3 GiB); embedding and lm_head
      // 1,050,673,152 · 2 B = 2.10e9 B = 1.96 GiB each in bf16, as vLLM keeps them; norms 2.64e6 B:
      // 38.4e9 B = 35.8 GiB.
      assert.match(text, /Weights: 35\.\d GiB \(70\.6 B params\)/);
      assert.match(text, /- mlp: 26\.\d GiB \(int4\)/);
      assert.match(text, /- attention: 5\.6\d GiB \(int4\)/);
      assert.match(text, /- embedding: 1\.9\d GiB \(bf16\)/);
      assert.match(text, /- lm_head: 1\.9\d GiB \(bf16\)/);
      assert.match(text, /Decode speed-up vs 16-bit: `[\d.]+ ms \/ [\d.]+ ms = [\d.]+×` per token/);
    });

    it('shows a hardware preset id with its key figures', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const text = markdown(await client.hover(fixture.uri, fixture.cursors[0]!));
      assert.ok(text.includes('Preset `nvidia-h100-sxm`'), text);
      // 989 TFLOP/s / 3.35 TB/s = 295 FLOP/B.
      // Memory as the vendor names it: the "80GB" H100 holds 80 GiB.
      assert.ok(text.includes('bandwidth 3.35 TB/s · memory 80.0 GiB · fp16 989 TFLOP/s · ridge 295 FLOP/B'), text);
      // Where the figures come from, as references a person can follow, not table keys.
      assert.match(text, /Source: .*ml-engineering/);
      assert.doesNotMatch(text, /\bMLE_NET\b|\bCLAWK\b/);
    });

    it('gives KV bytes per token for num_key_value_heads in a model file', async function () {
      const fixture = loadFixture('gqa.model.yaml');
      await client.open(fixture.uri, fixture.text);
      const hover = await client.hover(fixture.uri, fixture.cursors[0]!);
      // 32 layers × 2 × 8 × 128 × 2 B = 131,072 B = 128 KiB per token.
      assert.equal(
        markdown(hover).split('\n\n---\n\n')[0],
        'KV cache per token: `32 layers × 2 × 8 kv_heads × 128 head_dim × 2 B = 128 KiB per token`\n\n4 query heads share each KV head (GQA).',
      );
    });

    it('gives the ridge point for a hardware file bandwidth', async function () {
      const fixture = loadFixture('h100-fast.hardware.yaml');
      await client.open(fixture.uri, fixture.text);
      const text = markdown(await client.hover(fixture.uri, fixture.cursors[0]!));
      assert.ok(text.includes('Ridge point (fp16): `peak / bandwidth = 989 TFLOP/s / 3.35 TB/s = 295 FLOP/B`'), text);
    });
  });

  describe('completion', function () {
    it('offers hardware preset ids with figures, and hardware files in the folder', async function () {
      const fixture = loadFixture('complete-me.roofline.yaml');
      await client.open(fixture.uri, fixture.text);
      const items = await client.completion(fixture.uri, fixture.cursors[0]!);
      const h100 = items.find((item) => item.label === 'nvidia-h100-sxm');
      assert.ok(h100, items.map((item) => item.label).join(', '));
      // A short description (memory, bandwidth) so the id is never cut; the rest is in the documentation.
      assert.equal(h100.labelDetails?.description, '80.0 GiB · 3.35 TB/s');
      assert.match(JSON.stringify(h100.documentation), /fp16 989 TFLOP\/s/);
      // LLM-Viewer's own ids are offered only under its conventions.
      assert.ok(!items.some((item) => item.label === 'nvidia_A100'), 'no LLM-Viewer alias under the default conventions');
      assert.ok(items.some((item) => item.label === './custom.hardware.yaml'));
      assert.ok(!items.some((item) => item.label === './gqa.model.yaml'));
    });

    it('completes a path into a folder: ./models/ offers the Hugging Face config inside it', async function () {
      const fixture = loadFixture('complete-path.roofline.yaml');
      await client.open(fixture.uri, fixture.text);
      const items = await client.completion(fixture.uri, fixture.cursors[0]!);
      assert.deepEqual(items.map((item) => item.label), ['./models/llama-3.1-8b/config.json']);
      await client.close(fixture.uri);
    });

    it('offers LLM-Viewer\'s hardware ids only under its conventions', async function () {
      const fixture = loadFixture('complete-me.roofline.yaml');
      const uri = fixture.uri.replace('complete-me', 'complete-llm-viewer');
      const text = `conventions: llm-viewer\n${fixture.text}`;
      await client.open(uri, text);
      const items = await client.completion(uri, { line: fixture.cursors[0]!.line + 1, character: fixture.cursors[0]!.character });
      assert.ok(items.some((item) => item.label === 'nvidia_A100'), items.map((item) => item.label).join(', '));
      assert.ok(!items.some((item) => item.label === 'nvidia-h100-sxm'));
      await client.close(uri);
    });

    it('offers the workload keys with their descriptions', async function () {
      const fixture = loadFixture('complete-me.roofline.yaml');
      const items = await client.completion(fixture.uri, fixture.cursors[1]!);
      assert.deepEqual(items.map((item) => item.label).sort(), ['batch_size', 'output_tokens', 'prompt_tokens']);
      assert.ok(items.every((item) => typeof item.documentation === 'object'));
    });

    it('offers the formats for quantization.weights', async function () {
      const fixture = loadFixture('complete-me.roofline.yaml');
      const labels = (await client.completion(fixture.uri, fixture.cursors[2]!)).map((item) => item.label);
      for (const format of ['fp16', 'bf16', 'fp8', 'int8', 'int4']) assert.ok(labels.includes(format), labels.join(','));
    });

    it('offers quoted values in JSON', async function () {
      const fixture = loadFixture('deployment.roofline.json');
      await client.open(fixture.uri, fixture.text);
      const items = await client.completion(fixture.uri, fixture.cursors[0]!);
      const int4 = items.find((item) => item.label === 'int4');
      assert.ok(int4 && int4.textEdit && 'newText' in int4.textEdit);
    });
  });

  describe('quick fixes', function () {
    it('sets batch_size to the largest that fits, keeping the comment, and the error goes away', async function () {
      const fixture = loadFixture('l4-too-big-batch.roofline.yaml');
      const uri = fixture.uri.replace('l4-too-big-batch', 'l4-fix-batch');
      const diagnostics = await client.open(uri, fixture.text);
      const tooBig = byCode(diagnostics, 'does-not-fit');
      const actions = await client.codeActions(uri, tooBig.range, [tooBig]);
      const setBatch = actions.find((action) => action.title.startsWith('Set batch_size to'));
      assert.ok(setBatch?.edit, JSON.stringify(actions.map((action) => action.title)));
      const batch = Number(/Set batch_size to (\d+)/.exec(setBatch.title)![1]);
      const after = await (async () => {
        await client.applyWorkspaceEdit(setBatch.edit!);
        return client.diagnostics.get(uri)!.diagnostics;
      })();
      assert.ok(client.text(uri).includes(`  batch_size: ${batch}   # try to serve many users\n`), client.text(uri));
      assert.ok(!after.some((diagnostic) => diagnostic.code === 'does-not-fit'), JSON.stringify(after));
      // One more sequence must not fit, or it was not the largest.
      const oneMore = await client.change(uri, client.text(uri).replace(`batch_size: ${batch}`, `batch_size: ${batch + 1}`));
      byCode(oneMore, 'does-not-fit');
      await client.close(uri);
    });

    it('offers a smaller weight format that fits', async function () {
      const fixture = loadFixture('l4-too-big-batch.roofline.yaml');
      const uri = fixture.uri.replace('l4-too-big-batch', 'l4-fix-format');
      const text = fixture.text.replace('batch_size: 32', 'batch_size: 1').replace('model: meta-llama/Llama-2-7b-hf', 'model: meta-llama/Llama-2-13b-hf');
      const tooBig = byCode(await client.open(uri, text), 'does-not-fit');
      const actions = await client.codeActions(uri, tooBig.range, [tooBig]);
      const format = actions.find((action) => action.title.startsWith('Quantize weights to'));
      assert.ok(format?.edit, JSON.stringify(actions.map((action) => action.title)));
      await client.applyWorkspaceEdit(format.edit);
      assert.ok(/\n  weights: (fp8|int4)\n/.test(client.text(uri)), client.text(uri));
      assert.ok(!client.diagnostics.get(uri)!.diagnostics.some((diagnostic) => diagnostic.code === 'does-not-fit'));
      await client.close(uri);
    });

    it('replaces an unknown key and an unknown preset id with the suggestion', async function () {
      const fixture = loadFixture('typos.roofline.yaml');
      const uri = fixture.uri.replace('typos', 'typos-fixed');
      const diagnostics = await client.open(uri, fixture.text);
      for (const code of ['unknown-key', 'unknown-preset']) {
        const diagnostic = byCode(client.diagnostics.get(uri)!.diagnostics, code);
        const [first] = await client.codeActions(uri, diagnostic.range, [diagnostic]);
        assert.ok(first?.edit, `no fix for ${code}`);
        await client.applyWorkspaceEdit(first.edit);
      }
      assert.equal(
        client.text(uri),
        '# Two typos: a key and a hardware id.\nmodel: meta-llama/Llama-2-7b-hf\nhardware: nvidia-h100-sxm\nworkload:\n  batch_size: 4\n',
      );
      assert.deepEqual(client.diagnostics.get(uri)!.diagnostics, []);
      assert.ok(diagnostics.length >= 2);
      await client.close(uri);
    });
    it('does not rename a misspelt key onto one the map already has', async function () {
      const fixture = loadFixture('typos.roofline.yaml');
      const uri = fixture.uri.replace('typos', 'duplicate-key');
      const text = 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-h100-sxm\nworkload:\n  output_tokens: 8\n  outptu_tokens: 16\n';
      const unknown = byCode(await client.open(uri, text), 'unknown-key');
      const actions = await client.codeActions(uri, unknown.range, [unknown]);
      assert.ok(!actions.some((action) => action.title === "Rename to 'output_tokens'"), JSON.stringify(actions.map((action) => action.title)));
      await client.close(uri);
    });

    it('adds a missing required key with a starting value from the schema', async function () {
      const fixture = loadFixture('typos.roofline.yaml');
      const uri = fixture.uri.replace('typos', 'no-hardware');
      const missing = byCode(await client.open(uri, '# no hardware yet\nmodel: meta-llama/Llama-2-7b-hf\n'), 'missing-key');
      const [add] = await client.codeActions(uri, missing.range, [missing]);
      assert.equal(add?.title, 'Add hardware');
      await client.applyWorkspaceEdit(add.edit!);
      assert.equal(client.text(uri), '# no hardware yet\nmodel: meta-llama/Llama-2-7b-hf\nhardware: nvidia-h100-sxm\n');
      assert.deepEqual(client.diagnostics.get(uri)!.diagnostics, []);
      await client.close(uri);
    });
  });

  describe('inlay hints and code lens', function () {
    it('puts figures at the ends of lines', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const hints = await client.inlayHints(fixture.uri);
      const byLine = new Map(hints.map((hint) => [hint.position.line, String(hint.label)]));
      assert.equal(byLine.get(4), '→ KV 3.13 GiB');
      assert.match(byLine.get(6) ?? '', /^→ TPOT [\d.]+ ms · [\d.]+ tok\/s$/);
      assert.match(byLine.get(8) ?? '', /^→ weights 35\.\d GiB$/);
      // At the end of the line, or right after the value when a comment follows it (a hint after a
      // long comment would run off-screen): `  batch_size: 8|   # concurrent sequences`.
      const lines = fixture.text.split('\n');
      for (const hint of hints) {
        const line = lines[hint.position.line]!;
        const comment = line.search(/\s+#/);
        assert.equal(hint.position.character, comment >= 0 ? comment : line.length, line);
      }
      assert.equal(hints.find((hint) => hint.position.line === 4)?.position.character, '  batch_size: 8'.length);
    });

    it('puts TTFT, TPOT and the memory verdict at the top of a deployment, opening the panel', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const [lens] = await client.codeLenses(fixture.uri);
      assert.equal(lens?.command?.command, 'llmRoofline.openPanel');
      assert.deepEqual(lens?.command?.arguments, [fixture.uri]);
      // Short enough to read whole in a 495 px editor (about 60 characters of lens text); the
      // tooltip has the verdict in full, against the same usable memory (0.9 × 80 GiB = 72.0 GiB).
      const title = lens?.command?.title ?? '';
      assert.match(title, /^\$\(graph-line\) TTFT [\d.]+ m?s · TPOT [\d.]+ ms · fits [\d.]+ of 72\.0 GiB usable$/);
      assert.ok(title.length - '$(graph-line) '.length <= 58, `${title.length} characters: ${title}`);
      const tooltip = (lens?.command as { tooltip?: string } | undefined)?.tooltip ?? '';
      assert.match(tooltip, /^Open the roofline panel\. TTFT [\d.]+ m?s · TPOT [\d.]+ ms · fits: [\d.]+ GiB of 72\.0 GiB \(90% of 80\.0 GiB\)$/);
      const needed = /fits ([\d.]+) of/.exec(title)?.[1];
      assert.ok(needed && tooltip.includes(`fits: ${needed} GiB of`), 'the lens and its tooltip give the same figure');
    });

    it('says whether each target is met, after its value', async function () {
      const fixture = loadFixture('targets.roofline.yaml');
      await client.open(fixture.uri, fixture.text);
      const byLine = new Map((await client.inlayHints(fixture.uri)).map((hint) => [hint.position.line, String(hint.label)]));
      assert.match(byLine.get(7) ?? '', /^→ missed: [\d.]+ ms$/);
      assert.match(byLine.get(8) ?? '', /^→ met: [\d.]+ ms$/);
    });

    it('gives a raw Hugging Face config.json its parameters, weight bytes and KV bytes per token', async function () {
      const fixture = loadFixture('models/llama-3.1-8b/config.json');
      await client.open(fixture.uri, fixture.text);
      const lines = fixture.text.split('\n');
      const lineOf = (key: string): number => lines.findIndex((line) => line.includes(`"${key}"`));
      const byLine = new Map((await client.inlayHints(fixture.uri)).map((hint) => [hint.position.line, String(hint.label)]));
      // 2 × 128256 × 4096 (embedding, untied lm_head) + 32 × (2 × 4096² + 2 × 1024 × 4096 + 3 × 14336 × 4096
      // + 2 × 4096) + 4096 = 8,030,261,248 parameters; × 2 B = 16.06e9 B = 15.0 GiB.
      // KV: 32 layers × 2 × 8 kv_heads × 128 head_dim × 2 B = 131,072 B = 128 KiB per token.
      assert.equal(byLine.get(lineOf('model_type')), '→ 8.03 B params · weights 15.0 GiB at 16-bit');
      assert.equal(byLine.get(lineOf('num_key_value_heads')), '→ KV 128 KiB/token at 16-bit');
      assert.equal(byLine.size, 2);

      const lenses = await client.codeLenses(fixture.uri);
      assert.equal(lenses.length, 1);
      assert.deepEqual(lenses[0]!.range.start, { line: 0, character: 0 });
      assert.equal(lenses[0]!.command?.title, '8.03 B params · weights 15.0 GiB at 16-bit · KV 128 KiB/token at 16-bit');

      const column = lines[lineOf('model_type')]!.indexOf('model_type');
      const hover = markdown(await client.hover(fixture.uri, { line: lineOf('model_type'), character: column + 2 }));
      assert.ok(hover.startsWith('**8.03 B parameters**, weights 15.0 GiB at 16-bit · KV 128 KiB/token at 16-bit\n\n---\n\n**model_type**'), hover);
      await client.close(fixture.uri);
    });

    it('says on model_type what a raw config.json of an unknown model type is assumed to be, and still counts it', async function () {
      const uri = 'file:///models/mystery/config.json';
      const text = '{\n  "model_type": "mystery_lm",\n  "hidden_size": 2048,\n  "num_hidden_layers": 16,\n  "num_attention_heads": 16,\n  "intermediate_size": 5632,\n  "vocab_size": 32000\n}\n';
      const diagnostics = await client.open(uri, text);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      const [assumed] = diagnostics;
      assert.equal(assumed!.code, 'model-assumed');
      assert.equal(assumed!.severity, DiagnosticSeverity.Information);
      assert.deepEqual(assumed!.range, { start: { line: 1, character: 16 }, end: { line: 1, character: 28 } });
      assert.match(String(assumed!.message), /^model_type "mystery_lm" is not one whose transformers defaults are known, .*embeddings tied .*a gated silu MLP, RMSNorm .*no biases, rotary positions/);
      // Tied: 32000 × 2048 + 16 × (4 × 2048² + 3 × 2048 × 5632 + 2 × 2048) + 2048 = 887,687,168 parameters, × 2 B = 1.65 GiB.
      const byLine = new Map((await client.inlayHints(uri)).map((hint) => [hint.position.line, String(hint.label)]));
      assert.equal(byLine.get(1), '→ 888 M params · weights 1.65 GiB at 16-bit');
      // A known model_type assumes nothing.
      assert.deepEqual(await client.change(uri, text.replace('mystery_lm', 'llama')), []);
      await client.close(uri);
    });

    it('gives a model file the same figures, with the active parameters of a mixture of experts', async function () {
      const uri = 'file:///models/moe.model.yaml';
      // Mixtral-8x7B's shape: 46.7 B parameters, 12.9 B of them used per token (2 of 8 experts).
      const text = 'model_type: mixtral\nhidden_size: 4096\nintermediate_size: 14336\nnum_hidden_layers: 32\nnum_attention_heads: 32\nnum_key_value_heads: 8\nnum_local_experts: 8\nnum_experts_per_tok: 2\nvocab_size: 32000\n';
      await client.open(uri, text);
      const byLine = new Map((await client.inlayHints(uri)).map((hint) => [hint.position.line, String(hint.label)]));
      assert.equal(byLine.get(0), '→ 46.7 B params (12.9 B active) · weights 87.0 GiB at 16-bit');
      assert.equal(byLine.get(5), '→ KV 128 KiB/token at 16-bit');
      const [lens] = await client.codeLenses(uri);
      assert.match(lens?.command?.title ?? '', /^46\.7 B params \(12\.9 B active\) · weights 87\.0 GiB at 16-bit · KV 128 KiB\/token at 16-bit$/);
      await client.close(uri);
    });

    it('turns both off through settings', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      await client.changeSettings({ ...FAST, inlayHints: { enabled: false }, codeLens: { enabled: false } });
      assert.deepEqual(await client.inlayHints(fixture.uri), []);
      assert.deepEqual(await client.codeLenses(fixture.uri), []);
      await client.changeSettings(FAST);
      assert.ok((await client.inlayHints(fixture.uri)).length > 0);
    });
  });

  describe('custom protocol', function () {
    it('answers the analysis request with the result and editable fields with ranges', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const analysis = await client.connection.sendRequest(AnalysisRequest, { uri: fixture.uri });
      assert.equal(analysis.kind, 'deployment');
      assert.ok(analysis.result);
      assert.deepEqual(analysis.errors, []);
      const batch = analysis.editableFields.find((field) => field.path.join('.') === 'workload.batch_size');
      assert.deepEqual(batch, { path: ['workload', 'batch_size'], value: 8, range: { start: { line: 4, character: 14 }, end: { line: 4, character: 15 } } });
      const activations = analysis.editableFields.find((field) => field.path.join('.') === 'quantization.activations');
      assert.equal(activations?.range, undefined);
      // No targets written, none reported (they have no default).
      assert.ok(!analysis.editableFields.some((field) => field.path[0] === 'targets'));
    });

    it('answers the sweep request for the current version from the analysed input, and nothing for another version', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const analysis = await client.connection.sendRequest(AnalysisRequest, { uri: fixture.uri });
      const sweep = await client.connection.sendRequest(SweepRequest, { uri: fixture.uri, version: analysis.version });
      assert.ok(sweep?.batch_size);
      // The document's batch (8) is among the swept sizes, and that point is the analysis itself.
      const current = sweep.batch_size.points.find((point) => point.x === 8);
      assert.equal(sweep.batch_size.current, 8);
      assert.equal(current?.tpot_seconds, analysis.result!.metrics.tpot_seconds);
      assert.equal(await client.connection.sendRequest(SweepRequest, { uri: fixture.uri, version: analysis.version + 1 }), null);
    });

    it('reports the targets a deployment writes, for the panel to check', async function () {
      const fixture = loadFixture('targets.roofline.yaml');
      const uri = fixture.uri.replace('targets.roofline', 'targets-fields.roofline');
      await client.open(uri, fixture.text);
      const analysis = await client.connection.sendRequest(AnalysisRequest, { uri });
      const targets = analysis.editableFields.filter((field) => field.path[0] === 'targets');
      assert.deepEqual(targets, [
        { path: ['targets', 'ttft_ms'], value: 1, range: { start: { line: 7, character: 11 }, end: { line: 7, character: 12 } } },
        { path: ['targets', 'tpot_ms'], value: 1000, range: { start: { line: 8, character: 11 }, end: { line: 8, character: 15 } } },
      ]);
    });

    it('sets a field with the smallest edit and refuses a stale version', async function () {
      const fixture = loadFixture('llama-70b-h100.roofline.yaml');
      const uri = fixture.uri.replace('llama-70b-h100', 'set-field');
      await client.open(uri, fixture.text);
      const changed = client.nextAnalysis(uri, (analysis) => analysis.version === 2);
      const result = await client.connection.sendRequest(SetFieldRequest, { uri, version: 1, path: ['workload', 'batch_size'], value: 16 });
      assert.deepEqual(result.edits, [{ range: { start: { line: 4, character: 14 }, end: { line: 4, character: 15 } }, newText: '16' }]);
      await client.applyEdits(uri, result.edits!);
      const analysis = await changed;
      assert.equal(analysis.editableFields.find((field) => field.path.join('.') === 'workload.batch_size')?.value, 16);
      const stale = await client.connection.sendRequest(SetFieldRequest, { uri, version: 1, path: ['workload', 'batch_size'], value: 2 });
      assert.equal(stale.refusedBecause, 'stale-version');
      assert.equal(stale.edits, undefined);
      const invalid = await client.connection.sendRequest(SetFieldRequest, { uri, version: 2, path: ['workload', 'batch_size'], value: -3 });
      assert.equal(invalid.refusedBecause, 'invalid-value');
      await client.close(uri);
    });

    it('refuses edits of fields the panel has no control for, and of a JSON document that does not parse', async function () {
      const uri = 'file:///hostile/broken.roofline.json';
      // A missing comma after "model": the edit would have gone after the closing brace.
      await client.open(uri, '{\n  "model": "meta-llama/Llama-2-7b-hf"\n  "hardware": "nvidia-h100-sxm"\n}\n');
      const broken = await client.connection.sendRequest(SetFieldRequest, { uri, version: 1, path: ['workload', 'batch_size'], value: 8 });
      assert.deepEqual(broken, { refusedBecause: 'invalid-value', message: 'the document has syntax errors: fix them before editing from the panel' });
      await client.change(uri, '{\n  "model": "meta-llama/Llama-2-7b-hf",\n  "hardware": "nvidia-h100-sxm"\n}\n');
      const elsewhere = await client.connection.sendRequest(SetFieldRequest, { uri, version: 2, path: ['hardware', 'memory_bandwidth_gb_s'], value: 1 });
      assert.deepEqual(elsewhere, { refusedBecause: 'invalid-value', message: 'the panel does not edit hardware.memory_bandwidth_gb_s' });
      const fixed = await client.connection.sendRequest(SetFieldRequest, { uri, version: 2, path: ['workload', 'batch_size'], value: 8 });
      assert.equal(fixed.edits?.length, 1);
      await client.close(uri);
    });
  });

  describe('referenced files', function () {
    it('re-checks a deployment when the hardware document it uses changes', async function () {
      const hardware = loadFixture('custom.hardware.yaml');
      const deployment = loadFixture('uses-custom-hardware.roofline.yaml');
      assert.deepEqual(await client.open(deployment.uri, deployment.text), []);
      // Opening the hardware document re-checks the deployment once (the open text replaces the file).
      const reopened = client.nextDiagnostics(deployment.uri);
      await client.open(hardware.uri, hardware.text);
      assert.deepEqual(await reopened, []);
      const recheck = client.nextDiagnostics(deployment.uri);
      await client.change(hardware.uri, hardware.text.replace('memory_gib: 80', 'memory_gib: 8'));
      byCode(await recheck, 'does-not-fit');
      const back = client.nextDiagnostics(deployment.uri);
      await client.change(hardware.uri, hardware.text);
      assert.deepEqual(await back, []);
      // Closing the hardware document makes the deployment read the file on disk again.
      const fromDisk = client.nextDiagnostics(deployment.uri);
      await client.close(hardware.uri);
      assert.deepEqual(await fromDisk, []);
      const watched = client.nextDiagnostics(deployment.uri);
      await client.fileChangedOnDisk(hardware.uri);
      assert.deepEqual(await watched, []);
    });

    it('gives the lens of a deployment its figures even when asked before its hardware file is read', async function () {
      const deployment = loadFixture('uses-custom-hardware.roofline.yaml');
      // The lens request goes out right behind the open, before the server has read the file.
      const opened = client.open(deployment.uri, deployment.text);
      const [lens] = await client.codeLenses(deployment.uri);
      assert.match(lens?.command?.title ?? '', /TTFT [\d.]+ m?s · TPOT [\d.]+ ms · fits/);
      assert.deepEqual(await opened, []);
      await client.close(deployment.uri);
    });

    it('asks the client for new lenses and hints of a deployment when the hardware document it uses changes', async function () {
      const hardware = loadFixture('custom.hardware.yaml');
      const deployment = loadFixture('uses-custom-hardware.roofline.yaml');
      await client.open(deployment.uri, deployment.text);
      const before = (await client.codeLenses(deployment.uri))[0]?.command?.title ?? '';
      await client.open(hardware.uri, hardware.text);
      const lensRefresh = client.nextRefresh('workspace/codeLens/refresh');
      const hintRefresh = client.nextRefresh('workspace/inlayHint/refresh');
      // Half the memory bandwidth: every decode step of this memory-bound deployment takes longer.
      await client.change(hardware.uri, `${hardware.text}memory_bandwidth_gb_s: 1675\n`);
      await Promise.all([lensRefresh, hintRefresh]);
      const after = (await client.codeLenses(deployment.uri))[0]?.command?.title ?? '';
      const tpot = (title: string): number => Number(/TPOT ([\d.]+) ms/.exec(title)?.[1]);
      assert.ok(tpot(after) > 1.5 * tpot(before), `TPOT ${tpot(before)} ms → ${tpot(after)} ms`);
      await client.close(hardware.uri);
      await client.close(deployment.uri);
    });

    it("shows a problem inside the draft model's file on speculative.draft_model, named after the file", async function () {
      const draftUri = fileUri(resolve(FIXTURE_DIR, 'open-draft.model.yaml'));
      await client.open(draftUri, 'extends: meta-llama/Llama-2-7b-hf\nnum_attention_heads: -4\n');
      const deploymentUri = fileUri(resolve(FIXTURE_DIR, 'open-speculative.roofline.yaml'));
      const text = 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-h100-sxm\nspeculative:\n  draft_model: ./open-draft.model.yaml\n  acceptance_rate: 0.7\n';
      const diagnostics = await client.open(deploymentUri, text);
      const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 1);
      assert.ok(errors.length > 0, 'the draft model file has an error');
      for (const error of errors) {
        // Line 4, after '  draft_model: ' (15 characters): the value './open-draft.model.yaml' (23).
        assert.deepEqual(error.range, { start: { line: 3, character: 15 }, end: { line: 3, character: 38 } });
        assert.match(String(error.message), /^open-draft\.model\.yaml: /);
      }
      await client.close(deploymentUri);
      await client.close(draftUri);
    });
  });
});
