/**
 * Hovers: node at offset → key and value → schema description + the numbers this key drives, with
 * the formula and its inputs → concise Markdown, over the key's range.
 */
import { targetFigures } from '../engine/targets';
import { servingHoverLines } from './servingFigures';
import { techniqueHoverLines, variantHoverLines } from './techniqueHover';
import type { Hover } from 'vscode-languageserver';
import type { JsonPath } from '../config/types';
import { kvCacheFormula, kvCacheFormulaOfConfig, type KvCacheFormula, type ModelShape } from '../engine/index';
import { blockKindsText } from '../format/blockKinds';
import type { AnalysisResult, EngineInput, HardwareSpec, HfConfig } from '../engine/types';
import type { CheckedEntry } from './checker';
import { hardwarePresetById, modelPresetById, type PresetSummary } from './configApi';
import {
  analyzeVariant,
  finite,
  headlinePrecision,
  perDeviceSuffix,
  ridgePoint,
  shapeOf,
  sixteenBit,
  stageIntensity,
} from './figures';
import { dominantTerms } from '../engine/expected/dominant';
import { formatBandwidth, formatBytes, formatFlops, formatFlopsPerSecond, formatInteger, formatNumber, formatParameters, formatPercent, formatRatio, formatSeconds, formatTokensPerSecond, formatUsableMemory, hasNonFiniteWord } from '../format/units';
import { descriptionAt } from './schemaInfo';
import { kvPerTokenText, modelFiguresOf, weightsText, type ModelFigures } from './modelFigures';
import { valueAt } from '../config/parse';
import { escapeMarkdown } from '../userText';
import { writtenEngineArgs } from './writtenEngineArgs';
import { checkpointHoverLines } from './checkpointHover';

export function hoverAt(entry: CheckedEntry, offset: number): Hover | undefined {
  const at = entry.parsed.pathAt(offset);
  if (!at || at.path.length === 0) return undefined;
  const path = at.path;
  if (entry.kind === 'deployment' && !at.onKey && (path[0] === 'vllm' || path[0] === 'sglang' || path[0] === 'trtllm')) {
    const argument = engineArgumentHover(entry, offset);
    if (argument) return argument;
  }
  const location = entry.parsed.locate(path);
  if (!location) return undefined;
  // The computed figure first (rust-analyzer style), then what the key means.
  const figures = figureLines(entry, path);
  const lines = figures.length > 0 ? [...figures, '---', ...headerLines(entry, path)] : headerLines(entry, path);
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
    const checkpoint = key === 'model' ? entry.check.resolved?.checkpoint : undefined;
    if (checkpoint) return [...(entry.input && entry.result ? deploymentLines(entry.input, entry.result, path) : []), ...checkpointHoverLines(checkpoint)];
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
  // The model's own size leads on the keys that name it (its family, the preset it extends).
  const figures = MODEL_NAMING_KEYS.includes(key) ? modelFiguresOf(entry) : undefined;
  const sizeLines = figures ? [modelSizeLine(figures)] : [];
  if (key === 'extends' && typeof value === 'string') {
    const preset = modelPresetById(value);
    return [...sizeLines, ...(preset ? presetLines(preset, 'model') : [])];
  }
  const config = entry.check.model ?? (entry.parsed.value as HfConfig | undefined);
  const shape = shapeOf(config);
  const lines = shape && config ? modelLines(shape, modelKvFormula(config, 2), path) : [];
  return [...sizeLines, ...lines];
}

const MODEL_NAMING_KEYS: readonly string[] = ['model_type', 'architectures', 'extends', 'torch_dtype'];

/** `**8.03 B parameters**, weights 15.0 GiB at 16-bit · KV 128 KiB/token at 16-bit`. */
function modelSizeLine(figures: ModelFigures): string {
  const { footprint, kv } = figures;
  const active = footprint.activeParameters < footprint.parameters ? ` (${formatParameters(footprint.activeParameters)} active per token)` : '';
  return `**${formatParameters(footprint.parameters)} parameters**${active}, ${weightsText(footprint)} · ${kvPerTokenText(kv)}`;
}

