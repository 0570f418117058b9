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
import { kvCacheFormulaOfConfig } from '../engine/index';
import { findHardwarePreset } from '../presets/index';
import { headlinePrecision, ridgePoint, shapeOf } from './figures';
import { formatBandwidth, formatBytes, formatFlopsPerSecond, formatNumber } from '../format/units';
import type { FolderLister } from './runtime';
import { keysAt, valuesAt, type KeyInfo } from './schemaInfo';
import { valueAt } from '../config/parse';

let hardwareItems: CompletionItem[] | undefined;
let modelItems: CompletionItem[] | undefined;

/**
 * The short line beside a label (memory and bandwidth: what people pick hardware by). Kept short
 * so the label is never cut; the rest goes in the documentation.
 */
function hardwareDetail(preset: PresetSummary): string {
  const hardware = preset.hardware;
  if (!hardware) return '';
  return [hardware.memoryCapacityBytes !== undefined ? formatBytes(hardware.memoryCapacityBytes) : undefined, formatBandwidth(hardware.memoryBandwidthBytesPerSecond)]
    .filter((part) => part !== undefined)
    .join(' · ');
}

function hardwareDocumentation(preset: PresetSummary): string {
  const hardware = preset.hardware;
  const lines = [`**${preset.name}**`];
  if (hardware) {
    const precision = headlinePrecision(hardware);
    const peak = precision ? hardware.peakOpsPerSecond[precision] : undefined;
    const ridge = precision ? ridgePoint(hardware, precision) : undefined;
    lines.push(
      [
        hardware.memoryCapacityBytes !== undefined ? `memory ${formatBytes(hardware.memoryCapacityBytes)}` : 'memory capacity unknown',
        `bandwidth ${formatBandwidth(hardware.memoryBandwidthBytesPerSecond)}`,
        precision && peak !== undefined ? `${precision} ${formatFlopsPerSecond(peak)}` : undefined,
        ridge !== undefined ? `ridge ${formatNumber(ridge)} FLOP/B` : undefined,
      ]
        .filter((part) => part !== undefined)
        .join(' · '),
    );
  }
  if (preset.source) lines.push(`Source: ${preset.source}`);
  return lines.join('\n\n');
}

function modelDetail(preset: PresetSummary): string {
  const shape = shapeOf(preset.model);
  return shape ? `${shape.numLayers} layers · hidden ${shape.hiddenSize}` : '';
}

function modelDocumentation(preset: PresetSummary): string {
  const shape = shapeOf(preset.model);
  const lines = [`**${preset.id}**`];
  if (shape && preset.model) {
    let kv = '';
    try {
      kv = ` · KV ${formatBytes(kvCacheFormulaOfConfig(preset.model, 2).bytesPerToken)}/token at 16-bit`;
    } catch {
      kv = '';
    }
    lines.push(`${shape.numLayers} layers · hidden ${shape.hiddenSize} · ${shape.numAttentionHeads} heads (${shape.numKeyValueHeads} KV)${kv}`);
  }
  if (preset.source) lines.push(`Source: ${preset.source}`);
  return lines.join('\n\n');
}

/** LLM-Viewer's own hardware ids (`nvidia_A100`): offered only where its conventions are chosen. */
function isLlmViewerAlias(id: string): boolean {
  return findHardwarePreset(id)?.origin === 'llm-viewer';
}

function presetItems(kind: 'hardware' | 'model', conventions: string | undefined): CompletionItem[] {
  if (kind === 'hardware') {
    hardwareItems ??= hardwarePresetSummaries().map((preset) => ({
      label: preset.id,
      kind: CompletionItemKind.Value,
      labelDetails: { description: hardwareDetail(preset) },
      documentation: { kind: 'markdown' as const, value: hardwareDocumentation(preset) },
    }));
    const llmViewer = conventions === 'llm-viewer';
    return hardwareItems.filter((item) => isLlmViewerAlias(item.label) === llmViewer);
  }
  modelItems ??= modelPresetSummaries().map((preset) => ({
    label: preset.id,
    kind: CompletionItemKind.Value,
    labelDetails: { description: modelDetail(preset) },
    documentation: { kind: 'markdown' as const, value: modelDocumentation(preset) },
  }));
  return modelItems;
}

const FILE_PATTERNS: Record<'model' | 'hardware', RegExp> = {
  model: /(\.model\.(ya?ml|json)|^config\.json)$/i,
  hardware: /\.hardware\.(ya?ml|json)$/i,
};

