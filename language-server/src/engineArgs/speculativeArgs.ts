/**
 * Speculative decoding arguments, read and checked: vLLM's `--speculative-config` (JSON, or its
 * dotted form `--speculative-config.method ngram`; vllm/config/speculative.py, SpeculativeConfig)
 * and SGLang's `--speculative-algorithm` with its `--speculative-*` companions (server_args.py).
 *
 * What they say is reported on the argument; it is not mapped to `speculative:`, because a
 * command gives no acceptance rate (the engine measures it), and the serving figures with
 * speculative decoding need one (engine/default/serving.ts).
 */
import type { ArgProblem, ParsedOption, TextRange } from './parseArgs';
import { readJsonArgument } from './jsonArgs';
import { suggestIds } from '../presets/suggest';

/** vLLM 0.11's SpeculativeMethod and the MTP model types it accepts (vllm/config/speculative.py). */
export const VLLM_SPECULATIVE_METHODS = [
  'ngram', 'medusa', 'mlp_speculator', 'draft_model', 'suffix', 'eagle', 'eagle3',
  'deepseek_mtp', 'mimo_mtp', 'glm4_moe_mtp', 'ernie_mtp', 'qwen3_next_mtp', 'longcat_flash_mtp', 'mtp',
];

/** What a command asks of speculative decoding, in the terms of our `speculative:` keys. */
export interface SpeculativeRequest {
  /** `draft_model` for a separate draft model; otherwise the engine's method (eagle3, ngram, STANDALONE, ...). */
  method: string;
  draftModel?: string;
  /** Tokens proposed per verification step (γ). */
  draftTokens?: number;
}

function note(range: TextRange, request: SpeculativeRequest): ArgProblem {
  const what = [
    request.method === 'draft_model' ? 'a draft model' : request.method,
    request.draftModel !== undefined ? (request.method === 'draft_model' ? request.draftModel : `from ${request.draftModel}`) : undefined,
    request.draftTokens !== undefined ? `proposing ${request.draftTokens} tokens per step` : undefined,
  ].filter((part) => part !== undefined);
  return {
    ...range,
    message: `speculative decoding (${what.join(', ')}) is not in these figures: a command gives no acceptance rate, so they decode one token per request per step; write speculative: with the rate you measured to include it`,
    code: 'engine-arg-not-modelled',
    severity: 'information',
  };
}

/** vLLM infers the method from the draft's name when none is given (SpeculativeConfig.__post_init__). */
function inferredVllmMethod(model: string): string {
  const lower = model.toLowerCase();
  if (lower.includes('eagle3')) return 'eagle3';
  if (lower.includes('eagle-') || lower.includes('eagle')) return 'eagle';
  if (lower.includes('medusa')) return 'medusa';
  return 'draft_model';
}

