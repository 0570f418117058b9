/**
 * Hovers: node at offset → key and value → schema description + the numbers this key drives, with
 * the formula and its inputs → concise Markdown, over the key's range.
 */
import { targetFigures } from '../engine/targets';
import { servingHoverLines } from './servingFigures';
import type { Hover } from 'vscode-languageserver';
import type { JsonPath } from '../config/types';
import type { ModelShape } from '../engine/index';
import type { AnalysisResult, EngineInput, HardwareSpec, HfConfig } from '../engine/types';
import type { CheckedEntry } from './checker';
import { hardwarePresetById, modelPresetById, type PresetSummary } from './configApi';
import {
  analyzeVariant,
  finite,
  headlinePrecision,
  kvBytesPerToken,
  ridgePoint,
  shapeOf,
  sixteenBit,
  stageIntensity,
} from './figures';
import { dominantTerms } from '../engine/expected/dominant';
import { formatBytes, formatCount, formatInteger, formatNumber, formatParameters, formatRatio, formatSeconds, hasNonFiniteWord } from './format';
import { descriptionAt } from './schemaInfo';
import { valueAt } from '../config/parse';
import { escapeMarkdown } from '../userText';

export function hoverAt(entry: CheckedEntry, offset: number): Hover | undefined {
  const at = entry.parsed.pathAt(offset);
  if (!at || at.path.length === 0) return undefined;
  const path = at.path;
  const location = entry.parsed.locate(path);
  if (!location) return undefined;
  const lines = [...headerLines(entry, path), ...figureLines(entry, path)];
  if (lines.length === 0) return undefined;
  const markdown = lines.join('\n\n');
  if (hasNonFiniteWord(markdown)) return undefined;
  const range = at.onKey ? (location.keyRange ?? location.valueRange) : location.valueRange;
  return {
    contents: { kind: 'markdown', value: markdown },
    range: { start: entry.lines.positionAt(range.start), end: entry.lines.positionAt(range.end) },
  };
}

function headerLines(entry: CheckedEntry, path: JsonPath): string[] {
  const description = schemaDescription(entry, path);
  const title = `**${escapeMarkdown(path.join('.'))}**`;
  return description ? [`${title}: ${description}`] : [title];
}

/** Inline model keys in a deployment use the model schema's descriptions. */
function schemaDescription(entry: CheckedEntry, path: JsonPath): string | undefined {
  try {
    return (
      descriptionAt(entry.kind, path) ??
      (entry.kind === 'deployment' && path[0] === 'model' && path.length > 1 ? descriptionAt('model', path.slice(1)) : undefined) ??
      (entry.kind === 'deployment' && path[0] === 'hardware' && path.length > 1 ? descriptionAt('hardware', path.slice(1)) : undefined)
    );
  } catch {
    return undefined;
  }
}

function figureLines(entry: CheckedEntry, path: JsonPath): string[] {
  const key = path.join('.');
  if (entry.kind === 'deployment') {
    const value = valueAt(entry.parsed.value, path);
    if ((key === 'model' || key === 'hardware') && typeof value === 'string') {
      const preset = key === 'model' ? modelPresetById(value) : hardwarePresetById(value);
      if (preset) return presetLines(preset, key);
    }
    if (!entry.input || !entry.result) return [];
    return deploymentLines(entry.input, entry.result, path);
  }
  if (entry.kind === 'hardware') {
    const value = valueAt(entry.parsed.value, path);
    if (key === 'extends' && typeof value === 'string') {
      const preset = hardwarePresetById(value);
      return preset ? presetLines(preset, 'hardware') : [];
    }
    return entry.check.hardware ? hardwareLines(entry.check.hardware, path) : [];
  }
  const value = valueAt(entry.parsed.value, path);
  if (key === 'extends' && typeof value === 'string') {
    const preset = modelPresetById(value);
    return preset ? presetLines(preset, 'model') : [];
  }
  const config = entry.check.model ?? (entry.parsed.value as HfConfig | undefined);
  const shape = shapeOf(config);
  return shape ? modelLines(shape, path, 16) : [];
}

function presetLines(preset: PresetSummary, kind: 'model' | 'hardware'): string[] {
  const lines: string[] = [];
  if (kind === 'hardware' && preset.hardware) lines.push(hardwareSummary(preset.hardware));
  if (kind === 'model' && preset.model) {
    const shape = shapeOf(preset.model);
    if (shape) lines.push(modelSummary(shape));
  }
  if (preset.source) lines.push(`Source: ${preset.source}`);
  return [`Preset \`${preset.id}\`${preset.name !== preset.id ? ` (${escapeMarkdown(preset.name)})` : ''}`, ...lines];
}

