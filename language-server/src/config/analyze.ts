/**
 * A deployment document → resolved input → engine result, with every problem on its range.
 * Engine errors (`RooflineInputError`) are placed on the field they name, in whichever file that
 * field was written. Never throws.
 */
import { analyzeResolved } from '../engine/index';
import { isRooflineInputError } from '../engine/errors';
import type { AnalysisResult } from '../engine/types';
import { internalProblem, placeEngineError } from './placeError';
import { internalResolutionProblem, resolveDeploymentDetailed, type DetailedResolution } from './resolveDeployment';
import type { ConfigHost, ConfigProblem, ParsedDocument, ResolvedDeployment } from './types';

export interface DocumentAnalysis {
  resolved: ResolvedDeployment;
  result?: AnalysisResult;
  problems: ConfigProblem[];
}

export function analyzeDocument(doc: ParsedDocument, host: ConfigHost): DocumentAnalysis {
  let detailed: DetailedResolution;
  try {
    detailed = resolveDeploymentDetailed(doc, host);
  } catch (error) {
    const problem = internalResolutionProblem(doc, error);
    return { resolved: { problems: [problem], dependencies: [] }, problems: [problem] };
  }
  const { resolved } = detailed;
  if (!resolved.input) return { resolved, problems: resolved.problems };
  try {
    const result = analyzeResolved(resolved.input);
    return { resolved, result, problems: resolved.problems };
  } catch (error) {
    const problem = isRooflineInputError(error)
      ? placeEngineError(error, doc, {
          ...(detailed.modelOrigin ? { model: detailed.modelOrigin } : {}),
          ...(detailed.hardwareOrigin ? { hardware: detailed.hardwareOrigin } : {}),
        })
      : internalProblem(doc, error);
    return { resolved, problems: [...resolved.problems, problem] };
  }
}
