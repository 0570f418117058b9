/**
 * Problems of a deployment written with engine arguments, said in the arguments' terms: a key an
 * argument set is named by the argument (`--max-model-len: ...`), a default the engine chose says
 * so, and the start-up refusal carries quick fixes that edit the command line.
 */
import { formatPath } from '../config/problems';
import type { ConfigProblem, JsonPath, OffsetRange, TextFix } from '../config/types';
import { EngineStartupError } from '../engine/default/engineStartup';
import type { AnalysisResult } from '../engine/types';
import { pathKey, type EngineArgsResolution } from './applyEngineArgs';
import type { EngineName } from './mapArgs';
import { contextCapSentence, roundedFittingLength, startupCapsContext, startupReport } from '../config/startupWarnings';

function tokens(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** The arguments the quick fixes edit; trtllm-serve sets its KV cache format in its --config YAML only. */
const ARGUMENTS: Readonly<Record<EngineName, { maxModelLen: string; kvCacheDtype?: string; fp8: string; tensor: string; memory: string }>> = {
  vllm: { maxModelLen: '--max-model-len', kvCacheDtype: '--kv-cache-dtype', fp8: 'fp8', tensor: '--tensor-parallel-size', memory: '--gpu-memory-utilization' },
  sglang: { maxModelLen: '--context-length', kvCacheDtype: '--kv-cache-dtype', fp8: 'fp8_e4m3', tensor: '--tensor-parallel-size', memory: '--mem-fraction-static' },
  trtllm: { maxModelLen: '--max_seq_len', fp8: 'fp8', tensor: '--tensor_parallel_size', memory: '--free_gpu_memory_fraction' },
};

/** The label of a key the arguments set or defaulted, for messages. */
function labelOf(resolution: EngineArgsResolution, path: JsonPath, value: unknown): string | undefined {
  const entry = resolution.entries.find((candidate) => pathKey(candidate.path) === pathKey(path));
  if (entry) return entry.argument === 'model' ? 'model argument' : `${entry.argument} ${String(entry.value)}`;
  const why = resolution.defaults.get(pathKey(path));
  return why ? `${formatPath(path)} ${String(value)} (${why})` : undefined;
}

/** An edit that sets `argument` to `value` in the command: its value changed, or the argument added at the end. */
function setArgument(resolution: EngineArgsResolution, canonical: string, value: string): { start: number; end: number; newText: string } | undefined {
  if (resolution.argsUri !== resolution.doc.uri) return undefined;
  const entry = resolution.entries.filter((candidate) => candidate.argument === canonical).pop();
  if (entry?.valueRange) return { ...entry.valueRange, newText: value };
  if (entry || resolution.commandEnd === undefined) return undefined;
  return { start: resolution.commandEnd, end: resolution.commandEnd, newText: ` ${canonical} ${value}` };
}

function startupFixes(resolution: EngineArgsResolution, error: EngineStartupError, root: unknown): TextFix[] {
  const names = ARGUMENTS[resolution.engine];
  const fixes: TextFix[] = [];
  const add = (title: string, edit: ReturnType<typeof setArgument>, preferred = false): void => {
    if (edit) fixes.push({ title, edits: [edit], ...(preferred ? { preferred } : {}) });
  };
  const longest = error.startup.longest_fitting_model_len ?? 0;
  if (error.path[1] === 'max_model_len' && longest > 0) {
    const rounded = roundedFittingLength(longest);
    add(`Lower ${names.maxModelLen} to ${rounded} (the longest that fits)`, setArgument(resolution, names.maxModelLen, String(rounded)), true);
  }
  const record = root as { quantization?: { kv_cache?: unknown }; parallelism?: { tensor?: unknown }; memory?: { utilization?: unknown } };
  const kv = record.quantization?.kv_cache;
  if (names.kvCacheDtype && kv !== 'fp8' && kv !== 'fp4' && kv !== 8 && kv !== 4) {
    add(`Store the KV cache in fp8 (${names.kvCacheDtype} ${names.fp8})`, setArgument(resolution, names.kvCacheDtype, names.fp8));
  }
  const tensor = typeof record.parallelism?.tensor === 'number' ? record.parallelism.tensor : 1;
  add(`Use ${tensor * 2} GPUs (${names.tensor} ${tensor * 2})`, setArgument(resolution, names.tensor, String(tensor * 2)));
  const utilization = record.memory?.utilization;
  if (error.path[1] === 'utilization' && (typeof utilization !== 'number' || utilization < 0.95)) {
    add(`Give the engine 95% of GPU memory (${names.memory} 0.95)`, setArgument(resolution, names.memory, '0.95'));
  }
  return fixes;
}

/** Rewrites problems in the arguments' terms and adds the start-up report. */
export function explainEngineProblems(
  resolution: EngineArgsResolution,
  problems: readonly ConfigProblem[],
  failure: unknown,
  result: AnalysisResult | undefined,
): ConfigProblem[] {
  const doc = resolution.doc;
  const explained = problems.map((problem) => {
    if (problem.uri !== doc.uri || problem.path.length === 0) return problem;
    const value = (() => {
      let current: unknown = doc.value;
      for (const segment of problem.path) current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[String(segment)] : undefined;
      return current;
    })();
    const label = labelOf(resolution, problem.path, value);
    if (!label) return problem;
    const prefix = `${formatPath(problem.path)}: `;
    const message = problem.message.startsWith(prefix) ? `${label}: ${problem.message.slice(prefix.length)}` : problem.message;
    const fixes = failure instanceof EngineStartupError && problem.code === 'engine-would-not-start' ? startupFixes(resolution, failure, doc.value) : [];
    return { ...problem, message, ...(fixes.length > 0 ? { fixes } : {}) };
  });
  // The figures of a start go in the hint after --max-model-len; only a context SGLang caps is a problem.
  const startup = result?.serving?.startup;
  if (startupCapsContext(startup)) {
    const range: OffsetRange = resolution.rangeOfPath(['serving', 'max_model_len']) ?? doc.locate(['serving', 'max_model_len'])?.valueRange ?? { start: 0, end: 0 };
    const names = ARGUMENTS[resolution.engine];
    const longest = startup.longest_fitting_model_len;
    const lower = longest > 0 ? setArgument(resolution, names.maxModelLen, String(roundedFittingLength(longest))) : undefined;
    // trtllm-serve --fail_fast_on_attention_window_too_large exits instead of capping the window.
    const failFast = resolution.engine === 'trtllm' && resolution.given.has('--fail_fast_on_attention_window_too_large');
    explained.push({
      uri: doc.uri,
      range,
      path: ['serving', 'max_model_len'],
      message: failFast
        ? `TensorRT-LLM would refuse to start (--fail_fast_on_attention_window_too_large): one request of ${names.maxModelLen} ${tokens(startup.max_model_len)} tokens needs ` +
          `${gib(startup.kv_bytes_per_max_len_request)} of KV cache per GPU, more than the KV pool of ${gib(startup.kv_pool_bytes_per_gpu)} (${tokens(startup.kv_blocks_per_gpu)} blocks of ${startup.kv_block_tokens}, ` +
          `${tokens(startup.kv_pool_tokens)} tokens), a maximum concurrency of ${startup.max_concurrency_at_max_model_len.toFixed(2)}. The longest ${names.maxModelLen} that fits is ${tokens(longest)}`
        : `${startupReport(startup)}${contextCapSentence(startup, resolution.engine === 'sglang' ? 'the context length' : names.maxModelLen)}`,
      code: failFast ? 'engine-would-not-start' : 'context-longer-than-pool',
      severity: failFast ? 'error' : 'warning',
      ...(lower ? { fixes: [{ title: `Lower ${names.maxModelLen} to ${roundedFittingLength(longest)} (the longest that fits)`, edits: [lower], preferred: true }] } : {}),
    });
  }
  return explained;
}
