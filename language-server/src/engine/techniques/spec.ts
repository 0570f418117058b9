/**
 * The `techniques:` section of a deployment as the engine reads it: each efficiency technique of
 * the survey (arXiv 2404.14294) and LLM-Viewer (arXiv 2402.16363) with the parameters its papers
 * use. `parseTechniques` turns the file's value (snake case, the units files use) into this spec
 * and is the one place their ranges are checked; errors name the exact sub-key.
 */
import { RooflineInputError } from '../errors';
import { OFFLOAD_LINKS, type OffloadLink } from './links';

export type TechniqueKey =
  | 'weight_sparsity'
  | 'kv_cache_eviction'
  | 'early_exit'
  | 'contextual_sparsity'
  | 'offload'
  | 'prompt_compression'
  | 'low_rank'
  | 'fusion'
  | 'parallel_decoding';

/** Every key, in the order the engine applies them (docs/techniques.md says why). */
export const TECHNIQUE_KEYS: readonly TechniqueKey[] = [
  'prompt_compression',
  'low_rank',
  'weight_sparsity',
  'contextual_sparsity',
  'fusion',
  'kv_cache_eviction',
  'parallel_decoding',
  'offload',
  'early_exit',
];

/** N of every M consecutive weights kept (2:4), or a fraction of weights zero anywhere. */
export type WeightSparsitySpec = { kind: 'n:m'; keep: number; of: number } | { kind: 'unstructured'; sparsity: number };

export interface KvCacheEvictionSpec {
  /** Tokens per sequence the cache keeps, sink tokens included. */
  keepTokens: number;
  /** The first tokens always kept (StreamingLLM's attention sinks). */
  sinkTokens: number;
  /** `streaming`: sinks + the most recent tokens; `h2o`: heavy hitters by accumulated attention score. */
  policy: 'streaming' | 'h2o';
}

export interface ContextualSparsitySpec {
  /** Fraction of MLP neurons one token uses. */
  mlp?: number;
  /** Fraction of attention heads one token uses. */
  attentionHeads?: number;
  /** Hidden width of the two-layer predictors that choose them. */
  predictorRank: number;
}

export interface OffloadSpec {
  /** Fraction of each layer's weights held in host memory and streamed in every step. */
  weights: number;
  /** Fraction of the KV cache held in host memory and streamed in every decode step. */
  kvCache: number;
  link: OffloadLink;
}

export interface PromptCompressionSpec {
  /** Fraction of the prompt's tokens kept. */
  keep: number;
  /** Parameters of the compressor that reads the whole prompt (non-embedding). */
  compressorParameters: number;
}

export interface ParallelDecodingSpec {
  /** Extra decoding heads (Medusa heads). */
  heads: number;
  /** Candidate tokens verified in one step (the tree's size, the root token included). */
  treeTokens: number;
  /** Mean tokens a step yields (Medusa's acceleration rate), the base model's own token included. */
  meanAccepted: number;
}

export interface TechniquesSpec {
  weightSparsity?: WeightSparsitySpec;
  kvCacheEviction?: KvCacheEvictionSpec;
  earlyExit?: { meanLayers: number };
  contextualSparsity?: ContextualSparsitySpec;
  offload?: OffloadSpec;
  promptCompression?: PromptCompressionSpec;
  lowRank?: { rankFraction: number };
  fusion?: { elementwise: boolean };
  parallelDecoding?: ParallelDecodingSpec;
}

/** What one technique did to this deployment, for the result, the hovers and the panel. */
export interface TechniqueSummary {
  key: TechniqueKey;
  /** Short product name (`2:4 sparsity`, `KV eviction to 2,048 tokens`). */
  label: string;
  /** One sentence: what it changed, with its figures. */
  effect: string;
  /** The paper or datasheet its cost model comes from. */
  source: string;
}

/**
 * Deja Vu's predictors are two-layer MLPs per block (arXiv 2310.17157, §4); their hidden width is
 * not fixed by the paper, so 1,000 is an assumption of this model, shown in the note and settable.
 */
export const DEFAULT_PREDICTOR_RANK = 1000;
/**
 * LLMLingua-2's compressor, XLM-RoBERTa-large (Pan et al. 2024, arXiv 2403.12968): 24 layers of
 * hidden 1,024 and MLP 4,096, so 24 × 12 × 1,024² = 302 M parameters outside its embedding.
 */
export const DEFAULT_COMPRESSOR_PARAMETERS = 24 * 12 * 1024 ** 2;
/** StreamingLLM keeps 4 initial tokens as attention sinks (Xiao et al. 2023, arXiv 2309.17453, §3.2). */
export const DEFAULT_SINK_TOKENS = 4;

type Path = readonly (string | number)[];

function fail(path: Path, message: string, code = 'out-of-range'): never {
  throw new RooflineInputError(['techniques', ...path], message, code);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fraction(value: unknown, path: Path, what: string, { allowOne = true, allowZero = false } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `${what} must be a number`, 'invalid-value');
  const low = allowZero ? value >= 0 : value > 0;
  const high = allowOne ? value <= 1 : value < 1;
  if (!low || !high) fail(path, `${what} must be ${allowZero ? 'at least 0' : 'above 0'} and ${allowOne ? 'at most 1' : 'below 1'}, got ${value}`);
  return value;
}

