/**
 * What the techniques transform, one after another: the decode and prefill layers that are timed,
 * the layers whose storage is memory, the workload (prompt compression shortens it), and what each
 * technique reports.
 */
import type { HardwareSpec, WorkloadSpec } from '../types';
import type { PreparedDefault } from '../default/prepare';
import type { CountedLayer } from '../default/stage';
import type { LayerTemplate, PlanPart } from '../default/plan';
import type { TechniqueSummary } from './spec';

export interface TechniqueState {
  /** The deployment without techniques: shape, split, element sizes and plans. */
  readonly base: PreparedDefault;
  readonly hardware: HardwareSpec;
  decode: CountedLayer[];
  /** The plan part of each decode layer, index for index (early exit counts the blocks' layers only). */
  decodeParts: PlanPart[];
  prefill: CountedLayer[];
  memory: CountedLayer[];
  workload: WorkloadSpec;
  summaries: TechniqueSummary[];
  notes: string[];
}

/** The same map on the timed and the stored layers (a change to what a layer is, not to one stage). */
export function mapEveryList(state: TechniqueState, map: (template: LayerTemplate) => LayerTemplate): void {
  const cache = new Map<LayerTemplate, LayerTemplate>();
  const mapped = (template: LayerTemplate): LayerTemplate => {
    let found = cache.get(template);
    if (!found) {
      found = map(template);
      cache.set(template, found);
    }
    return found;
  };
  state.decode = state.decode.map(({ template, count }) => ({ template: mapped(template), count }));
  state.prefill = state.prefill.map(({ template, count }) => ({ template: mapped(template), count }));
  state.memory = state.memory.map(({ template, count }) => ({ template: mapped(template), count }));
}

/** Grouped thousands for messages (2,048). */
export function whole(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))}%`;
}

/** A layer a technique adds to the decode step (a predictor, a classifier), in a part of the plan. */
export function addDecodeLayer(state: TechniqueState, layer: CountedLayer, part: PlanPart): void {
  state.decode = [...state.decode, layer];
  state.decodeParts = [...state.decodeParts, part];
}
