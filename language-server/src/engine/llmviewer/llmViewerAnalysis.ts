import type { StageName } from '../types';
import { blockTotals, stageMemory, withLmHead, type StageMemory, type StageTotals } from './aggregate';
import type { EvaluatedLayer } from './roofline';
import { blockLayers, concatLayers, lmHeadLayer, type StagePlan } from './stage';

/** One stage of LLM-Viewer's `analyze()` output, in its own terms. */
export interface LlmViewerStage {
  /** One decoder block's layers in insertion order (each occurs `numLayers` times). */
  blockLayers: EvaluatedLayer[];
  /** The same layers without the attention ones: those whose cost does not grow with the context. */
  contextFreeLayers: EvaluatedLayer[];
  lmHead: EvaluatedLayer;
  totals: StageTotals;
  memory: StageMemory;
}

export type LlmViewerAnalysis = Record<StageName, LlmViewerStage>;

/** `analyze(seqlen, ...)` (§3–§8): both stages at one sequence length. */
export function analyzeStages(plan: StagePlan, seqlen: number): LlmViewerAnalysis {
  const numLayers = plan.model.numLayers;
  const decodeParts = blockLayers(plan, 'decode', seqlen);
  const prefillParts = blockLayers(plan, 'prefill', seqlen);
  const decodeLayers = concatLayers(decodeParts.linear, decodeParts.attention, decodeParts.elementwise);
  const prefillLayers = concatLayers(prefillParts.linear, prefillParts.attention, prefillParts.elementwise);
  const decodeBlockTotals = blockTotals(decodeLayers, numLayers);
  const prefillBlockTotals = blockTotals(prefillLayers, numLayers);
  const lmHead = lmHeadLayer(plan);
  return {
    decode: {
      blockLayers: decodeLayers,
      contextFreeLayers: concatLayers(decodeParts.linear, decodeParts.elementwise),
      lmHead,
      totals: withLmHead(decodeBlockTotals, lmHead),
      memory: stageMemory(prefillBlockTotals, decodeLayers),
    },
    prefill: {
      blockLayers: prefillLayers,
      contextFreeLayers: concatLayers(prefillParts.linear, prefillParts.elementwise),
      lmHead,
      totals: withLmHead(prefillBlockTotals, lmHead),
      memory: stageMemory(prefillBlockTotals, prefillLayers),
    },
  };
}
