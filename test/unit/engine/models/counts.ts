/**
 * The figures transformers' modelling code can be checked against, read from the engine the way
 * each of transformers' numbers is defined (test/fixtures/transformers/README.md):
 * - parameters: every stored parameter of the unsplit model;
 * - KV bytes: the cache one sequence of T tokens holds, in a 16-bit format, sliding and chunked
 *   layers capped at their window, constant per-sequence state (linear attention, state-space
 *   layers) included once;
 * - prefill FLOPs: 2·M·N·K of every matmul (projections with their bias adds, experts for the k
 *   routed per token, the attention score and value products over the full T × T square as eager
 *   attention computes them, lm_head for the last token); elementwise work is left out, as
 *   FlopCounterMode leaves it out.
 */
import { prepareDefault } from '../../../../language-server/src/engine/default/prepare';
import { kvCacheBytes, stateBytes } from '../../../../language-server/src/engine/default/memory';
import { parseNumberFormat } from '../../../../language-server/src/engine/formats';
import type { EngineInput, HfConfig } from '../../../../language-server/src/engine/types';
import { analyze, H100 } from '../default/helpers';

function input(model: HfConfig, promptTokens: number): EngineInput {
  const bf16 = parseNumberFormat('bf16', ['quantization', 'weights']);
  return {
    model,
    modelName: 'oracle',
    hardware: H100,
    workload: { batchSize: 1, promptTokens, outputTokens: 1 },
    quantization: { weights: bf16, activations: bf16, kvCache: bf16 },
    flashAttention: false,
    parallelism: { tensor: 1 },
    conventions: 'default',
  };
}

export function parameterCounts(model: HfConfig): { total: number; active: number } {
  const result = analyze({ model, promptTokens: 16, outputTokens: 2, weights: 'bf16', activations: 'bf16', kvCache: 'bf16', hardware: H100 });
  return { total: result.model.parameters, active: result.model.active_parameters ?? result.model.parameters };
}

/** 16-bit cache and state bytes of one sequence holding `tokens` tokens. */
export function kvBytes(model: HfConfig, tokens: number): number {
  const prepared = prepareDefault(input(model, tokens));
  return kvCacheBytes(prepared.memoryLayers, 1, tokens, prepared.sizes) + stateBytes(prepared.memoryLayers, 1, prepared.sizes);
}

/** Matmul FLOPs of a prefill of `tokens` tokens of one sequence, eager attention (full square). */
export function prefillMatmulFlops(model: HfConfig, tokens: number): number {
  const prepared = prepareDefault(input(model, tokens));
  const step = { batchSize: 1, queryTokens: tokens, cachedTokens: 0, logitTokensPerSequence: 1 };
  let flops = 0;
  for (const { template, count } of prepared.prefillLayers) {
    if (template.unit === 'matmul' || template.unit === 'attention') flops += count * template.cost(step).flops;
  }
  return flops;
}
