/** The readable report of `llm-roofline analyze`: what was analysed, memory, latency, per-layer tables. */
import { dominantTerms } from '../engine/expected/dominant';
import type { AnalysisResult, EngineInput, ExpectedTerm, LayerResult, StageResult } from '../engine/types';
import { servingLines } from './servingReport';
import {
  formatBandwidth,
  formatBytes,
  formatFlops,
  formatFlopsPerSecond,
  formatIntensity,
  formatNumber,
  formatParameters,
  formatPercent,
  formatRatio,
  formatSeconds,
  formatTokensPerSecond,
} from '../format/units';
import { memoryVerdict } from '../report/headline';
import { table } from './format';

function layerBytes(layer: LayerResult): number {
  const bytes = layer.bytes;
  return bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write;
}

/**
 * Communication entries (all-reduce, all-gather, pipeline sends) are timed by the interconnect:
 * their bytes are the data sent, and FLOPs per byte sent says nothing about a roofline, so the
 * intensity column shows a dash for them.
 */
function intensityCell(layer: LayerResult): string {
  return layer.bound === 'network' ? '-' : formatNumber(layer.arithmetic_intensity);
}

const NETWORK_LEGEND = '  (network: communication over the interconnect; bytes are the data sent, time is set by its bandwidth and latency)';

function stageTable(stage: StageResult): string {
  const total = stage.totals.seconds;
  const rows = stage.layers.map((layer) => {
    const layerTotal = layer.seconds * layer.count;
    return [
      layer.name,
      String(layer.count),
      formatFlops(layer.flops),
      formatBytes(layerBytes(layer)),
      intensityCell(layer),
      layer.bound,
      formatSeconds(layer.seconds),
      formatSeconds(layerTotal),
      total > 0 ? formatPercent(layerTotal / total) : '-',
    ];
  });
  const rendered = table(
    ['layer', 'count', 'FLOPs', 'bytes', 'FLOP/byte', 'bound', 'time each', 'time all', 'share'],
    rows,
    [false, true, true, true, true, false, true, true, true],
  );
  return stage.layers.some((layer) => layer.bound === 'network') ? `${rendered}\n${NETWORK_LEGEND}` : rendered;
}

/** `671 B parameters (37.6 B active per token)` for a mixture of experts; the plain count otherwise. */
function parametersText(model: AnalysisResult['model']): string {
  const total = `${formatParameters(model.parameters)} parameters`;
  const active = model.active_parameters;
  return active !== undefined && active < model.parameters ? `${total} (${formatParameters(active)} active per token)` : total;
}


/** `efficiency: expected`: the ideal bound beside the expected figures, and what each effect adds. */
function expectedLines(bound: NonNullable<AnalysisResult['metrics']['bound']>, terms: readonly ExpectedTerm[]): string[] {
  const dominant = (figure: 'ttft_seconds' | 'tpot_seconds'): string =>
    dominantTerms(terms, figure)
      .map((term) => `${term.label} ${formatPercent(term.share)}`)
      .join(', ') || 'none';
  const rows = terms.map((term) => [term.label, formatSeconds(term.ttft_seconds), formatSeconds(term.tpot_seconds)]);
  return [
    `  ideal bound  TTFT ${formatSeconds(bound.ttft_seconds)}, TPOT ${formatSeconds(bound.tpot_seconds)}, ${formatTokensPerSecond(bound.output_tokens_per_second)} (no run is faster)`,
    `  dominant     TTFT: ${dominant('ttft_seconds')}; TPOT: ${dominant('tpot_seconds')} (share of the gap over the bound)`,
    '',
    'Expected over the bound, by effect',
    ...table(['effect', '+TTFT', '+TPOT'], rows, [false, true, true]).split('\n').map((line) => `  ${line}`),
  ];
}
function pipelineLines(pipeline: NonNullable<AnalysisResult['metrics']['pipeline']>): string[] {
  return [
    `  pipeline     ${pipeline.stages} stages: TTFT and TPOT are one batch passing through all of them; each device idles ${formatPercent(pipeline.bubble_fraction)} of the time (bubble)`,
    `               with ${pipeline.stages} batches in flight: ${formatTokensPerSecond(pipeline.in_flight_decode_tokens_per_second)} decoding (the slowest stage takes ${formatPercent(pipeline.slowest_stage_share)} of a step)`,
  ];
}

