import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { nodeHost } from '../../../language-server/src/cli/nodeHost';
import { analysedCell, analyzeValue, planSpaceOf, servingCell } from '../../../language-server/src/plan/planDocument';
import { searchPlan, type PlanCell } from '../../../language-server/src/plan/planner';

const URI = pathToFileURL(`${process.cwd()}/deployment.roofline.json`).toString();
type Cell = (deployment: Record<string, unknown>, uri: string, host: typeof nodeHost) => PlanCell;

/** The plan of `deployment` with every deployment of its space turned into a cell by `cell`, as JSON. */
function planWith(deployment: Record<string, unknown>, cell: Cell): string {
  const { plan: _plan, ...base } = deployment;
  const space = planSpaceOf(deployment);
  const modelConfig = analyzeValue({ ...base, hardware: space.hardware[0] }, URI, nodeHost)?.input.model;
  return JSON.stringify(searchPlan(base, space, { cell: (candidate) => cell(candidate, URI, nodeHost) }, modelConfig));
}

/** Spaces where many deployments fail in different ways: no room, heads that do not split, formats a part lacks, pools of no whole instance. */
const SPACES: [string, Record<string, unknown>][] = [
  [
    '70B on four kinds of hardware with prices, pools included',
    {
      model: 'meta-llama/Llama-3.1-70B', hardware: 'nvidia-h100-sxm', workload: { prompt_tokens: 1000, output_tokens: 500 }, efficiency: 'achievable', targets: { ttft_ms: 2000, tpot_ms: 50 },
      plan: { hardware: ['nvidia-h100-sxm', 'nvidia-l40s', 'amd-mi300x', 'nvidia-a100-80gb-sxm4'], gpu_hour_usd: { 'nvidia-h100-sxm': 2.99, 'nvidia-l40s': 0.99 }, max_gpus: 8, weights: ['bf16', 'fp8', 'int4-g128', 'nvfp4'], kv_cache: ['bf16', 'fp8'] },
    },
  ],
  [
    'Mixtral under efficiency: expected with a 2,048-token budget, no prices',
    {
      model: 'mistralai/Mixtral-8x7B-v0.1', hardware: 'nvidia-h100-sxm', workload: { prompt_tokens: 2000, output_tokens: 400 }, efficiency: 'expected', serving: { max_batched_tokens: 2048 }, targets: { ttft_ms: 4000, tpot_ms: 60 },
      plan: { hardware: ['nvidia-h100-sxm', 'amd-mi300x'], max_gpus: 8, weights: ['bf16', 'fp8'] },
    },
  ],
  [
    'one output token (prefill only) with memory utilization and max_model_len',
    {
      model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-l40s', workload: { prompt_tokens: 3000, output_tokens: 1 }, memory: { utilization: 0.8 }, serving: { max_model_len: 4096 }, targets: { ttft_ms: 5000 },
      plan: { hardware: ['nvidia-l40s', 'nvidia-h100-sxm'], max_gpus: 4, weights: ['bf16', 'int4-g128'] },
    },
  ],
  [
    'techniques',
    {
      model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', workload: { prompt_tokens: 2000, output_tokens: 300 }, techniques: { prompt_compression: { keep: 0.5 }, kv_cache_eviction: { keep_tokens: 512 } }, targets: { tpot_ms: 40 },
      plan: { hardware: ['nvidia-h100-sxm', 'nvidia-l40s'], max_gpus: 4, weights: ['bf16', 'fp8'] },
    },
  ],
  [
    'DeepSeek-V3 drafting with its MTP module (speculative decoding under load), expected',
    {
      model: 'deepseek-ai/DeepSeek-V3', hardware: 'nvidia-h200-sxm', workload: { prompt_tokens: 1024, output_tokens: 1024 }, efficiency: 'expected',
      quantization: { weights: 'fp8-block128', activations: 'fp8', kv_cache: 'fp8' }, speculative: { draft: 'mtp', draft_tokens: 3, acceptance_rate: [0.92, 0.717, 0.364] }, targets: { tpot_ms: 40 },
      plan: { hardware: ['nvidia-h200-sxm', 'nvidia-b200'], max_gpus: 8, weights: ['fp8-block128'] },
    },
  ],
  [
    'conventions: llm-viewer, which has no serving figures (every deployment refused)',
    { model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', conventions: 'llm-viewer', targets: { tpot_ms: 40 }, plan: { hardware: ['nvidia-h100-sxm'], max_gpus: 2 } },
  ],
];

describe('the planner ranks deployments by their serving figures, without the rest of an analysis (planDocument.ts)', () => {
  for (const [name, deployment] of SPACES) {
    it(`gives the same plan, byte for byte, as analysing every deployment in full: ${name}`, () => {
      const fromServing = planWith(deployment, servingCell);
      assert.equal(fromServing, planWith(deployment, analysedCell));
      const { evaluated, meeting } = JSON.parse(fromServing) as { evaluated: number; meeting: number };
      assert.ok(evaluated > 0);
      // llm-viewer's conventions have no serving figures: nothing meets the targets there.
      assert.ok(deployment.conventions === 'llm-viewer' ? meeting === 0 : meeting > 0, `${meeting} meet the targets`);
    });
  }

  it('refuses what analyze() refuses', () => {
    const base = { model: 'meta-llama/Llama-3.1-70B', hardware: 'nvidia-l40s', workload: { prompt_tokens: 1000, output_tokens: 500 }, serving: { concurrency: 'max' } };
    const refused: Record<string, unknown>[] = [
      base, // 140 GB of weights on one 48 GB GPU
      { ...base, hardware: 'nvidia-h100-sxm', parallelism: { tensor: 3 } }, // 64 heads do not split in 3
      { ...base, hardware: 'nvidia-h100-sxm', quantization: { weights: 'fp8' }, speculative: { draft_model: 'meta-llama/Llama-3.1-8B', draft_tokens: 4, acceptance_rate: 0.7 } },
      { ...base, hardware: 'nvidia-h100-sxm', parallelism: { tensor: 2 }, serving: { concurrency: 'max', disaggregated: { prefill_gpus: 3, decode_gpus: 2 } } },
      { ...base, hardware: 'nvidia-h100-sxm', conventions: 'llm-viewer', parallelism: { tensor: 2 } },
    ];
    for (const deployment of refused) {
      assert.throws(() => analysedCell(deployment, URI, nodeHost));
      assert.throws(() => servingCell(deployment, URI, nodeHost), Error, JSON.stringify(deployment));
    }
  });
});
