/**
 * Everything about a default-conventions analysis that does not depend on the workload: the
 * architecture and its split, element sizes, the precision and rate each unit runs at (scaled by
 * the efficiency in use), the prefill and decode plans and the stored weights. An analysis
 * prepares once and evaluates one workload; a sweep prepares once and evaluates many.
 */
import { resolveEfficiency, type ResolvedEfficiency } from '../efficiency';
import { RooflineInputError } from '../errors';
import { bytesPerElement } from '../formats';
import type { RooflineRates } from '../roofline';
import { WEIGHT_KINDS, type EngineInput, type InterconnectSpec, type NumberFormat, type WeightKind } from '../types';
import { resolveWeightFormats, type WeightFormats } from './weightFormats';
import { buildPlan, type PlanOptions } from './blocks';
import { storedWeightBytes } from './memory';
import { DEFAULT_INTERCONNECT, splitForParallelism, splitForTensorParallel, type DeviceShape } from './parallel';
import { elementsByPart, sizeFromCheckpoint, type CheckpointSizing } from './checkpointSizes';
import { deviceMemoryLayers } from './pipeline';
import type { ElementBytes, ModelPlan } from './plan';
import { matmulComputeFormat, precisionBits, resolvePrecision, widerFormat, type ResolvedPrecision } from './precision';
import { readArchitecture, type ArchitectureShape } from './shape';
import { PreparedCache } from '../preparedCache';
import { isFrozenDeep } from '../unchanged';
import { BoundedMemo } from '../boundedMemo';
import { flattenPlan, type CountedLayer } from './stage';
import { rooflineClock, type LayerClock, type RatesByUnit } from './clock';
import { DEFAULT_SERVING_ENGINE, ENGINE_PROFILES } from '../expected/engines';
import { ALL_EXPECTED_EFFECTS, expectedClock, type ExpectedContext } from '../expected/clock';
import { DEFAULT_EXPECTED } from '../expected/constants';

export interface PreparedDefault {
  shape: ArchitectureShape;
  device: DeviceShape;
  sizes: ElementBytes;
  /** Precision and datasheet peak of most weight matmuls (the dominant weights'; also elementwise work). */
  matmulPrecision: ResolvedPrecision;
  /**
   * Precision and datasheet peak of each kind of weight's matmuls (matmulComputeFormat): the same
   * object as `matmulPrecision` for every kind that computes like the dominant weights; lm_head and
   * the router differ when they keep 16-bit weights under a narrower format.
   */
  matmulPrecisionByKind: Readonly<Record<WeightKind, ResolvedPrecision>>;
  /** The kinds of weight matmul in the plan whose precision differs from `matmulPrecision`, by precision. */
  otherMatmulPrecisions: readonly OtherMatmulPrecision[];
  attentionPrecision: ResolvedPrecision;
  efficiency: ResolvedEfficiency;
  /** The rates of the roofline in use: datasheet figures times the efficiency fractions. */
  rates: RatesByUnit;
  /** What times each layer: the roofline at `rates`, or the expected clock under `efficiency: expected`. */
  clock: LayerClock;
  /** Under `efficiency: expected`: what its clock is built from, to attribute time to each effect. */
  expected: ExpectedContext | undefined;
  planOptions: PlanOptions;
  decodePlan: ModelPlan;
  prefillPlan: ModelPlan;
  layers: CountedLayer[];
  prefillLayers: CountedLayer[];
  /**
   * What one device stores (weights, KV cache): `layers` (the whole forward pass) without pipeline
   * parallelism, the governing stage's share with it (pipeline.ts).
   */
  memoryLayers: CountedLayer[];
  weightsBytes: number;
  /** Sizes from the checkpoint's exact bytes, when the model is a folder with safetensors (checkpointSizes.ts). */
  checkpoint: CheckpointSizing | undefined;
  /**
   * Preparations with the same scope object have layers whose activation bytes are equal at every
   * step (the same plans, or plans that differ only in their link): activation peaks are kept per
   * scope (capacityModel.ts, serving.ts). Anything that changes the layers gets a new scope.
   */
  activationScope: object;
  /** The hardware's name and memory, read here rather than from each input's hardware object (whose shape differs between hardware). */
  hardwareName: string;
  memoryCapacityBytes: number | undefined;
  /** The format of each kind of weight (deployment map, checkpoint, runtime rule). */
  weightFormats: WeightFormats;
  /** Notes the preparation gives (link assumed, precision upcast, efficiency in use). */
  notes: string[];
}

