/**
 * The Markdown report of a deployment's analysis, the one both `LLM Roofline: Export Markdown
 * Report` and the panel's export write: the inputs it was computed for, the headline metrics, the
 * targets and whether they are met, memory against what may be used, the hardware's roofline
 * figures and every layer of both stages. Pure: imports nothing from `vscode` or the DOM.
 */
import { checkTargets, targetsOf, TARGET_KEYS } from '../engine/targets';
import type { AnalysisResult, StageName, StageResult } from '../engine/types';
import {
  formatBandwidth,
  formatBytes,
  formatFlops,
  formatFlopsPerSecond,
  formatIntensity,
  formatInteger,
  formatMilliseconds,
  formatParameters,
  formatSeconds,
  formatTokensPerSecond,
  formatUsableMemory,
  hasNonFiniteWord,
} from '../format/units';
import type { DocumentAnalysis } from '../protocol/lsp';
import { escapeMarkdown } from '../userText';

export interface ReportContext {
  /** The deployment file's name, for the title. */
  documentName: string;
  /** When the report was made, ISO 8601; left out when absent. */
  generatedAt?: string;
}

export type ReportOutcome = { markdown: string } | { error: string };

export function renderMarkdownReport(analysis: DocumentAnalysis, context: ReportContext): ReportOutcome {
  if (analysis.kind !== 'deployment') return { error: 'Only deployment files (*.roofline.yaml) have a report.' };
  const result = analysis.result;
  if (!result) {
    const reasons = analysis.errors.length > 0 ? `: ${analysis.errors.join('; ')}` : '.';
    return { error: `The deployment has errors that prevent an analysis${reasons}` };
  }
  const model = analysis.modelName ?? result.model.name;
  const hardware = analysis.hardwareName ?? result.hardware.name;
  const generated = context.generatedAt ? `Generated ${context.generatedAt} from ${escapeMarkdown(context.documentName)}` : `From ${escapeMarkdown(context.documentName)}`;
  const markdown = [
    `# LLM Roofline report: ${escapeMarkdown(model)} on ${escapeMarkdown(hardware)}`,
    '',
    `${generated}, with the \`${result.conventions}\` conventions.`,
    '',
    ...inputsSection(analysis, result),
    ...summarySection(result),
    ...targetsSection(analysis, result),
    ...memorySection(result),
    ...hardwareSection(result),
    ...stageSection('prefill', result.stages.prefill),
    ...stageSection('decode', result.stages.decode),
    ...notesSection(result.notes),
  ].join('\n');
  // The formatters never print non-finite numbers; this is the last guard before a file is written.
  if (hasNonFiniteWord(markdown)) return { error: 'The analysis contains numbers that cannot be printed.' };
  return { markdown };
}

function table(header: string[], rows: string[][]): string[] {
  const align = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [row(header), row(align), ...rows.map(row), ''];
}

function row(cells: string[]): string {
  return `| ${cells.map(escapeMarkdown).join(' | ')} |`;
}


function fieldValue(analysis: DocumentAnalysis, path: string): unknown {
  return analysis.editableFields.find((field) => field.path.join('.') === path)?.value;
}