function presetLines(preset: PresetSummary, kind: 'model' | 'hardware'): string[] {
  const lines: string[] = [];
  if (kind === 'hardware' && preset.hardware) lines.push(hardwareSummary(preset.hardware));
  if (kind === 'model' && preset.model) {
    const shape = shapeOf(preset.model);
    if (shape) lines.push(modelSummary(shape, modelKvFormula(preset.model, 2)));
  }
  if (preset.source) lines.push(`Source: ${preset.source}`);
  return [`Preset \`${preset.id}\`${preset.name !== preset.id ? ` (${escapeMarkdown(preset.name)})` : ''}`, ...lines];
}

function hardwareSummary(hardware: HardwareSpec): string {
  const precision = headlinePrecision(hardware);
  const peak = precision ? hardware.peakOpsPerSecond[precision] : undefined;
  const ridge = precision ? ridgePoint(hardware, precision) : undefined;
  const parts = [
    `bandwidth ${formatBandwidth(hardware.memoryBandwidthBytesPerSecond)}`,
    hardware.memoryCapacityBytes !== undefined ? `memory ${formatBytes(hardware.memoryCapacityBytes)}` : 'memory capacity unknown',
    precision && finite(peak) ? `${precision} ${formatFlopsPerSecond(peak)}` : undefined,
    finite(ridge) ? `ridge ${formatNumber(ridge)} FLOP/B` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.join(' · ');
}

/** Which blocks are which kind, when they are not all the same (hybrid, sliding-window and chunked models). */
function blockKindsLines(result: AnalysisResult): string[] {
  const kinds = result.model.block_kinds;
  return kinds && kinds.length > 1 ? [`Blocks: ${blockKindsText(kinds)}`] : [];
}

function modelSummary(shape: ModelShape, kv: KvCacheFormula | undefined): string {
  // A state-space model without attention (Mamba) has no heads and no KV cache to speak of.
  const attends = !kv || kv.terms.length > 0;
  return [
    `${shape.numLayers} layers`,
    `hidden ${shape.hiddenSize}`,
    ...(attends ? [`${shape.numAttentionHeads} heads (${shape.numKeyValueHeads} KV, head_dim ${shape.headDim})`] : []),
    ...(kv && attends ? [`KV ${formatBytes(kv.bytesPerToken)}/token at ${formatNumber(kv.bytesPerElement * 8)}-bit`] : []),
    ...(kv && kv.stateTerms.length > 0 ? [`state ${formatBytes(kv.stateBytesPerSequence)}/sequence (${kv.stateTerms.map((term) => `${term.layers} ${term.label}`).join(', ')})`] : []),
  ].join(' · ');
}

function modelLines(shape: ModelShape, kv: KvCacheFormula | undefined, path: JsonPath): string[] {
  const key = String(path[path.length - 1]);
  const kvLine = kv ? [`KV cache per token: \`${kvFormulaText(kv)}\``] : [];
  switch (key) {
    case 'num_key_value_heads':
    case 'num_kv_heads':
    case 'multi_query_group_num':
      return [
        ...kvLine,
        `${formatNumber(shape.numAttentionHeads / shape.numKeyValueHeads)} query heads share each KV head (${shape.numKeyValueHeads === shape.numAttentionHeads ? 'MHA' : shape.numKeyValueHeads === 1 ? 'MQA' : 'GQA'}).`,
      ];
    case 'num_attention_heads':
    case 'n_head':
      return [`head_dim = ${shape.headDim}`, ...kvLine];
    case 'hidden_size':
    case 'n_embd':
    case 'num_hidden_layers':
    case 'n_layer':
    case 'head_dim':
    case 'kv_lora_rank':
    case 'qk_rope_head_dim':
      return [modelSummary(shape, kv), ...kvLine];
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
      `Ridge point (${precision}): \`peak / bandwidth = ${formatFlopsPerSecond(peak)} / ${formatBandwidth(hardware.memoryBandwidthBytesPerSecond)} = ${formatNumber(ridge)} FLOP/B\``,
      'Kernels below this arithmetic intensity are memory-bound; LLM decode at small batch sits far below it.',
    ];
  }
  if (path[0] === 'peak_tflops' && path.length === 2) {
    const ridge = ridgePoint(hardware, path[1] as never);
    if (!finite(ridge)) return [];
    const peak = hardware.peakOpsPerSecond[path[1] as never] as number;
    return [`Ridge point: \`${formatFlopsPerSecond(peak)} / ${formatBandwidth(hardware.memoryBandwidthBytesPerSecond)} = ${formatNumber(ridge)} FLOP/B\``];
  }
  if (key === 'memory_gib' && hardware.memoryCapacityBytes !== undefined) {
    return [`= ${formatBytes(hardware.memoryCapacityBytes)} (1 GiB = 1024³ B): weights, KV cache and activations must fit in it.`];
  }
  return [hardwareSummary(hardware)];
}

