/** `llm-roofline analyze FILE [--json] [--set key=value ...]`. */
import { analyzeDocument } from '../config/analyze';
import { parseDocument } from '../config/parse';
import { loadArgumentFile } from './loadFile';
import { displayPath, nodeHost, nodeText } from './nodeHost';
import type { Output } from './output';
import { applyOverrides, type Override } from './overrides';
import { problemLine } from './problemsOutput';
import { renderReport } from './report';

export interface AnalyzeOptions {
  json: boolean;
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
  output.out(options.json ? JSON.stringify(analysis.result, null, 2) : renderReport(input, analysis.result));
  return 0;
}
