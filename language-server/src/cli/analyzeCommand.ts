/** `llm-roofline analyze FILE [--json] [--baseline] [--set key=value ...]`. */
import { analyzeDocument } from '../config/analyze';
import { parseDocument } from '../config/parse';
import { loadArgumentFile } from './loadFile';
import { displayPath, nodeHost, nodeText } from './nodeHost';
import type { Output } from './output';
import { applyOverrides, type Override } from './overrides';
import { problemLine } from './problemsOutput';
import { renderReport } from './report';
import { analyzeBaseline, renderComparison, withoutTechniques } from './baseline';
import { renderVariants } from './variants';
import { compareMeasured } from '../measured/compare';
import { formatGeoMeanSummary, MEASURED_TABLE_HEADER, measuredTableRows } from '../format/measured';
import type { MeasuredComparison } from '../measured/types';
import { table } from './format';

/** The measured points beside their predictions, and the geometric-mean error of them all. */
export function renderMeasured(comparison: MeasuredComparison): string {
  return [
    `Measured against predicted (efficiency: ${comparison.efficiency}):`,
    '',
    table([...MEASURED_TABLE_HEADER], measuredTableRows(comparison), [false, false, false, false, true, true, true]),
    '',
    `Geometric mean of |error|: ${formatGeoMeanSummary(comparison)}`,
  ].join('\n');
}

export interface AnalyzeOptions {
  json: boolean;
  /** Also analyse the deployment without its `techniques:` and print both. */
  baseline?: boolean;
  overrides: Override[];
}

export function runAnalyze(path: string, options: AnalyzeOptions, output: Output): number {
  const loaded = loadArgumentFile(path);
  if (!loaded.ok) {
    output.err(`${displayPath(loaded.uri)}:1:1: error ${loaded.code}: ${loaded.message}`);
    return 1;
  }
  if (loaded.kind !== 'deployment') {
    output.err(`${path}: analyze takes a deployment file (*.roofline.yaml); this is a ${loaded.kind === 'hf-config' ? 'model' : loaded.kind} file: use \`llm-roofline check\` for it`);
    return 1;
  }
  const text = applyOverrides(loaded.uri, loaded.text, options.overrides);
  const doc = parseDocument(loaded.uri, text, 'deployment');
  const analysis = analyzeDocument(doc, nodeHost);
  // Problem positions refer to the edited text when --set changed it.
  const textOf = (uri: string): string | undefined => (uri === loaded.uri ? text : nodeText(uri));
  for (const problem of analysis.problems) output.err(problemLine(problem, textOf));
  const input = analysis.resolved.input;
  if (!analysis.result || !input) {
    output.err(`${path}: not analysed (fix the errors above)`);
    return 1;
  }
  if (options.baseline) {
    const baseline = analyzeBaseline(input);
    output.out(
      options.json
        ? JSON.stringify({ baseline, result: analysis.result }, null, 2)
        : [`Without techniques:`, '', renderReport(withoutTechniques(input), baseline), '', `With techniques:`, '', renderReport(input, analysis.result), '', renderComparison(baseline, analysis.result)].join('\n'),
    );
    return 0;
  }
  const variants = options.json ? undefined : renderVariants(analysis.result);
  const measured = analysis.measuredPoints ? compareMeasured(input, analysis.measuredPoints) : undefined;
  output.out(
    options.json
      ? JSON.stringify(measured ? { result: analysis.result, measured } : analysis.result, null, 2)
      : [renderReport(input, analysis.result), ...(variants ? ['', variants] : []), ...(measured ? ['', renderMeasured(measured)] : [])].join('\n'),
  );
  return 0;
}