function requirePositiveBits(input: EngineInput): void {
  const formats = [
    ['weights', input.quantization.weights],
    ['activations', input.quantization.activations],
    ['kv_cache', input.quantization.kvCache],
  ] as const;
  for (const [key, format] of formats) {
    if (!Number.isFinite(format.bitsPerElement) || format.bitsPerElement <= 0) {
      throw new RooflineInputError(['quantization', key], `bits per element must be positive, got ${format.bitsPerElement}`);
    }
  }
}

/** The link collectives use: the hardware's own, checked, or PCIe 4.0 x16 with a note. */
function interconnectFor(input: EngineInput, notes: string[]): InterconnectSpec {
  const link = input.hardware.interconnect;
  if (input.parallelism.tensor <= 1 && (input.parallelism.pipeline ?? 1) <= 1) return sameShapeLink(link ?? DEFAULT_INTERCONNECT);
  if (!link) {
    notes.push(
      `${input.hardware.name} gives no interconnect, so transfers between devices are timed over PCIe 4.0 x16 (32 GB/s per direction, 5 µs per ring step); set hardware interconnect to change this.`,
    );
    return sameShapeLink(DEFAULT_INTERCONNECT);
  }
  // Its range is checked with the other hardware figures (../validate.ts).
  return sameShapeLink(link);
}

/**
 * A copy of a link with every field present (undefined where the hardware gives none): hardware
 * files and presets give different subsets, and the collectives' timing, which reads the link for
 * every layer of every step, deoptimized in V8 on each new shape.
 */
function sameShapeLink(link: InterconnectSpec): InterconnectSpec {
  return {
    bandwidthBytesPerSecond: link.bandwidthBytesPerSecond,
    latencySeconds: link.latencySeconds,
    fabric: link.fabric,
    domainDevices: link.domainDevices,
    scaleOut: link.scaleOut,
  };
}

function elementBytes(input: EngineInput, weightFormats: WeightFormats): ElementBytes {
  const activation = bytesPerElement(input.quantization.activations);
  const weight = {} as Record<WeightKind, number>;
  for (const kind of WEIGHT_KINDS) weight[kind] = bytesPerElement(weightFormats.byKind[kind]);
  // vLLM's MXFP4 MoE layout (see ElementBytes.expertAlignment).
  const mxfp4Experts = weightFormats.byKind.experts.name === 'mxfp4';
  return {
    weight,
    ...(mxfp4Experts ? { expertAlignment: { hidden: 256, columns: 128 } } : {}),
    // Norm weights and biases stay in 16-bit (or the activation format if wider) under every
    // common quantisation scheme (GPTQ, AWQ, FP8, GGUF).
    vectorParameter: Math.max(activation, 2),
    activation,
    logits: bytesPerElement(weightFormats.logits),
    kvCache: bytesPerElement(input.quantization.kvCache),
  };
}

/**
 * The expected clock's inputs: the datasheet rates of weight matmuls (also elementwise work and
 * collectives' local reductions) and of attention, the sustained fractions of the efficiency in
 * use, the hardware family's constants, the engine running the model, and the weight formats
 * (matmuls dequantise weights narrower than their activations).
 */
