/**
 * The start-up warning of engines that start with a max length their KV pool cannot hold: SGLang
 * caps each request at the pool's tokens (model_runner.py, `max_req_len`), TensorRT-LLM caps the
 * attention window at them (resource_manager.py, `get_max_atten_window_upper_bound`), so a longer
 * request attends to its last tokens only. vLLM refuses instead (engine/default/engineStartup.ts).
 */
import { ENGINE_NAMES } from '../engine/default/engineStartup';
import type { EngineStartup } from '../engine/types';
import { hasPath } from './parse';
import { problemAt } from './problems';
import type { ConfigProblem, ParsedDocument, TextFix } from './types';

const GIB = 1024 ** 3;

function tokens(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** True when the engine starts but cannot give a request of max_model_len tokens its whole context. */
export function startupCapsContext(startup: EngineStartup | undefined): startup is EngineStartup {
  return startup !== undefined && startup.memory_budget !== 'vllm' && startup.longest_fitting_model_len < startup.max_model_len;
}

/** A round length reads better than the exact token; a multiple of 256 stays within a few tokens of it. */
export function roundedFittingLength(longest: number): number {
  return longest >= 1024 ? Math.floor(longest / 256) * 256 : longest;
}

/** "TensorRT-LLM starts: KV pool …; maximum concurrency …", the figures a start logs. */
export function startupReport(startup: EngineStartup): string {
  return (
    `${ENGINE_NAMES[startup.memory_budget]} starts: KV pool ${(startup.kv_pool_bytes_per_gpu / GIB).toFixed(2)} GiB per GPU, ${tokens(startup.kv_blocks_per_gpu)} blocks of ${startup.kv_block_tokens} ` +
    `(${tokens(startup.kv_pool_tokens)} tokens); maximum concurrency ${startup.max_concurrency_at_max_model_len.toFixed(2)} requests of ${tokens(startup.max_model_len)} tokens`
  );
}

/** What the engine does with a max length longer than its pool, after the report. */
export function contextCapSentence(startup: EngineStartup, lengthName: string): string {
  const longest = tokens(startup.longest_fitting_model_len);
  return startup.memory_budget === 'tensorrt-llm'
    ? `, but it caps the attention window at ${longest} tokens, less than ${lengthName} ${tokens(startup.max_model_len)}: a longer request attends to its last ${longest} tokens only`
    : `, but it caps each request at ${longest} tokens, less than ${lengthName} ${tokens(startup.max_model_len)}`;
}

/** The warning on a written `serving.max_model_len`, with a quick fix to the longest length that fits. */
export function contextCapWarning(doc: ParsedDocument, startup: EngineStartup | undefined): ConfigProblem | undefined {
  if (!startupCapsContext(startup) || !hasPath(doc.value, ['serving', 'max_model_len'])) return undefined;
  const problem = problemAt(doc, ['serving', 'max_model_len'], 'context-longer-than-pool', `serving.max_model_len: ${startupReport(startup)}${contextCapSentence(startup, 'max_model_len')}`, {
    severity: 'warning',
  });
  const valueRange = doc.locate(['serving', 'max_model_len'])?.valueRange;
  const longest = startup.longest_fitting_model_len;
  if (!valueRange || longest <= 0) return problem;
  const rounded = roundedFittingLength(longest);
  const fix: TextFix = { title: `Lower serving.max_model_len to ${rounded} (the longest that fits)`, edits: [{ ...valueRange, newText: String(rounded) }], preferred: true };
  return { ...problem, fixes: [fix] };
}
