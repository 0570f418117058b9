/**
 * Checks that need the engine's numbers, not just the file: does the deployment fit in memory
 * (and if not, what would), and does it meet its `targets:`. Alternatives are found by running the
 * engine again with one input changed, so the advice uses the same formulas as the result.
 */
import { missedTargets, targetFigures, targetsOf, type TargetFigures } from '../engine/targets';
import { cheapestTargetChange, type TargetChange } from './targetChange';
import { ENGINE_KEYS } from '../engineArgs/applyEngineArgs';
import { hasPath } from '../config/parse';
import type { ConfigProblem, JsonPath, OffsetRange, ParsedDocument } from '../config/types';
import { analyzeResolved, parseNumberFormat } from '../engine/index';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { techniqueProblems } from './techniqueAdvice';
import { formatBytes, formatMilliseconds, formatNumber, formatRatio, formatTokensPerSecond, formatUsableMemory } from '../format/units';
import { perDeviceSuffix } from './figures';

export const SOURCE = 'llm-roofline';

export interface FitAdvice {
  neededBytes: number;
  capacityBytes: number;
  /** The largest batch that fits, when batch 1 fits at all. */
  largestBatch?: number;
  /** A weight format that makes the deployment fit on its own. */
  weights?: string;
  /** A KV-cache format that makes the deployment fit on its own. */
  kvCache?: string;
}

/** Candidate smaller formats, largest first: the first that fits loses the least accuracy. */
const SMALLER_FORMATS = ['fp8', 'int4'] as const;
const LLM_VIEWER_SMALLER_BITS = [8, 4] as const;

function fitsWith(input: EngineInput): boolean {
  try {
    return analyzeResolved(input).memory.fits;
  } catch {
    return false;
  }
}

/** Engine runs allowed to find the largest batch when the engine gives no capacity answer (LLM-Viewer's conventions). */
const MAX_BATCH_PROBES = 4;

/**
 * The largest batch that fits: the engine's capacity answer (the number the hover, the summary and
 * the CLI show). LLM-Viewer's conventions have no closed form, so there it is estimated from this
 * result (KV cache and activations grow in proportion to the batch) and confirmed with the engine's
 * own `fits`, the same definition.
 */
function largestFittingBatch(input: EngineInput, result: AnalysisResult, capacityBytes: number): number | undefined {
  if (result.capacity) {
    const largest = Math.min(result.capacity.max_batch_size, input.workload.batchSize - 1);
    return largest >= 1 ? largest : undefined;
  }
  const withBatch = (batchSize: number): EngineInput => ({ ...input, workload: { ...input.workload, batchSize } });
  const perSequenceBytes = (result.memory.kv_cache_bytes + result.memory.activations_bytes) / input.workload.batchSize;
  const freeBytes = capacityBytes * result.memory.memory_utilization - result.memory.weights_bytes;
  if (!(perSequenceBytes > 0) || freeBytes <= 0) return undefined;
  let estimate = Math.min(input.workload.batchSize - 1, Math.floor(freeBytes / perSequenceBytes));
  if (estimate < 1) return fitsWith(withBatch(1)) ? 1 : undefined;
  for (let probe = 0; probe < MAX_BATCH_PROBES; probe++) {
    if (!fitsWith(withBatch(estimate))) {
      if (estimate === 1) return undefined;
      estimate = Math.max(1, Math.floor(estimate * 0.97) - 1);
      continue;
    }
    if (estimate + 1 >= input.workload.batchSize || !fitsWith(withBatch(estimate + 1))) return estimate;
    estimate++;
  }
  return fitsWith(withBatch(estimate)) ? estimate : undefined;
}

function smallerFittingFormat(input: EngineInput, result: AnalysisResult, capacityBytes: number, which: 'weights' | 'kvCache'): string | undefined {
  const current = input.quantization[which].bitsPerElement;
  const candidates: (string | number)[] =
    input.conventions === 'llm-viewer' ? [...LLM_VIEWER_SMALLER_BITS] : [...SMALLER_FORMATS];
  const scaledBytes = which === 'weights' ? result.memory.weights_bytes : result.memory.kv_cache_bytes;
  for (const candidate of candidates) {
    const format = parseNumberFormat(candidate, ['quantization', which]);
    if (format.bitsPerElement >= current) continue;
    // Skip candidates that cannot fit even by the proportional estimate (one engine run saved each).
    const estimatedTotal = result.memory.total_bytes - scaledBytes * (1 - format.bitsPerElement / current);
    if (estimatedTotal > capacityBytes * result.memory.memory_utilization * 1.05) continue;
    if (fitsWith({ ...input, quantization: { ...input.quantization, [which]: format } })) return String(candidate);
  }
  return undefined;
}

