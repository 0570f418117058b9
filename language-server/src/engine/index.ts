/**
 * The analysis engine: pure functions from a resolved deployment to per-layer roofline numbers.
 * Imports nothing from vscode, the LSP libraries or fs, so the server, the panel and the CLI all
 * share it (and a browser build stays possible).
 */
import { analyzeDefault } from './default/analyze';
import { RooflineInputError } from './errors';
import { assertAllFinite } from './finite';
import { analysisLooksFinite } from './resultFinite';
import { analyzeLlmViewer } from './llmviewer/analyze';
import type { AnalysisResult, EngineInput } from './types';
import { readArchitecture } from './default/shape';
import { splitForParallelism } from './default/parallel';
import { llmViewerModel } from './llmviewer/adapter';
import { validateEngineInput, validateWorkload } from './validate';
import { hasTechniques } from './techniques/spec';
import { compareVariants } from './techniques/variants';

/**
 * LLM-Viewer has no efficiency factor, no pipeline or expert parallelism and no speculative decoding; asking its conventions for
 * them is an error on the key rather than a silently ignored setting.
 */
function rejectOutsideLlmViewer(input: Omit<EngineInput, 'hardware'>): void {
  if (input.efficiency !== undefined && input.efficiency !== 'ideal') {
    throw new RooflineInputError(['efficiency'], 'conventions: llm-viewer times against the peaks only; use conventions: default for an achievable roofline', 'not-in-llm-viewer');
  }
  const { pipeline = 1, expert = 1 } = input.parallelism;
  if (pipeline > 1 || expert > 1) {
    throw new RooflineInputError(
      ['parallelism', pipeline > 1 ? 'pipeline' : 'expert'],
      'conventions: llm-viewer models tensor parallelism only; use conventions: default for pipeline or expert parallelism',
      'not-in-llm-viewer',
    );
  }
  if (input.speculative !== undefined) {
    throw new RooflineInputError(['speculative'], 'conventions: llm-viewer has no speculative decoding; use conventions: default', 'not-in-llm-viewer');
  }
  if (input.serving !== undefined) {
    throw new RooflineInputError(['serving'], 'conventions: llm-viewer analyses one fixed batch; use conventions: default for serving under load', 'not-in-llm-viewer');
  }
  if (hasTechniques(input.techniques)) {
    throw new RooflineInputError(['techniques'], 'conventions: llm-viewer has none of these techniques; use conventions: default', 'not-in-llm-viewer');
  }
}

export function analyzeResolved(input: EngineInput): AnalysisResult {
  validateEngineInput(input);
  if (input.conventions === 'llm-viewer') rejectOutsideLlmViewer(input);
  const analyzed = input.conventions === 'llm-viewer' ? analyzeLlmViewer(input) : analyzeDefault(input);
  const result = input.variants && input.variants.length > 0 ? { ...analyzed, variants: compareVariants(input, analyzeResolved) } : analyzed;
  // The shaped check clears almost every result; the generic walk decides (and names) the rest.
  if (!analysisLooksFinite(result)) assertAllFinite(result);
  return result;
}

/**
 * The checks that need no hardware figures: the workload's limits, the model's shape and how it
 * splits across the devices. For a deployment whose hardware could not be resolved, so that an
 * unknown hardware id does not hide a `parallelism.tensor` that does not divide the heads. Throws
 * the first `RooflineInputError`, as `analyzeResolved` would.
 */
export function checkWithoutHardware(input: Omit<EngineInput, 'hardware'>): void {
  validateWorkload(input);
  if (input.conventions === 'llm-viewer') {
    rejectOutsideLlmViewer(input);
    llmViewerModel(input.model, input.parallelism.tensor);
  } else {
    splitForParallelism(readArchitecture(input.model), input.parallelism);
  }
}

export * from './types';
export { RooflineInputError, isRooflineInputError } from './errors';
export { normalizeModel, type ModelShape } from './model';
export { parseNumberFormat, NAMED_FORMATS, QUANTIZED_FORMATS, FORMAT_NAMES, ALLOWED_BIT_COUNTS } from './formats';
export { sweepResolved, parseSweepValues, SWEEPABLE_PATHS, type SweepRequest, type SweepResult, type SweepResultPoint } from './sweep';
export { expectedTokensPerStep } from './speculative';
export { DEFAULT_MEMORY_UTILIZATION, fitsInMemory } from './capacity';
export { modelFootprint, type ModelFootprint } from './default/footprint';
export { kvCacheFormula, kvCacheFormulaOfConfig, type KvCacheFormula, type KvCacheTerm, type StateTerm } from './default/kvFormula';
export { checkTargets, meetsTargets, targetsOf, TARGET_KEYS, type TargetCheck, type TargetKey, type ServiceTargets } from './targets';
export { DEFAULT_ACHIEVABLE_FRACTIONS } from './efficiency';
export { parseTechniques, hasTechniques, TECHNIQUE_KEYS } from './techniques/spec';
export { OFFLOAD_LINKS, OFFLOAD_LINK_IDS } from './techniques/links';