function wholeNumber(value: unknown, path: Path, what: string, minimum: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    fail(path, `${what} must be a whole number of at least ${minimum}, got ${String(value)}`);
  }
  return value;
}

function record(value: unknown, path: Path, what: string): Record<string, unknown> {
  if (!isRecord(value)) fail(path, `${what} must be a map`, 'invalid-value');
  return value;
}

function parseWeightSparsity(value: unknown): WeightSparsitySpec {
  const path = ['weight_sparsity'];
  if (typeof value === 'string') {
    const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
    if (!match) fail(path, `write N:M (e.g. "2:4") or { unstructured: 0.5 }, got "${value}"`, 'invalid-value');
    const keep = Number(match[1]);
    const of = Number(match[2]);
    if (keep < 1 || of < 2 || keep >= of || of > 64) fail(path, `N:M needs 1 ≤ N < M ≤ 64, got ${keep}:${of}`);
    return { kind: 'n:m', keep, of };
  }
  const map = record(value, path, 'weight_sparsity');
  return { kind: 'unstructured', sparsity: fraction(map.unstructured, [...path, 'unstructured'], 'unstructured sparsity (the fraction of weights that are zero)', { allowOne: false }) };
}

function parseEviction(value: unknown): KvCacheEvictionSpec {
  const path = ['kv_cache_eviction'];
  const map = record(value, path, 'kv_cache_eviction');
  const keepTokens = wholeNumber(map.keep_tokens, [...path, 'keep_tokens'], 'keep_tokens', 1);
  const sinkTokens = map.sink_tokens === undefined ? Math.min(DEFAULT_SINK_TOKENS, keepTokens) : wholeNumber(map.sink_tokens, [...path, 'sink_tokens'], 'sink_tokens', 0);
  if (sinkTokens > keepTokens) fail([...path, 'sink_tokens'], `sink_tokens (${sinkTokens}) cannot exceed keep_tokens (${keepTokens}): sinks are part of the budget`);
  const policy = map.policy ?? 'streaming';
  if (policy !== 'streaming' && policy !== 'h2o') fail([...path, 'policy'], `policy is "streaming" or "h2o", got ${JSON.stringify(policy)}`, 'invalid-value');
  return { keepTokens, sinkTokens, policy };
}

function parseContextualSparsity(value: unknown): ContextualSparsitySpec {
  const path = ['contextual_sparsity'];
  const map = record(value, path, 'contextual_sparsity');
  if (map.mlp === undefined && map.attention_heads === undefined) fail(path, 'give mlp, attention_heads or both (the fraction active per token)', 'missing-field');
  return {
    ...(map.mlp !== undefined ? { mlp: fraction(map.mlp, [...path, 'mlp'], 'mlp (fraction of neurons active)') } : {}),
    ...(map.attention_heads !== undefined ? { attentionHeads: fraction(map.attention_heads, [...path, 'attention_heads'], 'attention_heads (fraction active)') } : {}),
    predictorRank: map.predictor_rank === undefined ? DEFAULT_PREDICTOR_RANK : wholeNumber(map.predictor_rank, [...path, 'predictor_rank'], 'predictor_rank', 1),
  };
}

function parseLink(value: unknown, path: Path): OffloadLink {
  if (value === undefined) return OFFLOAD_LINKS['pcie-gen4-x16']!;
  if (typeof value === 'string') {
    const link = OFFLOAD_LINKS[value];
    if (!link) fail(path, `unknown link "${value}"; one of ${Object.keys(OFFLOAD_LINKS).join(', ')}, or { bandwidth_gb_s, latency_us }`, 'unknown-preset');
    return link;
  }
  const map = record(value, path, 'link');
  const bandwidth = map.bandwidth_gb_s;
  if (typeof bandwidth !== 'number' || !(bandwidth > 0) || bandwidth > 1e5) fail([...path, 'bandwidth_gb_s'], `bandwidth_gb_s must be above 0 GB/s, got ${String(bandwidth)}`);
  const latency = map.latency_us ?? 0;
  if (typeof latency !== 'number' || !(latency >= 0) || latency > 1e6) fail([...path, 'latency_us'], `latency_us must be at least 0, got ${String(latency)}`);
  return { name: `${bandwidth} GB/s link`, bandwidthBytesPerSecond: bandwidth * 1e9, latencySeconds: latency * 1e-6, source: 'the deployment file' };
}

function parseOffload(value: unknown): OffloadSpec {
  const path = ['offload'];
  const map = record(value, path, 'offload');
  const weights = map.weights === undefined ? 0 : fraction(map.weights, [...path, 'weights'], 'weights (fraction held in host memory)', { allowZero: true });
  const kvCache = map.kv_cache === undefined ? 0 : fraction(map.kv_cache, [...path, 'kv_cache'], 'kv_cache (fraction held in host memory)', { allowZero: true });
  return { weights, kvCache, link: parseLink(map.link, [...path, 'link']) };
}

