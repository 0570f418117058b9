/**
 * Completion: keys and enum values from the schemas (with their descriptions), preset ids with key
 * figures in `detail`, and relative paths of matching files for `model:` and `hardware:`.
 */
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver';
import { syntaxOfUri } from '../config/edit';
import type { DocumentKind, JsonPath } from '../config/types';
import type { ParsedEntry } from './checker';
import { hardwarePresetSummaries, modelPresetSummaries, type PresetSummary } from './configApi';
import { cursorContext, type CursorContext } from './cursorContext';
import { headlinePrecision, kvBytesPerToken, ridgePoint, shapeOf, sixteenBit } from './figures';
import { formatBytes, formatCount, formatNumber } from './format';
import type { FolderLister } from './runtime';
import { keysAt, valuesAt, type KeyInfo } from './schemaInfo';
import { valueAt } from '../config/parse';

let hardwareItems: CompletionItem[] | undefined;
let modelItems: CompletionItem[] | undefined;

function hardwareDetail(preset: PresetSummary): string {
  const hardware = preset.hardware;
  if (!hardware) return preset.name;
  const precision = headlinePrecision(hardware);
  const peak = precision ? hardware.peakOpsPerSecond[precision] : undefined;
  const ridge = precision ? ridgePoint(hardware, precision) : undefined;
  return [
    preset.name,
    hardware.memoryCapacityBytes !== undefined ? formatBytes(hardware.memoryCapacityBytes) : undefined,
    formatCount(hardware.memoryBandwidthBytesPerSecond, 'B/s'),
    precision && peak !== undefined ? `${precision} ${formatCount(peak, 'FLOP/s')}` : undefined,
    ridge !== undefined ? `ridge ${formatNumber(ridge)}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}

function modelDetail(preset: PresetSummary): string {
  const shape = shapeOf(preset.model);
  if (!shape) return preset.name;
  return `${shape.numLayers} layers · hidden ${shape.hiddenSize} · ${shape.numAttentionHeads}/${shape.numKeyValueHeads} heads · KV ${formatBytes(kvBytesPerToken(shape, sixteenBit()))}/token`;
}

function presetItems(kind: 'hardware' | 'model'): CompletionItem[] {
  if (kind === 'hardware') {
    hardwareItems ??= hardwarePresetSummaries().map((preset) => ({
      label: preset.id,
      kind: CompletionItemKind.Value,
      detail: hardwareDetail(preset),
      ...(preset.source ? { documentation: `Source: ${preset.source}` } : {}),
    }));
    return hardwareItems;
  }
  modelItems ??= modelPresetSummaries().map((preset) => ({
    label: preset.id,
    kind: CompletionItemKind.Value,
    detail: modelDetail(preset),
    ...(preset.source ? { documentation: `Source: ${preset.source}` } : {}),
  }));
  return modelItems;
}

const FILE_PATTERNS: Record<'model' | 'hardware', RegExp> = {
  model: /(\.model\.(ya?ml|json)|^config\.json)$/i,
  hardware: /\.hardware\.(ya?ml|json)$/i,
};

function fileItems(listFolder: FolderLister, documentUri: string, kind: 'model' | 'hardware'): CompletionItem[] {
  const folder = documentUri.slice(0, documentUri.lastIndexOf('/'));
  const items: CompletionItem[] = [];
  for (const entry of listFolder(folder)) {
    if (!entry.isDirectory && FILE_PATTERNS[kind].test(entry.name)) {
      items.push({ label: `./${entry.name}`, kind: CompletionItemKind.File, detail: `${kind} file` });
    } else if (entry.isDirectory && kind === 'model' && !entry.name.startsWith('.')) {
      // Hugging Face checkouts keep config.json in a folder named after the model.
      const inner = listFolder(`${folder}/${entry.name}`);
      if (inner.some((file) => !file.isDirectory && file.name === 'config.json')) {
        items.push({ label: `./${entry.name}/config.json`, kind: CompletionItemKind.File, detail: 'Hugging Face config' });
      }
    }
  }
  return items;
}

/** In a deployment, an inline `model:` or `hardware:` map takes the keys of that file kind. */
function keysFor(kind: DocumentKind, parentPath: JsonPath): KeyInfo[] {
  if (kind === 'deployment' && (parentPath[0] === 'model' || parentPath[0] === 'hardware') && parentPath.length >= 1) {
    const own = keysAt(kind, parentPath);
    return own.length > 0 ? own : keysAt(parentPath[0], parentPath.slice(1));
  }
  return keysAt(kind, parentPath);
}

function keyItems(entry: ParsedEntry | undefined, kind: DocumentKind, context: CursorContext, syntax: 'yaml' | 'json'): CompletionItem[] {
  const present = entry ? valueAt(entry.parsed.value, context.parentPath) : undefined;
  const existing = present !== null && typeof present === 'object' ? new Set(Object.keys(present)) : new Set<string>();
  return keysFor(kind, context.parentPath)
    .filter((key) => !existing.has(key.name))
    .map((key) => {
      const newText = syntax === 'json' ? (context.insideQuotes ? key.name : `"${key.name}": `) : `${key.name}: `;
      return {
        label: key.name,
        kind: CompletionItemKind.Property,
        ...(key.description ? { documentation: { kind: 'markdown' as const, value: key.description } } : {}),
        ...(key.required ? { detail: 'required', sortText: `0${key.name}` } : { sortText: `1${key.name}` }),
        insertText: newText,
      };
    });
}

function valueItems(listFolder: FolderLister, uri: string, kind: DocumentKind, path: JsonPath): CompletionItem[] {
  const key = path.join('.');
  if ((kind === 'deployment' && key === 'hardware') || (kind === 'hardware' && key === 'extends')) {
    return [...presetItems('hardware'), ...(kind === 'deployment' ? fileItems(listFolder, uri, 'hardware') : [])];
  }
  if ((kind === 'deployment' && key === 'model') || ((kind === 'model' || kind === 'hf-config') && key === 'extends')) {
    return [...presetItems('model'), ...(kind === 'deployment' ? fileItems(listFolder, uri, 'model') : [])];
  }
  return valuesAt(kind, path).map((value) => ({
    label: String(value.value),
    kind: CompletionItemKind.EnumMember,
    ...(value.description ? { documentation: { kind: 'markdown' as const, value: value.description } } : {}),
  }));
}

export function completeAt(
  listFolder: FolderLister,
  uri: string,
  text: string,
  offset: number,
  kind: DocumentKind,
  entry: ParsedEntry | undefined,
  toPosition: (offset: number) => { line: number; character: number },
): CompletionList {
  const syntax = syntaxOfUri(uri);
  const context = cursorContext(text, offset, syntax);
  if (!context) return { isIncomplete: false, items: [] };
  const range = { start: toPosition(context.replaceStart), end: toPosition(context.replaceEnd) };
  if (context.key === undefined) {
    const items = keyItems(entry, kind, context, syntax).map((item) => ({
      ...item,
      textEdit: { range, newText: item.insertText ?? item.label },
    }));
    return { isIncomplete: false, items };
  }
  const path = [...context.parentPath, context.key];
  const items = valueItems(listFolder, uri, kind, path).map((item) => {
    const needsQuotes = syntax === 'json' && !context.insideQuotes && item.kind !== CompletionItemKind.EnumMember;
    const isJsonString = syntax === 'json' && !context.insideQuotes && Number.isNaN(Number(item.label)) && item.label !== 'true' && item.label !== 'false';
    const newText = needsQuotes || isJsonString ? JSON.stringify(item.label) : item.label;
    return { ...item, textEdit: { range, newText } };
  });
  return { isIncomplete: false, items };
}
