/** The `Serving` section of the command line's report: the steady state under load. */
import type { ServingResult } from '../engine/types';
import { formatBytes, formatNumber, formatPercent, formatSeconds, formatTokensPerSecond } from '../format/units';

function rate(perSecond: number, unit: string): string {
  return `${formatNumber(perSecond)} ${unit}`;
}

export function servingLines(serving: ServingResult): string[] {
  const lines = [
    'Serving (steady state under load, continuous batching)',
    `  in flight    ${serving.concurrency === Math.round(serving.concurrency) ? serving.concurrency : formatNumber(serving.concurrency)} requests (the KV pool holds ${serving.max_concurrency}; ${serving.decode_batch_per_instance > 0 ? `${formatNumber(serving.decode_batch_per_instance)} decode per step per instance` : 'prefill only'})`,
    `  KV pool      ${formatBytes(serving.kv_pool_bytes_per_gpu)} per GPU`,
    `  throughput   ${formatTokensPerSecond(serving.output_tokens_per_second)} output (${formatTokensPerSecond(serving.output_tokens_per_second_per_gpu)} per GPU on ${serving.gpus} GPU${serving.gpus === 1 ? '' : 's'}, ${formatTokensPerSecond(serving.output_tokens_per_second_per_user)} per user); ${rate(serving.requests_per_second, 'requests/s')}`,
    `  TTFT         ${formatSeconds(serving.ttft_seconds)}${serving.queue_seconds > 0 ? ` (${formatSeconds(serving.queue_seconds)} of it waiting)` : ''}`,
    `  TPOT         ${formatSeconds(serving.tpot_seconds)}`,
    `  end to end   ${formatSeconds(serving.e2e_seconds)}`,
    `  saturation   ${rate(serving.saturation_requests_per_second, 'requests/s')} at most; now ${formatPercent(serving.utilization)} of it`,
  ];
  if (serving.disaggregated) {
    const split = serving.disaggregated;
    lines.push(
      `  pools        prefill ${split.prefill_gpus} GPUs (${rate(split.prefill_requests_per_second, 'requests/s')}), decode ${split.decode_gpus} GPUs (${rate(split.decode_requests_per_second, 'requests/s')}); KV transfer ${formatSeconds(split.kv_transfer_seconds)} per request`,
    );
  }
  if (serving.cost_per_million_output_tokens_usd !== undefined && serving.cost_per_million_input_tokens_usd !== undefined) {
    lines.push(`  cost         $${formatNumber(serving.cost_per_million_output_tokens_usd)} per million output tokens, $${formatNumber(serving.cost_per_million_input_tokens_usd)} per million input tokens`);
  }
  return lines;
}
