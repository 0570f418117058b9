/**
 * `llm-roofline sweep FILE --vary workload.batch_size=1..256 [--json] [--set key=value ...]`:
 * the deployment at every value of one workload field, as a table (value, TTFT, TPOT, tokens/s,
 * memory, fits) or JSON.
 */
import { analyzeDocument } from '../config/analyze';
import { parseDocument } from '../config/parse';
import { isRooflineInputError } from '../engine/errors';
import { isSweepPath, parseSweepValues, sweepResolved, SWEEPABLE_PATHS, type SweepRequest, type SweepResult } from '../engine/sweep';
import { formatBytes, formatSeconds, formatTokensPerSecond, formatUsableMemory } from '../format/units';
import { table } from './format';
import { loadArgumentFile } from './loadFile';
import { displayPath, nodeHost, nodeText } from './nodeHost';
import type { Output } from './output';
import { applyOverrides, UsageError, type Override } from './overrides';
import { problemLine } from './problemsOutput';
import { withoutTechniques } from './baseline';

export interface SweepOptions {
  json: boolean;
  /** Also sweep the deployment without its `techniques:` and print both. */
  baseline?: boolean;
  overrides: Override[];
  vary: string;
}

/** `workload.batch_size=1..256` → the path and its values; usage errors say what is wrong. */
export function parseVary(text: string): SweepRequest {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new UsageError(`--vary needs path=values, e.g. --vary workload.batch_size=1..256, got "${text}"`);
  const path = text.slice(0, equals).trim();
  if (!isSweepPath(path)) throw new UsageError(`--vary can sweep ${SWEEPABLE_PATHS.join(', ')}; got "${path}"`);
  try {
    return { path, values: parseSweepValues(text.slice(equals + 1), path.split('.')) };
  } catch (error) {
    if (isRooflineInputError(error)) throw new UsageError(`--vary ${path}: ${error.detail}`);
    throw error;
  }
}

const COLUMN_OF_PATH: Readonly<Record<SweepRequest['path'], string>> = {
  'workload.batch_size': 'batch',
  'workload.prompt_tokens': 'prompt',
  'workload.output_tokens': 'output',
};

export function renderSweep(sweep: SweepResult): string {
  const rows = sweep.points.map((point) => [
    String(point.value),
    formatSeconds(point.ttft_seconds),
    formatSeconds(point.tpot_seconds),
    formatTokensPerSecond(point.output_tokens_per_second),
    formatBytes(point.total_memory_bytes),
    point.fits ? 'yes' : 'NO',
  ]);
  const capacity = sweep.capacity_bytes === undefined ? 'capacity unknown: fits not checked' : `usable ${formatUsableMemory(sweep.capacity_bytes, sweep.memory_utilization ?? 1)} per accelerator`;
  return [
    `Sweep of ${sweep.path} (${sweep.points.length} points; ${capacity})`,
    '',
    table([COLUMN_OF_PATH[sweep.path], 'TTFT', 'TPOT', 'throughput', 'memory', 'fits'], rows, [true, true, true, true, true, false]),
  ].join('\n');
}

export function runSweep(path: string, options: SweepOptions, output: Output): number {
  const request = parseVary(options.vary);
  const loaded = loadArgumentFile(path);
  if (!loaded.ok) {
    output.err(`${displayPath(loaded.uri)}:1:1: error ${loaded.code}: ${loaded.message}`);
    return 1;
  }
  if (loaded.kind !== 'deployment') {
    output.err(`${path}: sweep takes a deployment file (*.roofline.yaml); this is a ${loaded.kind === 'hf-config' ? 'model' : loaded.kind} file`);
    return 1;
  }
  const text = applyOverrides(loaded.uri, loaded.text, options.overrides);
  const analysis = analyzeDocument(parseDocument(loaded.uri, text, 'deployment'), nodeHost);
  const textOf = (uri: string): string | undefined => (uri === loaded.uri ? text : nodeText(uri));
  for (const problem of analysis.problems) output.err(problemLine(problem, textOf));
  const input = analysis.resolved.input;
  if (!analysis.result || !input) {
    output.err(`${path}: not swept (fix the errors above)`);
    return 1;
  }
  let sweep: SweepResult;
  try {
    sweep = sweepResolved(input, request);
  } catch (error) {
    if (!isRooflineInputError(error)) throw error;
    output.err(`${path}: ${error.message}`);
    return 1;
  }
  if (options.baseline) {
    const baseline = sweepResolved(withoutTechniques(input), request);
    output.out(options.json ? JSON.stringify({ baseline, result: sweep }, null, 2) : ['Without techniques:', '', renderSweep(baseline), '', 'With techniques:', '', renderSweep(sweep)].join('\n'));
    return 0;
  }
  output.out(options.json ? JSON.stringify(sweep, null, 2) : renderSweep(sweep));
  return 0;
}
