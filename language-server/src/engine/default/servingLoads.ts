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
import { validateEngineInput, validateServing } from '../validate';
import { applyTechniques } from '../techniques/apply';
import { hasTechniques } from '../techniques/spec';
import { prepareDefault } from './prepare';
import { servingOf } from './serving';

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
  return {
    asGiven: () => servingOf(prepared, servedInput, memoryUtilization),
    at(concurrency, split) {
      const spec: ServingSpec = { ...colocated };
      spec.concurrency = concurrency;
      if (split) spec.disaggregated = split;
      validateServing(input, spec);
      return servingOf(prepared, servedInput, memoryUtilization, spec);
    },
  };
}
