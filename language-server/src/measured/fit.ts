/**
 * "Fit to these measurements": the few efficiency terms of the hardware file that a serving run
 * pins down, chosen so the expected times come closest to the measured points.
 *
 * - `achievable.memory`: the share of the datasheet bandwidth streaming reaches (decode is bound by it);
 * - `achievable.compute.<precision>`: the share of peak the matmuls reach at the deployment's precision (prefill);
 * - `expected.step_us`: host time per engine step (scheduling, sampling), in every TPOT;
 * - `expected.request_us`: time per request before its first token (HTTP, tokenisation), in every TTFT.
 *
 * Each is bounded to its physical range, starts from the hardware's current value, and is moved by
 * a bounded pattern search (coordinate steps halving from a quarter of the range) that minimises a
 * robust loss on the log error of every figure: soft-L1, so one point a model cannot explain (a burst
 * whose queue the steady state does not see) pulls less than a squared error would let it.
 */
import { DEFAULT_ACHIEVABLE_FRACTIONS, knownComputeFraction } from '../engine/efficiency';
import { DEFAULT_EXPECTED } from '../engine/expected/constants';
import type { ComputePrecision, EngineInput, HardwareSpec } from '../engine/types';
import { comparePoint, geoMeanAbsError, type SourcedPoint } from './compare';

/** The terms a fit writes, in the units of the hardware file's keys. */
export interface FittedTerms {
  memoryFraction: number;
  computeFraction: number;
  computePrecision: ComputePrecision;
  stepUs: number;
  requestUs: number;
}

/** Physical ranges: a kernel streams at 30–100% of the datasheet bandwidth, matmuls reach 20–100% of peak; host times of 0–20 ms per step and 0–100 ms per request. */
export const FIT_BOUNDS = {
  memoryFraction: [0.3, 1],
  computeFraction: [0.2, 1],
  stepUs: [0, 20_000],
  requestUs: [0, 100_000],
} as const;

type FittedKey = keyof typeof FIT_BOUNDS;
const KEYS: readonly FittedKey[] = ['memoryFraction', 'computeFraction', 'stepUs', 'requestUs'];

export interface FitOutcome {
  /** The terms as the hardware had them, and as fitted. */
  start: FittedTerms;
  terms: FittedTerms;
  /** Geometric mean of |error| over the points' figures, with `efficiency: expected`, before and after. */
  before: number;
  after: number;
  figures: number;
  evaluations: number;
}

/** The hardware with the fitted terms in place of its own. */
export function withFittedTerms(hardware: HardwareSpec, terms: FittedTerms): HardwareSpec {
  const expected = hardware.expected ?? DEFAULT_EXPECTED;
  return {
    ...hardware,
    achievable: {
      ...hardware.achievable,
      memory: terms.memoryFraction,
      compute: { ...hardware.achievable?.compute, [terms.computePrecision]: terms.computeFraction },
    },
    expected: { ...expected, stepSeconds: terms.stepUs * 1e-6, requestSeconds: terms.requestUs * 1e-6 },
  };
}

export function currentTerms(input: EngineInput): FittedTerms {
  const hardware = input.hardware;
  const precision = input.quantization.activations.computePrecision;
  const expected = hardware.expected ?? DEFAULT_EXPECTED;
  const clamp = (key: FittedKey, value: number): number => Math.min(FIT_BOUNDS[key][1], Math.max(FIT_BOUNDS[key][0], value));
  return {
    memoryFraction: clamp('memoryFraction', hardware.achievable?.memory ?? DEFAULT_ACHIEVABLE_FRACTIONS.memory),
    computeFraction: clamp('computeFraction', knownComputeFraction(hardware.achievable, precision) ?? DEFAULT_ACHIEVABLE_FRACTIONS.compute),
    computePrecision: precision,
    stepUs: clamp('stepUs', expected.stepSeconds * 1e6),
    requestUs: clamp('requestUs', expected.requestSeconds * 1e6),
  };
}

/** Soft-L1 of a log error, scaled so errors below ~10% count as squares and larger ones grow linearly. */
function softL1(logError: number): number {
  const scale = 0.1;
  return 2 * scale * scale * (Math.sqrt(1 + (logError / scale) ** 2) - 1);
}

interface Evaluation {
  loss: number;
  geoMean: number;
  figures: number;
}

function evaluate(input: EngineInput, points: readonly SourcedPoint[], terms: FittedTerms): Evaluation {
  const fitted: EngineInput = { ...input, efficiency: 'expected', hardware: withFittedTerms(input.hardware, terms) };
  const metrics = points.flatMap((point) => comparePoint(fitted, point).metrics);
  const loss = metrics.reduce((sum, { measured, predicted }) => sum + softL1(Math.log(predicted / measured)), 0);
  return { loss: metrics.length > 0 ? loss : Number.POSITIVE_INFINITY, geoMean: geoMeanAbsError(metrics) ?? Number.NaN, figures: metrics.length };
}

/** At most this many evaluations (each analyses every point once): the search stops where it is. */
export const MAX_FIT_EVALUATIONS = 160;

/**
 * The search in steps, one evaluation each, so a server can give its event loop back between
 * them (`fitEfficiency` runs it through).
 */
export function* fitSteps(input: EngineInput, points: readonly SourcedPoint[]): Generator<void, FitOutcome> {
  const start = currentTerms(input);
  let best = { terms: start, ...evaluate(input, points, start) };
  const before = best;
  let evaluations = 1;
  const span = (key: FittedKey): number => FIT_BOUNDS[key][1] - FIT_BOUNDS[key][0];
  for (let step = 0.25; step >= 1 / 256 && evaluations < MAX_FIT_EVALUATIONS; step /= 2) {
    let improved = true;
    while (improved && evaluations < MAX_FIT_EVALUATIONS) {
      improved = false;
      for (const key of KEYS) {
        let moved = false;
        for (const direction of [1, -1]) {
          if (evaluations >= MAX_FIT_EVALUATIONS || moved) break;
          // Rounded so steps that sum to a bound land on it, not a hair inside.
          const value = Math.round(Math.min(FIT_BOUNDS[key][1], Math.max(FIT_BOUNDS[key][0], best.terms[key] + direction * step * span(key))) * 1e6) / 1e6;
          if (value === best.terms[key]) continue;
          yield;
          const terms = { ...best.terms, [key]: value };
          const candidate = evaluate(input, points, terms);
          evaluations++;
          if (candidate.loss < best.loss - 1e-12) {
            best = { terms, ...candidate };
            improved = true;
            moved = true;
          }
        }
      }
    }
  }
  return { start, terms: best.terms, before: before.geoMean, after: best.geoMean, figures: best.figures, evaluations };
}

export function fitEfficiency(input: EngineInput, points: readonly SourcedPoint[]): FitOutcome {
  const steps = fitSteps(input, points);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}