function parsePromptCompression(value: unknown): PromptCompressionSpec {
  const path = ['prompt_compression'];
  if (typeof value === 'number') return { keep: fraction(value, path, 'prompt_compression (fraction of the prompt kept)'), compressorParameters: DEFAULT_COMPRESSOR_PARAMETERS };
  const map = record(value, path, 'prompt_compression');
  const parameters = map.compressor_parameters;
  if (parameters !== undefined && (typeof parameters !== 'number' || !(parameters >= 0) || parameters > 1e13)) {
    fail([...path, 'compressor_parameters'], `compressor_parameters must be at least 0, got ${String(parameters)}`);
  }
  return {
    keep: fraction(map.keep, [...path, 'keep'], 'keep (fraction of the prompt kept)'),
    compressorParameters: typeof parameters === 'number' ? parameters : DEFAULT_COMPRESSOR_PARAMETERS,
  };
}

function parseParallelDecoding(value: unknown): ParallelDecodingSpec {
  const path = ['parallel_decoding'];
  const map = record(value, path, 'parallel_decoding');
  const heads = wholeNumber(map.heads, [...path, 'heads'], 'heads', 1);
  const treeTokens = wholeNumber(map.tree_tokens ?? heads + 1, [...path, 'tree_tokens'], 'tree_tokens', 2);
  const accepted = map.mean_accepted;
  if (typeof accepted !== 'number' || !Number.isFinite(accepted)) fail([...path, 'mean_accepted'], 'mean_accepted must be a number (tokens per step, the base token included)', 'missing-field');
  // A step yields the base model's token plus at most one accepted token per head.
  const most = Math.min(heads + 1, treeTokens);
  if (accepted < 1 || accepted > most) fail([...path, 'mean_accepted'], `mean_accepted must be between 1 and ${most} (heads + 1, and at most tree_tokens), got ${accepted}`);
  return { heads, treeTokens, meanAccepted: accepted };
}

/** The file's `techniques:` value → the engine's spec; throws a RooflineInputError on the exact sub-key. */
export function parseTechniques(value: unknown): TechniquesSpec {
  const map = record(value, [], 'techniques');
  const spec: TechniquesSpec = {};
  for (const [key, entry] of Object.entries(map)) {
    if (entry === null || entry === undefined || entry === false) continue;
    switch (key as TechniqueKey) {
      case 'weight_sparsity':
        spec.weightSparsity = parseWeightSparsity(entry);
        break;
      case 'kv_cache_eviction':
        spec.kvCacheEviction = parseEviction(entry);
        break;
      case 'early_exit':
        spec.earlyExit = { meanLayers: fraction(record(entry, ['early_exit'], 'early_exit').mean_layers, ['early_exit', 'mean_layers'], 'mean_layers (fraction of decoder layers a token runs)') };
        break;
      case 'contextual_sparsity':
        spec.contextualSparsity = parseContextualSparsity(entry);
        break;
      case 'offload':
        spec.offload = parseOffload(entry);
        break;
      case 'prompt_compression':
        spec.promptCompression = parsePromptCompression(entry);
        break;
      case 'low_rank':
        spec.lowRank = { rankFraction: fraction(record(entry, ['low_rank'], 'low_rank').rank_fraction, ['low_rank', 'rank_fraction'], 'rank_fraction (rank over the full rank)') };
        break;
      case 'fusion': {
        const elementwise = record(entry, ['fusion'], 'fusion').elementwise ?? true;
        if (typeof elementwise !== 'boolean') fail(['fusion', 'elementwise'], 'elementwise is true or false', 'invalid-value');
        spec.fusion = { elementwise };
        break;
      }
      case 'parallel_decoding':
        spec.parallelDecoding = parseParallelDecoding(entry);
        break;
      default:
        fail([key], `unknown technique "${key}"; one of ${TECHNIQUE_KEYS.join(', ')}`, 'unknown-key');
    }
  }
  return spec;
}

/** True when the spec changes anything. */
export function hasTechniques(spec: TechniquesSpec | undefined): spec is TechniquesSpec {
  return spec !== undefined && Object.values(spec).some((entry) => entry !== undefined && !(typeof entry === 'object' && 'elementwise' in entry && entry.elementwise === false));
}

/** The spec field each file key fills. */
export const TECHNIQUE_FIELDS: Readonly<Record<TechniqueKey, keyof TechniquesSpec>> = {
  weight_sparsity: 'weightSparsity',
  kv_cache_eviction: 'kvCacheEviction',
  early_exit: 'earlyExit',
  contextual_sparsity: 'contextualSparsity',
  offload: 'offload',
  prompt_compression: 'promptCompression',
  low_rank: 'lowRank',
  fusion: 'fusion',
  parallel_decoding: 'parallelDecoding',
};

/** The spec with only this technique (for its effect alone). */
export function onlyTechnique(spec: TechniquesSpec, key: TechniqueKey): TechniquesSpec {
  const field = TECHNIQUE_FIELDS[key];
  return spec[field] === undefined ? {} : ({ [field]: spec[field] } as TechniquesSpec);
}
