/** The headline numbers: latency, throughput, memory, targets, capacity and serving facts, model and hardware, notes. */
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import { memoryHeadline } from '../charts/memory';
import { formatBandwidth, formatBytes, formatCount, formatFlopsPerSecond, formatIntensity, formatNumber, formatPercent, formatSeconds, formatTokensPerSecond } from '../../../language-server/src/format/units';
import { blockKindsText } from '../../../language-server/src/format/blockKinds';
import { checkTargets } from '../targets';
import { CONTROL_FIELDS, controlValue } from '../fields';
import { clear, el } from './dom';
import { renderServingFacts } from './servingFacts';

const batchField = CONTROL_FIELDS.find((field) => field.id === 'batchSize')!;

function metric(name: string, value: string, options: { key: string; danger?: boolean; hint?: string }): HTMLElement {
  return el('div', { className: options.danger ? 'metric danger' : 'metric', 'data-metric': options.key }, [
    el('dt', { text: name }),
    el('dd', { text: value }),
    options.hint ? el('dd', { className: 'hint', text: options.hint }) : undefined,
  ]);
}

/** `46.7 B parameters, 12.9 B active per token` for a mixture of experts; the plain count otherwise. */
function parametersText(model: AnalysisResult['model']): string {
  const total = `${formatCount(model.parameters)} parameters`;
  const active = model.active_parameters;
  return active !== undefined && active < model.parameters ? `${total}, ${formatCount(active)} active per token` : total;
}

export interface SummaryOptions {
  notesOpen: boolean;
  onNotesToggle: (open: boolean) => void;
}

export function renderSummary(container: HTMLElement, analysis: DocumentAnalysis, result: AnalysisResult, options: SummaryOptions): void {
  clear(container);
  const fits = result.memory.fits;
  const targets = checkTargets(analysis, result);
  const memory = result.memory;
  // Against the memory a serving engine may use (memory.utilization × capacity), as the hover,
  // diagnostic, code lens and CLI measure it (engine/capacity.ts fitsInMemory).
  // Non-breaking spaces keep each number with its unit when a narrow card wraps the line.
  const bytes = (value: number): string => formatBytes(value).replace(' ', '\u00a0');
  const usableBytes = memory.capacity_bytes === undefined ? undefined : memory.capacity_bytes * memory.memory_utilization;
  const memoryText = usableBytes === undefined ? bytes(memory.total_bytes) : `${bytes(memory.total_bytes)} of ${bytes(usableBytes)}`;
  const memoryHint =
    memory.capacity_bytes === undefined
      ? 'capacity unknown'
      : `${fits ? 'fits' : 'does not fit'}: usable ${formatPercent(memory.memory_utilization)} of ${bytes(memory.capacity_bytes)}`;

  const missed = (name: string): boolean => targets.some((t) => t.name === name && !t.met);
  const serving = result.serving;
  // Under `serving:` the headline is the steady state the targets judge; the fixed batch of the
  // per-stage charts below is named on its own line, so two TTFTs never read as one.
  const latency = serving ?? result.metrics;
  const underLoad = serving ? ' under load' : '';
  container.append(
    el('dl', { className: 'metrics' }, [
      metric('TTFT', formatSeconds(latency.ttft_seconds), { key: 'ttft', danger: missed('TTFT'), hint: `time to first token${underLoad}` }),
      metric('TPOT', formatSeconds(latency.tpot_seconds), { key: 'tpot', danger: missed('TPOT'), hint: `time per output token${underLoad}` }),
      metric('End to end', formatSeconds(latency.e2e_seconds), { key: 'e2e', hint: serving ? `one request, waiting included` : undefined }),
      serving
        ? metric('Throughput', formatTokensPerSecond(serving.output_tokens_per_second), {
            key: 'tokensPerSecond',
            danger: missed('Tokens/s'),
            hint: `output tokens, ${formatNumber(serving.concurrency)} requests in flight; ${formatTokensPerSecond(serving.output_tokens_per_second_per_user)} per user`,
          })
        : metric('Throughput', formatTokensPerSecond(result.metrics.output_tokens_per_second), { key: 'tokensPerSecond', danger: missed('Tokens/s'), hint: 'output tokens, whole batch' }),
      serving?.cost_per_million_output_tokens_usd !== undefined
        ? metric('Cost', `$${formatNumber(serving.cost_per_million_output_tokens_usd)}`, { key: 'cost', hint: 'per million output tokens' })
        : undefined,
      metric('Memory', memoryText, { key: 'memory', danger: !fits, hint: memoryHint }),
    ]),
  );
  if (serving) {
    container.append(
      el('p', { className: 'fixed-batch', 'data-fixed-batch': '' }, [
        `The charts below analyse one batch of ${String(controlValue(analysis, batchField))}: TTFT ${formatSeconds(result.metrics.ttft_seconds)}, TPOT ${formatSeconds(result.metrics.tpot_seconds)}, ${formatTokensPerSecond(result.metrics.output_tokens_per_second)}.`,
      ]),
    );
  }

  const status = el('p', { className: fits ? 'status ok' : 'status danger', 'data-status': fits ? 'fits' : 'does-not-fit' }, [
    fits ? memoryHeadline(result) : `⚠ ${memoryHeadline(result)}`,
  ]);
  container.append(status);
  if (targets.length > 0) {
    const list = el('ul', { className: 'targets', 'aria-label': 'Targets' });
    for (const target of targets) {
      list.append(
        el('li', { className: target.met ? 'met' : 'missed', 'data-target': target.name }, [
          `${target.met ? '✓' : '✗'} ${target.name}: ${target.actual} (target ${target.target})${target.met ? '' : ', missed'}`,
        ]),
      );
    }
    container.append(list);
  }

  const facts = renderServingFacts(result);
  if (facts) container.append(facts);

  const hardware = result.hardware;
  container.append(
    el('p', { className: 'identity' }, [
      el('strong', { text: analysis.modelName ?? result.model.name }),
      ` (${parametersText(result.model)}) on `,
      el('strong', { text: analysis.hardwareName ?? hardware.name }),
      `: ${formatFlopsPerSecond(hardware.peak_ops_per_second)} ${hardware.compute_precision}, ${formatBandwidth(hardware.memory_bandwidth_bytes_per_second)}, ridge point ${formatIntensity(hardware.ridge_point)}; ${result.conventions} conventions.`,
    ]),
  );
  const kinds = result.model.block_kinds;
  if (kinds && kinds.length > 1) container.append(el('p', { className: 'block-kinds', 'data-block-kinds': '' }, [`Blocks: ${blockKindsText(kinds)}`]));
  if (result.notes.length > 0) {
    // A large model carries ten or more notes; folded, they no longer push the charts out of sight.
    const notes = el('details', { className: 'notes-fold' }, [
      el('summary', { text: `How these figures were counted (${result.notes.length} ${result.notes.length === 1 ? 'note' : 'notes'})` }),
      el('ul', { className: 'notes', 'aria-label': 'Notes' }, result.notes.map((note) => el('li', { text: note }))),
    ]);
    notes.open = options.notesOpen;
    notes.addEventListener('toggle', () => options.onNotesToggle(notes.open));
    container.append(notes);
  }
}
