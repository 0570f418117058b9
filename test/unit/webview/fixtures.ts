/** Loads the hand-made DocumentAnalysis fixtures for the panel's pure functions. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';

export function loadAnalysis(name: string): DocumentAnalysis {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'analysis', `${name}.json`), 'utf8')) as DocumentAnalysis;
}

export function loadResult(name: string): AnalysisResult {
  const result = loadAnalysis(name).result;
  if (!result) throw new Error(`${name} has no result`);
  return result;
}
