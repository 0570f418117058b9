/**
 * A model from a deployment's `model:` value (a Hugging Face id among the presets, a path to a
 * `config.json`, a folder holding one, or a `*.model.yaml`, or an inline map of config fields) or
 * from a model file on its own. `extends:` starts from a preset's config; fields given override it.
 */
import type { CheckpointWeights, HfConfig } from '../engine/types';
import { checkpointOf, type CheckpointSummary } from './checkpoint/checkpointWeights';
import { findModelPreset, modelPresetIds, suggestIds } from '../presets/index';
import { problemAt, withField } from './problems';
import { unknownPresetMessage } from './resolveHardware';
import { displayNameOfFile, isPathLike, loadReferencedFile, referencedFileUri, resolveReferenceUri, type ResolutionContext } from './references';
import type { JsonPath, ParsedDocument, ResolvedSource } from './types';

/** Where the model's fields were written, to place engine errors on them. */
export interface ModelOrigin {
  source: ResolvedSource;
  doc: ParsedDocument;
  /** Path of the config fields in `doc` (`['model']` inline, `[]` in a model file). */
  at: JsonPath;
  extendsId?: string;
}

export interface ResolvedModel {
  config?: HfConfig;
  name?: string;
  origin?: ModelOrigin;
  /** A model folder's checkpoint: its exact weight bytes and what was read. */
  checkpoint?: { weights?: CheckpointWeights; summary: CheckpointSummary };
}

/** The folder a `model:` path names, when it names one (no config extension): its uri with a trailing slash. */
function modelFolderUri(referrerUri: string, reference: string): string | undefined {
  const configUri = referencedFileUri(referrerUri, reference, 'model');
  if (!configUri || configUri === resolveReferenceUri(referrerUri, reference)) return undefined;
  return configUri.slice(0, -'config.json'.length);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The config from a map of fields, starting from `extends:` when given. */
function configFromFields(
  context: ResolutionContext,
  doc: ParsedDocument,
  at: JsonPath,
  fields: Record<string, unknown>,
): { config?: HfConfig; extendsId?: string } {
  const { extends: extendsValue, ...own } = fields;
  if (typeof extendsValue !== 'string') return { config: own };
  const preset = findModelPreset(extendsValue);
  if (!preset) {
    const suggestions = suggestIds(extendsValue, modelPresetIds());
    context.problems.push(
      problemAt(doc, [...at, 'extends'], 'unknown-preset', withField([...at, 'extends'], unknownPresetMessage('model', extendsValue, suggestions)), { suggestions }),
    );
    return {};
  }
  return { config: { ...preset.config, ...own }, extendsId: preset.id };
}

function nameOfFields(fields: Record<string, unknown>, fallback: string): string {
  const given = fields._name_or_path ?? fields.name;
  return typeof given === 'string' && given.length > 0 ? given : fallback;
}

/** The `model:` value of a deployment (or another model value, such as `speculative.draft_model`, at `at`). */
export function resolveModelValue(context: ResolutionContext, deployment: ParsedDocument, value: unknown, at: JsonPath = ['model']): ResolvedModel {
  if (typeof value === 'string') {
    const preset = findModelPreset(value);
    if (preset) {
      return { config: preset.config, name: preset.id, origin: { source: { origin: 'preset', id: preset.id }, doc: deployment, at } };
    }
    if (isPathLike(value)) {
      const folderUri = modelFolderUri(deployment.uri, value);
      const read = folderUri !== undefined ? context.host.readCheckpoint?.(folderUri) : undefined;
      if (folderUri !== undefined && context.host.readCheckpoint && !context.dependencies.includes(folderUri)) context.dependencies.push(folderUri);
      if (read?.missingFolder) {
        context.problems.push(problemAt(deployment, at, 'missing-file', `model folder not found: ${value}, relative to this file's folder`));
        return {};
      }
      const loaded = loadReferencedFile(context, deployment, at, value, 'model');
      if (!loaded) return {};
      const origin: ModelOrigin = { source: { origin: 'file', id: value, uri: loaded.doc.uri }, doc: loaded.doc, at: [] };
      if (!loaded.ok || !isObject(loaded.doc.value)) return { origin };
      const { config, extendsId } = configFromFields(context, loaded.doc, [], loaded.doc.value);
      const name = nameOfFields(loaded.doc.value, extendsId ?? displayNameOfFile(loaded.doc.uri));
      let checkpoint: ResolvedModel['checkpoint'];
      if (read) {
        for (const file of read.files) if (!context.dependencies.includes(file)) context.dependencies.push(file);
        const resolved = checkpointOf(read, loaded.doc);
        context.problems.push(...resolved.problems);
        checkpoint = { ...(resolved.weights ? { weights: resolved.weights } : {}), summary: resolved.summary };
      }
      return { ...(config ? { config, name } : {}), origin: { ...origin, ...(extendsId ? { extendsId } : {}) }, ...(checkpoint ? { checkpoint } : {}) };
    }
    const suggestions = suggestIds(value, modelPresetIds());
    context.problems.push(problemAt(deployment, at, 'unknown-preset', withField(at, unknownPresetMessage('model', value, suggestions)), { suggestions }));
    return {};
  }
  if (isObject(value)) {
    const { config, extendsId } = configFromFields(context, deployment, at, value);
    const fallback = extendsId ?? (typeof value.model_type === 'string' ? `inline ${value.model_type} model` : 'inline model');
    const origin: ModelOrigin = { source: { origin: 'inline', id: 'inline' }, doc: deployment, at, ...(extendsId ? { extendsId } : {}) };
    return { ...(config ? { config, name: nameOfFields(value, fallback) } : {}), origin };
  }
  return {};
}

/** A model file on its own (`config.json` or `*.model.yaml`). */
export function resolveModelFile(context: ResolutionContext, doc: ParsedDocument): { config?: HfConfig; extendsId?: string } {
  if (!isObject(doc.value)) return {};
  return configFromFields(context, doc, [], doc.value);
}
