/** `llm-roofline check FILE...`: every problem of every file, as `file:line:col: severity code: message`. */
import { analyzeDocument } from '../config/analyze';
import { parseDocument } from '../config/parse';
import { resolveHardwareDocument, resolveModelDocument } from '../config/resolveDocuments';
import type { ConfigProblem } from '../config/types';
import { semanticProblems } from '../server/advice';
import { loadArgumentFile } from './loadFile';
import { displayPath, nodeHost, nodeText } from './nodeHost';
import type { Output } from './output';
import { problemLine } from './problemsOutput';

function problemsOf(uri: string, text: string, kind: ReturnType<typeof loadArgumentFile> & { ok: true }): ConfigProblem[] {
  const doc = parseDocument(uri, text, kind.kind);
  switch (kind.kind) {
    case 'deployment': {
      // The same engine-backed checks as the editor: fits in memory (and what would), targets met.
      const analysis = analyzeDocument(doc, nodeHost);
      const input = analysis.resolved.input;
      const semantic = input && analysis.result ? semanticProblems(doc, input, analysis.result).problems : [];
      return [...analysis.problems, ...semantic];
    }
    case 'hardware':
      return resolveHardwareDocument(doc, nodeHost).problems;
    default:
      return resolveModelDocument(doc, nodeHost).problems;
  }
}

export function runCheck(paths: readonly string[], output: Output): number {
  const seen = new Set<string>();
  let errors = 0;
  let warnings = 0;
  for (const path of paths) {
    const loaded = loadArgumentFile(path);
    if (!loaded.ok) {
      output.err(`${displayPath(loaded.uri)}:1:1: error ${loaded.code}: ${loaded.message}`);
      errors++;
      continue;
    }
    const problems = problemsOf(loaded.uri, loaded.text, loaded);
    for (const problem of problems) {
      // A hardware or model file named on the command line and read by a deployment is reported once.
      const key = `${problem.uri}|${problem.range.start}|${problem.code}|${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      output.out(problemLine(problem, nodeText));
      if (problem.severity === 'error') errors++;
      else if (problem.severity === 'warning') warnings++;
    }
  }
  const checked = `${paths.length} file${paths.length === 1 ? '' : 's'} checked`;
  output.err(errors + warnings === 0 ? `${checked}: no problems` : `${checked}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return errors > 0 ? 1 : 0;
}
