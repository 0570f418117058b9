/**
 * A small cache of workload-independent preparations, so an analysis per keystroke (or per plan
 * candidate) does not rebuild the model's plan when only the workload changed. Entries are found
 * by the model config and hardware objects themselves (presets resolve to the same objects every
 * time; a document re-read gives new ones and simply misses) and a short key of everything else
 * the preparation reads. An object edited in place since its entries were made drops them
 * (unchanged.ts). Objects no longer referenced are dropped with them (WeakMap); each
 * (model, hardware) pair keeps at most MAX_ENTRIES_PER_PAIR keys, the least recently used first out.
 */
import type { EngineInput, NumberFormat } from './types';
import { snapshotOf, unchangedSince } from './unchanged';

// A plan tries every parallelism and format of a hardware: 15 parallelisms up to 16 GPUs × 8
// formats is 120 preparations, each about 20 KB. Room for twice that keeps a whole plan's
// preparations for the next plan (an edit of the targets plans again) instead of cycling them out.
const MAX_ENTRIES_PER_PAIR = 256;

function formatKey(format: NumberFormat): string {
  const scaling = format.scaling;
  return `${format.name}/${format.bitsPerElement}/${format.computePrecision}${scaling ? `/${scaling.groupSize}/${scaling.scaleBits}/${scaling.zeroPointBits}` : ''}`;
}

/** The checkpoint's bytes, when the model came from a folder (a re-read checkpoint may differ). */
function checkpointKey(input: EngineInput): string {
  const checkpoint = input.checkpoint;
  return checkpoint ? `${checkpoint.source}:${checkpoint.totalBytes}:${JSON.stringify(checkpoint.bytesByPart ?? {})}` : '';
}

/** Everything but model, hardware and workload that a preparation reads from the input. */
export function preparationKey(input: EngineInput): string {
  const { quantization: q, parallelism: p, efficiency } = input;
  const efficiencyKey = efficiency === undefined || typeof efficiency === 'string' ? (efficiency ?? '') : `${efficiency.memory ?? ''}:${efficiency.compute ?? ''}`;
  const byKind = q.weightsByKind ? Object.entries(q.weightsByKind).map(([kind, format]) => `${kind}:${formatKey(format)}`).join(',') : '';
  return `${input.conventions}|${formatKey(q.weights)}|${byKind}|${formatKey(q.activations)}|${formatKey(q.kvCache)}|${input.flashAttention}|${p.tensor}/${p.pipeline ?? 1}/${p.expert ?? 1}|${efficiencyKey}|${input.engine ?? ''}|${input.modelName}|${checkpointKey(input)}`;
}

/** A format's fields that its key is made of, to tell whether a format still gives the key it gave. */
interface FormatFields {
  format: NumberFormat;
  name: string;
  bitsPerElement: number;
  computePrecision: string;
  groupSize: number | undefined;
  scaleBits: number | undefined;
  zeroPointBits: number | undefined;
}

function fieldsOf(format: NumberFormat): FormatFields {
  const scaling = format.scaling;
  return {
    format,
    name: format.name,
    bitsPerElement: format.bitsPerElement,
    computePrecision: format.computePrecision,
    groupSize: scaling?.groupSize,
    scaleBits: scaling?.scaleBits,
    zeroPointBits: scaling?.zeroPointBits,
  };
}

function sameFields(format: NumberFormat, fields: FormatFields): boolean {
  const scaling = format.scaling;
  return (
    format === fields.format &&
    format.name === fields.name &&
    format.bitsPerElement === fields.bitsPerElement &&
    format.computePrecision === fields.computePrecision &&
    scaling?.groupSize === fields.groupSize &&
    scaling?.scaleBits === fields.scaleBits &&
    scaling?.zeroPointBits === fields.zeroPointBits
  );
}

/**
 * Every value `preparationKey` reads from an input, with the key they made: an analysis per
 * keystroke (or a loop over batch sizes) asks again with the same values, and comparing them
 * costs a fraction of building and hashing the key's text. Inputs with per-kind weight formats
 * or a checkpoint are keyed the long way.
 */
