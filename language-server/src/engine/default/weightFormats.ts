/**
 * The format of each kind of weight, in this order of precedence:
 * 1. formats the deployment gives per kind (`quantization.weights: { experts: mxfp4, default: bf16 }`);
 * 2. the checkpoint's own `quantization_config` for the kinds it quantizes, the checkpoint's
 *    16-bit dtype for the kinds it leaves alone (gpt-oss: experts MXFP4, the rest bf16);
 * 3. the deployment's one weight format, except that the embedding, lm_head and MoE router stay in
 *    16 bits when it is narrower: vLLM's runtime quantization (`--quantization fp8`) and every
 *    checkpoint format above leave the first two unquantized (VocabParallelEmbedding and
 *    ParallelLMHead load them as they are), and vLLM builds each model's router as a
 *    ReplicatedLinear with quant_config=None (Mixtral, Qwen2/3-MoE, DeepSeek-V2/V3), as
 *    TensorRT-LLM's MoE keeps its router in the model's dtype.
 */
import { readCheckpointQuantization } from '../checkpointQuantization';
import { NAMED_FORMATS } from '../formats';
import { configView, languageModelConfig } from '../model';
import { WEIGHT_KINDS, type EngineInput, type NumberFormat, type WeightKind } from '../types';
import { widerFormat } from './precision';

export interface WeightFormats {
  byKind: Readonly<Record<WeightKind, NumberFormat>>;
  /** The format lm_head writes its logits in (see logitsFormat). */
  logits: NumberFormat;
  /** Where the formats came from, for the notes. */
  notes: string[];
}

/** Kinds a runtime quantization to fewer than 16 bits leaves in the unquantized dtype (see 3. above). */
const UNQUANTIZED_AT_RUNTIME: ReadonlySet<WeightKind> = new Set<WeightKind>(['embedding', 'router', 'lm_head']);

const DTYPE_FORMATS: Readonly<Record<string, NumberFormat | undefined>> = {
  bfloat16: NAMED_FORMATS.bf16,
  float16: NAMED_FORMATS.fp16,
  float32: NAMED_FORMATS.fp32,
};

/** The unquantized format: the checkpoint's dtype, else the activations' if 16 bits or wider, else bf16. */
function unquantizedFormat(input: EngineInput, fields: Record<string, unknown>): NumberFormat {
  const dtype = fields.torch_dtype ?? fields.dtype;
  const fromDtype = typeof dtype === 'string' ? DTYPE_FORMATS[dtype] : undefined;
  if (fromDtype) return fromDtype;
  return input.quantization.activations.bitsPerElement >= 16 ? input.quantization.activations : NAMED_FORMATS.bf16!;
}

/**
 * The logits are written at the head's own precision, not the activations': the head stays in the
 * model's unquantized dtype under runtime quantization and every checkpoint format above, and a
 * matmul on narrower weights or activations still writes 16-bit outputs (vLLM's Fp8LinearMethod
 * returns the input's bf16 dtype; ParallelLMHead's logits are in the model's dtype). So: the widest
 * of the unquantized dtype, the head's weight format and the activations (fp32 activations compute
 * fp32 logits). The fp32 copy made after the head (vLLM's sampler converts the logits to float32;
 * TensorRT-LLM casts them to its `logits_dtype`, float32 by default) belongs to sampling, which is
 * not charged GPU bytes here.
 */
function withLogits(byKind: Record<WeightKind, NumberFormat>, notes: string[], activations: NumberFormat, unquantized: NumberFormat): WeightFormats {
  // widerFormat keeps its second argument on a tie: the activations' format wins among equals.
  const logits = widerFormat(byKind.lm_head, widerFormat(unquantized, activations));
  notes.push(...logitsNotes(logits, activations));
  return { byKind, logits, notes };
}

function logitsNotes(logits: NumberFormat, activations: NumberFormat): string[] {
  return logits.bitsPerElement > activations.bitsPerElement
    ? [`lm_head writes its logits in ${logits.name}, not in the ${activations.name} activations, as serving engines do (a matmul on narrower inputs still writes 16-bit outputs; vLLM's sampler then converts the logits to fp32).`]
    : [];
}

function describe(byKind: Readonly<Record<WeightKind, NumberFormat>>, mixtureOfExperts: boolean): string {
  const groups = new Map<string, WeightKind[]>();
  for (const kind of WEIGHT_KINDS) if (mixtureOfExperts || !MIXTURE_KINDS.has(kind)) groups.set(byKind[kind].name, [...(groups.get(byKind[kind].name) ?? []), kind]);
  return [...groups.entries()].map(([name, kinds]) => `${kinds.join(', ')} ${name}`).join('; ');
}

/** Kinds only a mixture of experts has; the notes leave them out for dense models. */
const MIXTURE_KINDS: ReadonlySet<WeightKind> = new Set<WeightKind>(['experts', 'router']);

/** `mixtureOfExperts`: whether the model has routed experts (and a router), for the notes. */
export function resolveWeightFormats(input: EngineInput, mixtureOfExperts: boolean): WeightFormats {
  const language = languageModelConfig(input.model, ['model']);
  const fields = configView(language.config, language.at).fields;
  const chosen = input.quantization.weights;
  const unquantized = unquantizedFormat(input, fields);
  const explicit = input.quantization.weightsByKind ?? {};
  const checkpoint = readCheckpointQuantization(input.model) ?? readCheckpointQuantization(fields);
  const byKind = {} as Record<WeightKind, NumberFormat>;
  const notes: string[] = [];
  if (checkpoint) {
    for (const kind of WEIGHT_KINDS) byKind[kind] = explicit[kind] ?? checkpoint.formats[kind] ?? unquantized;
    notes.push(
      `Weight formats from the checkpoint's quantization_config (${checkpoint.description}): ${describe(byKind, mixtureOfExperts)}. ` +
        `quantization.weights (${chosen.name}) is not used for them${Object.keys(explicit).length > 0 ? ' beyond the kinds it names' : '; give it as a map ({ experts: ..., default: ... }) to override'}.`,
    );
    if (checkpoint.partialIgnores.length > 0) {
      notes.push(`The checkpoint leaves ${checkpoint.partialIgnores.join(', ')} unquantized; these conventions give one format per kind of layer, so those modules are counted in their kind's format.`);
    }
    return withLogits(byKind, notes, input.quantization.activations, unquantized);
  }
  const keepSixteen = chosen.bitsPerElement < 16;
  for (const kind of WEIGHT_KINDS) {
    const runtime = keepSixteen && UNQUANTIZED_AT_RUNTIME.has(kind) ? unquantized : chosen;
    byKind[kind] = explicit[kind] ?? runtime;
  }
  if (keepSixteen || Object.keys(explicit).length > 0) {
    notes.push(
      `Weight formats: ${describe(byKind, mixtureOfExperts)}${keepSixteen && explicit.embedding === undefined && explicit.lm_head === undefined ? ` (the embedding${mixtureOfExperts ? ', lm_head and router' : ' and lm_head'} stay in ${unquantized.name}, as vLLM's runtime quantization and checkpoint formats leave them)` : ''}.`,
    );
  }
  return withLogits(byKind, notes, input.quantization.activations, unquantized);
}
