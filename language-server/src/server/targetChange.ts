/**
 * The cheapest single change that makes a deployment meet every target it misses, for the
 * diagnostic on a missed target and its quick fix. A small neighbourhood, each point one field of
 * the file changed: smaller weight or KV cache formats, twice the tensor parallelism, fewer
 * requests in flight (under `serving:`) or a smaller batch. Each is analysed by the same engine as
 * the result, must fit in memory and meet every stated target; the cheapest is the one with the
 * fewest GPU-seconds per output token (what a GPU-hour price turns into the cost per token). The
 * search stops at its time budget, so a check stays within its own.
 */
import { missedTargets, targetFigures, type ServiceTargets, type TargetFigures } from '../engine/targets';
import { analyzeResolved, parseNumberFormat } from '../engine/index';
import { servingOnly } from '../engine/default/analyze';
import type { AnalysisResult, EngineInput } from '../engine/types';
import type { JsonPath } from '../config/types';

/** One field changed, and what the deployment does with it. */
export interface TargetChange {
  path: JsonPath;
  value: string | number;
  /** How the message names it: "fp8 weights", "tensor parallelism 4". */
  label: string;
  figures: TargetFigures;
  /** GPU-seconds per output token: the ranking. */
  gpuSecondsPerToken: number;
}

/** Milliseconds the search may take; the document check's budget is 100 ms in all. */
export const TARGET_CHANGE_BUDGET_MS = 40;

interface Neighbour {
  path: JsonPath;
  value: string | number;
  label: string;
  /** GPUs of one instance with the change (the serving result counts its own). */
  gpus: number;
  /** Neighbours of one kind, tried in order, where the first that meets the targets is the cheapest of them. */
  group?: string;
  evaluate(): { result: AnalysisResult; fits: boolean };
}

/** Powers of two below `current`, largest first (down to 1). */
function halvings(current: number): number[] {
  const values: number[] = [];
  for (let value = 2 ** Math.floor(Math.log2(Math.max(1, current))); value >= 1; value /= 2) if (value < current) values.push(value);
  return values;
}

function neighbours(input: EngineInput, result: AnalysisResult): Neighbour[] {
  const list: Neighbour[] = [];
  const gpus = input.parallelism.tensor * (input.parallelism.pipeline ?? 1);
  const serving = input.serving;
  // Under load only the serving figures are checked: the serving computation alone is several
  // times cheaper than a full analysis, and fits when the KV pool holds one request.
  const evaluate = (changed: EngineInput) => () => {
    if (serving && result.serving) {
      const changedServing = servingOnly(changed);
      return { result: { ...result, serving: changedServing }, fits: changedServing.max_concurrency >= 1 };
    }
    const changedResult = analyzeResolved(changed);
    return { result: changedResult, fits: changedResult.memory.fits };
  };
  if (serving && result.serving) {
    // An arrival rate fixes the load: fewer requests in flight is not a change of one field then.
    if (serving.requestRatePerSecond === undefined) {
      for (const concurrency of halvings(result.serving.concurrency)) {
        list.push({ path: ['serving', 'concurrency'], value: concurrency, label: `${concurrency} requests in flight`, gpus, group: 'load', evaluate: evaluate({ ...input, serving: { ...serving, concurrency } }) });
      }
    }
  } else {
    for (const batchSize of halvings(input.workload.batchSize)) {
      list.push({ path: ['workload', 'batch_size'], value: batchSize, label: `batch size ${batchSize}`, gpus, group: 'load', evaluate: evaluate({ ...input, workload: { ...input.workload, batchSize } }) });
    }
  }
  const viewer = input.conventions === 'llm-viewer';
  const formats: (string | number)[] = viewer ? [8, 4] : ['fp8', 'int4'];
  for (const format of formats) {
    const parsed = parseNumberFormat(format, ['quantization', 'weights']);
    if (parsed.bitsPerElement >= input.quantization.weights.bitsPerElement) continue;
    list.push({ path: ['quantization', 'weights'], value: format, label: `${format}${viewer ? '-bit' : ''} weights`, gpus, evaluate: evaluate({ ...input, quantization: { ...input.quantization, weights: parsed } }) });
  }
  const kv = parseNumberFormat(formats[0], ['quantization', 'kv_cache']);
  if (kv.bitsPerElement < input.quantization.kvCache.bitsPerElement) {
    list.push({ path: ['quantization', 'kv_cache'], value: formats[0]!, label: `${formats[0]}${viewer ? '-bit' : ''} KV cache`, gpus, evaluate: evaluate({ ...input, quantization: { ...input.quantization, kvCache: kv } }) });
  }
  const tensor = input.parallelism.tensor * 2;
  list.push({ path: ['parallelism', 'tensor'], value: tensor, label: `tensor parallelism ${tensor}`, gpus: gpus * 2, evaluate: evaluate({ ...input, parallelism: { ...input.parallelism, tensor } }) });
  return list;
}

function gpuSecondsPerToken(result: AnalysisResult, figures: TargetFigures, instanceGpus: number): number {
  const gpus = result.serving?.gpus ?? instanceGpus;
  return figures.tokensPerSecond > 0 ? gpus / figures.tokensPerSecond : Infinity;
}

/**
 * The cheapest change that meets every target, or undefined when none in the neighbourhood does
 * (or the budget ran out first). `now` is a millisecond clock.
 */
export function cheapestTargetChange(input: EngineInput, result: AnalysisResult, targets: ServiceTargets, now: () => number, budgetMs = TARGET_CHANGE_BUDGET_MS): TargetChange | undefined {
  const deadline = now() + budgetMs;
  let best: TargetChange | undefined;
  const settled = new Set<string>();
  for (const neighbour of neighbours(input, result)) {
    if (now() > deadline) break;
    if (neighbour.group !== undefined && settled.has(neighbour.group)) continue;
    let evaluated: { result: AnalysisResult; fits: boolean };
    try {
      evaluated = neighbour.evaluate();
    } catch {
      // The model cannot take it (heads not divisible by the tensor degree): not a change to offer.
      continue;
    }
    const changed = evaluated.result;
    if (!evaluated.fits) continue;
    const figures = targetFigures(changed);
    if (missedTargets(targets, figures).length > 0) continue;
    // Less load only costs more per token: the largest load that meets the targets is the cheapest of its kind.
    if (neighbour.group !== undefined) settled.add(neighbour.group);
    const cost = gpuSecondsPerToken(changed, figures, neighbour.gpus);
    if (!Number.isFinite(cost)) continue;
    if (!best || cost < best.gpuSecondsPerToken) best = { path: neighbour.path, value: neighbour.value, label: neighbour.label, figures, gpuSecondsPerToken: cost };
  }
  return best;
}