class KeyOfLastInput {
  readonly conventions: string;
  readonly weights: FormatFields;
  readonly activations: FormatFields;
  readonly kvCache: FormatFields;
  readonly flashAttention: boolean;
  readonly tensor: number;
  readonly pipeline: number | undefined;
  readonly expert: number | undefined;
  readonly efficiency: EngineInput['efficiency'];
  readonly efficiencyMemory: number | undefined;
  readonly efficiencyCompute: number | undefined;
  readonly engine: string | undefined;
  readonly modelName: string;

  constructor(input: EngineInput, readonly key: string) {
    const { quantization: q, parallelism: p, efficiency } = input;
    this.conventions = input.conventions;
    this.weights = fieldsOf(q.weights);
    this.activations = fieldsOf(q.activations);
    this.kvCache = fieldsOf(q.kvCache);
    this.flashAttention = input.flashAttention;
    this.tensor = p.tensor;
    this.pipeline = p.pipeline;
    this.expert = p.expert;
    this.efficiency = efficiency;
    this.efficiencyMemory = typeof efficiency === 'object' ? efficiency.memory : undefined;
    this.efficiencyCompute = typeof efficiency === 'object' ? efficiency.compute : undefined;
    this.engine = input.engine;
    this.modelName = input.modelName;
  }

  static applies(input: EngineInput): boolean {
    return input.quantization.weightsByKind === undefined && input.checkpoint === undefined;
  }

  matches(input: EngineInput): boolean {
    const { quantization: q, parallelism: p, efficiency } = input;
    return (
      input.conventions === this.conventions &&
      q.weightsByKind === undefined &&
      input.checkpoint === undefined &&
      sameFields(q.weights, this.weights) &&
      sameFields(q.activations, this.activations) &&
      sameFields(q.kvCache, this.kvCache) &&
      input.flashAttention === this.flashAttention &&
      p.tensor === this.tensor &&
      p.pipeline === this.pipeline &&
      p.expert === this.expert &&
      efficiency === this.efficiency &&
      (typeof efficiency !== 'object' || (efficiency.memory === this.efficiencyMemory && efficiency.compute === this.efficiencyCompute)) &&
      input.engine === this.engine &&
      input.modelName === this.modelName
    );
  }
}

/** The entries of one (model, hardware) pair, with what the two objects held when they were made. */
interface PairEntries<T> {
  modelSnapshot: unknown;
  hardwareSnapshot: unknown;
  entries: Map<string, T>;
  /** The key used last, already last in `entries`: asked again (the common case), nothing moves. */
  newestKey: string | undefined;
}

export class PreparedCache<T> {
  private readonly byModel = new WeakMap<object, WeakMap<object, PairEntries<T>>>();
  private lastKey: KeyOfLastInput | undefined;

  private keyOf(input: EngineInput): string {
    if (this.lastKey?.matches(input)) return this.lastKey.key;
    const key = preparationKey(input);
    if (KeyOfLastInput.applies(input)) this.lastKey = new KeyOfLastInput(input, key);
    return key;
  }

  /** The preparation for this input, built by `build` on a miss (a throw is not cached). */
  get(input: EngineInput, extraKey: string, build: () => T): T {
    const { model, hardware } = input;
    let byHardware = this.byModel.get(model);
    if (!byHardware) {
      byHardware = new WeakMap();
      this.byModel.set(model, byHardware);
    }
    let pair = byHardware.get(hardware);
    if (!pair || !unchangedSince(model, pair.modelSnapshot) || !unchangedSince(hardware, pair.hardwareSnapshot)) {
      pair = { modelSnapshot: snapshotOf(model), hardwareSnapshot: snapshotOf(hardware), entries: new Map(), newestKey: undefined };
      byHardware.set(hardware, pair);
    }
    const entries = pair.entries;
    const key = extraKey === '' ? this.keyOf(input) : `${this.keyOf(input)}|${extraKey}`;
    const found = entries.get(key);
    if (found !== undefined) {
      // Most recently used last, so the least recently used is the first out.
      if (key !== pair.newestKey) {
        entries.delete(key);
        entries.set(key, found);
        pair.newestKey = key;
      }
      return found;
    }
    const built = build();
    if (entries.size >= MAX_ENTRIES_PER_PAIR) entries.delete(entries.keys().next().value as string);
    entries.set(key, built);
    pair.newestKey = key;
    return built;
  }
}
