import assert from 'node:assert/strict';
import { formatBytes, formatCount, formatNumber, formatParameters, formatSeconds } from '../../../language-server/src/server/format';
import { renderMarkdownReport } from '../../../extension/src/report/markdownReport';
import { sampleAnalysis, sampleResult } from './fixtures';

const context = { documentName: 'llama.roofline.yaml', generatedAt: '2026-01-02T03:04:05.000Z' };

function markdownOf(outcome: ReturnType<typeof renderMarkdownReport>): string {
  assert.ok('markdown' in outcome, 'error' in outcome ? outcome.error : '');
  return outcome.markdown;
}

describe('Markdown report', () => {
  it('starts with the document, its version and the conventions used', () => {
    const lines = markdownOf(renderMarkdownReport(sampleAnalysis(), context)).split('\n');
    assert.equal(lines[0], '# LLM Roofline report: llama.roofline.yaml');
    assert.equal(lines[2], 'Generated 2026-01-02T03:04:05.000Z from version 4 of the document, with the `default` conventions.');
  });

  // Units are the shared formatters' job (tested with them); these tests check which figure goes where.
  function includes(markdown: string, line: string): void {
    assert.ok(markdown.includes(line), `missing line: ${line}`);
  }

  it('has the headline metrics in human units', () => {
    const markdown = markdownOf(renderMarkdownReport(sampleAnalysis(), context));
    includes(markdown, `| model | meta-llama/Llama-2-7b-hf (${formatParameters(6.74e9)} parameters) |`);
    includes(markdown, `| time to first token (TTFT) | ${formatSeconds(0.0032)} |`);
    includes(markdown, `| time per output token (TPOT) | ${formatSeconds(0.00096)} |`);
    includes(markdown, `| end-to-end time | ${formatSeconds(0.25)} |`);
    includes(markdown, `| output tokens per second | ${formatNumber(1041.7)} |`);
  });

  it('gives the memory parts, the capacity and the verdict', () => {
    const markdown = markdownOf(renderMarkdownReport(sampleAnalysis(), context));
    includes(markdown, `| weights | ${formatBytes(13.5e9)} |`);
    includes(markdown, `| KV cache | ${formatBytes(0.5e9)} |`);
    includes(markdown, `| total | ${formatBytes(14.1e9)} |`);
    includes(markdown, `| capacity | ${formatBytes(80 * 1024 ** 3)} |`);
    assert.ok(markdown.includes('Verdict: **fits**.'));
    const result = sampleResult();
    const noCapacity = { ...result, memory: { ...result.memory, capacity_bytes: undefined, fits: true } };
    assert.ok(markdownOf(renderMarkdownReport(sampleAnalysis({ result: noCapacity }), context)).includes('Verdict: **capacity unknown, not checked**.'));
  });

  it('gives the hardware roofline and one row per layer and stage', () => {
    const markdown = markdownOf(renderMarkdownReport(sampleAnalysis(), context));
    includes(markdown, `| memory bandwidth | ${formatBytes(3.35e12)}/s |`);
    includes(markdown, `| ridge point | ${formatNumber(295.2)} OP/byte |`);
    includes(markdown, `| peak compute (fp16) | ${formatCount(989e12, 'OP/s')} |`);
    includes(markdown, '## Prefill (whole prompt, once)');
    // q_proj in prefill: 2e9 FLOP over 32e6 weight bytes = 62.5 FLOP/byte.
    includes(markdown, `| q_proj | 32 | ${formatCount(2e9, 'FLOP')} | ${formatBytes(32e6)} | ${formatNumber(62.5)} | compute | ${formatSeconds(2e-5)} |`);
    includes(markdown, '## Decode (one output token)');
    includes(markdown, `| mlp_up | 32 | ${formatCount(1.3e8, 'FLOP')} | ${formatBytes(64e6)} | ${formatNumber(1.3e8 / 64e6)} | memory | ${formatSeconds(2e-5)} |`);
    includes(markdown, `Total: ${formatCount(5.2e9, 'FLOP')}, ${formatBytes(3.072e9)} moved, ${formatSeconds(0.00096)}.`);
    includes(markdown, '- Attention is counted without the causal mask saving.');
  });

  it('escapes table separators in names', () => {
    const result = sampleResult({ model: { name: 'odd|name', parameters: 1e9 } });
    assert.ok(markdownOf(renderMarkdownReport(sampleAnalysis({ result }), context)).includes('odd\\|name'));
  });

  it('refuses documents without an analysis, and other kinds of document', () => {
    const failed = renderMarkdownReport(sampleAnalysis({ result: undefined, errors: ['model: unknown preset'] }), context);
    assert.deepEqual(failed, { error: 'The deployment has errors that prevent an analysis: model: unknown preset' });
    assert.ok('error' in renderMarkdownReport(sampleAnalysis({ kind: 'hardware' }), context));
  });
});
