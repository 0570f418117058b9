/**
 * Compare with a variant: the same deployment with another model (a distilled or pruned one) or
 * another technique set, each analysed in full by the same engine, so one table and one chart can
 * set them side by side. A variant that cannot be analysed keeps its row with the reason.
 */
import { isRooflineInputError } from '../errors';
import type { AnalysisResult, EngineInput, HfConfig } from '../types';
import type { TechniquesSpec } from './spec';

export interface VariantSpec {
  /** As the table shows it. */
  name: string;
  /** Another model in place of the deployment's; absent: the deployment's own. */
  model?: HfConfig;
  modelName?: string;
  /** Another technique set (`{}`: none); absent: the deployment's own. */
  techniques?: TechniquesSpec;
}

export interface VariantResult {
  name: string;
  model_name: string;
  /** Labels of the techniques the variant applies. */
  techniques: string[];
  ttft_seconds: number;
  tpot_seconds: number;
  e2e_seconds: number;
  output_tokens_per_second: number;
  total_memory_bytes: number;
  weights_bytes: number;
  parameters: number;
  fits: boolean;
  /** Why the variant could not be analysed; its figures are then 0. */
  error?: string;
}

/** The deployment with the variant's model and techniques in place of its own. */
export function variantInput(input: EngineInput, variant: VariantSpec): EngineInput {
  const { variants: _variants, techniques, ...rest } = input;
  const chosen = variant.techniques ?? techniques;
  return {
    ...rest,
    ...(variant.model ? { model: variant.model, modelName: variant.modelName ?? variant.name } : {}),
    ...(chosen ? { techniques: chosen } : {}),
  };
}

export function compareVariants(input: EngineInput, analyze: (input: EngineInput) => AnalysisResult): VariantResult[] {
  return (input.variants ?? []).map((variant) => {
    const changed = variantInput(input, variant);
    try {
      const result = analyze(changed);
      return {
        name: variant.name,
        model_name: changed.modelName,
        techniques: (result.techniques ?? []).map((technique) => technique.label),
        ttft_seconds: result.metrics.ttft_seconds,
        tpot_seconds: result.metrics.tpot_seconds,
        e2e_seconds: result.metrics.e2e_seconds,
        output_tokens_per_second: result.metrics.output_tokens_per_second,
        total_memory_bytes: result.memory.total_bytes,
        weights_bytes: result.memory.weights_bytes,
        parameters: result.model.parameters,
        fits: result.memory.fits,
      };
    } catch (error) {
      if (!isRooflineInputError(error)) throw error;
      return {
        name: variant.name,
        model_name: changed.modelName,
        techniques: [],
        ttft_seconds: 0,
        tpot_seconds: 0,
        e2e_seconds: 0,
        output_tokens_per_second: 0,
        total_memory_bytes: 0,
        weights_bytes: 0,
        parameters: 0,
        fits: false,
        error: error.message,
      };
    }
  });
}
