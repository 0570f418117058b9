/** `llm-roofline presets`: the hardware and model presets with their key figures and sources. */
import { listHardwarePresets, listModelPresets } from '../presets/index';
import { formatBandwidth, formatBytes, formatFlopsPerSecond, formatParameters } from '../format/units';
import { table } from './format';
import type { Output } from './output';

function peak(opsPerSecond: number | undefined): string {
  return opsPerSecond === undefined ? '-' : formatFlopsPerSecond(opsPerSecond);
}

export function runPresets(output: Output): number {
  const hardwareRows = listHardwarePresets().map((preset) => {
    const figures = preset.figures;
    const origin = preset.origin === 'llm-viewer' ? 'LLM-Viewer' : preset.origin === 'project' ? 'project' : 'reference';
    const missing = preset.missing.length > 0 ? ` [lacks ${preset.missing.join(', ')}]` : '';
    return [
      preset.id,
      figures.memoryCapacityBytes === undefined ? '-' : formatBytes(figures.memoryCapacityBytes),
      figures.memoryBandwidthBytesPerSecond === undefined ? '-' : formatBandwidth(figures.memoryBandwidthBytesPerSecond),
      peak(figures.peakOpsPerSecond.fp16),
      peak(figures.peakOpsPerSecond.bf16),
      `${origin}, ${preset.confidence}${missing}`,
    ];
  });
  output.out('Hardware presets (dense peaks, no 2:4 sparsity)');
  output.out(table(['id', 'memory', 'bandwidth', 'fp16 peak', 'bf16 peak', 'source, confidence'], hardwareRows, [false, true, true, true, true, false]));
  output.out('');
  const modelRows = listModelPresets().map((preset) => [
    preset.id,
    preset.parameters === undefined ? '-' : formatParameters(preset.parameters),
    preset.activeParameters !== undefined && preset.activeParameters !== preset.parameters ? formatParameters(preset.activeParameters) : '',
    preset.confidence,
  ]);
  output.out('Model presets (parameters derived from the config)');
  output.out(table(['id', 'parameters', 'active', 'confidence'], modelRows, [false, true, true, false]));
  return 0;
}
