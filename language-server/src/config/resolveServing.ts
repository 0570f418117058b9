/**
 * The deployment keys about how the model is served rather than what it is: `efficiency`
 * (ideal or achievable roofline, or expected serving times), `memory.utilization` (the share of
 * device memory a serving engine may use), `speculative` (a draft model), `serving` (load:
 * concurrency or request rate, step budget, KV blocks, disaggregated pools) and `cost`. Wrong types are the schema's to report;
 * ranges are checked by the engine, which names the field.
 */
import { DEFAULT_KV_BLOCK_TOKENS, DEFAULT_MAX_BATCHED_TOKENS, TENSORRT_LLM_KV_BLOCK_TOKENS } from '../engine/default/serving';
import type { EfficiencyChoice, ServingSpec, SpeculativeSpec } from '../engine/types';
import { valueAt } from './parse';
import type { ResolutionContext } from './references';
import { resolveModelValue } from './resolveModel';
import type { JsonPath, ParsedDocument } from './types';

/** Drafted tokens per verification step when the deployment does not say (vLLM's examples use 4–5). */
export const DEFAULT_DRAFT_TOKENS = 4;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function efficiencyOf(root: Record<string, unknown>): EfficiencyChoice | undefined {
  const value = root.efficiency;
  if (value === 'ideal' || value === 'achievable' || value === 'expected') return value;
  if (!isObject(value)) return undefined;
  return {
    ...(typeof value.memory === 'number' ? { memory: value.memory } : {}),
    ...(typeof value.compute === 'number' ? { compute: value.compute } : {}),
  };
}

export function memoryUtilizationOf(root: Record<string, unknown>): number | undefined {
  const value = valueAt(root, ['memory', 'utilization']);
  return typeof value === 'number' ? value : undefined;
}

/**
 * `speculative: { draft_model, draft_tokens, acceptance_rate }`. Resolved only when the draft
 * model resolves and acceptance_rate is a number (the schema requires both); `undefined` with
 * `ok: false` means it was written but cannot be used, so no analysis should run.
 */
export function speculativeOf(
  context: ResolutionContext,
  doc: ParsedDocument,
  root: Record<string, unknown>,
): { ok: boolean; spec?: SpeculativeSpec } {
  const value = root.speculative;
  if (value === undefined) return { ok: true };
  if (!isObject(value)) return { ok: false };
  const at: JsonPath = ['speculative', 'draft_model'];
  const draft = value.draft_model === undefined ? {} : resolveModelValue(context, doc, value.draft_model, at);
  const acceptanceRate = value.acceptance_rate;
  const draftTokens = value.draft_tokens ?? DEFAULT_DRAFT_TOKENS;
  const rates = typeof acceptanceRate === 'number' || (Array.isArray(acceptanceRate) && acceptanceRate.every((rate) => typeof rate === 'number'));
  if (!rates || typeof draftTokens !== 'number') return { ok: false };
  const rate = acceptanceRate as number | number[];
  // `draft: mtp`: the model's own multi-token-prediction module; the engine checks the model has one
  // (and reports a draft_model written beside it).
  if (value.draft === 'mtp') {
    return {
      ok: value.draft_model === undefined || draft.config !== undefined,
      spec: { draft: 'mtp', ...(draft.config ? { draftModel: draft.config } : {}), draftModelName: 'MTP module', draftTokens, acceptanceRate: rate },
    };
  }
  if (value.draft !== undefined || !draft.config) return { ok: false };
  return {
    ok: true,
    spec: { draftModel: draft.config, draftModelName: draft.name ?? 'draft model', draftTokens, acceptanceRate: rate },
  };
}

/**
 * `serving:` with its defaults (concurrency max when neither concurrency nor request_rate is
 * given). Values of the wrong type are left out: the schema reports them.
 */
export function servingOf(root: Record<string, unknown>): ServingSpec | undefined {
  const value = root.serving;
  if (!isObject(value)) return undefined;
  const number = (key: string): number | undefined => (typeof value[key] === 'number' ? (value[key] as number) : undefined);
  const concurrency = value.concurrency === 'max' ? 'max' : number('concurrency');
  const requestRate = number('request_rate');
  const split = value.disaggregated;
  const budget = value.memory_budget === 'vllm' || value.memory_budget === 'sglang' || value.memory_budget === 'tensorrt-llm' ? value.memory_budget : undefined;
  const prefillGpus = isObject(split) && typeof split.prefill_gpus === 'number' ? split.prefill_gpus : undefined;
  const decodeGpus = isObject(split) && typeof split.decode_gpus === 'number' ? split.decode_gpus : undefined;
  return {
    ...(concurrency !== undefined ? { concurrency } : requestRate === undefined ? { concurrency: 'max' as const } : {}),
    ...(requestRate !== undefined ? { requestRatePerSecond: requestRate } : {}),
    maxBatchedTokens: number('max_batched_tokens') ?? DEFAULT_MAX_BATCHED_TOKENS,
    kvBlockTokens: number('kv_block_tokens') ?? (budget === 'tensorrt-llm' ? TENSORRT_LLM_KV_BLOCK_TOKENS : DEFAULT_KV_BLOCK_TOKENS),
    ...(prefillGpus !== undefined && decodeGpus !== undefined ? { disaggregated: { prefillGpus, decodeGpus } } : {}),
    ...(number('max_model_len') !== undefined ? { maxModelLen: number('max_model_len')! } : {}),
    ...(number('max_running_requests') !== undefined ? { maxRunningRequests: number('max_running_requests')! } : {}),
    ...(budget !== undefined ? { memoryBudget: budget } : {}),
    ...(number('kv_cache_max_tokens') !== undefined ? { kvCacheMaxTokens: number('kv_cache_max_tokens')! } : {}),
  };
}

/** `cost.gpu_hour_usd`, when written as a number. */
export function gpuHourUsdOf(root: Record<string, unknown>): number | undefined {
  const value = valueAt(root, ['cost', 'gpu_hour_usd']);
  return typeof value === 'number' ? value : undefined;
}
