/**
 * The serving figures of one deployment at many loads and pool layouts, as the planner searches
 * them: the deployment is checked and prepared once (with its techniques, as `analyzeDefault`
 * applies them), and each load then runs the serving model alone. A load's figures are the
 * `serving` result `analyze()` gives the deployment with that `serving.concurrency` and
 * `serving.disaggregated`: the same preparation, workload and serving model, and the same checks of
 * what the load changes (the serving section; the rest of the input is the one checked here).
 */
import { RooflineInputError } from '../errors';
import { requireMemoryUtilization } from '../capacity';
import type { EngineInput, ServingResult, ServingSpec } from '../types';
import { validateEngineInput, validateServing, validateServingLoad } from '../validate';
import { applyTechniques } from '../techniques/apply';
import { hasTechniques } from '../techniques/spec';
import { prepareDefault } from './prepare';
import { servingAtCapacity, servingCapacityOf, type ServingCapacity } from './serving';

/** Separate prefill and decode pools, in GPUs (ServingSpec.disaggregated). */
export type PoolSplit = NonNullable<ServingSpec['disaggregated']>;

export interface ServingLoads {
  /** The serving result of the input as given: what `analyze()` gives it. */
  asGiven(): ServingResult;
  /** The serving result at `concurrency` requests in flight (per decode instance's pool when split), co-located or in `split` pools. */
  at(concurrency: number | 'max', split: PoolSplit | undefined): ServingResult;
}

/**
 * `input`'s serving figures at any load. Throws, as `analyze()` would, when the input does not
 * pass the engine's checks or is not a default-conventions deployment with `serving:`.
 */
export function servingLoadsOf(input: EngineInput): ServingLoads {
  validateEngineInput(input);
  if (input.conventions !== 'default' || !input.serving) {
    throw new RooflineInputError(['serving'], 'serving figures need conventions: default and a serving: section');
  }
  const memoryUtilization = requireMemoryUtilization(input.memoryUtilization);
  const base = prepareDefault(input);
  const techniques = hasTechniques(input.techniques) ? applyTechniques(base, input, input.techniques) : undefined;
  const prepared = techniques?.prepared ?? base;
  // analyzeDefault serves the workload the techniques leave (a compressed prompt, say).
  const servedInput: EngineInput = techniques ? { ...input, workload: techniques.workload } : input;
  const { disaggregated: _split, ...colocated } = input.serving;
  // The rest of the section was checked above with the input: a load checks only what it sets,
  // unless the section has an arrival rate (a set concurrency then conflicts with it).
  const checkLoad = colocated.requestRatePerSecond === undefined ? validateServingLoad : (spec: ServingSpec) => validateServing(input, spec);
  // The KV pool, instances and saturation of each pool layout, worked out at its first load (a
  // layout that cannot serve is worked out again at each, and throws again).
  const capacities = new Map<string, ServingCapacity>();
  const capacityOf = (spec: ServingSpec, split: PoolSplit | undefined): ServingCapacity => {
    const key = split ? `${split.prefillGpus}/${split.decodeGpus}` : 'co-located';
    let capacity = capacities.get(key);
    if (!capacity) capacities.set(key, (capacity = servingCapacityOf(prepared, servedInput, memoryUtilization, spec)));
    return capacity;
  };
  const served = (spec: ServingSpec, split: PoolSplit | undefined): ServingResult => {
    const result = servingAtCapacity(capacityOf(spec, split), servedInput, spec);
    // Each result owns its objects: the capacity's are shared by every load of its layout.
    if (result.startup) result.startup = { ...result.startup };
    if (result.disaggregated) result.disaggregated = { ...result.disaggregated };
    return result;
  };
  return {
    asGiven: () => served(input.serving!, input.serving!.disaggregated),
    at(concurrency, split) {
      const spec: ServingSpec = { ...colocated };
      spec.concurrency = concurrency;
      if (split) spec.disaggregated = split;
      checkLoad(spec);
      return served(spec, split);
    },
  };
}
