import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLlmViewer } from '../../../../language-server/src/engine/llmviewer/analyze';
import type { EngineInput, HardwareSpec } from '../../../../language-server/src/engine/types';
import { assertRelative, LLAMA_2, llmViewerInput } from './helpers';

/**
 * LLM-Viewer's `analyze_generate_task` as upstream runs it: one whole analysis per generated
 * token, the decode total at context i = p … p+g−1 added to the prefill time one at a time.
 */
function bruteForceGenerateSeconds(input: EngineInput): number {
  const { promptTokens, outputTokens } = input.workload;
  let seconds = analyzeLlmViewer(input).stages.prefill.totals.seconds;
  for (let context = promptTokens; context < promptTokens + outputTokens; context++) {
    const step = analyzeLlmViewer({ ...input, workload: { ...input.workload, promptTokens: context } });
    seconds += step.stages.decode.totals.seconds;
  }
  return seconds;
}

describe('llm-viewer conventions: generate task (spec §9, latest)', () => {
  const scenarios: [string, EngineInput][] = [
    ['7b, A6000, no flash', llmViewerInput({ seqlen: 200, outputTokens: 64, batchsize: 4 })],
    ['7b, A6000, flash, w4a16kv4', llmViewerInput({ seqlen: 130, outputTokens: 40, flash: true, wBit: 4, kvBit: 4 })],
    ['70b GQA, A100_80G, tp 2, flash', llmViewerInput({ model: LLAMA_2['70b'], hardware: 'nvidia_A100_80G', seqlen: 500, outputTokens: 33, batchsize: 16, tp: 2, flash: true })],
    ['13b, H100, w8a8kv8, large batch', llmViewerInput({ model: LLAMA_2['13b'], hardware: 'nvidia_H100', seqlen: 64, outputTokens: 50, batchsize: 128, wBit: 8, aBit: 8 })],
  ];

  for (const [label, input] of scenarios) {
    it(`matches one analysis per token: ${label}`, () => {
      const result = analyzeLlmViewer(input);
      const reference = bruteForceGenerateSeconds(input);
      // The closed form regroups upstream's additions, so the floats agree to rounding.
      assertRelative(result.metrics.e2e_seconds, reference, 'e2e', 1e-12);
    });
  }

  it('adds one decode step at s = prompt length for one output token', () => {
    const result = analyzeLlmViewer(llmViewerInput({ seqlen: 1024, outputTokens: 1 }));
    assert.equal(result.metrics.e2e_seconds, result.metrics.ttft_seconds + result.stages.decode.totals.seconds);
    // (e2e − ttft) / 1 recovers the decode total up to the rounding of the subtraction.
    assertRelative(result.metrics.tpot_seconds, result.stages.decode.totals.seconds, 'tpot', 1e-12);
  });

  it('derives TPOT and throughput from the generate task', () => {
    const input = llmViewerInput({ seqlen: 256, outputTokens: 100, batchsize: 8 });
    const { metrics } = analyzeLlmViewer(input);
    assert.equal(metrics.ttft_seconds, analyzeLlmViewer(input).stages.prefill.totals.seconds);
    assertRelative(metrics.tpot_seconds, (metrics.e2e_seconds - metrics.ttft_seconds) / 100, 'tpot', 1e-15);
    // Generated tokens of the whole batch over the whole request.
    assertRelative(metrics.output_tokens_per_second, (8 * 100) / metrics.e2e_seconds, 'tokens/s', 1e-15);
    // Attention grows with the context, so a step costs more than the first one.
    assert.ok(metrics.tpot_seconds > analyzeLlmViewer(input).stages.decode.totals.seconds);
  });

  it('sums a long generation in closed form, equal to one analysis per token within 1e-12', () => {
    // 70b at batch 8, 1,000 output tokens after a 1,000-token prompt, with and without flash
    // attention: 1,000 whole analyses against one closed-form sum.
    for (const flash of [false, true]) {
      const input = llmViewerInput({ model: LLAMA_2['70b'], hardware: 'nvidia_H100', seqlen: 1000, outputTokens: 1000, batchsize: 8, flash });
      assertRelative(analyzeLlmViewer(input).metrics.e2e_seconds, bruteForceGenerateSeconds(input), `closed form, flash ${flash}`, 1e-12);
    }
  });
});

interface UpstreamGenerateCase {
  prompt_len: number;
  gen_len: number;
  batchsize: number;
  w_bit: number;
  a_bit: number;
  kv_bit: number;
  inference_time: number;
}

describe("llm-viewer conventions: generate task against LLM-Viewer's own outputs", () => {
  // test/fixtures/llm-viewer/generate_cases.json: upstream's analyze_generate_task, run by
  // tools/llm-viewer/run_upstream.py (its meta says which commit, model and hardware).
  const fixture = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/llm-viewer/generate_cases.json'), 'utf8')) as {
    meta: { hardware: string; hardware_params: { bandwidth: number; FP16: number; INT8: number; onchip_buffer: number } };
    cases: UpstreamGenerateCase[];
  };
  const { bandwidth, FP16, INT8, onchip_buffer } = fixture.meta.hardware_params;
  const hardware: HardwareSpec = {
    name: fixture.meta.hardware,
    memoryBandwidthBytesPerSecond: bandwidth,
    peakOpsPerSecond: { fp16: FP16, int8: INT8 },
    onChipBufferBytes: onchip_buffer,
  };
  for (const upstream of fixture.cases) {
    const label = `prompt ${upstream.prompt_len}, ${upstream.gen_len} generated, batch ${upstream.batchsize}, w${upstream.w_bit}a${upstream.a_bit}kv${upstream.kv_bit}`;
    it(`equals analyze_generate_task within 1e-9: ${label}`, () => {
      const input = llmViewerInput({
        hardware,
        seqlen: upstream.prompt_len,
        outputTokens: upstream.gen_len,
        batchsize: upstream.batchsize,
        wBit: upstream.w_bit,
        aBit: upstream.a_bit,
        kvBit: upstream.kv_bit,
      });
      assertRelative(analyzeLlmViewer(input).metrics.e2e_seconds, upstream.inference_time, label, 1e-9);
    });
  }
});
