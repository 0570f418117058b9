/**
 * The baseline an analysis carries (the deployment without its techniques), checked like the
 * result itself before anything is drawn from it.
 */
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import { isRenderableResult } from '../analysisShape';

export function baselineOf(analysis: DocumentAnalysis): AnalysisResult | undefined {
  const baseline: unknown = analysis.baseline;
  return analysis.result && isRenderableResult(baseline) ? baseline : undefined;
}
