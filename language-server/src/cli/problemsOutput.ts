/** Problems as `file:line:col: severity code: message` lines (1-based), the format editors and CI parse. */
import type { ConfigProblem } from '../config/types';
import { displayPath } from './nodeHost';
import { lineColumn } from './positions';

/** `textOf` gives the text the problem's range refers to (an edited text for `--set`, else the file). */
export function problemLine(problem: ConfigProblem, textOf: (uri: string) => string | undefined): string {
  const text = textOf(problem.uri) ?? '';
  const { line, column } = lineColumn(text, problem.range.start);
  // Messages carry their own did-you-mean; the full suggestion list is for editor quick fixes.
  return `${displayPath(problem.uri)}:${line}:${column}: ${problem.severity} ${problem.code}: ${problem.message}`;
}