function expectedContextOf(
  input: EngineInput,
  shape: ArchitectureShape,
  link: InterconnectSpec,
  efficiency: ResolvedEfficiency,
  [matmulPrecision, attentionPrecision]: [ResolvedPrecision, ResolvedPrecision],
  matmulPrecisionByKind: Readonly<Record<WeightKind, ResolvedPrecision>>,
  weightFormats: WeightFormats,
): ExpectedContext {
  const matmulFraction = efficiency.compute(matmulPrecision.precision);
  const { hardware, quantization } = input;
  const bandwidth = hardware.memoryBandwidthBytesPerSecond;
  const matmul = { peakOpsPerSecond: matmulPrecision.peakOpsPerSecond, memoryBandwidthBytesPerSecond: bandwidth };
  const perKind = ratesByKind(matmulPrecisionByKind, matmulPrecision, matmul, (precision) => ({ peakOpsPerSecond: precision.peakOpsPerSecond, memoryBandwidthBytesPerSecond: bandwidth }));
  return {
    peakRates: {
      matmul,
      vector: matmul,
      network: matmul,
      attention: { peakOpsPerSecond: attentionPrecision.peakOpsPerSecond, memoryBandwidthBytesPerSecond: bandwidth },
      matmulByKind: perKind,
    },
    memoryFraction: efficiency.memory,
    computeFraction: { matmul: matmulFraction, vector: matmulFraction, network: matmulFraction, attention: efficiency.compute(attentionPrecision.precision) },
    matmulComputeFractionByKind: Object.fromEntries(
      WEIGHT_KINDS.map((kind) => [kind, efficiency.compute(matmulPrecisionByKind[kind].precision)]),
    ) as Record<WeightKind, number>,
    eightBitMatmulByKind: Object.fromEntries(WEIGHT_KINDS.map((kind) => [kind, precisionBits(matmulPrecisionByKind[kind].precision) <= 8])) as Record<WeightKind, boolean>,
    constants: hardware.expected ?? DEFAULT_EXPECTED,
    ...(hardware.computeUnits !== undefined ? { computeUnits: hardware.computeUnits } : {}),
    link,
    weightBitsByKind: Object.fromEntries(WEIGHT_KINDS.map((kind) => [kind, weightFormats.byKind[kind].bitsPerElement])) as Record<WeightKind, number>,
    activationBitsPerElement: quantization.activations.bitsPerElement,
    activationsInBf16: quantization.activations.name === 'bf16',
    engine: ENGINE_PROFILES[input.engine ?? DEFAULT_SERVING_ENGINE],
    queryHeadsPerKeyValueHead: Math.max(1, shape.numAttentionHeads / Math.max(1, shape.numKeyValueHeads)),
    ...(hardware.peakOpsPerSecond.fp32 !== undefined ? { vectorOpsPerSecond: hardware.peakOpsPerSecond.fp32 } : {}),
  };
}

/**
 * Each kind's rates: `dominant` itself (the same object) for kinds that compute at the dominant
 * precision, so the clocks tell the common case apart by identity.
 */
function ratesByKind(
  byKind: Readonly<Record<WeightKind, ResolvedPrecision>>,
  dominantPrecision: ResolvedPrecision,
  dominant: RooflineRates,
  ratesOf: (precision: ResolvedPrecision) => RooflineRates,
): Record<WeightKind, RooflineRates> {
  const rates = {} as Record<WeightKind, RooflineRates>;
  for (const kind of WEIGHT_KINDS) rates[kind] = byKind[kind] === dominantPrecision ? dominant : ratesOf(byKind[kind]);
  return rates;
}

/**
 * The precision each kind of weight's matmuls run at, one definition (matmulComputeFormat): the
 * dominant precision's object for every kind whose format computes like it.
 */
function matmulPrecisionsByKind(
  input: EngineInput,
  weightFormats: WeightFormats,
  dominantFormat: NumberFormat,
  dominant: ResolvedPrecision,
): Record<WeightKind, ResolvedPrecision> {
  const byKind = {} as Record<WeightKind, ResolvedPrecision>;
  for (const kind of WEIGHT_KINDS) {
    const requested = matmulComputeFormat(weightFormats.byKind[kind], input.quantization.activations).computePrecision;
    byKind[kind] =
      requested === dominantFormat.computePrecision
        ? dominant
        : resolvePrecision(requested, input.hardware.peakOpsPerSecond, input.hardware.name, `${kind} matmuls`);
  }
  return byKind;
}

/** Weight matmuls of some kinds that run at another precision than the dominant one. */
export interface OtherMatmulPrecision {
  weightKinds: WeightKind[];
  resolved: ResolvedPrecision;
}

/**
 * The kinds of weight matmul in this plan that run at another precision than the dominant one
 * (lm_head and the router when they keep 16-bit weights under fp8), grouped by precision.
 */
