import assert from 'node:assert/strict';
import { formatBandwidth, formatBytes, formatFlops, formatFlopsPerSecond, formatIntensity, formatParameters, formatSeconds, formatTokensPerSecond } from '../../../language-server/src/format/units';
import { renderMarkdownReport } from '../../../language-server/src/report/markdownReport';
import { sampleAnalysis, sampleResult } from '../extension/fixtures';

const context = { documentName: 'llama.roofline.yaml', generatedAt: '2026-01-02T03:04:05.000Z' };

function markdownOf(outcome: ReturnType<typeof renderMarkdownReport>): string {
  assert.ok('markdown' in outcome, 'error' in outcome ? outcome.error : '');
  return outcome.markdown;
}

// Units are the shared formatter's job (tested with it); these tests check which figure goes where.
function includes(markdown: string, line: string): void {
  assert.ok(markdown.includes(line), `missing line: ${line}\n${markdown}`);
}

/** The sample with the fields the server reports for a deployment that writes them. */
function withInputs() {
  return sampleAnalysis({
    editableFields: [
      { path: ['workload', 'batch_size'], value: 16 },
      { path: ['workload', 'prompt_tokens'], value: 2048 },
      { path: ['workload', 'output_tokens'], value: 256 },
      { path: ['quantization', 'weights'], value: 'int4' },
      { path: ['quantization', 'activations'], value: 'fp16' },
      { path: ['quantization', 'kv_cache'], value: 'fp8' },
      { path: ['parallelism', 'tensor'], value: 2 },
      { path: ['flash_attention'], value: true },
      // TTFT 3.2 ms meets 5 ms; TPOT 0.96 ms misses 0.5 ms; 1041.7 tokens/s meets 1000.
      { path: ['targets', 'ttft_ms'], value: 5 },
      { path: ['targets', 'tpot_ms'], value: 0.5 },
      { path: ['targets', 'min_tokens_per_second'], value: 1000 },
    ],
  });
}

describe('Markdown report', () => {
  it('names model, hardware, file and conventions, and no document version', () => {
    const markdown = markdownOf(renderMarkdownReport(sampleAnalysis(), context));
    const lines = markdown.split('\n');
    assert.equal(lines[0], '# LLM Roofline report: meta-llama/Llama-2-7b-hf on NVIDIA H100 SXM5 80GB');
    assert.equal(lines[2], 'Generated 2026-01-02T03:04:05.000Z from llama.roofline.yaml, with the `default` conventions.');
    assert.doesNotMatch(markdown, /version \d/);
  });

  it('states the inputs it was computed for: batch, tokens, formats, parallelism', () => {
    const markdown = markdownOf(renderMarkdownReport(withInputs(), context));
    includes(markdown, `| model | meta-llama/Llama-2-7b-hf (${formatParameters(6.74e9)} parameters) |`);
    includes(markdown, '| batch size | 16 |');
    includes(markdown, '| prompt tokens | 2,048 |');
    includes(markdown, '| output tokens | 256 |');
    includes(markdown, '| weights | int4 |');
    includes(markdown, '| KV cache | fp8 |');
    includes(markdown, '| tensor parallelism | 2 |');
    includes(markdown, '| flash attention | true |');
  });

  it('gives each target with its verdict, and the overall verdict', () => {
    const markdown = markdownOf(renderMarkdownReport(withInputs(), context));
    includes(markdown, `| TTFT | ≤ 5.00 ms | ${formatSeconds(0.0032)} | met |`);
    includes(markdown, `| TPOT | ≤ 500 µs | ${formatSeconds(0.00096)} | missed |`);
    includes(markdown, `| Tokens/s | ≥ ${formatTokensPerSecond(1000)} | ${formatTokensPerSecond(1041.7)} | met |`);
    includes(markdown, 'Verdict: **misses 1 of 3 targets**.');
    assert.doesNotMatch(markdownOf(renderMarkdownReport(sampleAnalysis(), context)), /## Targets/);
  });

  it('has the headline metrics in human units', () => {
    const markdown = markdownOf(renderMarkdownReport(sampleAnalysis(), context));
    includes(markdown, `| time to first token (TTFT) | ${formatSeconds(0.0032)} |`);
    includes(markdown, `| time per output token (TPOT) | ${formatSeconds(0.00096)} |`);
    includes(markdown, `| end-to-end time | ${formatSeconds(0.25)} |`);
    includes(markdown, `| output tokens per second | ${formatTokensPerSecond(1041.7)} |`);
  });

  it('gives the memory parts against the usable share of capacity, and the verdict', () => {
    const markdown = markdownOf(renderMarkdownReport(sampleAnalysis(), context));
    includes(markdown, `| weights | ${formatBytes(13.5e9)} |`);
    includes(markdown, `| KV cache | ${formatBytes(0.5e9)} |`);
    includes(markdown, `| total | ${formatBytes(14.1e9)} |`);
    // 90% of 80 GiB = 72 GiB.
    includes(markdown, '| may use | 72.0 GiB (90% of 80.0 GiB) |');
    assert.ok(markdown.includes('Verdict: **fits**.'));
    const result = sampleResult();
    const noCapacity = { ...result, memory: { ...result.memory, capacity_bytes: undefined, fits: true } };
    assert.ok(markdownOf(renderMarkdownReport(sampleAnalysis({ result: noCapacity }), context)).includes('Verdict: **capacity unknown, not checked**.'));
  });

  it('gives the hardware roofline in FLOP/s and one row per layer and stage', () => {
    const markdown = markdownOf(renderMarkdownReport(sampleAnalysis(), context));
    includes(markdown, `| memory bandwidth | ${formatBandwidth(3.35e12)} |`);
    includes(markdown, `| ridge point | ${formatIntensity(295.2)} |`);
    includes(markdown, `| peak compute (fp16) | ${formatFlopsPerSecond(989e12)} |`);
    assert.doesNotMatch(markdown, /\bOP\/s|TOP\/s|OP\/byte/);
    includes(markdown, '## Prefill (whole prompt, once)');
    // q_proj in prefill: 2e9 FLOP over 32e6 weight bytes = 62.5 FLOP/byte.
    includes(markdown, `| q_proj | 32 | ${formatFlops(2e9)} | ${formatBytes(32e6)} | ${formatIntensity(62.5)} | compute | ${formatSeconds(2e-5)} |`);
    includes(markdown, '## Decode (one output token)');
    includes(markdown, `Total: ${formatFlops(5.2e9)}, ${formatBytes(3.072e9)} moved, ${formatSeconds(0.00096)}.`);
    includes(markdown, '- Attention is counted without the causal mask saving.');
  });

  it('escapes table separators and Markdown in names', () => {
    const result = sampleResult({ model: { name: 'odd|name*', parameters: 1e9 } });
    assert.ok(markdownOf(renderMarkdownReport(sampleAnalysis({ result, modelName: undefined }), context)).includes('odd\\|name\\*'));
  });

  it('refuses documents without an analysis, and other kinds of document', () => {
    const failed = renderMarkdownReport(sampleAnalysis({ result: undefined, errors: ['model: unknown preset'] }), context);
    assert.deepEqual(failed, { error: 'The deployment has errors that prevent an analysis: model: unknown preset' });
    assert.ok('error' in renderMarkdownReport(sampleAnalysis({ kind: 'hardware' }), context));
  });
});
