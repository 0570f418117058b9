/**
 * Hardware from a deployment's `hardware:` value (a preset id, a path to a `*.hardware.yaml`, or
 * an inline map) or from a hardware file on its own: presets and `extends:` give the starting
 * figures, fields given override them, and a figure nobody gives (a datasheet without bandwidth)
 * is an error that says which figure is missing.
 */
import type { HardwareSpec } from '../engine/types';
import {
  applyHardwareFields,
  completeHardwareSpec,
  describeFigure,
  findHardwarePreset,
  hardwarePresetIds,
  missingHardwareFigures,
  suggestIds,
  type HardwareFields,
  type HardwarePreset,
  type PartialHardwareSpec,
} from '../presets/index';
import { firstLineRange, problemAt, withField } from './problems';
import { displayNameOfFile, isPathLike, loadReferencedFile, type ResolutionContext } from './references';
import type { JsonPath, ParsedDocument, ResolvedSource } from './types';

/** Where the hardware's fields were written, to place engine errors on them. */
export interface HardwareOrigin {
  source: ResolvedSource;
  /** The document holding the fields (the deployment for inline and preset hardware). */
  doc: ParsedDocument;
  /** Path of the fields in `doc` (`['hardware']` inline, `[]` in a hardware file). */
  at: JsonPath;
  /** Preset the fields extend, if any. */
  extendsId?: string;
}

export interface ResolvedHardware {
  spec?: HardwareSpec;
  origin?: HardwareOrigin;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function unknownPresetMessage(kind: 'hardware' | 'model', id: string, suggestions: string[]): string {
  const hint =
    suggestions.length > 0
      ? `; did you mean ${suggestions.slice(0, 3).map((s) => `"${s}"`).join(', ')}?`
      : `; run \`llm-roofline presets\` for the list, or give a relative path (./...)`;
  return `unknown ${kind} preset "${id}"${hint}`;
}

function incompleteMessage(id: string, missing: string[], fix: string): string {
  return `the datasheet of ${id} gives no ${missing.map(describeFigure).join(' and no ')}; ${fix}`;
}

/** Figures from a map of hardware fields (a file's root or an inline value), starting from `extends:`. */
function hardwareFromFields(
  context: ResolutionContext,
  doc: ParsedDocument,
  at: JsonPath,
  fields: Record<string, unknown>,
  defaultName: string,
): { spec?: HardwareSpec; extendsId?: string } {
  let base: PartialHardwareSpec = { name: defaultName, peakOpsPerSecond: {} };
  let preset: HardwarePreset | undefined;
  const extendsValue = fields.extends;
  if (typeof extendsValue === 'string') {
    preset = findHardwarePreset(extendsValue);
    if (!preset) {
      const suggestions = suggestIds(extendsValue, hardwarePresetIds());
      context.problems.push(
        problemAt(doc, [...at, 'extends'], 'unknown-preset', withField([...at, 'extends'], unknownPresetMessage('hardware', extendsValue, suggestions)), { suggestions }),
      );
      return {};
    }
    base = { ...preset.figures, name: defaultName };
  }
  const partial = applyHardwareFields(base, fields as HardwareFields);
  const missing = missingHardwareFigures(partial);
  if (missing.length > 0) {
    if (preset) {
      context.problems.push(
        problemAt(
          doc,
          [...at, 'extends'],
          'incomplete-preset',
          incompleteMessage(preset.id, missing, `add ${missing.join(' and ')} to this ${at.length > 0 ? 'map' : 'file'}`),
        ),
      );
    } else {
      const range = at.length === 0 ? firstLineRange(doc.text) : undefined;
      context.problems.push(
        problemAt(
          doc,
          at,
          'missing-key',
          withField(at, `missing ${missing.map(describeFigure).join(' and ')}; give ${missing.join(' and ')}, or \`extends:\` a hardware preset`),
          { onKey: true, ...(range ? { range } : {}) },
        ),
      );
    }
    return {};
  }
  return { spec: completeHardwareSpec(partial), ...(preset ? { extendsId: preset.id } : {}) };
}

/** The `hardware:` value of a deployment. */
export function resolveHardwareValue(context: ResolutionContext, deployment: ParsedDocument, value: unknown): ResolvedHardware {
  const at: JsonPath = ['hardware'];
  if (typeof value === 'string') {
    const preset = findHardwarePreset(value);
    if (preset) {
      const origin: HardwareOrigin = { source: { origin: 'preset', id: preset.id }, doc: deployment, at };
      if (!preset.spec) {
        context.problems.push(
          problemAt(
            deployment,
            at,
            'incomplete-preset',
            withField(at, incompleteMessage(preset.id, preset.missing, `use a hardware file with \`extends: ${preset.id}\` that gives ${preset.missing.join(' and ')}`)),
          ),
        );
        return { origin };
      }
      return { spec: preset.spec, origin };
    }
    if (isPathLike(value)) {
      const loaded = loadReferencedFile(context, deployment, at, value, 'hardware');
      if (!loaded) return {};
      const origin: HardwareOrigin = { source: { origin: 'file', id: value, uri: loaded.doc.uri }, doc: loaded.doc, at: [] };
      if (!loaded.ok || !isObject(loaded.doc.value)) return { origin };
      const fields = loaded.doc.value;
      const name = typeof fields.name === 'string' ? fields.name : displayNameOfFile(loaded.doc.uri);
      const { spec, extendsId } = hardwareFromFields(context, loaded.doc, [], fields, name);
      return { ...(spec ? { spec } : {}), origin: { ...origin, ...(extendsId ? { extendsId } : {}) } };
    }
    const suggestions = suggestIds(value, hardwarePresetIds());
    context.problems.push(problemAt(deployment, at, 'unknown-preset', withField(at, unknownPresetMessage('hardware', value, suggestions)), { suggestions }));
    return {};
  }
  if (isObject(value)) {
    const name = typeof value.name === 'string' ? value.name : typeof value.extends === 'string' ? value.extends : 'inline hardware';
    const { spec, extendsId } = hardwareFromFields(context, deployment, at, value, name);
    const origin: HardwareOrigin = { source: { origin: 'inline', id: 'inline' }, doc: deployment, at, ...(extendsId ? { extendsId } : {}) };
    return { ...(spec ? { spec } : {}), origin };
  }
  // Wrong types are the schema's to report.
  return {};
}

/** A hardware file on its own (`*.hardware.yaml`). */
export function resolveHardwareFile(context: ResolutionContext, doc: ParsedDocument): HardwareSpec | undefined {
  if (!isObject(doc.value)) return undefined;
  const name = typeof doc.value.name === 'string' ? doc.value.name : displayNameOfFile(doc.uri);
  return hardwareFromFields(context, doc, [], doc.value, name).spec;
}

