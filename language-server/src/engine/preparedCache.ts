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

/** The entries of one (model, hardware) pair, with what the two objects held when they were made. */
interface PairEntries<T> {
  modelSnapshot: unknown;
  hardwareSnapshot: unknown;
  entries: Map<string, T>;
}

export class PreparedCache<T> {
  private readonly byModel = new WeakMap<object, WeakMap<object, PairEntries<T>>>();

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
      pair = { modelSnapshot: snapshotOf(model), hardwareSnapshot: snapshotOf(hardware), entries: new Map() };
      byHardware.set(hardware, pair);
    }
    const entries = pair.entries;
    const key = extraKey === '' ? preparationKey(input) : `${preparationKey(input)}|${extraKey}`;
    const found = entries.get(key);
    if (found !== undefined) {
      // Most recently used last, so the least recently used is the first out.
      entries.delete(key);
      entries.set(key, found);
      return found;
    }
    const built = build();
    if (entries.size >= MAX_ENTRIES_PER_PAIR) entries.delete(entries.keys().next().value as string);
    entries.set(key, built);
    return built;
  }
}
