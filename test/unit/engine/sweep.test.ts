import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { parseSweepValues, sweepResolved, type SweepPath } from '../../../language-server/src/engine/sweep';
import type { EngineInput } from '../../../language-server/src/engine/types';
import { A6000, assertClose, engineInput, H100, hfConfig } from './default/helpers';

const WORKLOAD_KEY = { 'workload.batch_size': 'batchSize', 'workload.prompt_tokens': 'promptTokens', 'workload.output_tokens': 'outputTokens' } as const;

/** Every point equals a full analysis of the deployment with that value. */
function assertSweepMatchesAnalyses(input: EngineInput, path: SweepPath, values: number[]): void {
  const sweep = sweepResolved(input, { path, values });
  assert.deepEqual(sweep.points.map((point) => point.value), values);
  sweep.points.forEach((point) => {
    const result = analyzeResolved({ ...input, workload: { ...input.workload, [WORKLOAD_KEY[path]]: point.value } });
    const what = `${path}=${point.value}`;
    assertClose(point.ttft_seconds, result.metrics.ttft_seconds, 1e-12, `${what} TTFT`);
    assertClose(point.tpot_seconds, result.metrics.tpot_seconds, 1e-12, `${what} TPOT`);
    assertClose(point.e2e_seconds, result.metrics.e2e_seconds, 1e-12, `${what} e2e`);
    assertClose(point.output_tokens_per_second, result.metrics.output_tokens_per_second, 1e-12, `${what} tokens/s`);
    assert.equal(point.total_memory_bytes, result.memory.total_bytes, `${what} memory`);
    assert.equal(point.fits, result.memory.fits, `${what} fits`);
  });
}

describe('sweeps', () => {
  const models: [string, EngineInput][] = [
    ['dense GQA (Llama-3.1-8B)', engineInput({ model: hfConfig('llama-3.1-8b'), hardware: H100 })],
    ['mixture of experts at TP 2 (Mixtral-8x7B)', engineInput({ model: hfConfig('mixtral-8x7b'), hardware: H100, tensor: 2 })],
    ['latent attention, MoE, TP 8 (DeepSeek-V3)', engineInput({ model: hfConfig('deepseek-v3'), hardware: H100, tensor: 8, weights: 'fp8-block128' })],
    ['sliding windows (Gemma-2-9B), unfused attention', engineInput({ model: hfConfig('gemma-2-9b'), hardware: A6000, flashAttention: false })],
    [
      'pipeline 3 and expert parallelism 2 (Mixtral-8x7B)',
      { ...engineInput({ model: hfConfig('mixtral-8x7b'), hardware: H100, tensor: 2 }), parallelism: { tensor: 2, expert: 2, pipeline: 3 } },
    ],
  ];
  for (const [label, input] of models) {
    it(`gives exactly what full analyses give: ${label}`, () => {
      assertSweepMatchesAnalyses(input, 'workload.batch_size', [1, 3, 64, 512]);
      assertSweepMatchesAnalyses(input, 'workload.prompt_tokens', [1, 200, 5000]);
      assertSweepMatchesAnalyses(input, 'workload.output_tokens', [1, 2, 300]);
    });
  }

  it('sweeps achievable rooflines, speculative decoding and LLM-Viewer conventions the same way', () => {
    const achievable = { ...engineInput({ hardware: H100 }), efficiency: 'achievable' as const };
    assertSweepMatchesAnalyses(achievable, 'workload.batch_size', [1, 16]);
    const speculative: EngineInput = {
      ...engineInput({ model: hfConfig('llama-2-70b'), hardware: H100, tensor: 4 }),
      speculative: { draftModel: hfConfig('llama-2-7b'), draftModelName: 'draft', draftTokens: 3, acceptanceRate: 0.6 },
    };
    assertSweepMatchesAnalyses(speculative, 'workload.batch_size', [1, 8]);
    assertSweepMatchesAnalyses({ ...engineInput(), conventions: 'llm-viewer', flashAttention: false }, 'workload.prompt_tokens', [128, 512]);
  });

  it('marks the points that do not fit', () => {
    // Llama-2-7B fp16 on a 48 GiB A6000: at 1024 + 256 tokens each sequence needs 0.75 GB (KV + activations).
    const sweep = sweepResolved(engineInput(), { path: 'workload.batch_size', values: [1, 32, 64] });
    assert.deepEqual(sweep.points.map((point) => point.fits), [true, true, false]);
    assert.equal(sweep.capacity_bytes, 48 * 1024 ** 3);
  });

  it('reads lists and ranges as the command line writes them', () => {
    assert.deepEqual(parseSweepValues('1..256'), [1, 2, 4, 8, 16, 32, 64, 128, 256]);
    assert.deepEqual(parseSweepValues('3..20'), [3, 6, 12]);
    assert.deepEqual(parseSweepValues('1..10:3'), [1, 4, 7, 10]);
    assert.deepEqual(parseSweepValues('128..512:128'), [128, 256, 384, 512]);
    assert.deepEqual(parseSweepValues(' 1, 8,32 '), [1, 8, 32]);
    for (const bad of ['0..4', '8..2', '1..8:0', 'a..b', '1,,2', '', '1..1000000:1', '2.5']) {
      assert.throws(() => parseSweepValues(bad, ['workload', 'batch_size']), RooflineInputError, bad);
    }
  });

  it('refuses a field it cannot sweep and values that are not positive whole numbers', () => {
    const input = engineInput();
    assert.throws(() => sweepResolved(input, { path: 'parallelism.tensor' as SweepPath, values: [1] }), RooflineInputError);
    assert.throws(
      () => sweepResolved(input, { path: 'workload.batch_size', values: [1, 0] }),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'workload.batch_size',
    );
    assert.throws(() => sweepResolved(input, { path: 'workload.batch_size', values: [] }), RooflineInputError);
  });
});
