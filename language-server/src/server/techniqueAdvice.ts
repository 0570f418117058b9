/**
 * Warnings on `techniques:` entries that run but make no sense for this deployment, each with a
 * quick fix: an eviction budget at or above the whole context (nothing is evicted), 2:4 sparsity on
 * hardware without sparse tensor cores (no 2× compute, memory savings only), and an offload that
 * moves nothing to host memory.
 */
import { setValueEdits, syntaxOfUri } from '../config/edit';
import type { ConfigProblem, JsonPath, ParsedDocument, TextFix } from '../config/types';
import { acceleratedPattern } from '../engine/techniques/weightSparsity';
import type { EngineInput } from '../engine/types';
import { formatInteger } from '../format/units';

/** A fix that sets the value at `path`, as the smallest edit of the document (config/edit.ts). */
interface ValueFix {
  title: string;
  path: JsonPath;
  value: unknown;
}

function warningAt(doc: ParsedDocument, path: JsonPath, code: string, message: string, valueFixes: ValueFix[]): ConfigProblem {
  const location = doc.locate(path) ?? doc.locate(path.slice(0, -1));
  const fixes: TextFix[] = [];
  for (const fix of valueFixes) {
    const edits = setValueEdits(doc.text, syntaxOfUri(doc.uri), fix.path, fix.value);
    if (edits && edits.length > 0) fixes.push({ title: fix.title, edits });
  }
  return {
    uri: doc.uri,
    range: location?.keyRange ?? location?.valueRange ?? { start: 0, end: 0 },
    path,
    message,
    code,
    severity: 'warning',
    ...(fixes.length > 0 ? { fixes } : {}),
  };
}

/** A budget that evicts: the largest power of two at most half the context. */
function evictingBudget(contextTokens: number): number {
  return Math.max(1, 2 ** Math.floor(Math.log2(Math.max(1, contextTokens / 2))));
}

export function techniqueProblems(doc: ParsedDocument, input: EngineInput): ConfigProblem[] {
  const spec = input.techniques;
  if (!spec) return [];
  const problems: ConfigProblem[] = [];
  const eviction = spec.kvCacheEviction;
  const context = input.workload.promptTokens + input.workload.outputTokens;
  if (eviction && eviction.keepTokens >= context) {
    const budget = evictingBudget(context);
    problems.push(
      warningAt(
        doc,
        ['techniques', 'kv_cache_eviction', 'keep_tokens'],
        'eviction-above-context',
        `keep_tokens ${formatInteger(eviction.keepTokens)} is not below the context of ${formatInteger(context)} tokens (prompt + output): nothing is ever evicted.`,
        [{ title: `Set keep_tokens to ${formatInteger(budget)} (half the context or less)`, path: ['techniques', 'kv_cache_eviction', 'keep_tokens'], value: budget }],
      ),
    );
  }
  const sparsity = spec.weightSparsity;
  if (sparsity && acceleratedPattern(sparsity) && input.hardware.sparseTensorCores !== true) {
    problems.push(
      warningAt(
        doc,
        ['techniques', 'weight_sparsity'],
        'no-sparse-tensor-cores',
        `${input.hardware.name} has no sparse tensor cores: ${sparsity.kind === 'n:m' ? `${sparsity.keep}:${sparsity.of}` : ''} weights run at the dense rate and save memory traffic only.`,
        [{ title: 'Use unstructured 50% sparsity (same storage, no sparse tensor cores needed)', path: ['techniques', 'weight_sparsity'], value: { unstructured: 0.5 } }],
      ),
    );
  }
  const offload = spec.offload;
  if (offload && offload.weights === 0 && offload.kvCache === 0) {
    problems.push(
      warningAt(doc, ['techniques', 'offload'], 'nothing-to-offload', 'offload moves nothing to host memory: weights and kv_cache are both 0.', [
        { title: 'Offload half the weights', path: ['techniques', 'offload', 'weights'], value: 0.5 },
        { title: 'Offload half the KV cache', path: ['techniques', 'offload', 'kv_cache'], value: 0.5 },
      ]),
    );
  }
  return problems;
}