/**
 * Files a `model:` or `hardware:` value can name, in the folder the typed path has reached
 * (`./`, `./models/`, `../shared/`): matching files, folders holding a Hugging Face config.json
 * (offered as `…/name/config.json`), and other folders to go into.
 */
async function fileItems(listFolder: FolderLister, documentUri: string, kind: 'model' | 'hardware', typed: string): Promise<CompletionItem[]> {
  const documentFolder = documentUri.slice(0, documentUri.lastIndexOf('/'));
  const slash = typed.lastIndexOf('/');
  const typedFolder = slash >= 0 ? typed.slice(0, slash + 1) : './';
  if (!/^(\.{1,2}\/)+([^/]+\/)*$/.test(typedFolder) || typedFolder.split('/').length > 12) return [];
  const prefix = typedFolder.startsWith('.') ? typedFolder : `./${typedFolder}`;
  const folder = `${documentFolder}/${typedFolder.replace(/^\.\//, '').replace(/\/$/, '')}`.replace(/\/$/, '');
  const items: CompletionItem[] = [];
  for (const entry of await listFolder(folder)) {
    if (entry.name.startsWith('.')) continue;
    if (!entry.isDirectory && (FILE_PATTERNS[kind].test(entry.name) || (kind === 'model' && entry.name === 'config.json'))) {
      items.push({ label: `${prefix}${entry.name}`, kind: CompletionItemKind.File, labelDetails: { description: entry.name === 'config.json' ? 'Hugging Face config' : `${kind} file` } });
    } else if (entry.isDirectory) {
      // Hugging Face checkouts keep config.json in a folder named after the model.
      const inner = kind === 'model' ? await listFolder(`${folder}/${entry.name}`) : [];
      if (inner.some((file) => !file.isDirectory && file.name === 'config.json')) {
        items.push({ label: `${prefix}${entry.name}/config.json`, kind: CompletionItemKind.File, labelDetails: { description: 'Hugging Face config' } });
      } else {
        items.push({
          label: `${prefix}${entry.name}/`,
          kind: CompletionItemKind.Folder,
          // Going into a folder asks for its contents at once.
          command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
        });
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

/** The conventions a half-typed deployment names, read from its text (it may not parse). */
function conventionsOf(text: string): string | undefined {
  return /^\s*"?conventions"?\s*:\s*"?([\w-]+)/m.exec(text)?.[1];
}

async function valueItems(listFolder: FolderLister, uri: string, kind: DocumentKind, path: JsonPath, typed: string, text: string): Promise<CompletionItem[]> {
  const key = path.join('.');
  const typingPath = /^\.{1,2}\//.test(typed);
  if ((kind === 'deployment' && key === 'hardware') || (kind === 'hardware' && key === 'extends')) {
    const files = kind === 'deployment' ? await fileItems(listFolder, uri, 'hardware', typed) : [];
    return typingPath ? files : [...presetItems('hardware', kind === 'deployment' ? conventionsOf(text) : undefined), ...files];
  }
  if ((kind === 'deployment' && key === 'model') || ((kind === 'model' || kind === 'hf-config') && key === 'extends')) {
    const files = kind === 'deployment' ? await fileItems(listFolder, uri, 'model', typed) : [];
    return typingPath ? files : [...presetItems('model', undefined), ...files];
  }
  return valuesAt(kind, path).map((value) => ({
    label: String(value.value),
    kind: CompletionItemKind.EnumMember,
    ...(value.description ? { documentation: { kind: 'markdown' as const, value: value.description } } : {}),
  }));
}

export async function completeAt(
  listFolder: FolderLister,
  uri: string,
  text: string,
  offset: number,
  kind: DocumentKind,
  entry: ParsedEntry | undefined,
  toPosition: (offset: number) => { line: number; character: number },
): Promise<CompletionList> {
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
  const typed = text.slice(context.replaceStart, offset).replace(/^["']/, '');
  const items = (await valueItems(listFolder, uri, kind, path, typed, text)).map((item) => {
    const needsQuotes = syntax === 'json' && !context.insideQuotes && item.kind !== CompletionItemKind.EnumMember;
    const isJsonString = syntax === 'json' && !context.insideQuotes && Number.isNaN(Number(item.label)) && item.label !== 'true' && item.label !== 'false';
    const newText = needsQuotes || isJsonString ? JSON.stringify(item.label) : item.label;
    return { ...item, textEdit: { range, newText } };
  });
  return { isIncomplete: false, items };
}
