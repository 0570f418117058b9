/**
 * Techniques through a real LSP connection: hovers with each technique's effect on TTFT, TPOT and
 * memory, warnings on combinations that make no sense, and their quick fixes.
 */
import assert from 'node:assert/strict';
import { loadFixture } from './fixtures';
import type { LspTestClient } from './lspClient';
import { diagnosticWithCode as byCode, hoverMarkdown as markdown, lspSuite } from './suite';




describe('techniques in the language server', function () {
  const suite = lspSuite();
  let client: LspTestClient;
  before(function () {
    client = suite.client;
  });

  it('publishes no problem for techniques that make sense on an A100', async function () {
    const fixture = loadFixture('techniques.roofline.yaml');
    assert.deepEqual(await client.open(fixture.uri, fixture.text), []);
  });

  it('hovers each technique key with its own effect on TTFT, TPOT and memory, and its paper', async function () {
    const fixture = loadFixture('techniques.roofline.yaml');
    const sparsity = await client.hover(fixture.uri, fixture.cursors[1]!);
    assert.deepEqual(sparsity?.range, { start: { line: 8, character: 2 }, end: { line: 8, character: 17 } });
    const sparse = markdown(sparsity);
    assert.ok(sparse.startsWith('**2\\:4 sparsity** alone, against no techniques:'), sparse);
    // Prefill projections run at twice the rate on sparse tensor cores; decode reads 0.58× the weights.
    assert.match(sparse, /- TTFT [\d.]+ ms → \*\*[\d.]+ ms\*\* \(1\.[6-9]\d*× faster\)/);
    assert.match(sparse, /- TPOT [\d.]+ ms → \*\*[\d.]+ ms\*\* \(1\.[3-6]\d*× faster\)/);
    assert.match(sparse, /- Memory [\d.]+ GiB → \*\*[\d.]+ GiB\*\* \(0\.6\d*×\)/);
    assert.match(sparse, /0\.5625×/);
    assert.match(sparse, /Source: Mishra et al\. 2021, arXiv 2104\.08378/);

    const eviction = markdown(await client.hover(fixture.uri, fixture.cursors[2]!));
    assert.ok(eviction.startsWith('**KV eviction to 1,024 tokens** alone'), eviction);
    assert.match(eviction, /- TTFT [\d.]+ ms → \*\*[\d.]+ ms\*\* \(unchanged\)/);
    assert.match(eviction, /keeps at most 1,024 of its 8,448 tokens/);

    const offload = markdown(await client.hover(fixture.uri, fixture.cursors[3]!));
    assert.match(offload, /- TPOT [\d.]+ ms → \*\*[\d.]+ ms\*\* \((\d\d+(\.\d+)?)× slower\)/);
    assert.match(offload, /PCIe 4\.0 x16 \(31\.5 GB\/s/);
  });

  it('hovers techniques: with all of them together, and a variant with its figures against the deployment', async function () {
    const fixture = loadFixture('techniques.roofline.yaml');
    const all = markdown(await client.hover(fixture.uri, fixture.cursors[0]!));
    assert.ok(all.startsWith('**All techniques** against none:'), all);
    // 2:4, eviction and half the weights over PCIe together: decode is link-bound, an order of magnitude slower.
    assert.match(all, /- TPOT [\d.]+ ms → \*\*[\d.]+ ms\*\* \(\d\d+(\.\d+)?× slower\)/);
    const variant = markdown(await client.hover(fixture.uri, fixture.cursors[4]!));
    assert.ok(variant.startsWith('**without techniques** (meta-llama/Llama-2-7b-hf; no techniques) against this deployment:'), variant);
    assert.match(variant, /- TPOT [\d.]+ ms → \*\*[\d.]+ ms\*\* \(\d\d+(\.\d+)?× faster\)/);
  });

  it('warns on an eviction budget above the context, 2:4 without sparse tensor cores and an empty offload, with fixes that clear them', async function () {
    const fixture = loadFixture('techniques-nonsense.roofline.yaml');
    const uri = fixture.uri.replace('techniques-nonsense', 'techniques-fixed');
    const diagnostics = await client.open(uri, fixture.text);
    const budget = byCode(diagnostics, 'eviction-above-context');
    assert.deepEqual(budget.range, { start: { line: 9, character: 4 }, end: { line: 9, character: 15 } });
    assert.equal(budget.severity, 2);
    assert.match(String(budget.message), /keep_tokens 4,096 is not below the context of 1,280 tokens/);
    const sparse = byCode(diagnostics, 'no-sparse-tensor-cores');
    assert.deepEqual(sparse.range, { start: { line: 7, character: 2 }, end: { line: 7, character: 17 } });
    assert.match(String(sparse.message), /no sparse tensor cores/);
    const empty = byCode(diagnostics, 'nothing-to-offload');
    assert.equal(empty.range.start.line, 10);

    for (const [code, title] of [
      ['eviction-above-context', 'Set keep_tokens to 512 (half the context or less)'],
      ['no-sparse-tensor-cores', 'Use unstructured 50% sparsity (same storage, no sparse tensor cores needed)'],
      ['nothing-to-offload', 'Offload half the weights'],
    ] as const) {
      const diagnostic = byCode(client.diagnostics.get(uri)!.diagnostics, code);
      const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
      const fix = actions.find((action) => action.title === title);
      assert.ok(fix?.edit, JSON.stringify(actions.map((action) => action.title)));
      await client.applyWorkspaceEdit(fix.edit);
    }
    const text = client.text(uri);
    assert.ok(text.includes('  weight_sparsity:\n    unstructured: 0.5   # pruned with SparseGPT\n') || text.includes('weight_sparsity: { unstructured: 0.5 }'), text);
    assert.ok(text.includes('    keep_tokens: 512\n'), text);
    assert.ok(text.includes('    weights: 0.5\n'), text);
    assert.deepEqual(client.diagnostics.get(uri)!.diagnostics, []);
    await client.close(uri);
  });

  it('puts a bad technique parameter on its exact key', async function () {
    const fixture = loadFixture('techniques.roofline.yaml');
    const uri = fixture.uri.replace('techniques', 'techniques-bad');
    const diagnostics = await client.open(uri, fixture.text.replace('link: pcie-gen4-x16', 'link: pcie-gen9'));
    const link = diagnostics.find((diagnostic) => diagnostic.range.start.line === 10);
    assert.ok(link, JSON.stringify(diagnostics));
    assert.match(String(link.message), /pcie-gen4-x16/);
    await client.close(uri);
  });
});
