/**
 * A checkpoint's own `quantization_config` (in its config.json): which weight format its files
 * hold, and for which kinds of layer. Read the way transformers' quantizers and vLLM's
 * quantization methods read it:
 * - `awq` / `gptq`: int4 (`bits`) in groups of `group_size` with fp16 scales and zero points
 *   packed as 4-bit (AutoAWQ's and AutoGPTQ's qweight / qzeros / scales); `modules_to_not_convert`
 *   left in 16 bits; lm_head never quantized (GPTQ's `lm_head: false` default).
 * - `fp8` (transformers' FineGrainedFP8, DeepSeek-V3, Qwen3-FP8): e4m3 with one fp32 scale per
 *   `weight_block_size` block, or per tensor without one; every Linear but `modules_to_not_convert`.
 * - `compressed-tensors` (llm-compressor): each config group's `weights` (`num_bits`, `type`,
 *   `strategy`, `group_size`) for the Linear layers it targets, minus the `ignore` list.
 * - `mxfp4` (gpt-oss): only the routed experts, in OCP MXFP4.
 * The embedding and lm_head stay in 16 bits unless a list says otherwise: none of these quantize
 * them (vLLM's VocabParallelEmbedding and ParallelLMHead load them unquantized).
 */
import { groupedFormat, NAMED_FORMATS, QUANTIZED_FORMATS } from './formats';
import type { HfConfig, NumberFormat, WeightKind } from './types';

export interface CheckpointQuantization {
  /** The method as the config names it. */
  method: string;
  /** The format of the kinds it quantizes. */
  formats: Partial<Record<WeightKind, NumberFormat>>;
  /** What the analysis took from it, for the notes and hovers. */
  description: string;
  /** Module patterns of an ignore list that cover only part of a kind (left quantized). */
  partialIgnores: string[];
}

