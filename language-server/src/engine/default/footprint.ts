/**
 * What a model file says on its own, before any deployment: its parameters (total and active per
 * token) and its weight bytes at one precision, counted on the same layer plan the analysis uses
 * (one device, no storage padding), so a model file's hints and a deployment's figures agree.
 */
import { WEIGHT_KINDS, type HfConfig, type WeightKind } from '../types';
import { buildPlan } from './blocks';
import { activeParameters, storedParameters, storedWeightBytes } from './memory';
import { DEFAULT_INTERCONNECT, splitForTensorParallel } from './parallel';
import type { ElementBytes } from './plan';
import { readArchitecture } from './shape';
import { flattenPlan } from './stage';

export interface ModelFootprint {
  parameters: number;
  /** Parameters one token goes through (routed experts count k of E); equal to `parameters` for dense models. */
  activeParameters: number;
  /** Every stored weight at `bytesPerWeight` (norms and biases too), as a deployment with those weights holds them. */
  weightBytes: number;
  bytesPerWeight: number;
}

/** Throws the engine's `RooflineInputError` for a config it cannot read, as the analysis would. */
export function modelFootprint(config: HfConfig, bytesPerWeight: number): ModelFootprint {
  const shape = readArchitecture(config);
  const weight = {} as Record<WeightKind, number>;
  for (const kind of WEIGHT_KINDS) weight[kind] = bytesPerWeight;
  // Element sizes for the plan's stored weights only: no step is timed, so activations and logits are never read.
  const sizes: ElementBytes = { weight, vectorParameter: bytesPerWeight, activation: bytesPerWeight, logits: bytesPerWeight, kvCache: bytesPerWeight };
  // One device: the interconnect is never used, the plan needs one all the same.
  const layers = flattenPlan(buildPlan(shape, splitForTensorParallel(shape, 1), sizes, { flashAttention: true, interconnect: DEFAULT_INTERCONNECT }, 'decode'));
  return {
    parameters: storedParameters(layers),
    activeParameters: activeParameters(layers),
    weightBytes: storedWeightBytes(layers, sizes),
    bytesPerWeight,
  };
}
