import * as assert from 'node:assert/strict';
import { analyze } from '../../../language-server/src/api';
import { assertAllFinite } from '../../../language-server/src/engine/finite';
import { analysisLooksFinite } from '../../../language-server/src/engine/resultFinite';
import type { AnalysisResult } from '../../../language-server/src/engine/types';

/**
 * The shaped check reads fields by name; these tests hold it to every number a result carries,
 * found by a generic walk, so a field added to a result later is spoiled here too and the test
 * fails until the shaped check reads it.
 */
const BASE = { model: 'meta-llama/Llama-2-70b-hf', hardware: 'nvidia-h100-sxm', workload: { batch_size: 16, prompt_tokens: 1024, output_tokens: 256 }, flash_attention: true };
const SMALL = { ...BASE, model: 'meta-llama/Llama-2-7b-hf' };
const DEPLOYMENTS: Record<string, unknown>[] = [
  BASE,
  { ...BASE, conventions: 'llm-viewer' },
  { ...BASE, hardware: 'nvidia-a100-80gb-sxm4', flash_attention: false, workload: { batch_size: 1, prompt_tokens: 128, output_tokens: 1 } },
  { ...BASE, model: 'mistralai/Mixtral-8x7B-v0.1', parallelism: { tensor: 2, expert: 2 } },
  { ...BASE, parallelism: { tensor: 2, pipeline: 2 }, efficiency: 'expected' },
  { ...SMALL, speculative: { draft_model: 'meta-llama/Llama-2-7b-hf', acceptance_rate: 0.7 } },
  { ...BASE, parallelism: { tensor: 8 }, efficiency: 'expected', serving: { concurrency: 'max', max_model_len: 4096 }, cost: { gpu_hour_usd: 2.99 } },
  { ...BASE, parallelism: { tensor: 2 }, serving: { concurrency: 16, disaggregated: { prefill_gpus: 2, decode_gpus: 6 } }, cost: { gpu_hour_usd: 2.99 } },
  { ...SMALL, serving: { request_rate: 2 } },
  {
    ...SMALL,
    techniques: { kv_cache_eviction: { keep_tokens: 512 }, offload: { weights: 0.25 } },
    variants: [{ model: 'mistralai/Mistral-7B-v0.1' }, { name: 'none', techniques: {} }],
  },
];

type Path = (string | number)[];

/** Every number in a value, by path: the generic walk the shaped check must agree with. */
function numberPaths(value: unknown, path: Path = [], into: Path[] = []): Path[] {
  if (typeof value === 'number') into.push(path);
  else if (Array.isArray(value)) value.forEach((item, index) => numberPaths(item, [...path, index], into));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) numberPaths(item, [...path, key], into);
  return into;
}

function spoiled(result: AnalysisResult, path: Path, bad: number): AnalysisResult {
  const copy = structuredClone(result);
  let holder = copy as unknown as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) holder = holder[step] as Record<string | number, unknown>;
  holder[path[path.length - 1]!] = bad;
  return copy;
}

describe('the shaped finiteness check of an analysis', () => {
  const results = DEPLOYMENTS.map((deployment) => analyze(deployment));

  it('clears real results of every kind', () => {
    for (const result of results) assert.equal(analysisLooksFinite(result), true);
  });

  it('notices NaN or an infinity in every number of every result, as the generic walk does', () => {
    const bads = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    let spoils = 0;
    for (const result of results) {
      numberPaths(result).forEach((path, index) => {
        const copy = spoiled(result, path, bads[index % bads.length]!);
        assert.equal(analysisLooksFinite(copy), false, `missed ${path.join('.')}`);
        assert.throws(() => assertAllFinite(copy), /internal error/);
        spoils++;
      });
    }
    assert.ok(spoils > 3000, `${spoils} numbers spoiled`);
  });

  it('spoils the rarer parts too: the deployments above still produce them', () => {
    const seen = new Set(results.flatMap((result) => numberPaths(result).map((path) => path.filter((step) => typeof step === 'string').slice(0, 2).join('.'))));
    const parts = [
      'metrics.pipeline', 'metrics.terms', 'metrics.bound', 'metrics.speculative', 'serving.startup', 'serving.disaggregated',
      'serving.cost_per_million_output_tokens_usd', 'variants', 'model.active_parameters', 'model.weights_by_kind', 'model.block_kinds',
      'hardware.achievable_ceilings', 'hardware.efficiency', 'capacity.max_batch_size', 'memory.capacity_bytes',
    ];
    for (const part of parts) {
      assert.ok([...seen].some((seenPart) => seenPart === part || seenPart.startsWith(`${part}.`)), `no result has ${part}`);
    }
  });

  it('sends sums that overflow, of finite numbers, to the generic walk, which clears them', () => {
    const copy = structuredClone(results[0]!);
    copy.stages.decode.layers[0]!.flops = Number.MAX_VALUE;
    copy.stages.decode.layers[1]!.flops = Number.MAX_VALUE;
    assert.equal(analysisLooksFinite(copy), false);
    assertAllFinite(copy);
  });
});
