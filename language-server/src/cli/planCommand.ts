/**
 * `llm-roofline plan FILE [--json] [--top N]`: the cheapest deployments that meet the file's
 * `targets:`, searched over its `plan:` section, best first.
 */
import { dirname, resolve } from 'node:path';
import { plan, type PlanResult } from '../api';
import { parseDocument } from '../config/parse';
import { formatMilliseconds, formatNumber, formatTokensPerSecond } from '../format/units';
import { gpusLabel } from '../plan/disaggregatedPools';
import { table } from './format';
import { loadArgumentFile } from './loadFile';
import type { Output } from './output';

function describe(candidate: PlanResult['candidates'][number]): string[] {
  const deployment = candidate.deployment as { hardware: string; parallelism: Record<string, number>; quantization: Record<string, unknown>; serving: { concurrency: unknown } };
  const parallelism = Object.entries(deployment.parallelism).map(([key, value]) => `${key[0]!.toUpperCase()}P${value}`).join(' ');
  return [
    candidate.cost_per_million_output_tokens_usd !== undefined ? `$${formatNumber(candidate.cost_per_million_output_tokens_usd)}` : 'no price',
    deployment.hardware,
    gpusLabel(candidate),
    parallelism,
    `${String(deployment.quantization.weights)}/${String(deployment.quantization.kv_cache)}`,
    String(deployment.serving.concurrency),
    formatTokensPerSecond(candidate.metrics.output_tokens_per_second_per_gpu),
    formatTokensPerSecond(candidate.metrics.output_tokens_per_second_per_user),
    formatMilliseconds(candidate.metrics.ttft_ms),
    formatMilliseconds(candidate.metrics.tpot_ms),
  ];
}

export function runPlan(path: string, options: { json: boolean; top: number }, output: Output): number {
  const loaded = loadArgumentFile(path);
  if (!loaded.ok) {
    output.err(`llm-roofline: ${loaded.message}`);
    return 1;
  }
  const doc = parseDocument(loaded.uri, loaded.text, 'deployment');
  let result: PlanResult;
  try {
    result = plan(doc.value, { baseDir: dirname(resolve(path)) });
  } catch (error) {
    output.err(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const shown = result.candidates.slice(0, options.top);
  if (options.json) {
    output.out(JSON.stringify({ candidates: shown, evaluated: result.evaluated, meeting: result.meeting }, null, 2));
    return 0;
  }
  output.out(`${result.meeting} of ${result.evaluated} deployments analysed meet every target${result.meeting > shown.length ? `; the best ${shown.length}` : ''}:`);
  if (shown.length === 0) return 0;
  output.out('');
  output.out(
    table(
      ['$/M out', 'hardware', 'GPUs', 'parallelism', 'weights/KV', 'in flight', 'per GPU', 'per user', 'TTFT', 'TPOT'],
      shown.map(describe),
      [true, false, true, false, false, true, true, true, true, true],
    ),
  );
  return 0;
}
