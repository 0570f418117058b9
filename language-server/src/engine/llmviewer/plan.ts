import { bytesPerElement } from '../formats';
import type { EngineInput, NumberFormat } from '../types';
import { llmViewerModel } from './adapter';
import { PreparedCache } from '../preparedCache';
import { selectLlmViewerHardware, type LlmViewerHardware } from './hardware';
import type { StagePlan } from './stage';

export interface LlmViewerPlan extends StagePlan {
  hardware: LlmViewerHardware;
  notes: string[];
}

/** The bit widths LLM-Viewer's UI offers (§5); others are used as-is, with a note. */
const LLM_VIEWER_BIT_WIDTHS = new Set([16, 8, 4, 2, 1]);
const FLOAT_PRECISIONS = new Set(['fp8', 'fp6', 'fp4']);

function formatNotes(formats: readonly [string, NumberFormat][]): string[] {
  const notes: string[] = [];
  for (const [role, format] of formats) {
    if (!LLM_VIEWER_BIT_WIDTHS.has(format.bitsPerElement)) {
      notes.push(
        `LLM-Viewer offers 16, 8, 4, 2 or 1 bits; ${role} in ${format.name} (${format.bitsPerElement} bits) are counted at ${format.bitsPerElement / 8} bytes per element.`,
      );
    } else if (FLOAT_PRECISIONS.has(format.computePrecision)) {
      notes.push(
        `LLM-Viewer knows bit widths, not formats: ${role} in ${format.name} count as ${format.bitsPerElement}-bit integers when it picks the peak.`,
      );
    }
  }
  return notes;
}

/** Everything of a plan but the batch size: the same on every keystroke that edits the workload. */
interface PlanBase {
  model: LlmViewerPlan['model'];
  ctx: Omit<LlmViewerPlan['ctx'], 'batchSize'>;
  ceilings: LlmViewerPlan['ceilings'];
  flashAttention: boolean;
  hardware: LlmViewerHardware;
  notes: string[];
}

// Found by the model and hardware objects and everything else the plan reads (preparedCache.ts),
// so an object edited in place gets a new plan.
const planBases = new PreparedCache<PlanBase>();

/** Resolves model, byte widths and peak once for an analysis (everything but the sequence length). */
export function planLlmViewer(input: EngineInput): LlmViewerPlan {
  const base = planBases.get(input, '', () => planBaseOf(input));
  const { ctx } = base;
  const withBatch: LlmViewerPlan['ctx'] = {
    batchSize: input.workload.batchSize,
    weightBytesPerElement: ctx.weightBytesPerElement,
    activationBytesPerElement: ctx.activationBytesPerElement,
    kvBytesPerElement: ctx.kvBytesPerElement,
    hiddenSize: ctx.hiddenSize,
    numAttentionHeads: ctx.numAttentionHeads,
    numKeyValueHeads: ctx.numKeyValueHeads,
    headSize: ctx.headSize,
    vocabSize: ctx.vocabSize,
    onChipBufferBytes: ctx.onChipBufferBytes,
  };
  // The notes go into the result, which is the caller's to change: each plan has its own list.
  return { model: base.model, ctx: withBatch, ceilings: base.ceilings, flashAttention: base.flashAttention, hardware: base.hardware, notes: base.notes.slice() };
}

function planBaseOf(input: EngineInput): PlanBase {
  const tensorParallel = input.parallelism.tensor;
  const model = llmViewerModel(input.model, tensorParallel);
  const { weights, activations, kvCache } = input.quantization;
  const hardware = selectLlmViewerHardware(input.hardware, {
    weightBits: weights.bitsPerElement,
    activationBits: activations.bitsPerElement,
    kvBits: kvCache.bitsPerElement,
  });
  return {
    model,
    ctx: {
      weightBytesPerElement: bytesPerElement(weights),
      activationBytesPerElement: bytesPerElement(activations),
      kvBytesPerElement: bytesPerElement(kvCache),
      hiddenSize: model.hiddenSize,
      numAttentionHeads: model.numAttentionHeads,
      numKeyValueHeads: model.numKeyValueHeads,
      headSize: model.headSize,
      vocabSize: model.vocabSize,
      onChipBufferBytes: hardware.onChipBufferBytes,
    },
    ceilings: { bandwidthBytesPerSecond: hardware.bandwidthBytesPerSecond, maxOpsPerSecond: hardware.maxOpsPerSecond },
    flashAttention: input.flashAttention,
    hardware,
    notes: [
      ...model.notes,
      ...hardware.notes,
      ...formatNotes([
        ['weights', weights],
        ['activations', activations],
        ['the KV cache', kvCache],
      ]),
    ],
  };
}
