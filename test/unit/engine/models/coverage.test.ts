/**
 * Every model of the shared reference (models.json) analyses from its Hugging Face config, and its
 * weight bytes, active parameters and KV cache match the reference. `total` and `active` are the
 * reference's counts derived from the configs (`derived_by_researcher`), which reproduce every
 * published total; `published` is the model card's figure where it is precise enough to check to
 * 1% (a name such as "70B" is not). The reference's KV bytes per token assume full attention in
 * every block; `kvBytesAt8192` is ours at 8192 cached tokens, with sliding windows capped, worked
 * out by hand in each comment.
 */
import * as assert from 'node:assert/strict';
import { analyze, assertClose, hfConfig, sixteenBitCheckpoint } from '../default/helpers';

interface ReferenceModel {
  folder: string;
  total: number;
  active: number;
  publishedTotal?: number;
  /** Published active count, and whether it leaves out the input embedding (gpt-oss does). */
  publishedActive?: { parameters: number; withoutEmbedding?: number };
  /** 16-bit KV bytes per token, full attention everywhere (reference). */
  kvBytesPerToken: number;
  kvBytesAt8192: number;
}

const MODELS: readonly ReferenceModel[] = [
  { folder: 'llama-2-7b', total: 6_738_415_616, active: 6_738_415_616, kvBytesPerToken: 524_288, kvBytesAt8192: 524_288 * 8192 },
  { folder: 'llama-2-13b', total: 13_015_864_320, active: 13_015_864_320, kvBytesPerToken: 819_200, kvBytesAt8192: 819_200 * 8192 },
  { folder: 'llama-2-70b', total: 68_976_648_192, active: 68_976_648_192, kvBytesPerToken: 327_680, kvBytesAt8192: 327_680 * 8192 },
  { folder: 'llama-3.1-8b', total: 8_030_261_248, active: 8_030_261_248, kvBytesPerToken: 131_072, kvBytesAt8192: 131_072 * 8192 },
  { folder: 'llama-3.1-70b', total: 70_553_706_496, active: 70_553_706_496, kvBytesPerToken: 327_680, kvBytesAt8192: 327_680 * 8192 },
  { folder: 'llama-3.1-405b', total: 405_853_388_800, active: 405_853_388_800, kvBytesPerToken: 516_096, kvBytesAt8192: 516_096 * 8192 },
  // sliding_window 4096 in all 32 blocks: 131,072 · 4096 = 536,870,912 (full attention: 1,073,741,824).
  { folder: 'mistral-7b', total: 7_241_732_096, active: 7_241_732_096, publishedTotal: 7.3e9, kvBytesPerToken: 131_072, kvBytesAt8192: 536_870_912 },
  {
    folder: 'mixtral-8x7b',
    total: 46_702_792_704,
    active: 12_879_925_248,
    publishedTotal: 46.7e9,
    publishedActive: { parameters: 12.9e9 },
    kvBytesPerToken: 131_072,
    kvBytesAt8192: 131_072 * 8192,
  },
  {
    folder: 'mixtral-8x22b',
    total: 140_620_634_112,
    active: 39_152_031_744,
    publishedTotal: 141e9,
    publishedActive: { parameters: 39e9 },
    kvBytesPerToken: 229_376,
    kvBytesAt8192: 229_376 * 8192,
  },
  // use_sliding_window: false, so no cap.
  { folder: 'qwen2.5-7b', total: 7_615_616_512, active: 7_615_616_512, publishedTotal: 7.61e9, kvBytesPerToken: 57_344, kvBytesAt8192: 57_344 * 8192 },
  { folder: 'qwen2.5-72b', total: 72_706_203_648, active: 72_706_203_648, kvBytesPerToken: 327_680, kvBytesAt8192: 327_680 * 8192 },
  // Published active 3.3 B is rounded too coarsely for 1% (3.353 B).
  { folder: 'qwen3-30b-a3b', total: 30_532_122_624, active: 3_353_032_704, publishedTotal: 30.5e9, kvBytesPerToken: 98_304, kvBytesAt8192: 98_304 * 8192 },
  {
    folder: 'qwen3-235b-a22b',
    total: 235_093_634_560,
    active: 22_190_763_520,
    publishedTotal: 235e9,
    publishedActive: { parameters: 22e9 },
    kvBytesPerToken: 192_512,
    kvBytesAt8192: 192_512 * 8192,
  },
  // Latent cache: 61 · 576 · 2 = 70,272 B per token. Published active "37B" is 1.5% under 37.55 B.
  { folder: 'deepseek-v3', total: 671_026_419_200, active: 37_552_297_472, publishedTotal: 671e9, kvBytesPerToken: 70_272, kvBytesAt8192: 70_272 * 8192 },
  // 21 sliding blocks (4096) and 21 global, 8,192 B per block and token:
  // 21 · 8,192 · 8192 + 21 · 8,192 · 4096 = 2,113,929,216 (full attention: 2,818,572,288).
  { folder: 'gemma-2-9b', total: 9_241_705_984, active: 9_241_705_984, kvBytesPerToken: 344_064, kvBytesAt8192: 2_113_929_216 },
  // sliding_window 2047 in all 32 blocks: 393,216 · 2047 = 804,913,152 (full attention: 3,221,225,472).
  { folder: 'phi-3-mini', total: 3_821_079_552, active: 3_821_079_552, publishedTotal: 3.8e9, kvBytesPerToken: 393_216, kvBytesAt8192: 804_913_152 },
  // 12 sliding blocks (128) and 12 full, 2,048 B per block and token:
  // 12 · 2,048 · 8192 + 12 · 2,048 · 128 = 204,472,320 (full attention: 402,653,184).
  {
    folder: 'gpt-oss-20b',
    total: 20_914_757_184,
    active: 4_187_440_704,
    publishedTotal: 20.9e9,
    publishedActive: { parameters: 3.6e9, withoutEmbedding: 201_088 * 2880 },
    kvBytesPerToken: 49_152,
    kvBytesAt8192: 204_472_320,
  },
  // 18 sliding and 18 full: 18 · 2,048 · 8192 + 18 · 2,048 · 128 = 306,708,480 (full attention: 603,979,776).
  {
    folder: 'gpt-oss-120b',
    total: 116_829_156_672,
    active: 5_711_982_912,
    publishedTotal: 116.8e9,
    publishedActive: { parameters: 5.1e9, withoutEmbedding: 201_088 * 2880 },
    kvBytesPerToken: 73_728,
    kvBytesAt8192: 306_708_480,
  },
  { folder: 'opt-6.7b', total: 6_658_473_984, active: 6_658_473_984, kvBytesPerToken: 524_288, kvBytesAt8192: 524_288 * 8192 },
];