/** Linear layers a checkpoint format quantizes by default: everything but embedding and lm_head. */
const LINEAR_KINDS: readonly WeightKind[] = ['attention', 'mlp', 'experts', 'router'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * The kind of layer a module name or pattern of an ignore list stands for (`lm_head`,
 * `model.embed_tokens`, `model.layers.*.self_attn`, `model.layers.*.mlp.router`, `re:.*gate$`),
 * or undefined when it names something narrower (one layer's projection).
 */
export function kindOfModule(pattern: string): WeightKind | undefined {
  const name = pattern.replace(/^re:/, '').replace(/(\$|\.\*)+$/, '').toLowerCase();
  if (name.includes('lm_head')) return 'lm_head';
  if (/embed|(^|\.)wte$/.test(name)) return 'embedding';
  // One block's module (`model.layers.3.mlp`) is narrower than a kind.
  if (/\.\d+\./.test(name)) return undefined;
  if (/(^|[.*])(router|gate)$/.test(name)) return 'router';
  if (/shared_experts?$/.test(name)) return 'mlp';
  if (/experts$/.test(name)) return 'experts';
  if (/(^|[.*])(self_attn|attn|attention)$/.test(name)) return 'attention';
  if (/(^|[.*])mlp$/.test(name)) return 'mlp';
  return undefined;
}

/** int4 with fp16 scales and 4-bit packed zero points per group, as AWQ and GPTQ store them. */
function packedIntFormat(bits: number, groupSize: number | undefined, method: string): NumberFormat {
  const element = bits === 8 ? NAMED_FORMATS.int8! : NAMED_FORMATS.int4!;
  if (bits === 4 && groupSize === 128) return QUANTIZED_FORMATS[method === 'awq' ? 'awq' : 'gptq']!;
  // group_size −1 (GPTQ's per-channel) leaves one scale per output row: negligible.
  if (groupSize === undefined) return element;
  return groupedFormat(`${method} int${bits}-g${groupSize}`, element, groupSize, 'fp16', bits === 8 ? 8 : 4);
}

function fp8Format(blockSize: unknown): NumberFormat {
  if (Array.isArray(blockSize) && blockSize.length === 2 && blockSize.every((size) => wholeNumber(size) !== undefined)) {
    const [rows, columns] = blockSize as number[];
    if (rows === 128 && columns === 128) return QUANTIZED_FORMATS['fp8-block128']!;
    return groupedFormat(`fp8-block${rows}x${columns}`, NAMED_FORMATS.fp8!, rows! * columns!, 'fp32', 0);
  }
  return NAMED_FORMATS.fp8!;
}

/** One compressed-tensors `weights` scheme as a format. */
function compressedTensorsFormat(weights: Record<string, unknown>): NumberFormat | undefined {
  const bits = wholeNumber(weights.num_bits);
  const type = weights.type;
  const groupSize = wholeNumber(weights.group_size);
  const strategy = weights.strategy;
  if (bits === 8 && type === 'float') {
    if (strategy === 'block' && Array.isArray(weights.block_structure)) return fp8Format(weights.block_structure);
    return NAMED_FORMATS.fp8!;
  }
  if (bits === 4 && type === 'float') return groupSize === 16 ? QUANTIZED_FORMATS.nvfp4! : NAMED_FORMATS.fp4!;
  if ((bits === 4 || bits === 8) && type === 'int') {
    const element = bits === 4 ? NAMED_FORMATS.int4! : NAMED_FORMATS.int8!;
    // Symmetric by default (no zero point); one fp16 scale per group, or per channel (negligible).
    const zeroBits = weights.symmetric === false ? bits : 0;
    if (strategy === 'group' && groupSize !== undefined) return groupedFormat(`int${bits}-g${groupSize}`, element, groupSize, 'fp16', zeroBits);
    return element;
  }
  return undefined;
}

function ignoreList(config: Record<string, unknown>): string[] {
  const list = config.modules_to_not_convert ?? config.ignore ?? config.ignored_layers;
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
}

function withIgnores(method: string, format: NumberFormat, kinds: readonly WeightKind[], ignores: string[], description: string): CheckpointQuantization {
  const ignoredKinds = new Set(ignores.map(kindOfModule).filter((kind): kind is WeightKind => kind !== undefined));
  const formats: Partial<Record<WeightKind, NumberFormat>> = {};
  for (const kind of kinds) if (!ignoredKinds.has(kind)) formats[kind] = format;
  const partialIgnores = ignores.filter((pattern) => kindOfModule(pattern) === undefined);
  return { method, formats, description, partialIgnores };
}

/** The checkpoint's quantization, or undefined when the config has none this engine reads. */
export function readCheckpointQuantization(config: HfConfig): CheckpointQuantization | undefined {
  const quantization = config.quantization_config;
  if (!isObject(quantization)) return undefined;
  const method = typeof quantization.quant_method === 'string' ? quantization.quant_method.toLowerCase() : '';
  const ignores = ignoreList(quantization);
  switch (method) {
    case 'awq':
    case 'gptq': {
      const bits = wholeNumber(quantization.bits ?? quantization.w_bit) ?? 4;
      const groupSize = wholeNumber(quantization.group_size ?? quantization.q_group_size);
      const format = packedIntFormat(bits, groupSize, method);
      const kinds = quantization.lm_head === true ? [...LINEAR_KINDS, 'lm_head' as const] : LINEAR_KINDS;
      return withIgnores(method, format, kinds, ignores, `${method.toUpperCase()} int${bits}${groupSize ? `, groups of ${groupSize}` : ''} (${format.bitsPerElement.toFixed(3)} bits per weight)`);
    }
    case 'fp8': {
      const format = fp8Format(quantization.weight_block_size);
      return withIgnores(method, format, LINEAR_KINDS, ignores, `fp8 (${format.name}, ${format.bitsPerElement.toFixed(4)} bits per weight)`);
    }
    case 'mxfp4':
      return withIgnores(method, QUANTIZED_FORMATS.mxfp4!, ['experts'], ignores, 'MXFP4 experts (4.25 bits per weight)');
    case 'compressed-tensors': {
      const groups = isObject(quantization.config_groups) ? Object.values(quantization.config_groups) : [];
      const first = groups.find((group): group is Record<string, unknown> => isObject(group) && isObject(group.weights));
      const format = first ? compressedTensorsFormat(first.weights as Record<string, unknown>) : undefined;
      if (!format) return undefined;
      return withIgnores(method, format, LINEAR_KINDS, ignores, `compressed-tensors ${format.name} (${format.bitsPerElement.toFixed(3)} bits per weight)`);
    }
    default:
      return undefined;
  }
}
