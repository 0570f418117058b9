/**
 * The one place the server meets the config layer and the presets: everything else in the server
 * goes through these functions, so a change in those modules' shape is absorbed here.
 */
import {
  analyzeDocumentSteps,
  detectKind,
  resolveHardwareDocument,
  resolveModelDocument,
} from '../config/index';
import { fileNameOf, kindOfFileName } from '../config/detect';
import type { WorkMeter } from '../config/checkBudget';
import { parseDocumentSteps } from '../config/parse';
import type { ParseSteps } from '../config/parseYaml';
import type { ConfigHost, ConfigProblem, DocumentKind, ParsedDocument, ResolvedDeployment } from '../config/types';
import type { AnalysisResult, EngineInput, HardwareSpec, HfConfig } from '../engine/types';
import type { SourcedPoint } from '../measured/compare';
import { findHardwarePreset, findModelPreset, listHardwarePresets, listModelPresets } from '../presets/index';
import { runToEnd } from '../config/steps';

export function kindOf(uri: string, text: string): DocumentKind | undefined {
  return detectKind(uri, text);
}

/**
 * The parse in steps: yields between slices of work, each answered with whether to stop (see
 * `ParseSteps`); inside a slice, `meter` stops it once the check's budget is spent.
 */
export function parseConfigSteps(uri: string, text: string, kind: DocumentKind, meter?: WorkMeter): ParseSteps {
  return parseDocumentSteps(uri, text, kind, meter);
}

/** The kind a referenced file is read as: by its name, else a Hugging Face config. */
export function kindOfReferencedFile(uri: string): DocumentKind {
  return kindOfFileName(fileNameOf(uri)) ?? 'hf-config';
}

/** Everything one check of a document produces. */
export interface DocumentCheck {
  problems: ConfigProblem[];
  dependencies: string[];
  resolved?: ResolvedDeployment;
  input?: EngineInput;
  result?: AnalysisResult;
  /** The resolved hardware of a hardware document. */
  hardware?: HardwareSpec;
  /** The resolved config of a model document. */
  model?: HfConfig;
  /** A deployment's measured points (`measured:`), predicted on demand (measured/compare.ts). */
  measuredPoints?: SourcedPoint[];
}

export function checkDocument(doc: ParsedDocument, host: ConfigHost): DocumentCheck {
  return runToEnd(checkDocumentSteps(doc, host));
}

/**
 * The check in steps: a deployment pauses (`yield`, with the problems found so far) between
 * resolving it and the engine's analysis; hardware and model documents are one step.
 */
export function* checkDocumentSteps(doc: ParsedDocument, host: ConfigHost): Generator<ConfigProblem[], DocumentCheck> {
  if (doc.kind === 'deployment') {
    const analysis = yield* analyzeDocumentSteps(doc, host);
    return {
      problems: analysis.problems,
      dependencies: analysis.resolved.dependencies,
      resolved: analysis.resolved,
      ...(analysis.resolved.input ? { input: analysis.resolved.input } : {}),
      ...(analysis.result ? { result: analysis.result } : {}),
      ...(analysis.measuredPoints ? { measuredPoints: analysis.measuredPoints } : {}),
    };
  }
  // The document resolvers include the schema problems.
  if (doc.kind === 'hardware') {
    const resolved = resolveHardwareDocument(doc, host);
    return { problems: resolved.problems, dependencies: resolved.dependencies, ...(resolved.hardware ? { hardware: resolved.hardware } : {}) };
  }
  const resolved = resolveModelDocument(doc, host);
  return { problems: resolved.problems, dependencies: resolved.dependencies, ...(resolved.model ? { model: resolved.model } : {}) };
}

/** A preset as completion and hover show it. */
export interface PresetSummary {
  id: string;
  name: string;
  source?: string;
  hardware?: HardwareSpec;
  model?: HfConfig;
}

export function hardwarePresetSummaries(): PresetSummary[] {
  return listHardwarePresets().map((preset) => ({ id: preset.id, name: preset.name, source: preset.source, hardware: preset.spec }));
}

export function modelPresetSummaries(): PresetSummary[] {
  return listModelPresets().map((preset) => ({ id: preset.id, name: preset.id, source: preset.source, model: preset.config }));
}

export function hardwarePresetById(id: string): PresetSummary | undefined {
  const preset = findHardwarePreset(id);
  return preset && { id: preset.id, name: preset.name, source: preset.source, hardware: preset.spec };
}

export function modelPresetById(id: string): PresetSummary | undefined {
  const preset = findModelPreset(id);
  return preset && { id: preset.id, name: preset.id, source: preset.source, model: preset.config };
}
