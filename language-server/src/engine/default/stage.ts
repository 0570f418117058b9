/**
 * Evaluates a plan for one step: every layer on the clock in use (clock.ts), the stage totals,
 * and the activation memory the step needs at its peak.
 */
import { sumLayerBytes } from '../roofline';
import type { LayerResult } from '../types';
import { layerResultOf, type LayerClock } from './clock';
import type { ComputeUnit, LayerTemplate, ModelPlan, StepShape, WeightKind } from './plan';

/** One template with how many times it occurs in the model. */
export interface CountedLayer {
  template: LayerTemplate;
  count: number;
}

export function flattenPlan(plan: ModelPlan): CountedLayer[] {
  const counted: CountedLayer[] = [];
  for (const group of plan.groups) {
    for (const template of group.layers) counted.push({ template, count: group.count });
  }
  return counted;
}

export interface EvaluatedStage {
  layers: LayerResult[];
  totals: { flops: number; bytes: number; seconds: number };
  /**
   * Peak of live activations: the largest single layer's inputs plus outputs, plus the residual
   * stream that stays live across the block. Layers run one after another, so their buffers are
   * not all live at once (LLM-Viewer sums them, spec §14.10).
   */
  activationPeakBytes: number;
}

/**
 * What a stage reads of each layer, in arrays by position: templates come in many object shapes
 * (each kind of layer, the techniques' copies), so reading `cost`, `name` and `unit` off them in
 * the loop is a megamorphic property load per layer per stage; read once here, the loop reads
 * arrays of one kind. Kept per frozen layer list (a preparation's lists are frozen, prepare.ts);
 * a list that could still change (a technique's or a pipeline stage's) is read directly.
 */
export interface LayerProgram {
  templates: LayerTemplate[];
  counts: number[];
  costs: LayerTemplate['cost'][];
  names: string[];
  units: ComputeUnit[];
  weightKinds: (WeightKind | undefined)[];
  contextDependent: boolean[];
}

const programs = new WeakMap<readonly CountedLayer[], LayerProgram>();

/** The program of a frozen layer list (kept while the list lives); undefined for a list that may still change. */
export function layerProgramOf(layers: readonly CountedLayer[]): LayerProgram | undefined {
  // An analysis asks for the same list several times in a row (both stages of most models, the
  // decode step's fixed part and its sum over steps): the last answer first.
  if (layers === lastLayers) return lastProgram;
  let program = programs.get(layers);
  if (!program) {
    if (!Object.isFrozen(layers)) return undefined;
    program = programFrom(layers);
    programs.set(layers, program);
  }
  lastLayers = layers;
  lastProgram = program;
  return program;
}

let lastLayers: readonly CountedLayer[] | undefined;
let lastProgram: LayerProgram | undefined;

function programFrom(layers: readonly CountedLayer[]): LayerProgram {
  const program: LayerProgram = { templates: [], counts: [], costs: [], names: [], units: [], weightKinds: [], contextDependent: [] };
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    program.templates.push(template);
    program.counts.push(count);
    program.costs.push(template.cost);
    program.names.push(template.name);
    program.units.push(template.unit);
    program.weightKinds.push(template.weightKind);
    program.contextDependent.push(template.contextDependent);
  }
  return program;
}

export function evaluateStage(
  layers: readonly CountedLayer[],
  plan: ModelPlan,
  step: StepShape,
  clock: LayerClock,
  activationBytesPerElement: number,
): EvaluatedStage {
  const results: LayerResult[] = [];
  let flops = 0;
  let bytes = 0;
  let seconds = 0;
  let largestLayerActivations = 0;
  const program = clock.result ? layerProgramOf(layers) : undefined;
  for (let index = 0; index < layers.length; index++) {
    let result: LayerResult;
    if (program) {
      const template = program.templates[index]!;
      result = clock.result!(program.names[index]!, program.units[index]!, program.weightKinds[index], program.counts[index]!, program.costs[index]!.call(template, step));
    } else {
      const { template, count } = layers[index]!;
      const cost = template.cost(step);
      result = clock.result ? clock.result(template.name, template.unit, template.weightKind, count, cost) : layerResultOf(template, count, cost, clock.parts(template, cost));
    }
    results.push(result);
    flops += result.count * result.flops;
    bytes += result.count * sumLayerBytes(result.bytes);
    seconds += result.count * result.seconds;
    largestLayerActivations = Math.max(largestLayerActivations, result.bytes.activations_in + result.bytes.activations_out);
  }
  const residualBytes = step.batchSize * step.queryTokens * plan.residualElementsPerToken * activationBytesPerElement;
  return {
    layers: results,
    totals: { flops, bytes, seconds },
    activationPeakBytes: largestLayerActivations + residualBytes,
  };
}
