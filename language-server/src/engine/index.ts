/**
 * The analysis engine: pure functions from a resolved deployment to per-layer roofline numbers.
 * Imports nothing from vscode, the LSP libraries or fs, so the server, the panel and the CLI all
 * share it (and a browser build stays possible).
 */
import { analyzeDefault } from './default/analyze';
import { assertAllFinite } from './finite';
import { analyzeLlmViewer } from './llmviewer/analyze';
import type { AnalysisResult, EngineInput } from './types';
import { validateEngineInput } from './validate';

export function analyzeResolved(input: EngineInput): AnalysisResult {
  validateEngineInput(input);
  const result = input.conventions === 'llm-viewer' ? analyzeLlmViewer(input) : analyzeDefault(input);
  assertAllFinite(result);
  return result;
}

export * from './types';
export { RooflineInputError, isRooflineInputError } from './errors';
export { normalizeModel, type ModelShape } from './model';
export { parseNumberFormat, NAMED_FORMATS, ALLOWED_BIT_COUNTS } from './formats';
