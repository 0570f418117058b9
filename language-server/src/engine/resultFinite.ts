import { allFinite } from './finite';
import type { AnalysisResult, LayerResult, MemoryBreakdown, ServingResult, StageResult } from './types';

/**
 * `assertAllFinite` for an analysis, by its shape: the generic walk visits about fifteen objects
 * of as many shapes through one for…in, which V8 cannot specialise (a fifth of a warm analysis).
 * Here each part is read field by field and its numbers summed: a NaN or an infinity anywhere
 * makes its sum non-finite. A non-finite sum (or one of finite numbers that overflows) sends the
 * whole result to the generic walk, which alone decides; so this check can only be quicker, never
 * more lenient — provided it reads every number. test/unit/engine/resultFinite.test.ts holds it to
 * that: it spoils each number of many results in turn (found by a generic walk, so a field added
 * later is spoiled too) and expects this check to notice. Optional parts that few results have
 * (techniques, variants, expected terms, speculative figures, engine start-up) go to the walk.
 */
export function analysisLooksFinite(result: AnalysisResult): boolean {
  const { memory, metrics, hardware, capacity, model, serving } = result;
  let sum =
    memory.weights_bytes +
    memory.kv_cache_bytes +
    memory.activations_bytes +
    memory.total_bytes +
    (memory.capacity_bytes ?? 0) +
    memory.memory_utilization +
    metrics.ttft_seconds +
    metrics.tpot_seconds +
    metrics.e2e_seconds +
    metrics.output_tokens_per_second +
    hardware.memory_bandwidth_bytes_per_second +
    hardware.peak_ops_per_second +
    hardware.ridge_point +
    model.parameters +
    (model.active_parameters ?? 0);
  if (hardware.efficiency !== undefined) sum += hardware.efficiency.memory + hardware.efficiency.compute;
  const ceilings = hardware.achievable_ceilings;
  if (ceilings !== undefined) {
    for (let index = 0; index < ceilings.length; index++) {
      const ceiling = ceilings[index]!;
      sum += ceiling.peak_ops_per_second + (ceiling.memory_bandwidth_bytes_per_second ?? 0);
    }
  }
  if (capacity !== undefined) sum += capacity.max_batch_size + capacity.max_context_tokens + capacity.usable_bytes + capacity.memory_utilization;
  const weightsByKind = model.weights_by_kind;
  if (weightsByKind !== undefined) {
    for (let index = 0; index < weightsByKind.length; index++) sum += weightsByKind[index]!.bytes;
  }
  const blockKinds = model.block_kinds;
  if (blockKinds !== undefined) {
    for (let index = 0; index < blockKinds.length; index++) {
      const kind = blockKinds[index]!;
      sum += kind.blocks;
      const indices = kind.indices;
      for (let at = 0; at < indices.length; at++) sum += indices[at]!;
    }
  }
  if (serving !== undefined) sum += servingSum(serving);
  if (!Number.isFinite(sum)) return false;
  if (!stageLooksFinite(result.stages.prefill) || !stageLooksFinite(result.stages.decode)) return false;
  // The rarer parts: the generic walk, which reads whatever they hold.
  if (metrics.pipeline !== undefined || metrics.bound !== undefined || metrics.terms !== undefined || metrics.speculative !== undefined) {
    if (!allFinite(metrics.pipeline) || !allFinite(metrics.bound) || !allFinite(metrics.terms) || !allFinite(metrics.speculative)) return false;
  }
  if (serving !== undefined && serving.startup !== undefined && !allFinite(serving.startup)) return false;
  if (result.techniques !== undefined && !allFinite(result.techniques)) return false;
  if (result.variants !== undefined && !allFinite(result.variants)) return false;
  return true;
}

function servingSum(serving: ServingResult): number {
  let sum =
    serving.concurrency +
    serving.max_concurrency +
    serving.decode_batch_per_instance +
    serving.kv_pool_bytes_per_gpu +
    serving.gpus +
    serving.instances +
    serving.requests_per_second +
    serving.output_tokens_per_second +
    serving.output_tokens_per_second_per_gpu +
    serving.output_tokens_per_second_per_user +
    serving.input_tokens_per_second +
    serving.ttft_seconds +
    serving.tpot_seconds +
    serving.e2e_seconds +
    serving.queue_seconds +
    serving.saturation_requests_per_second +
    serving.utilization +
    (serving.cost_per_million_output_tokens_usd ?? 0) +
    (serving.cost_per_million_input_tokens_usd ?? 0);
  const split = serving.disaggregated;
  if (split !== undefined) sum += split.prefill_gpus + split.decode_gpus + split.prefill_requests_per_second + split.decode_requests_per_second + split.kv_transfer_seconds;
  return sum;
}

function memorySum(memory: MemoryBreakdown): number {
  return memory.weights_bytes + memory.kv_cache_bytes + memory.activations_bytes + memory.total_bytes;
}

function stageLooksFinite(stage: StageResult): boolean {
  const totals = stage.totals;
  if (!Number.isFinite(totals.flops + totals.bytes + totals.seconds + memorySum(stage.memory))) return false;
  return layersLookFinite(stage.layers);
}

function layersLookFinite(layers: readonly LayerResult[]): boolean {
  let sum = 0;
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index]!;
    const bytes = layer.bytes;
    sum += layer.count + layer.flops + layer.arithmetic_intensity + layer.seconds + bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write;
  }
  return Number.isFinite(sum);
}
