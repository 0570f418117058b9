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
  output.out(options.json ? JSON.stringify(analysis.result, null, 2) : [renderReport(input, analysis.result), ...(variants ? ['', variants] : [])].join('\n'));
  return 0;
}
