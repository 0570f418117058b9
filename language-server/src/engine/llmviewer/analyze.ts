/**
 * `conventions: llm-viewer`: LLM-Viewer's latest upstream analysis (hahnyuan/LLM-Viewer @ df2cba9),
 * quirks included, mapped onto our result shape. docs/llm-viewer-compatibility.md explains the
 * mapping; the shared spec's section numbers are cited throughout.
 */
import { fitsInMemory, requireMemoryUtilization } from '../capacity';
import type { AnalysisResult, EngineInput, LayerResult, MemoryBreakdown, StageResult } from '../types';
import type { StageMemory } from './aggregate';
import { generateTaskSeconds } from './generateTask';
import { analyzeStages, type LlmViewerStage } from './llmViewerAnalysis';
import { planLlmViewer } from './plan';
import { layerResultRow } from './roofline';

function toMemoryBreakdown(memory: StageMemory): MemoryBreakdown {
  return {
    weights_bytes: memory.weightBytes,
    kv_cache_bytes: memory.kvCacheBytes,
    activations_bytes: memory.tmpActBytes,
    total_bytes: memory.totalBytes,
  };
}

function layerResults(stage: LlmViewerStage, numLayers: number): LayerResult[] {
  const layers: LayerResult[] = [];
  const blockLayers = stage.blockLayers;
  for (let index = 0; index < blockLayers.length; index++) layers.push(layerResultRow(blockLayers[index]!, numLayers));
  layers.push(layerResultRow(stage.lmHead, 1));
  return layers;
}

function toStageResult(stage: LlmViewerStage, numLayers: number): StageResult {
  return {
    layers: layerResults(stage, numLayers),
    totals: { flops: stage.totals.ops, bytes: stage.totals.memoryAccessBytes, seconds: stage.totals.seconds },
    memory: toMemoryBreakdown(stage.memory),
  };
}

export function analyzeLlmViewer(input: EngineInput): AnalysisResult {
  const plan = planLlmViewer(input);
  const { promptTokens, outputTokens, batchSize } = input.workload;
  const numLayers = plan.model.numLayers;
  // One analyze() call at seqlen = prompt length gives both stages (§1): decode then attends to
  // the prompt's tokens, prefill processes them.
  const stages = analyzeStages(plan, promptTokens);
  const decode = toStageResult(stages.decode, numLayers);
  const prefill = toStageResult(stages.prefill, numLayers);

  // LLM-Viewer reports a footprint per stage; the deployment needs the larger one (prefill's, in
  // practice, because its temporary activations cover the whole prompt).
  const largerMemory = decode.memory.total_bytes > prefill.memory.total_bytes ? decode.memory : prefill.memory;
  const capacityBytes = input.hardware.memoryCapacityBytes;
  const memoryUtilization = requireMemoryUtilization(input.memoryUtilization);

  const ttftSeconds = prefill.totals.seconds;
  const generate = generateTaskSeconds(plan, promptTokens, outputTokens, ttftSeconds, stages.decode);
  const e2eSeconds = generate.totalSeconds;

  const { maxOpsPerSecond, bandwidthBytesPerSecond, tier } = plan.hardware;
  // Built field by field in the order results have always had: object spreads cost several times
  // more in V8, and this runs on every keystroke.
  const resultMemory = {
    weights_bytes: largerMemory.weights_bytes,
    kv_cache_bytes: largerMemory.kv_cache_bytes,
    activations_bytes: largerMemory.activations_bytes,
    total_bytes: largerMemory.total_bytes,
  } as AnalysisResult['memory'];
  if (capacityBytes !== undefined) resultMemory.capacity_bytes = capacityBytes;
  resultMemory.memory_utilization = memoryUtilization;
  resultMemory.fits = fitsInMemory(largerMemory.total_bytes, capacityBytes, memoryUtilization);
  return {
    conventions: 'llm-viewer',
    stages: { prefill, decode },
    memory: resultMemory,
    metrics: {
      ttft_seconds: ttftSeconds,
      tpot_seconds: (e2eSeconds - ttftSeconds) / outputTokens,
      e2e_seconds: e2eSeconds,
      // Generated tokens of the whole batch over the whole request, prefill included: the
      // throughput LLM-Viewer's generate task was added for (upstream issue #2).
      output_tokens_per_second: (batchSize * outputTokens) / e2eSeconds,
    },
    hardware: {
      name: input.hardware.name,
      memory_bandwidth_bytes_per_second: bandwidthBytesPerSecond,
      peak_ops_per_second: maxOpsPerSecond,
      compute_precision: tier,
      ridge_point: maxOpsPerSecond / bandwidthBytesPerSecond,
    },
    model: { name: input.modelName, parameters: plan.model.parameters },
    notes: plan.notes,
  };
}