function otherMatmulPrecisions(layers: readonly CountedLayer[], byKind: Readonly<Record<WeightKind, ResolvedPrecision>>, dominant: ResolvedPrecision): OtherMatmulPrecision[] {
  const kinds = new Set<WeightKind>();
  for (const { template } of layers) if (template.unit === 'matmul' && template.weightKind !== undefined && byKind[template.weightKind] !== dominant) kinds.add(template.weightKind);
  const groups: OtherMatmulPrecision[] = [];
  for (const kind of WEIGHT_KINDS) {
    if (!kinds.has(kind)) continue;
    const resolved = byKind[kind];
    const group = groups.find((candidate) => candidate.resolved.precision === resolved.precision);
    if (group) group.weightKinds.push(kind);
    else groups.push({ weightKinds: [kind], resolved });
  }
  return groups;
}

function otherPrecisionNotes(groups: readonly OtherMatmulPrecision[], dominant: ResolvedPrecision): string[] {
  const notes: string[] = [];
  for (const { weightKinds, resolved } of groups) {
    if (resolved.note && !notes.includes(resolved.note)) notes.push(resolved.note);
    notes.push(
      `${weightKinds.join(' and ')} matmuls run at the ${resolved.precision} peak, the wider of their weights' and the activations' formats; the other weight matmuls at ${dominant.precision}.`,
    );
  }
  return notes;
}

/**
 * The weight format most matmul work runs against, which sets the matmul rate: the routed
 * experts' in a mixture of experts, else the dense MLP's (the MLP holds most of a block's weights;
 * the embedding and lm_head are a small share of the work).
 */
function dominantWeightFormat(shape: ArchitectureShape, formats: WeightFormats): NumberFormat {
  return shape.experts ? formats.byKind.experts : formats.byKind.mlp;
}

/** The checkpoint's sizes, from the elements of the whole model (unsplit, unpadded) per part. */
function checkpointSizing(checkpoint: NonNullable<EngineInput['checkpoint']>, shape: ArchitectureShape, formatSizes: ElementBytes, planOptions: PlanOptions): CheckpointSizing {
  const { expertAlignment: _padding, ...unpadded } = formatSizes;
  const whole = flattenPlan(buildPlan(shape, splitForTensorParallel(shape, 1), unpadded, planOptions, 'decode'));
  return sizeFromCheckpoint(checkpoint, elementsByPart(whole), unpadded, shape.tieWordEmbeddings);
}

const preparations = new PreparedCache<PreparedDefault>();

/** What a preparation builds from the model, its split, the element sizes and the link alone. */
interface LayerPlans {
  decodePlan: ModelPlan;
  prefillPlan: ModelPlan;
  layers: CountedLayer[];
  prefillLayers: CountedLayer[];
  memory: { layers: CountedLayer[]; notes: string[] };
  weightsBytes: number;
  /** See PreparedDefault.activationScope. */
  activationScope: object;
}

function layerPlansOf(
  input: EngineInput,
  shape: ArchitectureShape,
  device: DeviceShape,
  sizes: ElementBytes,
  planOptions: PlanOptions,
  checkpoint: CheckpointSizing | undefined,
  activationScope?: object,
): LayerPlans {
  const decodePlan = buildPlan(shape, device, sizes, planOptions, 'decode');
  // Only latent attention computes prefill differently (decompressed rather than absorbed).
  const prefillPlan = shape.latentAttention ? buildPlan(shape, device, sizes, planOptions, 'prefill') : decodePlan;
  // Frozen: figures read from a layer list are kept by the list (memory.ts), so it must not change.
  const layers = Object.freeze(flattenPlan(decodePlan)) as CountedLayer[];
  const prefillLayers = shape.latentAttention ? (Object.freeze(flattenPlan(prefillPlan)) as CountedLayer[]) : layers;
  const memory = deviceMemoryLayers(shape, device.pipelineParallel, decodePlan, layers, sizes, input.workload);
  Object.freeze(memory.layers);
  Object.freeze(memory.notes);
  const weightsBytes = checkpoint ? checkpoint.deviceBytes(memory.layers) : storedWeightBytes(memory.layers, sizes);
  return { decodePlan, prefillPlan, layers, prefillLayers, memory, weightsBytes, activationScope: activationScope ?? {} };
}

