/**
 * Hover lines and inlay hints for `serving:`, `cost:` and `targets:` under load: the steady-state
 * figures of the `serving` result, with the relations behind them.
 */
import type { JsonPath } from '../config/types';
import type { AnalysisResult } from '../engine/types';
import { formatBytes, formatInteger, formatNumber, formatSeconds, formatTokensPerSecond } from '../format/units';

/** Hover lines for a key under `serving:` or `cost:`; undefined when the key is not one of them. */
export function servingHoverLines(path: JsonPath, result: AnalysisResult): string[] | undefined {
  const serving = result.serving;
  if (!serving || (path[0] !== 'serving' && path[0] !== 'cost')) return undefined;
  const throughput = `**${formatTokensPerSecond(serving.output_tokens_per_second)} output** (${formatTokensPerSecond(serving.output_tokens_per_second_per_gpu)} per GPU, ${formatTokensPerSecond(serving.output_tokens_per_second_per_user)} per user = 1 / TPOT)`;
  const latency = `TTFT ${formatSeconds(serving.ttft_seconds)}, TPOT ${formatSeconds(serving.tpot_seconds)}; end to end \`${formatSeconds(serving.queue_seconds)} waiting + ${formatSeconds(serving.ttft_seconds - serving.queue_seconds)} + (o − 1) × ${formatSeconds(serving.tpot_seconds)} = ${formatSeconds(serving.e2e_seconds)}\``;
  const pool = `KV pool ${formatBytes(serving.kv_pool_bytes_per_gpu)} per GPU (utilization × capacity − weights − activations of a full step − memory outside torch) holds **${formatInteger(serving.max_concurrency)}** requests`;
  switch (path.join('.')) {
    case 'serving.kv_block_tokens':
    case 'serving.max_batched_tokens':
      return [pool, `${formatNumber(serving.decode_batch_per_instance)} requests decode per step per instance`];
    case 'serving.max_model_len': {
      const startup = serving.startup;
      if (!startup) return [pool];
      return [
        `**${formatNumber(startup.max_concurrency_at_max_model_len)} requests of ${formatInteger(startup.max_model_len)} tokens** fit at once: KV pool ${formatBytes(startup.kv_pool_bytes_per_gpu)} per GPU / ${formatBytes(startup.kv_bytes_per_max_len_request)} per request`,
        `${formatInteger(startup.kv_blocks_per_gpu)} blocks of ${startup.kv_block_tokens} tokens (${formatInteger(startup.kv_pool_tokens)} tokens); the longest request that fits: ${formatInteger(startup.longest_fitting_model_len)} tokens`,
      ];
    }
    case 'serving.max_running_requests':
      return [pool, `${formatNumber(serving.decode_batch_per_instance)} requests decode per step per instance`];
    case 'serving.request_rate':
      return [
        `${formatNumber(serving.requests_per_second)} requests/s of at most ${formatNumber(serving.saturation_requests_per_second)} (${formatNumber(serving.utilization * 100)}% busy): ${formatNumber(serving.concurrency)} in flight`,
        `Waiting ${formatSeconds(serving.queue_seconds)} for one of ${formatNumber(serving.max_concurrency)} KV slots (M/D/c: half the Erlang C wait)`,
        latency,
      ];
    case 'cost':
    case 'cost.gpu_hour_usd':
      return serving.cost_per_million_output_tokens_usd !== undefined && serving.cost_per_million_input_tokens_usd !== undefined
        ? [
            `**$${formatNumber(serving.cost_per_million_output_tokens_usd)} per million output tokens** (${serving.gpus} GPU${serving.gpus === 1 ? '' : 's'} × price / output tokens per hour); $${formatNumber(serving.cost_per_million_input_tokens_usd)} per million input tokens`,
          ]
        : [];
    default:
      return [throughput, latency, pool];
  }
}

/** Inlay hint text after a serving or cost key, or undefined. */
export function servingHint(path: JsonPath, result: AnalysisResult): string | undefined {
  const serving = result.serving;
  if (!serving) return undefined;
  switch (path.join('.')) {
    case 'serving.concurrency':
    case 'serving.request_rate':
      return `${formatNumber(serving.output_tokens_per_second)} tok/s · TTFT ${formatSeconds(serving.ttft_seconds)} · TPOT ${formatSeconds(serving.tpot_seconds)}`;
    case 'serving.kv_block_tokens':
      return `KV pool holds ${formatInteger(serving.max_concurrency)} requests`;
    case 'cost.gpu_hour_usd':
      return serving.cost_per_million_output_tokens_usd !== undefined ? `$${formatNumber(serving.cost_per_million_output_tokens_usd)} / M output tokens` : undefined;
    default:
      return undefined;
  }
}

export const SERVING_HINT_PATHS: readonly JsonPath[] = [
  ['serving', 'concurrency'],
  ['serving', 'request_rate'],
  ['serving', 'kv_block_tokens'],
  ['cost', 'gpu_hour_usd'],
];
