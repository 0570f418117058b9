import { RooflineInputError } from '../errors';
import type { HardwareSpec } from '../types';

/** The three peak tiers LLM-Viewer knows (its hardware keys FP16, INT8, INT4). */
export type LlmViewerPeakTier = 'fp16' | 'int8' | 'int4';

export interface LlmViewerHardware {
  bandwidthBytesPerSecond: number;
  /** `max_OPS`: one peak for every layer of the analysis (§6). */
  maxOpsPerSecond: number;
  tier: LlmViewerPeakTier;
  /** Undefined when the hardware gives none; the FlashAttention tiling then uses block_r = head size. */
  onChipBufferBytes: number | undefined;
  notes: string[];
}

export interface LlmViewerBitWidths {
  weightBits: number;
  activationBits: number;
  kvBits: number;
}

/**
 * Latest upstream's `get_hardware_info` (§6): the widest of the three bit widths picks the tier,
 * INT4 when it is at most 4 and the hardware has an INT4 peak, else INT8 when at most 8 and the
 * hardware has one, else FP16. Our hardware files quote fp16 and bf16 separately; LLM-Viewer's
 * single FP16 figure is the fp16 one, with bf16 standing in when fp16 is absent.
 */
export function selectLlmViewerHardware(hardware: HardwareSpec, bits: LlmViewerBitWidths): LlmViewerHardware {
  const widestBits = Math.max(bits.weightBits, bits.activationBits, bits.kvBits);
  const peaks = hardware.peakOpsPerSecond;
  const notes: string[] = [];
  let tier: LlmViewerPeakTier;
  let maxOpsPerSecond: number;
  if (widestBits <= 4 && peaks.int4 !== undefined) {
    tier = 'int4';
    maxOpsPerSecond = peaks.int4;
  } else if (widestBits <= 8 && peaks.int8 !== undefined) {
    tier = 'int8';
    maxOpsPerSecond = peaks.int8;
  } else if (peaks.fp16 !== undefined) {
    tier = 'fp16';
    maxOpsPerSecond = peaks.fp16;
  } else if (peaks.bf16 !== undefined) {
    tier = 'fp16';
    maxOpsPerSecond = peaks.bf16;
    notes.push(`${hardware.name} gives no fp16 peak; its bf16 peak stands in for LLM-Viewer's FP16 figure.`);
  } else {
    throw new RooflineInputError(
      ['hardware', 'peak_tflops', 'fp16'],
      `llm-viewer conventions need an fp16 (or bf16) peak for ${widestBits}-bit data when no narrower integer peak applies`,
      'missing-field',
    );
  }
  const onChipBufferBytes = hardware.onChipBufferBytes;
  if (onChipBufferBytes !== undefined && !(Number.isFinite(onChipBufferBytes) && onChipBufferBytes > 0)) {
    throw new RooflineInputError(['hardware', 'on_chip_buffer_kb'], `on-chip buffer must be a positive number, got ${onChipBufferBytes}`);
  }
  return {
    bandwidthBytesPerSecond: hardware.memoryBandwidthBytesPerSecond,
    maxOpsPerSecond,
    tier,
    onChipBufferBytes,
    notes,
  };
}