describe('model coverage: every reference model from its HF config', () => {
  for (const model of MODELS) {
    it(`${model.folder}: weights, active parameters and KV cache`, () => {
      // As 16-bit checkpoints (DeepSeek-V3 and gpt-oss ship fp8 and MXFP4 ones, checked in
      // weightFormats.test.ts), fp16 everywhere: every parameter, matrix or vector, takes 2 B.
      const short = analyze({ model: sixteenBitCheckpoint(hfConfig(model.folder)), promptTokens: 64, outputTokens: 64 });
      const parametersFromWeightBytes = short.memory.weights_bytes / 2;
      assertClose(parametersFromWeightBytes, model.total, 0.01, 'parameters from weight bytes');
      assert.equal(short.model.parameters, model.total);
      assert.equal(short.model.active_parameters, model.active);
      if (model.publishedTotal !== undefined) assertClose(parametersFromWeightBytes, model.publishedTotal, 0.01, 'published total');
      if (model.publishedActive !== undefined) {
        const active = short.model.active_parameters! - (model.publishedActive.withoutEmbedding ?? 0);
        assertClose(active, model.publishedActive.parameters, 0.01, 'published active');
      }
      // 128 tokens fit in every window (the smallest is gpt-oss's 128): the reference's figure.
      assert.equal(short.memory.kv_cache_bytes, 128 * model.kvBytesPerToken);
      const long = analyze({ model: hfConfig(model.folder), promptTokens: 8000, outputTokens: 192 });
      assert.equal(long.memory.kv_cache_bytes, model.kvBytesAt8192);
    });
  }
});