/**
 * Layer plans per model config, shared by preparations that differ only in what the plans do not
 * read: the hardware's rates, memory and name, the efficiency, the serving engine. A plan reads
 * the model (through its shape), the device split, the element sizes, flash attention, and the
 * link, which only collectives hold: a split device (tp, pp or ep > 1) keys on the link's figures,
 * an unsplit one holds no collective (blocks.ts builds none, and drops the pipeline send of a
 * single stage), so it shares its plans across every hardware. The memory split of pipeline stages
 * reads the workload, which then joins the key. A planner preparing every hardware of its space
 * builds each plan once instead of once per hardware.
 */
const MODELS_KEPT = 8;
const layerPlansByModel = new BoundedMemo<string, BoundedMemo<string, LayerPlans>>(MODELS_KEPT);
const activationScopes = new BoundedMemo<string, BoundedMemo<string, object>>(MODELS_KEPT);
// A plan's space up to 16 GPUs: 15 parallelisms × 8 formats × the distinct links of its hardware.
const LAYER_PLANS_KEPT = 1024;

/** JSON of a value made of plain data only (finite numbers, strings, booleans, null, arrays, objects), else undefined. */
function plainText(value: unknown): string | undefined {
  let plain = true;
  const notPlain = (item: unknown): boolean => {
    if (typeof item === 'number') return !Number.isFinite(item);
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return false;
    if (typeof item !== 'object') return true;
    const prototype = Object.getPrototypeOf(item) as unknown;
    return !Array.isArray(item) && prototype !== Object.prototype && prototype !== null;
  };
  try {
    const text = JSON.stringify(value, (_key, item: unknown) => {
      if (plain && notPlain(item)) plain = false;
      return plain ? item : null;
    });
    return plain ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The text of configs frozen all the way down (the presets), which cannot change: a planner prepares one hundreds of times. */
const frozenModelText = new WeakMap<object, string | undefined>();

function modelText(model: EngineInput['model']): string | undefined {
  if (!isFrozenDeep(model)) return plainText(model);
  if (!frozenModelText.has(model)) frozenModelText.set(model, plainText(model));
  return frozenModelText.get(model);
}

function sharedLayerPlans(input: EngineInput, shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, planOptions: PlanOptions): LayerPlans {
  // The model by value, not by object: a config edited in place must not find the plans of its
  // earlier values, and a document read again gives an equal config in a new object. A config
  // whose text would not tell it apart (NaN and Infinity both read as null) is not shared.
  const modelKey = modelText(input.model);
  if (modelKey === undefined) return layerPlansOf(input, shape, device, sizes, planOptions, undefined);
  const byKey = layerPlansByModel.get(modelKey, () => new BoundedMemo(LAYER_PLANS_KEPT));
  const split = device.tensorParallel > 1 || device.pipelineParallel > 1 || device.expertParallel > 1;
  const workload = device.pipelineParallel > 1 ? input.workload : undefined;
  const key = JSON.stringify([device, sizes, planOptions.flashAttention, split ? planOptions.interconnect : null, workload ?? null]);
  return byKey.get(key, () => {
    // Plans that differ only in their link have the same activations (a collective's bytes are its
    // message, whatever carries it): they share one scope for the activation figures.
    const scopeKey = JSON.stringify([device, sizes, planOptions.flashAttention, workload ?? null]);
    const scope = activationScopes.get(modelKey, () => new BoundedMemo(LAYER_PLANS_KEPT)).get(scopeKey, () => ({}));
    return layerPlansOf(input, shape, device, sizes, planOptions, undefined, scope);
  });
}

/**
 * The preparation of this input, reused while model, hardware, formats, parallelism and efficiency
 * stay the same (only pipeline parallelism's memory split reads the workload, so it joins the key).
 */
export function prepareDefault(input: EngineInput): PreparedDefault {
  const { pipeline = 1 } = input.parallelism;
  const workloadKey = pipeline > 1 ? `${input.workload.batchSize}/${input.workload.promptTokens}/${input.workload.outputTokens}` : '';
  return preparations.get(input, workloadKey, () => prepareUncached(input));
}

function prepareUncached(input: EngineInput): PreparedDefault {
  requirePositiveBits(input);
  const { hardware, quantization } = input;
  const notes: string[] = [];
  const shape = readArchitecture(input.model);
  const device = splitForParallelism(shape, input.parallelism);
  const interconnect = interconnectFor(input, notes);
  const weightFormats = resolveWeightFormats(input, shape.experts !== undefined);
  notes.push(...weightFormats.notes);
  const formatSizes = elementBytes(input, weightFormats);
  const planOptions: PlanOptions = { flashAttention: input.flashAttention, interconnect };
  const checkpoint = input.checkpoint ? checkpointSizing(input.checkpoint, shape, formatSizes, planOptions) : undefined;
  if (checkpoint) notes.push(...checkpoint.notes);
  const sizes = checkpoint?.sizes ?? formatSizes;

  const matmulFormat = matmulComputeFormat(dominantWeightFormat(shape, weightFormats), quantization.activations);
  const attentionFormat = widerFormat(quantization.kvCache, quantization.activations);
  const matmulPrecision = resolvePrecision(matmulFormat.computePrecision, hardware.peakOpsPerSecond, hardware.name, 'matmuls');
  const matmulPrecisionByKind = matmulPrecisionsByKind(input, weightFormats, matmulFormat, matmulPrecision);
  const attentionPrecision = resolvePrecision(attentionFormat.computePrecision, hardware.peakOpsPerSecond, hardware.name, 'attention matmuls');
  for (const resolved of [matmulPrecision, attentionPrecision]) {
    if (resolved.note && !notes.includes(resolved.note)) notes.push(resolved.note);
  }
  if (attentionPrecision.precision !== matmulPrecision.precision) {
    notes.push(
      `Attention matmuls run at ${attentionPrecision.precision} (the wider of the activation and KV cache formats); weight matmuls and elementwise layers at ${matmulPrecision.precision}.`,
    );
  }
  const efficiency = resolveEfficiency(input.efficiency, hardware);
  notes.push(...efficiency.notes);
  const bandwidth = hardware.memoryBandwidthBytesPerSecond * efficiency.memory;
  const sustainedRates = (precision: ResolvedPrecision): RooflineRates => ({
    peakOpsPerSecond: precision.peakOpsPerSecond * efficiency.compute(precision.precision),
    memoryBandwidthBytesPerSecond: bandwidth,
  });
  const matmulRates = sustainedRates(matmulPrecision);
  // Elementwise work runs on vector units; without a documented vector rate for most parts we time
  // it at the matmul peak. It is memory-bound by orders of magnitude either way.
  const rates: RatesByUnit = {
    matmul: matmulRates,
    vector: matmulRates,
    network: matmulRates,
    attention: {
      peakOpsPerSecond: attentionPrecision.peakOpsPerSecond * efficiency.compute(attentionPrecision.precision),
      memoryBandwidthBytesPerSecond: bandwidth,
    },
    matmulByKind: ratesByKind(matmulPrecisionByKind, matmulPrecision, matmulRates, sustainedRates),
  };

  const expected =
    efficiency.mode === 'expected'
      ? expectedContextOf(input, shape, interconnect, efficiency, [matmulPrecision, attentionPrecision], matmulPrecisionByKind, weightFormats)
      : undefined;

  const { decodePlan, prefillPlan, layers, prefillLayers, memory, weightsBytes, activationScope } = checkpoint
    ? layerPlansOf(input, shape, device, sizes, planOptions, checkpoint)
    : sharedLayerPlans(input, shape, device, sizes, planOptions);
  notes.push(...memory.notes);
  const otherPrecisions = otherMatmulPrecisions(layers, matmulPrecisionByKind, matmulPrecision);
  for (const note of otherPrecisionNotes(otherPrecisions, matmulPrecision)) if (!notes.includes(note)) notes.push(note);
  return {
    shape,
    device,
    sizes,
    matmulPrecision,
    matmulPrecisionByKind,
    otherMatmulPrecisions: otherPrecisions,
    attentionPrecision,
    efficiency,
    rates,
    clock: expected ? expectedClock(expected, ALL_EXPECTED_EFFECTS) : rooflineClock(rates),
    // Present (if undefined) in every preparation, as the hardware's figures below: one object
    // shape for the code that reads preparations, whatever the hardware and efficiency.
    expected,
    planOptions,
    decodePlan,
    prefillPlan,
    layers,
    prefillLayers,
    memoryLayers: memory.layers,
    weightsBytes,
    activationScope,
    checkpoint,
    hardwareName: hardware.name,
    memoryCapacityBytes: hardware.memoryCapacityBytes,
    weightFormats,
    notes,
  };
}
