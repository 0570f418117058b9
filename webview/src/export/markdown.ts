/** A Markdown report of an analysis: summary, memory, targets, per-layer tables, notes. */
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import { bottleneckTable } from '../charts/bottleneck';
import { memoryTable } from '../charts/memory';
import type { DataTable } from '../charts/table';
import { formatBandwidth, formatCount, formatFlopsPerSecond, formatIntensity, formatSeconds, formatTokensPerSecond } from '../format';
import { checkTargets } from '../targets';

/** Escapes the characters that would break a table cell or start Markdown syntax. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`[\]<>])/g, '\\$1');
}

export function markdownTable(table: DataTable): string {
  const header = `| ${table.columns.map(markdownCell).join(' | ')} |`;
  const rule = `| ${table.columns.map(() => '---').join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${row.map(markdownCell).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

function documentName(uri: string): string {
  const last = uri.split('/').pop() ?? uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export function markdownReport(analysis: DocumentAnalysis, result: AnalysisResult): string {
  const modelName = analysis.modelName ?? result.model.name;
  const hardwareName = analysis.hardwareName ?? result.hardware.name;
  const lines: string[] = [
    `# LLM Roofline: ${markdownCell(modelName)} on ${markdownCell(hardwareName)}`,
    '',
    `Document: \`${documentName(analysis.uri)}\` (version ${analysis.version}), conventions: ${result.conventions}.`,
    '',
    '## Summary',
    '',
    markdownTable({
      caption: 'Summary',
      columns: ['Metric', 'Value'],
      rows: [
        ['TTFT', formatSeconds(result.metrics.ttft_seconds)],
        ['TPOT', formatSeconds(result.metrics.tpot_seconds)],
        ['End to end', formatSeconds(result.metrics.e2e_seconds)],
        ['Output tokens/s', formatTokensPerSecond(result.metrics.output_tokens_per_second)],
        ['Model parameters', formatCount(result.model.parameters)],
        ['Peak compute', `${formatFlopsPerSecond(result.hardware.peak_ops_per_second)} (${result.hardware.compute_precision})`],
        ['Memory bandwidth', formatBandwidth(result.hardware.memory_bandwidth_bytes_per_second)],
        ['Ridge point', formatIntensity(result.hardware.ridge_point)],
      ],
    }),
    '',
    '## Memory',
    '',
    memoryTable(result).caption,
    '',
    markdownTable(memoryTable(result)),
  ];
  const targets = checkTargets(analysis, result);
  if (targets.length > 0) {
    lines.push('', '## Targets', '', markdownTable({ caption: 'Targets', columns: ['Target', 'Wanted', 'Estimated', 'Met'], rows: targets.map((t) => [t.name, t.target, t.actual, t.met ? 'yes' : 'no']) }));
  }
  for (const stage of ['prefill', 'decode'] as const) {
    const table = bottleneckTable(result, stage);
    lines.push('', `## ${stage === 'prefill' ? 'Prefill' : 'Decode'} layers`, '', table.caption, '', markdownTable(table));
  }
  if (result.notes.length > 0) {
    lines.push('', '## Notes', '', ...result.notes.map((note) => `- ${markdownCell(note)}`));
  }
  return `${lines.join('\n')}\n`;
}
