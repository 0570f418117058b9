/**
 * Runs a deployment document on other hardware: the document is resolved once through the shared
 * config layer (the same code the language server runs), then only the hardware is swapped.
 * Imports nothing from `vscode`.
 */
import { analyzeDocument, parseDocument } from '../../../language-server/src/config/index';
import { withFilesRead, type FileReader } from '../../../language-server/src/config/prefetch';
import { targetsOf } from '../../../language-server/src/engine/index';
import type { Conventions } from '../../../language-server/src/engine/types';
import { listHardwarePresets, type HardwarePreset } from '../../../language-server/src/presets/index';
import type { ComparisonRow } from '../../../language-server/src/protocol/webview';
import { comparisonErrorRow, comparisonRows, type HardwareCandidate } from './compareHardware';

export type DeploymentComparison = { rows: ComparisonRow[] } | { error: string };

/** The preset table that goes with each set of conventions (LLM-Viewer's figures differ from datasheets). */
const ORIGIN_OF_CONVENTIONS: Readonly<Record<Conventions, HardwarePreset['origin']>> = {
  default: 'reference',
  'llm-viewer': 'llm-viewer',
};

/**
 * The hardware to compare on: the presets named (in that order), or else every complete preset of
 * the table that matches the conventions. A named preset without complete figures gives an error
 * row saying what its datasheet lacks.
 */
export function comparisonCandidates(
  conventions: Conventions,
  hardwareIds: readonly string[] | undefined,
  presets: readonly HardwarePreset[] = listHardwarePresets(),
): (HardwareCandidate | { id: string; error: string })[] {
  if (hardwareIds) {
    return hardwareIds.flatMap((id) => {
      const preset = presets.find((candidate) => candidate.id === id);
      if (!preset) return [{ id, error: `unknown hardware preset "${id}"` }];
      return [candidateOf(preset)];
    });
  }
  return presets.filter((preset) => preset.origin === ORIGIN_OF_CONVENTIONS[conventions] && preset.spec).map(candidateOf);
}

function candidateOf(preset: HardwarePreset): HardwareCandidate | { id: string; error: string } {
  return preset.spec
    ? { id: preset.id, spec: preset.spec }
    : { id: preset.id, error: `the preset lacks ${preset.missing.join(', ')} (not in its datasheet)` };
}

/** `read` gives the files the deployment references (open documents first, then disk under the read policy). */
export async function compareDeployment(uri: string, text: string, read: FileReader, hardwareIds?: readonly string[]): Promise<DeploymentComparison> {
  const document = parseDocument(uri, text, 'deployment');
  const analysis = await withFilesRead((host) => analyzeDocument(document, host), read);
  const input = analysis.resolved.input;
  if (!input) {
    const errors = analysis.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.message);
    return { error: `the deployment has errors: ${errors.join('; ') || 'it could not be resolved'}` };
  }
  const targets = targetsOf(document.value);
  const rows = comparisonCandidates(input.conventions, hardwareIds).map((candidate) =>
    'spec' in candidate ? comparisonRows(input, [candidate], targets)[0]! : comparisonErrorRow(candidate.id, candidate.error),
  );
  return { rows };
}

