/**
 * A deployment document → resolved input → engine result, with every problem on its range.
 * Engine errors (`RooflineInputError`) are placed on the field they name, in whichever file that
 * field was written. Never throws.
 */
import { analyzeResolved, checkWithoutHardware } from '../engine/index';
import { isRooflineInputError } from '../engine/errors';
import type { AnalysisResult } from '../engine/types';
import { internalProblem, placeEngineError } from './placeError';
import { internalResolutionProblem, resolveDeploymentDetailed, type DetailedResolution } from './resolveDeployment';
import type { ConfigHost, ConfigProblem, ParsedDocument, ResolvedDeployment } from './types';
import { explainEngineProblems } from '../engineArgs/engineProblems';
import { contextCapWarning } from './startupWarnings';
import type { SourcedPoint } from '../measured/compare';
import { valueAt } from './parse';
import { loadMeasured } from './resolveMeasured';
import { runToEnd } from './steps';

export interface DocumentAnalysis {
  resolved: ResolvedDeployment;
  result?: AnalysisResult;
  problems: ConfigProblem[];
  /**
   * The points of the results named under `measured:`, when the deployment was analysed. Their
   * predictions (measured/compare.ts) are made on demand, for the panel and the CLI: each point is
   * a serving analysis at its own lengths, too much for every keystroke's check.
   */
  measuredPoints?: SourcedPoint[];
}

export function analyzeDocument(doc: ParsedDocument, host: ConfigHost): DocumentAnalysis {
  return runToEnd(analyzeDocumentSteps(doc, host));
}

/**
 * The same in steps, for a check while the user types: it pauses (`yield`, with the problems found
 * so far) between resolving the document (schema, referenced files) and analysing it, and before
 * reading its `measured:` results. A check stopped over its budget in a later step keeps those
 * problems; one that has run long gives the event loop back at a pause.
 */
export function* analyzeDocumentSteps(doc: ParsedDocument, host: ConfigHost): Generator<ConfigProblem[], DocumentAnalysis> {
  const resolution = resolveWritten(doc, host);
  if ('detailed' in resolution) yield resolution.detailed.resolved.problems;
  const analysis = analyzeWithEngineArgs(doc, analyzeWritten(doc, resolution));
  // The measured results (up to 64 files) are read after a pause of their own.
  if (valueAt(doc.value, ['measured']) !== undefined) yield analysis.problems;
  return withMeasured(doc, host, analysis);
}

/**
 * `measured:` read and compared once the deployment itself is analysed: its problems never stop
 * the analysis, and the files it reads are dependencies like a model file.
 */
function withMeasured(doc: ParsedDocument, host: ConfigHost, analysis: DocumentAnalysis): DocumentAnalysis {
  if (valueAt(doc.value, ['measured']) === undefined) return analysis;
  const input = analysis.resolved.input;
  try {
    const written = (key: string): number | undefined => {
      const value = valueAt(doc.value, ['workload', key]);
      return typeof value === 'number' ? value : undefined;
    };
    const promptTokens = written('prompt_tokens');
    const outputTokens = written('output_tokens');
    const loaded = loadMeasured(doc, host, {
      modelName: input?.modelName ?? '',
      ...(promptTokens !== undefined ? { promptTokens } : {}),
      ...(outputTokens !== undefined ? { outputTokens } : {}),
    });
    const resolved = { ...analysis.resolved, dependencies: [...analysis.resolved.dependencies, ...loaded.dependencies.filter((uri) => !analysis.resolved.dependencies.includes(uri))] };
    const points = input && analysis.result && loaded.points.length > 0 ? loaded.points : undefined;
    return { ...analysis, resolved, problems: [...analysis.problems, ...loaded.problems], ...(points ? { measuredPoints: points } : {}) };
  } catch (error) {
    return { ...analysis, problems: [...analysis.problems, internalProblem(doc, error)] };
  }
}

function analyzeWithEngineArgs(doc: ParsedDocument, analysis: DocumentAnalysis & { detailed?: DetailedResolution; failure?: unknown }): DocumentAnalysis {
  const engineArgs = analysis.detailed?.engineArgs;
  const failure = analysis.failure;
  // Field by field rather than a rest spread: this runs on every library call.
  const plain: DocumentAnalysis = { resolved: analysis.resolved, problems: analysis.problems };
  if (analysis.result) plain.result = analysis.result;
  if (!engineArgs) {
    const warning = contextCapWarning(doc, plain.result?.serving?.startup);
    return warning ? { ...plain, problems: [...plain.problems, warning] } : plain;
  }
  try {
    return { ...plain, problems: explainEngineProblems(engineArgs, plain.problems, failure, plain.result) };
  } catch (error) {
    return { ...plain, problems: [...plain.problems, internalProblem(doc, error)] };
  }
}

/** The deployment resolved (schema, referenced files), or the problem that it could not be. */
type Resolution = { detailed: DetailedResolution } | { failed: ConfigProblem };

function resolveWritten(doc: ParsedDocument, host: ConfigHost): Resolution {
  try {
    return { detailed: resolveDeploymentDetailed(doc, host) };
  } catch (error) {
    return { failed: internalResolutionProblem(doc, error) };
  }
}

/** The engine's analysis of a resolved deployment, its errors placed on the fields they name. */
function analyzeWritten(doc: ParsedDocument, resolution: Resolution): DocumentAnalysis & { detailed?: DetailedResolution; failure?: unknown } {
  if ('failed' in resolution) return { resolved: { problems: [resolution.failed], dependencies: [] }, problems: [resolution.failed] };
  const { detailed } = resolution;
  const { resolved } = detailed;
  const withDetail = (analysis: DocumentAnalysis, failure?: unknown): DocumentAnalysis & { detailed: DetailedResolution; failure?: unknown } => {
    const detailedAnalysis: DocumentAnalysis & { detailed: DetailedResolution; failure?: unknown } = { resolved: analysis.resolved, problems: analysis.problems, detailed };
    if (analysis.result) detailedAnalysis.result = analysis.result;
    if (failure !== undefined) detailedAnalysis.failure = failure;
    return detailedAnalysis;
  };
  const placed = (error: unknown): ConfigProblem =>
    isRooflineInputError(error)
      ? placeEngineError(error, detailed.engineArgs?.doc ?? doc, {
          ...(detailed.modelOrigin ? { model: detailed.modelOrigin } : {}),
          ...(detailed.hardwareOrigin ? { hardware: detailed.hardwareOrigin } : {}),
        })
      : internalProblem(doc, error);
  if (!resolved.input) {
    if (!detailed.withoutHardware) return withDetail({ resolved, problems: resolved.problems });
    // The hardware (or a format) failed: the checks that do not need it still run.
    try {
      checkWithoutHardware(detailed.withoutHardware);
      return withDetail({ resolved, problems: resolved.problems });
    } catch (error) {
      const problem = placed(error);
      const known = resolved.problems.some((other) => other.uri === problem.uri && other.range.start === problem.range.start);
      return withDetail({ resolved, problems: known ? resolved.problems : [...resolved.problems, problem] }, error);
    }
  }
  try {
    const result = analyzeResolved(resolved.input);
    return withDetail({ resolved, result, problems: resolved.problems });
  } catch (error) {
    return withDetail({ resolved, problems: [...resolved.problems, placed(error)] }, error);
  }
}
