/**
 * The inlay hint after `--max-model-len` (or the model argument when the length is the model's
 * default) in a `vllm:` or `sglang:` command: what the engine logs at start-up, the maximum
 * concurrency at that length and the KV pool it comes from.
 */
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import { pathKey } from '../engineArgs/applyEngineArgs';
import { formatBytes, formatInteger, formatNumber, hasNonFiniteWord } from '../format/units';
import type { CheckedEntry } from './checker';
import { writtenEngineArgs } from './writtenEngineArgs';

export function engineStartupHint(entry: CheckedEntry, startOffset: number, endOffset: number): InlayHint | undefined {
  const startup = entry.result?.serving?.startup;
  if (!startup) return undefined;
  const resolution = writtenEngineArgs(entry);
  if (!resolution) return undefined;
  const argument = resolution.entries.find((candidate) => pathKey(candidate.path) === pathKey(['serving', 'max_model_len']));
  const anchor = argument?.range.end ?? resolution.modelRange?.end;
  if (anchor === undefined || anchor < startOffset || anchor > endOffset) return undefined;
  const label = `→ ${formatNumber(startup.max_concurrency_at_max_model_len)} × ${formatInteger(startup.max_model_len)}-token requests · KV pool ${formatBytes(startup.kv_pool_bytes_per_gpu)} (${formatInteger(startup.kv_blocks_per_gpu)} blocks)`;
  if (hasNonFiniteWord(label)) return undefined;
  return { position: entry.lines.positionAt(anchor), label, kind: InlayHintKind.Type, paddingLeft: true, paddingRight: true };
}
