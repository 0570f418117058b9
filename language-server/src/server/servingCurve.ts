/**
 * The serving view's data: a deployment with `serving:` at each number of requests in flight, from
 * the input the server resolved for the document's version (closed loop, the same computation as
 * the `serving` result). Concurrency doubles from 1 to past the KV pool's limit, so the chart shows
 * throughput rising, flattening at the saturation point and the queue that forms past it.
 */
import { servingLoadsOf, type ServingLoads } from '../engine/default/servingLoads';
import { isRooflineInputError } from '../engine/errors';
import type { AnalysisResult, EngineInput, ServingResult } from '../engine/types';
import type { ServingCurve, ServingCurvePoint } from '../protocol/lsp';

/** Past this many requests in flight no deployment in the presets is worth drawing. */
const MAX_CURVE_CONCURRENCY = 65_536;

/** Powers of two up to the first at least twice `maxConcurrency`, with `maxConcurrency` and `current` among them. */
export function curveConcurrencies(maxConcurrency: number, current: number): number[] {
  const values = new Set<number>();
  const limit = Math.min(MAX_CURVE_CONCURRENCY, Math.max(2, 2 * maxConcurrency));
  let value = 1;
  for (; value < limit; value *= 2) values.add(value);
  values.add(value);
  if (maxConcurrency >= 1) values.add(Math.floor(maxConcurrency));
  if (current >= 1 && current <= MAX_CURVE_CONCURRENCY) values.add(Math.floor(current));
  return [...values].sort((a, b) => a - b);
}

function point(serving: ServingResult): ServingCurvePoint {
  return {
    concurrency: serving.concurrency,
    output_tokens_per_second: serving.output_tokens_per_second,
    output_tokens_per_second_per_gpu: serving.output_tokens_per_second_per_gpu,
    output_tokens_per_second_per_user: serving.output_tokens_per_second_per_user,
    ttft_seconds: serving.ttft_seconds,
    tpot_seconds: serving.tpot_seconds,
    e2e_seconds: serving.e2e_seconds,
    queue_seconds: serving.queue_seconds,
  };
}

/** The serving curve of a checked deployment; undefined without `serving:` or without a result. */
export function servingCurveOf(input: EngineInput | undefined, result: AnalysisResult | undefined): ServingCurve | undefined {
  const serving = result?.serving;
  if (!input?.serving || !serving) return undefined;
  // Closed loop at each level: an arrival rate in the document would fix the load.
  const { requestRatePerSecond: _rate, ...spec } = input.serving;
  let loads: ServingLoads;
  try {
    // Checked and prepared once for every level (techniques applied, as in the analysis); each
    // level sets its own concurrency.
    loads = servingLoadsOf({ ...input, serving: { ...spec, concurrency: 'max' } });
  } catch (error) {
    if (isRooflineInputError(error)) return undefined;
    throw error;
  }
  const points: ServingCurvePoint[] = [];
  for (const concurrency of curveConcurrencies(serving.max_concurrency, serving.concurrency)) {
    try {
      points.push(point(loads.at(concurrency, spec.disaggregated)));
    } catch (error) {
      if (isRooflineInputError(error)) continue;
      throw error;
    }
  }
  if (points.length === 0) return undefined;
  return { points, current: serving.concurrency, max_concurrency: serving.max_concurrency, gpus: serving.gpus };
}