function precisionLine(input: EngineInput): string {
  const { weights, activations, kvCache } = input.quantization;
  return `weights ${weights.name}, activations ${activations.name}, KV cache ${kvCache.name}; FlashAttention ${input.flashAttention ? 'on' : 'off'}; tensor parallel ${input.parallelism.tensor}`;
}

export function renderReport(input: EngineInput, result: AnalysisResult): string {
  const lines: string[] = [];
  const { memory, metrics, hardware } = result;
  lines.push(`${result.model.name} on ${hardware.name} (conventions: ${result.conventions})`);
  lines.push('');
  lines.push(`  model       ${result.model.name}, ${parametersText(result.model)}`);
  lines.push(
    `  hardware    ${hardware.name}: ${formatBandwidth(hardware.memory_bandwidth_bytes_per_second)}, ` +
      `${formatFlopsPerSecond(hardware.peak_ops_per_second)} ${hardware.compute_precision} peak, ridge point ${formatIntensity(hardware.ridge_point)}`,
  );
  lines.push(`  precision   ${precisionLine(input)}`);
  lines.push(
    `  workload    batch ${input.workload.batchSize}, prompt ${input.workload.promptTokens} tokens, output ${input.workload.outputTokens} tokens`,
  );
  lines.push('');
  lines.push('Memory (per accelerator)');
  lines.push(`  weights      ${formatBytes(memory.weights_bytes)}`);
  lines.push(`  KV cache     ${formatBytes(memory.kv_cache_bytes)}`);
  lines.push(`  activations  ${formatBytes(memory.activations_bytes)}`);
  lines.push(`  total        ${formatBytes(memory.total_bytes)}`);
  if (memory.capacity_bytes !== undefined) {
    // Against the memory a serving engine may use, in the words of the code lens and the panel.
    lines.push(`  verdict      ${memoryVerdict(result)}`);
  } else {
    lines.push('  capacity     unknown (the hardware gives none): fit not checked');
  }
  if (result.capacity) {
    const within = `within ${formatPercent(result.capacity.memory_utilization)} of memory, ${formatBytes(result.capacity.usable_bytes)}`;
    lines.push(`  max batch    ${result.capacity.max_batch_size} (at these prompt and output lengths, ${within})`);
    lines.push(`  max context  ${result.capacity.max_context_tokens} tokens per sequence (prompt + output, at batch ${input.workload.batchSize})`);
  }
  lines.push('');
  lines.push('Latency and throughput');
  lines.push(`  TTFT         ${formatSeconds(metrics.ttft_seconds)}  (time to first token: prefill)`);
  lines.push(`  TPOT         ${formatSeconds(metrics.tpot_seconds)}  (time per output token: one decode step)`);
  lines.push(`  end to end   ${formatSeconds(metrics.e2e_seconds)}`);
  lines.push(`  throughput   ${formatTokensPerSecond(metrics.output_tokens_per_second)} (output tokens over the batch)`);
  if (metrics.speculative) {
    const speculative = metrics.speculative;
    lines.push(
      `  speculative  ${formatNumber(speculative.expected_tokens_per_step)} tokens per verification step of ${formatSeconds(speculative.step_seconds)}: ` +
        `${formatRatio(speculative.speedup)} plain decoding (TPOT ${formatSeconds(speculative.plain_tpot_seconds)})`,
    );
  }
  if (metrics.pipeline) lines.push(...pipelineLines(metrics.pipeline));
  if (metrics.bound && metrics.terms) lines.push(...expectedLines(metrics.bound, metrics.terms));
  if (hardware.efficiency && hardware.efficiency.mode !== 'ideal' && hardware.efficiency.mode !== 'expected') {
    lines.push(`  efficiency   ${hardware.efficiency.mode}: ${formatPercent(hardware.efficiency.compute)} of peak compute, ${formatPercent(hardware.efficiency.memory)} of bandwidth`);
  }
  if (result.serving) {
    lines.push('');
    lines.push(...servingLines(result.serving));
  }
  lines.push('');
  lines.push(`Prefill: ${input.workload.promptTokens} prompt tokens x ${input.workload.batchSize} sequences, ${formatSeconds(result.stages.prefill.totals.seconds)}`);
  lines.push(stageTable(result.stages.prefill));
  lines.push('');
  lines.push(`Decode: one step (1 token x ${input.workload.batchSize} sequences), ${formatSeconds(result.stages.decode.totals.seconds)}`);
  lines.push(stageTable(result.stages.decode));
  if (result.notes.length > 0) {
    lines.push('');
    lines.push('Notes');
    for (const note of result.notes) lines.push(`  - ${note}`);
  }
  return lines.join('\n');
}