export function adviseFit(input: EngineInput, result: AnalysisResult): FitAdvice | undefined {
  const capacityBytes = result.memory.capacity_bytes;
  if (result.memory.fits || capacityBytes === undefined) return undefined;
  const largestBatch = input.workload.batchSize > 1 ? largestFittingBatch(input, result, capacityBytes) : undefined;
  return {
    neededBytes: result.memory.total_bytes,
    capacityBytes,
    ...(largestBatch !== undefined ? { largestBatch } : {}),
    ...optional('weights', smallerFittingFormat(input, result, capacityBytes, 'weights')),
    ...optional('kvCache', smallerFittingFormat(input, result, capacityBytes, 'kvCache')),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function rangeOf(doc: ParsedDocument, paths: JsonPath[]): { range: OffsetRange; path: JsonPath } {
  for (const path of paths) {
    const location = doc.locate(path);
    if (location && hasPath(doc.value, path)) return { range: location.keyRange ?? location.valueRange, path };
  }
  return { range: { start: 0, end: Math.min(doc.text.length, doc.text.indexOf('\n') === -1 ? doc.text.length : doc.text.indexOf('\n')) }, path: [] };
}

function fitMessage(input: EngineInput, result: AnalysisResult, advice: FitAdvice): string {
  const memory = result.memory;
  const parts = [
    `weights ${formatBytes(memory.weights_bytes)}`,
    `KV cache ${formatBytes(memory.kv_cache_bytes)}`,
    `activations ${formatBytes(memory.activations_bytes)}`,
  ];
  const ways: string[] = [];
  if (advice.largestBatch !== undefined) ways.push(`batch_size ${advice.largestBatch}`);
  if (advice.weights !== undefined) ways.push(`weights ${advice.weights}`);
  if (advice.kvCache !== undefined) ways.push(`kv_cache ${advice.kvCache}`);
  const perDevice = perDeviceSuffix(input);
  const fix = ways.length > 0 ? ` Fits with ${ways.join(', or ')}.` : ' No smaller batch or format makes it fit: use more devices (parallelism.tensor) or larger hardware.';
  return `Does not fit in memory: needs ${formatBytes(advice.neededBytes)}${perDevice} (${parts.join(' + ')}) but ${input.hardware.name} may use ${formatUsableMemory(advice.capacityBytes, memory.memory_utilization)}.${fix}`;
}

export interface SemanticFindings {
  problems: ConfigProblem[];
  fit?: FitAdvice;
  /** The cheapest single change that meets every target, when a target is missed and one does. */
  targetChange?: TargetChange;
}

export function semanticProblems(doc: ParsedDocument, input: EngineInput, result: AnalysisResult, now: () => number = Date.now): SemanticFindings {
  const problems: ConfigProblem[] = [];
  const fit = adviseFit(input, result);
  if (fit) {
    const { range, path } = rangeOf(doc, [['workload', 'batch_size'], ['workload'], ['model']]);
    problems.push({
      uri: doc.uri,
      range,
      path,
      message: fitMessage(input, result, fit),
      code: 'does-not-fit',
      severity: 'error',
    });
  }
  const targets = targetsOf(doc.value);
  const missed = missedTargets(targets, targetFigures(result));
  // Only a deployment that fits has targets worth a change: one that does not gets the fit advice
  // first. A deployment written as an engine's command line takes changes as arguments, not keys.
  const searched = missed.length > 0 && !fit && !writtenAsCommand(doc.value);
  const targetChange = searched ? cheapestTargetChange(input, result, targets, now) : undefined;
  problems.push(...targetProblems(doc, result, searched ? (targetChange ?? null) : undefined));
  problems.push(...techniqueProblems(doc, input));
  return { problems, ...(fit ? { fit } : {}), ...(targetChange ? { targetChange } : {}) };
}

/** True for a deployment written as `vllm:` or `sglang:` arguments. */
export function writtenAsCommand(value: unknown): boolean {
  return value !== null && typeof value === 'object' && ENGINE_KEYS.some((key) => key in (value as Record<string, unknown>));
}

/** The figure a target is checked against, under a change, as the message names it. */
function figureText(key: string, figures: TargetFigures): string {
  switch (key) {
    case 'ttft_ms':
      return formatMilliseconds(figures.ttftMs);
    case 'tpot_ms':
      return formatMilliseconds(figures.tpotMs);
    default:
      return `${formatTokensPerSecond(figures.tokensPerSecond)}`;
  }
}

/** What the message says about a change: the cheapest one and the figure it gives, or that none in reach does. */
function changeText(key: string, change: TargetChange | null | undefined): string {
  if (change === undefined) return '.';
  if (change === null) return '; no single change of formats, tensor parallelism or load meets every target: "Find the cheapest deployment that meets the targets" searches hardware and parallelism.';
  return `; cheapest change: ${change.label} (${figureText(key, change.figures)}).`;
}

function targetProblem(doc: ParsedDocument, key: string, message: string): ConfigProblem {
  const path = ['targets', key];
  const location = doc.locate(path);
  return {
    uri: doc.uri,
    range: location?.keyRange ?? location?.valueRange ?? { start: 0, end: 0 },
    path,
    message,
    code: 'target-missed',
    severity: 'warning',
  };
}

function targetProblems(doc: ParsedDocument, result: AnalysisResult, change: TargetChange | null | undefined): ConfigProblem[] {
  const targets = targetsOf(doc.value);
  const figures = targetFigures(result);
  const underLoad = figures.basis === 'serving' ? ' under load' : '';
  return missedTargets(targets, figures).map((key) => {
    switch (key) {
      case 'ttft_ms': {
        const [now, target] = [figures.ttftMs, targets.ttftMs!];
        return targetProblem(doc, key, `TTFT target missed${underLoad}: ${formatMilliseconds(now)} is ${formatMilliseconds(now - target)} over ${formatMilliseconds(target)} (${formatRatio(now / target)})${changeText(key, change)}`);
      }
      case 'tpot_ms': {
        const [now, target] = [figures.tpotMs, targets.tpotMs!];
        return targetProblem(doc, key, `TPOT target missed${underLoad}: ${formatMilliseconds(now)} is ${formatMilliseconds(now - target)} over ${formatMilliseconds(target)} (${formatRatio(now / target)})${changeText(key, change)}`);
      }
      case 'min_tokens_per_second': {
        const [rate, target] = [figures.tokensPerSecond, targets.minTokensPerSecond!];
        return targetProblem(
          doc,
          key,
          `Throughput target missed${underLoad}: ${formatTokensPerSecond(rate)} is ${formatTokensPerSecond(target - rate)} short of ${formatTokensPerSecond(target)} (${formatNumber((rate / target) * 100, 2)}% of it)${changeText(key, change)}`,
        );
      }
    }
  });
}
