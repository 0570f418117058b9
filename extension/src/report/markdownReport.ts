/**
 * The Markdown report of a deployment's analysis (`LLM Roofline: Export Markdown Report`): the
 * headline metrics, memory, the hardware's roofline figures, and every layer of both stages.
 * Imports nothing from `vscode`.
 */
import type { AnalysisResult, StageName, StageResult } from '../../../language-server/src/engine/types';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import { escapeMarkdown } from '../../../language-server/src/userText';
import {
  formatBytes,
  formatCount,
  formatNumber,
  formatParameters,
  formatSeconds,
  hasNonFiniteWord,
} from '../../../language-server/src/server/format';

export interface ReportContext {
  /** The deployment file's name, for the title. */
  documentName: string;
  /** When the report was made, ISO 8601. */
  generatedAt: string;
}

export type ReportOutcome = { markdown: string } | { error: string };

export function renderMarkdownReport(analysis: DocumentAnalysis, context: ReportContext): ReportOutcome {
  if (analysis.kind !== 'deployment') return { error: 'Only deployment files (*.roofline.yaml) have a report.' };
  if (!analysis.result) {
    const reasons = analysis.errors.length > 0 ? `: ${analysis.errors.join('; ')}` : '.';
    return { error: `The deployment has errors that prevent an analysis${reasons}` };
  }
  const markdown = [
    `# LLM Roofline report: ${escapeMarkdown(context.documentName)}`,
    '',
    `Generated ${context.generatedAt} from version ${analysis.version} of the document, with the \`${analysis.result.conventions}\` conventions.`,
    '',
    ...summarySection(analysis.result),
    ...memorySection(analysis.result),
    ...hardwareSection(analysis.result),
    ...stageSection('prefill', analysis.result.stages.prefill),
    ...stageSection('decode', analysis.result.stages.decode),
    ...notesSection(analysis.result.notes),
  ].join('\n');
  // The formatters print `n/a` for non-finite numbers; this is the last guard before a file is written.
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


function summarySection(result: AnalysisResult): string[] {
  const { metrics } = result;
  return [
    '## Summary',
    '',
    ...table(
      ['metric', 'value'],
      [
        ['model', `${result.model.name} (${formatParameters(result.model.parameters)} parameters)`],
        ['hardware', result.hardware.name],
        ['time to first token (TTFT)', formatSeconds(metrics.ttft_seconds)],
        ['time per output token (TPOT)', formatSeconds(metrics.tpot_seconds)],
        ['end-to-end time', formatSeconds(metrics.e2e_seconds)],
        ['output tokens per second', formatNumber(metrics.output_tokens_per_second)],
      ],
    ),
  ];
}

function memorySection(result: AnalysisResult): string[] {
  const { memory } = result;
  const capacity = memory.capacity_bytes === undefined ? 'unknown' : formatBytes(memory.capacity_bytes);
  const verdict = memory.capacity_bytes === undefined ? 'capacity unknown, not checked' : memory.fits ? 'fits' : 'does not fit';
  return [
    '## Memory',
    '',
    ...table(
      ['part', 'bytes'],
      [
        ['weights', formatBytes(memory.weights_bytes)],
        ['KV cache', formatBytes(memory.kv_cache_bytes)],
        ['activations', formatBytes(memory.activations_bytes)],
        ['total', formatBytes(memory.total_bytes)],
        ['capacity', capacity],
      ],
    ),
    `Verdict: **${verdict}**.`,
    '',
  ];
}

function hardwareSection(result: AnalysisResult): string[] {
  const { hardware } = result;
  return [
    '## Hardware roofline',
    '',
    ...table(
      ['figure', 'value'],
      [
        ['memory bandwidth', `${formatBytes(hardware.memory_bandwidth_bytes_per_second)}/s`],
        [`peak compute (${hardware.compute_precision})`, formatCount(hardware.peak_ops_per_second, 'OP/s')],
        ['ridge point', `${formatNumber(hardware.ridge_point)} OP/byte`],
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
    return [
      layer.name,
      String(layer.count),
      formatCount(layer.flops, 'FLOP'),
      formatBytes(bytes),
      formatNumber(layer.arithmetic_intensity),
      layer.bound,
      formatSeconds(layer.seconds),
    ];
  });
  return [
    `## ${STAGE_TITLES[stage]}`,
    '',
    `Total: ${formatCount(result.totals.flops, 'FLOP')}, ${formatBytes(result.totals.bytes)} moved, ${formatSeconds(result.totals.seconds)}.`,
    '',
    'Per occurrence of each layer; `count` is how many times it occurs in the stage.',
    '',
    ...table(['layer', 'count', 'FLOPs', 'bytes', 'intensity (FLOP/byte)', 'bound', 'time'], rows),
  ];
}

function notesSection(notes: string[]): string[] {
  if (notes.length === 0) return [];
  return ['## Notes', '', ...notes.map((note) => `- ${escapeMarkdown(note)}`), ''];
}
