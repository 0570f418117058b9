/**
 * "Copy as vllm serve command" / SGLang launch command: the checked deployment as the command that
 * runs it, and the source actions that offer it in any deployment.
 */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { modelReferenceOf, engineCommandOf } from '../engineArgs/toCommand';
import { COPY_ENGINE_COMMANDS, type EngineCommandResult } from '../protocol/lsp';
import type { CheckedEntry } from './checker';

/** The code action kind of the copy actions (under Source Action...). */
export const COPY_COMMAND_KIND = `${CodeActionKind.Source}.llmRoofline.copyCommand`;

const TITLES = { vllm: 'Copy as vllm serve command', sglang: 'Copy as SGLang launch command' } as const;

/** The model as written: `model:`, else the engine arguments' model. */
function writtenModel(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const root = value as Record<string, unknown>;
  if (root.model !== undefined) return root.model;
  for (const key of ['vllm', 'sglang']) {
    const args = root[key];
    const words = typeof args === 'string' ? args.split(/\s+/) : Array.isArray(args) ? args.map(String) : [];
    const flag = words.findIndex((word) => word === '--model' || word === '--model-path');
    if (flag >= 0 && words[flag + 1]) return words[flag + 1];
    const serve = words.indexOf('serve');
    if (serve >= 0 && words[serve + 1] && !words[serve + 1]!.startsWith('-')) return words[serve + 1];
  }
  return undefined;
}

export function engineCommandFor(entry: CheckedEntry | undefined, engine: 'vllm' | 'sglang'): EngineCommandResult {
  if (!entry || entry.kind !== 'deployment') return { notExpressed: [], error: 'not a deployment file' };
  if (!entry.input) return { notExpressed: [], error: 'the deployment has errors: fix them first' };
  const model = modelReferenceOf(writtenModel(entry.parsed.value), entry.input.modelName);
  const { command, notExpressed } = engineCommandOf(engine, entry.input, model, entry.result);
  return { command, notExpressed };
}

/** The two copy actions, for any deployment whose input resolved. */
export function copyCommandActions(entry: CheckedEntry | undefined): CodeAction[] {
  if (!entry || entry.kind !== 'deployment' || !entry.input) return [];
  return (['vllm', 'sglang'] as const).map((engine) => ({
    title: TITLES[engine],
    kind: COPY_COMMAND_KIND,
    command: { title: TITLES[engine], command: COPY_ENGINE_COMMANDS[engine], arguments: [entry.uri] },
  }));
}