function shown(value: unknown): string {
  if (typeof value === 'number') return formatInteger(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return 'default';
}

function inputsSection(analysis: DocumentAnalysis, result: AnalysisResult): string[] {
  const value = (path: string): string => shown(fieldValue(analysis, path));
  const rows: string[][] = [
    ['model', `${analysis.modelName ?? result.model.name} (${formatParameters(result.model.parameters)} parameters)`],
    ['hardware', analysis.hardwareName ?? result.hardware.name],
    ['batch size', value('workload.batch_size')],
    ['prompt tokens', value('workload.prompt_tokens')],
    ['output tokens', value('workload.output_tokens')],
    ['weights', value('quantization.weights')],
    ['activations', value('quantization.activations')],
    ['KV cache', value('quantization.kv_cache')],
    ['tensor parallelism', value('parallelism.tensor')],
    ['flash attention', value('flash_attention')],
  ];
  if (result.metrics.pipeline) rows.push(['pipeline stages', formatInteger(result.metrics.pipeline.stages)]);
  return ['## Inputs', '', ...table(['input', 'value'], rows)];
}

function summarySection(result: AnalysisResult): string[] {
  const { metrics } = result;
  return [
    '## Summary',
    '',
    ...table(
      ['metric', 'value'],
      [
        ['time to first token (TTFT)', formatSeconds(metrics.ttft_seconds)],
        ['time per output token (TPOT)', formatSeconds(metrics.tpot_seconds)],
        ['end-to-end time', formatSeconds(metrics.e2e_seconds)],
        ['output tokens per second', formatTokensPerSecond(metrics.output_tokens_per_second)],
      ],
    ),
  ];
}

function targetsSection(analysis: DocumentAnalysis, result: AnalysisResult): string[] {
  const targets = targetsOf({ targets: Object.fromEntries(TARGET_KEYS.map((key) => [key, fieldValue(analysis, `targets.${key}`)])) });
  const checks = checkTargets(targets, result);
  if (checks.length === 0) return [];
  const rows = checks.map((check) => {
    const format = check.lowerIsBetter ? formatMilliseconds : formatTokensPerSecond;
    return [check.name, `${check.lowerIsBetter ? '≤' : '≥'} ${format(check.target)}`, format(check.actual), check.met ? 'met' : 'missed'];
  });
  const missed = checks.filter((check) => !check.met).length;
  return ['## Targets', '', ...table(['target', 'wanted', 'estimated', 'verdict'], rows), `Verdict: **${missed === 0 ? 'meets every target' : `misses ${missed} of ${checks.length} targets`}**.`, ''];
}

function memorySection(result: AnalysisResult): string[] {
  const { memory } = result;
  const known = memory.capacity_bytes !== undefined;
  const verdict = !known ? 'capacity unknown, not checked' : memory.fits ? 'fits' : 'does not fit';
  const rows = [
    ['weights', formatBytes(memory.weights_bytes)],
    ['KV cache', formatBytes(memory.kv_cache_bytes)],
    ['activations', formatBytes(memory.activations_bytes)],
    ['total', formatBytes(memory.total_bytes)],
    ['may use', known ? formatUsableMemory(memory.capacity_bytes!, memory.memory_utilization) : 'unknown'],
  ];
  if (result.capacity) rows.push(['largest batch that fits', formatInteger(result.capacity.max_batch_size)]);
  return ['## Memory', '', 'Per device: what one accelerator holds.', '', ...table(['part', 'size'], rows), `Verdict: **${verdict}**.`, ''];
}

function hardwareSection(result: AnalysisResult): string[] {
  const { hardware } = result;
  return [
    '## Hardware roofline',
    '',
    ...table(
      ['figure', 'value'],
      [
        ['memory bandwidth', formatBandwidth(hardware.memory_bandwidth_bytes_per_second)],
        [`peak compute (${hardware.compute_precision})`, formatFlopsPerSecond(hardware.peak_ops_per_second)],
        ['ridge point', formatIntensity(hardware.ridge_point)],
      ],
    ),
  ];
}

const STAGE_TITLES: Readonly<Record<StageName, string>> = {
  prefill: 'Prefill (whole prompt, once)',
  decode: 'Decode (one output token)',
};

function stageSection(stage: StageName, result: StageResult): string[] {
  const rows = result.layers.map((layer) => {
    const bytes = layer.bytes.weights + layer.bytes.activations_in + layer.bytes.activations_out + layer.bytes.kv_read + layer.bytes.kv_write;
    return [layer.name, String(layer.count), formatFlops(layer.flops), formatBytes(bytes), formatIntensity(layer.arithmetic_intensity), layer.bound, formatSeconds(layer.seconds)];
  });
  return [
    `## ${STAGE_TITLES[stage]}`,
    '',
    `Total: ${formatFlops(result.totals.flops)}, ${formatBytes(result.totals.bytes)} moved, ${formatSeconds(result.totals.seconds)}.`,
    '',
    'Per occurrence of each layer; `count` is how many times it occurs in the stage.',
    '',
    ...table(['layer', 'count', 'FLOPs', 'bytes', 'intensity', 'bound', 'time'], rows),
  ];
}

function notesSection(notes: string[]): string[] {
  if (notes.length === 0) return [];
  return ['## Notes', '', ...notes.map((note) => `- ${escapeMarkdown(note)}`), ''];
}