function hardwareSummary(hardware: HardwareSpec): string {
  const precision = headlinePrecision(hardware);
  const peak = precision ? hardware.peakOpsPerSecond[precision] : undefined;
  const ridge = precision ? ridgePoint(hardware, precision) : undefined;
  const parts = [
    `bandwidth ${formatCount(hardware.memoryBandwidthBytesPerSecond, 'B/s')}`,
    hardware.memoryCapacityBytes !== undefined ? `memory ${formatBytes(hardware.memoryCapacityBytes)}` : 'memory capacity unknown',
    precision && finite(peak) ? `${precision} ${formatCount(peak, 'FLOP/s')}` : undefined,
    finite(ridge) ? `ridge ${formatNumber(ridge)} FLOP/B` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.join(' · ');
}

function modelSummary(shape: ModelShape): string {
  return [
    `${shape.numLayers} layers`,
    `hidden ${shape.hiddenSize}`,
    `${shape.numAttentionHeads} heads (${shape.numKeyValueHeads} KV, head_dim ${shape.headDim})`,
    `KV ${formatBytes(kvBytesPerToken(shape, sixteenBit()))}/token at 16-bit`,
  ].join(' · ');
}

function kvFormula(shape: ModelShape, bytesPerElement: number): string {
  const perToken = kvBytesPerToken(shape, { name: '', bitsPerElement: bytesPerElement * 8, computePrecision: 'fp16' });
  return `2 × ${shape.numLayers} layers × ${shape.numKeyValueHeads} kv_heads × ${shape.headDim} head_dim × ${formatNumber(bytesPerElement)} B = ${formatBytes(perToken)} per token`;
}

function modelLines(shape: ModelShape, path: JsonPath, kvBits: number): string[] {
  const key = String(path[path.length - 1]);
  const bytes = kvBits / 8;
  switch (key) {
    case 'num_key_value_heads':
    case 'num_kv_heads':
    case 'multi_query_group_num':
      return [
        `KV cache per token: \`${kvFormula(shape, bytes)}\``,
        `${shape.numAttentionHeads / shape.numKeyValueHeads} query heads share each KV head (${shape.numKeyValueHeads === shape.numAttentionHeads ? 'MHA' : shape.numKeyValueHeads === 1 ? 'MQA' : 'GQA'}).`,
      ];
    case 'num_attention_heads':
    case 'n_head':
      return [`head_dim = ${shape.headDim}; with ${shape.numKeyValueHeads} KV heads: \`${kvFormula(shape, bytes)}\``];
    case 'hidden_size':
    case 'n_embd':
    case 'num_hidden_layers':
    case 'n_layer':
    case 'head_dim':
      return [modelSummary(shape), `KV cache per token: \`${kvFormula(shape, bytes)}\``];
    case 'intermediate_size':
      return [`MLP per layer: ${shape.mlp === 'gated' ? '3' : '2'} × ${shape.hiddenSize} × ${shape.intermediateSize} = ${formatParameters((shape.mlp === 'gated' ? 3 : 2) * shape.hiddenSize * shape.intermediateSize)} parameters`];
    case 'vocab_size':
      return [`Embedding: ${shape.vocabSize} × ${shape.hiddenSize} = ${formatParameters(shape.vocabSize * shape.hiddenSize)} parameters${shape.tieWordEmbeddings ? ' (tied with the LM head)' : ', plus as many in the untied LM head'}`];
    default:
      return [];
  }
}

function hardwareLines(hardware: HardwareSpec, path: JsonPath): string[] {
  const key = path.join('.');
  const precision = headlinePrecision(hardware);
  if (key === 'memory_bandwidth_gb_s' && precision) {
    const peak = hardware.peakOpsPerSecond[precision]!;
    const ridge = ridgePoint(hardware, precision);
    if (!finite(ridge)) return [];
    return [
      `Ridge point (${precision}): \`peak / bandwidth = ${formatCount(peak, 'FLOP/s')} / ${formatCount(hardware.memoryBandwidthBytesPerSecond, 'B/s')} = ${formatNumber(ridge)} FLOP/B\``,
      'Kernels below this arithmetic intensity are memory-bound; LLM decode at small batch sits far below it.',
    ];
  }
  if (path[0] === 'peak_tflops' && path.length === 2) {
    const ridge = ridgePoint(hardware, path[1] as never);
    if (!finite(ridge)) return [];
    const peak = hardware.peakOpsPerSecond[path[1] as never] as number;
    return [`Ridge point: \`${formatCount(peak, 'FLOP/s')} / ${formatCount(hardware.memoryBandwidthBytesPerSecond, 'B/s')} = ${formatNumber(ridge)} FLOP/B\``];
  }
  if (key === 'memory_gib' && hardware.memoryCapacityBytes !== undefined) {
    return [`= ${formatBytes(hardware.memoryCapacityBytes)} (1 GiB = 1024³ B): weights, KV cache and activations must fit in it.`];
  }
  return [hardwareSummary(hardware)];
}

function deploymentLines(input: EngineInput, result: AnalysisResult, path: JsonPath): string[] {
  const key = path.join('.');
  const shape = shapeOf(input.model);
  const kvBytes = input.quantization.kvCache.bitsPerElement / 8;
  switch (key) {
    case 'model':
      return [
        `${escapeMarkdown(input.modelName)}: ${formatParameters(result.model.parameters)} parameters, weights ${formatBytes(result.memory.weights_bytes)}`,
        ...(shape ? [modelSummary(shape)] : []),
      ];
    case 'hardware':
      return [hardwareSummary(input.hardware)];
    case 'workload.batch_size': {
      const decodeIntensity = stageIntensity(result, 'decode');
      const lines = [kvTotalLine(input, result, shape)];
      if (finite(decodeIntensity)) {
        const ridge = result.hardware.ridge_point;
        lines.push(
          `Decode: intensity ${formatNumber(decodeIntensity)} FLOP/B ${decodeIntensity < ridge ? '<' : '≥'} ridge ${formatNumber(ridge)} FLOP/B → **${decodeIntensity < ridge ? 'memory' : 'compute'}-bound**; TPOT ${formatSeconds(result.metrics.tpot_seconds)}, ${formatNumber(result.metrics.output_tokens_per_second)} tokens/s`,
        );
      }
      lines.push(memoryLine(result));
      if (result.capacity) lines.push(largestBatchLine(result.capacity));
      return lines;
    }
    case 'workload.prompt_tokens': {
      const intensity = stageIntensity(result, 'prefill');
      return [
        `Prefill: ${formatCount(result.stages.prefill.totals.flops, 'FLOP')} in ${formatSeconds(result.stages.prefill.totals.seconds)}${finite(intensity) ? ` (intensity ${formatNumber(intensity)} FLOP/B, ridge ${formatNumber(result.hardware.ridge_point)})` : ''}`,
        `TTFT ${formatSeconds(result.metrics.ttft_seconds)}`,
        ...expectedLines(result, 'ttft_seconds'),
      ];
    }
    case 'workload.output_tokens':
      return [
        `TPOT ${formatSeconds(result.metrics.tpot_seconds)}; end-to-end \`TTFT + decode = ${formatSeconds(result.metrics.ttft_seconds)} + ${formatSeconds(result.stages.decode.totals.seconds)} = ${formatSeconds(result.metrics.e2e_seconds)}\``,
        `${formatNumber(result.metrics.output_tokens_per_second)} tokens/s`,
        ...expectedLines(result, 'tpot_seconds'),
      ];
    case 'efficiency':
      return [...expectedLines(result, 'ttft_seconds'), ...expectedLines(result, 'tpot_seconds')];
    case 'quantization.weights':
      return weightLines(input, result);
    case 'quantization.kv_cache':
      return shape
        ? [`KV cache per token: \`${kvFormula(shape, kvBytes)}\`; total ${formatBytes(result.memory.kv_cache_bytes)}`]
        : [`KV cache ${formatBytes(result.memory.kv_cache_bytes)}`];
    case 'quantization.activations':
      return [
        `Matmuls run at the ${result.hardware.compute_precision} peak: ${formatCount(result.hardware.peak_ops_per_second, 'FLOP/s')}; ridge ${formatNumber(result.hardware.ridge_point)} FLOP/B`,
      ];
    case 'parallelism.tensor':
      return [
        `Weights ${formatBytes(result.memory.weights_bytes)}${input.parallelism.tensor > 1 ? ' per device' : ''}; ${memoryLine(result)}`,
        ...(shape ? [`Tensor parallelism must divide ${shape.numAttentionHeads} attention heads and ${shape.numKeyValueHeads} KV heads.`] : []),
      ];
    case 'flash_attention':
    case 'conventions':
      return result.notes.length > 0 ? [result.notes.map((note) => `- ${escapeMarkdown(note)}`).join('\n')] : [];
    case 'targets.ttft_ms':
      return [`Now: TTFT ${formatSeconds(targetFigures(result).ttftMs / 1e3)}${result.serving ? ' under load' : ''}`];
    case 'targets.tpot_ms':
      return [`Now: TPOT ${formatSeconds(targetFigures(result).tpotMs / 1e3)}${result.serving ? ' under load' : ''}`];
    case 'targets.min_tokens_per_second':
      return [`Now: ${formatNumber(targetFigures(result).tokensPerSecond)} tokens/s${result.serving ? ' under load' : ''}`];
    default:
      if (path[0] === 'serving' || path[0] === 'cost') return servingHoverLines(path, result) ?? [];
      if (path[0] === 'model' && path.length === 2 && shape) return modelLines(shape, path, input.quantization.kvCache.bitsPerElement);
      if (path[0] === 'hardware' && path.length >= 2) return hardwareLines(input.hardware, path.slice(1));
      return [];
  }
}

/**
 * The engine's KV total with the formula behind it: per-token bytes from the shape × cached tokens
 * × batch. The cached token count is read back from the engine's total (prompt only when memory
 * peaks during prefill, prompt + output when it peaks at the end of decode); when it is not a whole
 * number (tensor parallelism splits the heads) only the per-token formula is shown.
 */
function kvTotalLine(input: EngineInput, result: AnalysisResult, shape: ModelShape | undefined): string {
  const total = result.memory.kv_cache_bytes;
  if (!shape) return `KV cache: ${formatBytes(total)}`;
  const perToken = kvBytesPerToken(shape, input.quantization.kvCache);
  const tokens = total / (perToken * input.workload.batchSize);
  const bytes = input.quantization.kvCache.bitsPerElement / 8;
  const formula = `2 × ${shape.numLayers} × ${shape.numKeyValueHeads} × ${shape.headDim} × ${formatNumber(bytes)} B`;
  if (finite(tokens) && tokens >= 1 && Math.abs(tokens - Math.round(tokens)) < 1e-6) {
    return `KV cache: \`${formula} × ${Math.round(tokens)} tokens × ${input.workload.batchSize} = ${formatBytes(total)}\``;
  }
  return `KV cache: \`${formula} = ${formatBytes(perToken)} per token\`; ${formatBytes(total)} in all${input.parallelism.tensor > 1 ? ' per device' : ''}`;
}

/** Under `efficiency: expected`: the ideal bound beside the expected figure, and the effects that dominate the gap. */
function expectedLines(result: AnalysisResult, figure: 'ttft_seconds' | 'tpot_seconds'): string[] {
  const { bound, terms } = result.metrics;
  if (!bound || !terms) return [];
  const name = figure === 'ttft_seconds' ? 'TTFT' : 'TPOT';
  const dominant = dominantTerms(terms, figure)
    .map((term) => `${term.label} (${formatInteger(Math.round(term.share * 100))}%)`)
    .join(', ');
  return [`Expected ${name} ${formatSeconds(result.metrics[figure])}, ideal bound ${formatSeconds(bound[figure])}${dominant ? `; the gap is mostly ${dominant}` : ''}`];
}

function memoryLine(result: AnalysisResult): string {
  const memory = result.memory;
  const capacity = memory.capacity_bytes !== undefined ? ` of ${formatBytes(memory.capacity_bytes)}` : '';
  return `Memory ${formatBytes(memory.total_bytes)}${capacity}${memory.fits ? '' : ' (**does not fit**)'}`;
}

/** The batch limit at this request's lengths, within the usable share of memory (engine/capacity.ts). */
function largestBatchLine(capacity: NonNullable<AnalysisResult['capacity']>): string {
  const usable = `${formatNumber(capacity.memory_utilization * 100)}% of memory, ${formatBytes(capacity.usable_bytes)}`;
  if (capacity.max_batch_size === 0) return `No batch fits within ${usable}`;
  return `Largest batch that fits: **${formatInteger(capacity.max_batch_size)}** (at these prompt and output lengths, within ${usable})`;
}

function weightLines(input: EngineInput, result: AnalysisResult): string[] {
  const bits = input.quantization.weights.bitsPerElement;
  const byKind = result.model.weights_by_kind;
  const perDevice = input.parallelism.tensor > 1 || (input.parallelism.pipeline ?? 1) > 1 ? ' per device' : '';
  const lines =
    byKind && byKind.length > 0
      ? [
          `Weights: ${formatBytes(byKind.reduce((sum, entry) => sum + entry.bytes, 0))}${perDevice} (${formatParameters(result.model.parameters)} params)`,
          byKind.map((entry) => `- ${entry.kind}: ${formatBytes(entry.bytes)} (${entry.format})`).join('\n'),
        ]
      : [`Weights: \`${formatParameters(result.model.parameters)} params × ${formatNumber(bits / 8)} B = ${formatBytes((result.model.parameters * bits) / 8)}\`${perDevice ? ` (${formatBytes(result.memory.weights_bytes)}${perDevice})` : ''}`];
  if (bits !== 16) {
    const baseline = analyzeVariant(input, (i) => ({ ...i, quantization: { ...i.quantization, weights: sixteenBit() } }));
    if (baseline && result.metrics.tpot_seconds > 0) {
      lines.push(
        `Decode speed-up vs 16-bit: \`${formatSeconds(baseline.metrics.tpot_seconds)} / ${formatSeconds(result.metrics.tpot_seconds)} = ${formatRatio(baseline.metrics.tpot_seconds / result.metrics.tpot_seconds)}\` per token`,
      );
    }
  }
  return lines;
}