function deploymentLines(input: EngineInput, result: AnalysisResult, path: JsonPath): string[] {
  const key = path.join('.');
  const shape = shapeOf(input.model);
  const kv = deploymentKvFormula(input);
  switch (key) {
    case 'model':
      return [
        `**${formatParameters(result.model.parameters)} parameters**, weights ${formatBytes(result.memory.weights_bytes)}${perDeviceSuffix(input)} (${escapeMarkdown(input.modelName)})`,
        ...(shape ? [modelSummary(shape, modelKvFormula(input.model, input.quantization.kvCache.bitsPerElement / 8))] : []),
        ...blockKindsLines(result),
      ];
    case 'hardware':
      return [hardwareSummary(input.hardware)];
    case 'workload.batch_size': {
      const decodeIntensity = stageIntensity(result, 'decode');
      const lines = [kvTotalLine(input, result, kv)];
      if (finite(decodeIntensity)) {
        const ridge = result.hardware.ridge_point;
        lines.push(
          `Decode: intensity ${formatNumber(decodeIntensity)} FLOP/B ${decodeIntensity < ridge ? '<' : '≥'} ridge ${formatNumber(ridge)} FLOP/B → **${decodeIntensity < ridge ? 'memory' : 'compute'}-bound**; TPOT ${formatSeconds(result.metrics.tpot_seconds)}, ${formatTokensPerSecond(result.metrics.output_tokens_per_second)}`,
        );
      }
      lines.push(memoryLine(result));
      if (result.capacity) lines.push(largestBatchLine(result.capacity));
      return lines;
    }
    case 'workload.prompt_tokens': {
      const intensity = stageIntensity(result, 'prefill');
      return [
        `Prefill: ${formatFlops(result.stages.prefill.totals.flops)} in ${formatSeconds(result.stages.prefill.totals.seconds)}${finite(intensity) ? ` (intensity ${formatNumber(intensity)} FLOP/B, ridge ${formatNumber(result.hardware.ridge_point)})` : ''}`,
        `TTFT ${formatSeconds(result.metrics.ttft_seconds)}`,
        ...expectedLines(result, 'ttft_seconds'),
      ];
    }
    case 'workload.output_tokens':
      return [
        `TPOT ${formatSeconds(result.metrics.tpot_seconds)}; end-to-end \`TTFT + decode = ${formatSeconds(result.metrics.ttft_seconds)} + ${formatSeconds(result.stages.decode.totals.seconds)} = ${formatSeconds(result.metrics.e2e_seconds)}\``,
        `${formatTokensPerSecond(result.metrics.output_tokens_per_second)}`,
        ...expectedLines(result, 'tpot_seconds'),
      ];
    case 'efficiency':
      return [...expectedLines(result, 'ttft_seconds'), ...expectedLines(result, 'tpot_seconds')];
    case 'quantization.weights':
      return weightLines(input, result);
    case 'quantization.kv_cache':
      return [
        `KV cache **${formatBytes(result.memory.kv_cache_bytes)}**${perDeviceSuffix(input)}`,
        ...(kv ? [`Per token: \`${kvFormulaText(kv)}\``] : []),
      ];
    case 'quantization.activations':
      return [
        `Matmuls run at the ${result.hardware.compute_precision} peak: ${formatFlopsPerSecond(result.hardware.peak_ops_per_second)}; ridge ${formatNumber(result.hardware.ridge_point)} FLOP/B`,
        ...(result.hardware.other_matmul_precisions ?? []).map(
          (other) =>
            `${other.weight_kinds.join(' and ')} at the ${other.compute_precision} peak: ${formatFlopsPerSecond(other.peak_ops_per_second)} (their own weights' precision)`,
        ),
      ];
    case 'parallelism.tensor':
      return [
        `Weights ${formatBytes(result.memory.weights_bytes)}${perDeviceSuffix(input)}; ${memoryLine(result)}`,
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
      return [`Now: ${formatTokensPerSecond(targetFigures(result).tokensPerSecond)}${result.serving ? ' under load' : ''}`];
    default:
      if (path[0] === 'serving' || path[0] === 'cost') return servingHoverLines(path, result) ?? [];
      if (path[0] === 'techniques') return techniqueHoverLines(input, result, path);
      if (path[0] === 'variants' && path.length >= 2) return variantHoverLines(result, path);
      if (path[0] === 'model' && path.length === 2 && shape) return modelLines(shape, modelKvFormula(input.model, input.quantization.kvCache.bitsPerElement / 8), path);
      if (path[0] === 'hardware' && path.length >= 2) return hardwareLines(input.hardware, path.slice(1));
      return [];
  }
}


/** The engine's KV formula for a deployment (default conventions; LLM-Viewer's has none to show). */
function deploymentKvFormula(input: EngineInput): KvCacheFormula | undefined {
  if (input.conventions !== 'default') return undefined;
  try {
    return kvCacheFormula(input);
  } catch {
    return undefined;
  }
}

function modelKvFormula(config: HfConfig, bytesPerElement: number): KvCacheFormula | undefined {
  try {
    return kvCacheFormulaOfConfig(config, bytesPerElement);
  } catch {
    return undefined;
  }
}

/** `61 layers × (512 kv_lora_rank + 64 rope) × 1 B = 34.3 KiB per token per device`. */
export function kvFormulaText(kv: KvCacheFormula): string {
  const terms = kv.terms.map((term) => `${term.layers} layers × ${term.width}${term.tokenLimit !== undefined ? ` (at most ${formatInteger(term.tokenLimit)} tokens)` : ''}`);
  const sum = terms.length > 1 ? `(${terms.join(' + ')})` : terms[0] ?? '0';
  const perToken = `${sum} × ${formatNumber(kv.bytesPerElement)} B = ${formatBytes(kv.bytesPerToken)} per token${kv.perDevice ? ' per device' : ''}`;
  return kv.stateTerms.length > 0 ? `${perToken}; plus a constant ${stateFormulaText(kv)}` : perToken;
}

/** `36 gated DeltaNet layers × 1,081,344 × 2 B = 74.3 MiB per sequence`: the state of layers without a KV cache. */
function stateFormulaText(kv: KvCacheFormula): string {
  const terms = kv.stateTerms.map((term) => `${term.layers} ${term.label} layers × ${formatInteger(term.elementsPerSequence)}`);
  const sum = terms.length > 1 ? `(${terms.join(' + ')})` : terms[0]!;
  return `${sum} × ${formatNumber(kv.bytesPerElement)} B = ${formatBytes(kv.stateBytesPerSequence)} per sequence${kv.perDevice ? ' per device' : ''}`;
}

/**
 * The engine's KV total with the formula behind it: per-token bytes (per device, from the same
 * layer templates the total sums) × cached tokens × batch. The cached token count is read back
 * from the total (prompt only when memory peaks during prefill, prompt + output at the end of
 * decode); when it is not a whole number (sliding windows cap some layers) the total stands alone.
 */
function kvTotalLine(input: EngineInput, result: AnalysisResult, kv: KvCacheFormula | undefined): string {
  const total = result.memory.kv_cache_bytes;
  const lead = `KV cache${kv && kv.stateTerms.length > 0 ? ' and state' : ''} **${formatBytes(total)}**${perDeviceSuffix(input)}`;
  if (!kv) return lead;
  const tokens = (total - kv.stateBytesPerSequence * input.workload.batchSize) / (kv.bytesPerToken * input.workload.batchSize);
  if (finite(tokens) && tokens >= 1 && Math.abs(tokens - Math.round(tokens)) < 1e-6) {
    const state = kv.stateTerms.length > 0 ? ` + ${formatBytes(kv.stateBytesPerSequence)} state × ${formatInteger(input.workload.batchSize)} sequences` : '';
    return `${lead}: \`${formatBytes(kv.bytesPerToken)}/token × ${formatInteger(tokens)} tokens × ${formatInteger(input.workload.batchSize)} sequences${state}\`, with \`${kvFormulaText(kv)}\``;
  }
  return `${lead}; \`${kvFormulaText(kv)}\``;
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
  const usable = memory.capacity_bytes !== undefined ? ` of ${formatUsableMemory(memory.capacity_bytes, memory.memory_utilization)}` : '';
  return `Memory ${formatBytes(memory.total_bytes)}${usable}${memory.capacity_bytes === undefined ? '' : memory.fits ? ': fits' : ' (**does not fit**)'}`;
}

/** The batch limit at this request's lengths, within the usable share of memory (engine/capacity.ts). */
function largestBatchLine(capacity: NonNullable<AnalysisResult['capacity']>): string {
  const usable = formatBytes(capacity.usable_bytes);
  const rule = `${formatPercent(capacity.memory_utilization)} of memory, memory.utilization`;
  if (capacity.max_batch_size === 0) return `No batch fits within ${usable} (${rule})`;
  return `Largest batch that fits: **${formatInteger(capacity.max_batch_size)}** (at these prompt and output lengths, within ${usable}: ${rule})`;
}

function weightLines(input: EngineInput, result: AnalysisResult): string[] {
  const bits = input.quantization.weights.bitsPerElement;
  const byKind = result.model.weights_by_kind;
  const perDevice = perDeviceSuffix(input);
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



/**
 * An argument inside a `vllm:` or `sglang:` command: the keys it sets, with the figures and the
 * description each key's own hover gives.
 */
function engineArgumentHover(entry: CheckedEntry, offset: number): Hover | undefined {
  const resolution = writtenEngineArgs(entry);
  if (!resolution) return undefined;
  const inside = resolution.entries.filter((candidate) => offset >= candidate.range.start && offset <= candidate.range.end);
  if (inside.length === 0) return undefined;
  const range = inside[0]!.range;
  const argumentText = entry.text.slice(range.start, range.end);
  const lines = [`**${escapeMarkdown(argumentText)}** sets ${inside.map((candidate) => `\`${`${candidate.path.join('.')}: ${JSON.stringify(candidate.value)}`.replace(/`/g, "'")}\``).join(', ')}`];
  for (const candidate of inside) {
    const figures = entry.input && entry.result ? deploymentLines(entry.input, entry.result, candidate.path) : [];
    lines.push(...figures, '---', ...headerLines(entry, candidate.path));
  }
  const markdown = lines.join('\n\n');
  if (hasNonFiniteWord(markdown)) return undefined;
  return {
    contents: { kind: 'markdown', value: markdown },
    range: { start: entry.lines.positionAt(range.start), end: entry.lines.positionAt(range.end) },
  };
}