/** `--speculative-config` (whole JSON, then any dotted members, as vLLM merges them) → the request and its problems. */
export function readVllmSpeculative(options: readonly ParsedOption[], source: string | undefined): { request?: SpeculativeRequest; problems: ArgProblem[] } {
  const written = options.filter((option) => option.name === '--speculative-config' && option.value !== undefined);
  const legacy = options.filter((option) => option.name === '--speculative-model').pop();
  const problems: ArgProblem[] = [];
  const config: Record<string, unknown> = {};
  const ranges = new Map<string, TextRange>();
  for (const option of written) {
    const valueRange = option.valueRange ?? option.range;
    if (option.subKey !== undefined) {
      // The parser reads dashes for underscores in names; SpeculativeConfig's fields use underscores.
      const key = option.subKey.replace(/-/g, '_');
      config[key] = /^\d+$/.test(option.value!) ? Number(option.value) : option.value;
      ranges.set(key, valueRange);
      continue;
    }
    const json = readJsonArgument(option.value!, valueRange, source);
    if (json.error) continue; // reported by the parser
    if (json.value === null || typeof json.value !== 'object' || Array.isArray(json.value)) {
      problems.push({ ...valueRange, message: '--speculative-config takes a JSON object: {"method": ..., "model": ..., "num_speculative_tokens": ...}', code: 'engine-arg-value', severity: 'error' });
      continue;
    }
    for (const [key, value] of Object.entries(json.value as Record<string, unknown>)) {
      config[key] = value;
      ranges.set(key, json.memberRange(key) ?? valueRange);
    }
  }
  // The note covers every --speculative-config argument (the dotted form may take several).
  const whole = written.length > 0 ? { start: written[0]!.range.start, end: written[written.length - 1]!.range.end } : legacy?.range;
  if (!whole) return { problems };
  if (legacy?.value !== undefined && config.model === undefined) config.model = legacy.value;
  const tokens = config.num_speculative_tokens ?? options.filter((option) => option.name === '--num-speculative-tokens').pop()?.value;
  const draftTokens = typeof tokens === 'string' && /^\d+$/.test(tokens) ? Number(tokens) : tokens;
  const validTokens = typeof draftTokens === 'number' && Number.isInteger(draftTokens) && draftTokens >= 1;
  if (draftTokens !== undefined && !validTokens) {
    problems.push({
      ...(ranges.get('num_speculative_tokens') ?? whole),
      message: `num_speculative_tokens must be a whole number above 0 (vLLM's SpeculativeConfig), got ${JSON.stringify(draftTokens)}`,
      code: 'engine-arg-value',
      severity: 'error',
    });
  }
  const model = typeof config.model === 'string' ? config.model : undefined;
  const method = typeof config.method === 'string' ? config.method : model !== undefined ? inferredVllmMethod(model) : undefined;
  if (method === undefined) {
    problems.push({ ...whole, message: '--speculative-config needs a method (ngram, eagle3, draft_model, ...) or a draft model', code: 'engine-arg-value', severity: 'error' });
    return { problems };
  }
  if (!VLLM_SPECULATIVE_METHODS.includes(method)) {
    // A newer vLLM may know it: a warning, with the close known method as a fix.
    const close = suggestIds(method, VLLM_SPECULATIVE_METHODS);
    const quoted = ranges.has('method') && typeof config.method === 'string' && source?.slice(ranges.get('method')!.start, ranges.get('method')!.end).startsWith('"');
    problems.push({
      ...(ranges.get('method') ?? whole),
      message: `${JSON.stringify(method)} is not a speculative method LLM Roofline knows (vllm/config/speculative.py: ${VLLM_SPECULATIVE_METHODS.join(', ')})${close.length > 0 ? `; did you mean ${close[0]}?` : ''}`,
      code: 'engine-arg-value',
      severity: 'warning',
      ...(close.length > 0 ? { replacements: close.slice(0, 3).map((name) => (quoted ? JSON.stringify(name) : name)) } : {}),
    });
  }
  const request: SpeculativeRequest = { method, ...(model !== undefined ? { draftModel: model } : {}), ...(validTokens ? { draftTokens: draftTokens as number } : {}) };
  problems.push(note(whole, request));
  return { request, problems };
}

/** SGLang: `--speculative-algorithm` with its draft path and steps (STANDALONE: a separate draft model). */
export function readSglangSpeculative(options: readonly ParsedOption[]): { request?: SpeculativeRequest; problems: ArgProblem[] } {
  const last = (name: string): ParsedOption | undefined => options.filter((option) => option.name === name).pop();
  const algorithm = last('--speculative-algorithm');
  if (!algorithm?.value) return { problems: [] };
  const draft = last('--speculative-draft-model-path')?.value;
  const steps = last('--speculative-num-steps')?.value;
  const draftTokens = last('--speculative-num-draft-tokens')?.value;
  // A chain of num_steps drafts verifies num_steps + 1 tokens (server_args.py sets num_draft_tokens so when topk is 1).
  const proposed = steps !== undefined ? Number(steps) : draftTokens !== undefined ? Number(draftTokens) - 1 : undefined;
  const method = algorithm.value.toUpperCase() === 'STANDALONE' ? 'draft_model' : algorithm.value;
  const request: SpeculativeRequest = { method, ...(draft !== undefined ? { draftModel: draft } : {}), ...(proposed !== undefined && proposed >= 1 ? { draftTokens: proposed } : {}) };
  return { request, problems: [note(algorithm.range, request)] };
}
