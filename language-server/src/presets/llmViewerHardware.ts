/**
 * LLM-Viewer's own hardware table, under its own key names, as in the latest upstream
 * (hahnyuan/LLM-Viewer `hardwares/hardware_params.py` @ df2cba9; see
 * shared reference llm-viewer/spec.md §11). Peaks are dense ("the OPS = sparse OPS/2").
 * `conventions: llm-viewer` must use these figures exactly, quirks included (e.g. H100's
 * 3072 GB/s instead of the SXM product's 3350 GB/s).
 */
export interface LlmViewerHardwareEntry {
  /** Bytes per second. */
  bandwidth: number;
  /** Operations per second. */
  FP16: number;
  INT8?: number;
  INT4?: number;
  /** Bytes; register file total, used only by the FlashAttention tiling. */
  onchip_buffer: number;
  /** Bytes (GiB × 1024³). Upstream's LLM analyzer ignores it; we use it for the fits check. */
  memory_capacity: number;
  category: 'cloud' | 'edge';
}

const GiB = 1024 ** 3;

export const LLM_VIEWER_SOURCE = 'LLM-Viewer hardwares/hardware_params.py (latest upstream, df2cba9)';

export const LLM_VIEWER_HARDWARE: Readonly<Record<string, LlmViewerHardwareEntry>> = {
  nvidia_V100: { bandwidth: 900e9, FP16: 112e12, INT8: 62e12, onchip_buffer: 20480e3, memory_capacity: 32 * GiB, category: 'cloud' },
  nvidia_A6000: { bandwidth: 768e9, FP16: 154.8e12, INT8: 309.7e12, INT4: 619.4e12, onchip_buffer: 21504e3, memory_capacity: 48 * GiB, category: 'cloud' },
  nvidia_A6000_Ada: { bandwidth: 960e9, FP16: 364.2e12, INT8: 728.5e12, INT4: 1457e12, onchip_buffer: 36352e3, memory_capacity: 48 * GiB, category: 'cloud' },
  nvidia_A100: { bandwidth: 1555e9, FP16: 312e12, INT8: 624e12, INT4: 1248e12, onchip_buffer: 27648e3, memory_capacity: 40 * GiB, category: 'cloud' },
  nvidia_A100_40G: { bandwidth: 1555e9, FP16: 312e12, INT8: 624e12, INT4: 1248e12, onchip_buffer: 27648e3, memory_capacity: 40 * GiB, category: 'cloud' },
  nvidia_A100_80G: { bandwidth: 2039e9, FP16: 312e12, INT8: 624e12, INT4: 1248e12, onchip_buffer: 27648e3, memory_capacity: 80 * GiB, category: 'cloud' },
  nvidia_A800_80G_SXM: { bandwidth: 2039e9, FP16: 312e12, INT8: 624e12, INT4: 1248e12, onchip_buffer: 27648e3, memory_capacity: 80 * GiB, category: 'cloud' },
  nvidia_A40: { bandwidth: 696e9, FP16: 149.7e12, INT8: 299.3e12, INT4: 598.6e12, onchip_buffer: 21504e3, memory_capacity: 48 * GiB, category: 'cloud' },
  nvidia_H100: { bandwidth: 3072e9, FP16: 1979e12 / 2, INT8: 3958e12 / 2, onchip_buffer: 33792e3, memory_capacity: 80 * GiB, category: 'cloud' },
  nvidia_H100_SXM: { bandwidth: 3072e9, FP16: 1979e12 / 2, INT8: 3958e12 / 2, onchip_buffer: 33792e3, memory_capacity: 80 * GiB, category: 'cloud' },
  nvidia_H100_PCIe: { bandwidth: 2048e9, FP16: 1513e12 / 2, INT8: 3026e12 / 2, onchip_buffer: 29184e3, memory_capacity: 80 * GiB, category: 'cloud' },
  nvidia_L40: { bandwidth: 864e9, FP16: 181e12, INT8: 362e12, INT4: 724e12, onchip_buffer: 36352e3, memory_capacity: 48 * GiB, category: 'cloud' },
  nvidia_RTX4090: { bandwidth: 1008e9, FP16: 330.3e12, INT8: 660.6e12, INT4: 1321.2e12, onchip_buffer: 32768e3, memory_capacity: 24 * GiB, category: 'edge' },
  nvidia_RTX3090: { bandwidth: 936e9, FP16: 142e12, INT8: 284e12, INT4: 568e12, onchip_buffer: 20992e3, memory_capacity: 24 * GiB, category: 'edge' },
  nvidia_RTX5090: { bandwidth: 1792e9, FP16: 419e12, INT8: 838e12, INT4: 1676e12, onchip_buffer: 43520e3, memory_capacity: 32 * GiB, category: 'edge' },
  intel_13900k: { bandwidth: 89.6e9, FP16: 8 * 5.4e9 * (512 / 16), onchip_buffer: 36e6, memory_capacity: 128 * GiB, category: 'cloud' },
  jetson_orin_nx_16gb: { bandwidth: 102.4e9, FP16: 25e12, INT8: 50e12, INT4: 100e12, onchip_buffer: 8 * 256e3, memory_capacity: 16 * GiB, category: 'edge' },
  jetson_agx_orin_64gb: { bandwidth: 204.8e9, FP16: 68.75e12, INT8: 137.5e12, INT4: 275e12, onchip_buffer: 16 * 256e3, memory_capacity: 64 * GiB, category: 'edge' },
  jetson_agx_thor: { bandwidth: 273e9, FP16: 258e12, INT8: 517e12, INT4: 1035e12, onchip_buffer: 20 * 256e3, memory_capacity: 128 * GiB, category: 'edge' },
};
