/**
 * Weights per GPU against what vLLM measured after loading real models
 * (test/fixtures/measurements/vllm-weights.json, each point with its source quoted): tensor
 * parallelism splits every block's linear layers and the vocabulary of the embedding and lm_head
 * (VocabParallelEmbedding, ParallelLMHead), keeps the norms whole on every device, and a weight
 * format narrower than 16 bits leaves the embedding and lm_head in bf16. Each expected figure is
 * also written out by hand, so a change in the engine and a change in the arithmetic both show.
 * Every point must be within 2% of vLLM's figure.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { H100, analyze, assertClose, hfConfig } from './helpers';

interface VllmPoint {
  id: string;
  model_fixture: string;
  tensor: number;
  weights: string;
  measured_gib: number;
  source: { url: string; quote: string };
}

const POINTS = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../fixtures/measurements/vllm-weights.json'), 'utf8')) as { points: VllmPoint[] }
).points;

const GIB = 2 ** 30;

// Llama-3.1-8B: 6,979,321,856 parameters in the blocks' linear layers, embedding and lm_head
// 2 · 128,256 · 4096 = 1,050,673,152, norms 32 · 2 · 4096 + 4096 = 266,240.
const LLAMA_8B = { linear: 6_979_321_856, vocabulary: 1_050_673_152, norms: 266_240 };
// Llama-3.1-70B: 80 blocks of 855,638,016 linear parameters, embedding and lm_head
// 2 · 128,256 · 8192 = 2,101,346,304, norms 80 · 2 · 8192 + 8192 = 1,318,912.
const LLAMA_70B = { linear: 80 * 855_638_016, vocabulary: 2_101_346_304, norms: 1_318_912 };

/** Bytes on one device: linear layers in the weight format, split by tp; embedding and lm_head in bf16, split by vocabulary; norms in bf16, whole. */
function expectedBytes(model: typeof LLAMA_8B, tensor: number, linearBytesPerElement: number): number {
  return (model.linear / tensor) * linearBytesPerElement + (model.vocabulary / tensor) * 2 + model.norms * 2;
}

// Qwen3-235B-A22B at tp 8, per block: q and o 4096 × 8192 / 8 each, k and v one replicated KV head
// 4096 × 128 each, 128 experts of 3 × 4096 × 1536 / 8, the router 4096 × 128 whole, norms 2 · 4096 and
// q/k norms 2 · 128 whole; embedding and lm_head 2 · 151,936 · 4096 / 8; the final norm 4096.
const QWEN3_235B_PER_DEVICE =
  94 * (2 * ((4096 * 8192) / 8) + 2 * 4096 * 128 + (128 * 3 * 4096 * 1536) / 8 + 4096 * 128 + 2 * 4096 + 2 * 128) + (2 * 151_936 * 4096) / 8 + 4096;

const EXPECTED: Readonly<Record<string, number>> = {
  'vllm-0.4.2-llama-3-8b-shape-bf16-tp2': expectedBytes(LLAMA_8B, 2, 2), // 8,030,527,488 B = 7.479 GiB
  'vllm-ascend-0.10.0-llama-3.1-70b-shape-bf16-tp8': expectedBytes(LLAMA_70B, 8, 2), // 17,640,734,720 B = 16.429 GiB
  'vllm-0.5.4-llama-3.1-70b-w8a8-int8-tp2': expectedBytes(LLAMA_70B, 2, 1), // 36,329,504,768 B = 33.834 GiB
  'vllm-0.4-llama-3-8b-fp8-tp1': expectedBytes(LLAMA_8B, 1, 1), // 9,081,200,640 B = 8.458 GiB
  'vllm-v0-engine-qwen3-235b-a22b-bf16-tp8': QWEN3_235B_PER_DEVICE * 2, // 58,959,617,024 B = 54.910 GiB
};

describe('weights per GPU against vLLM’s measured figures (tensor parallelism, 8-bit formats)', () => {
  it('covers tensor parallelism 2 and 8, a mixture of experts and 8-bit weights', () => {
    assert.deepEqual([...new Set(POINTS.map((point) => point.tensor))].sort(), [1, 2, 8]);
    assert.ok(POINTS.every((point) => point.source.quote.includes(String(point.measured_gib).replace(/0+$/, ''))));
  });
  for (const point of POINTS) {
    it(`${point.id}: within 2% of ${point.measured_gib} GiB`, () => {
      const result = analyze({ model: hfConfig(point.model_fixture), hardware: H100, weights: point.weights, activations: 'bf16', tensor: point.tensor });
      assert.equal(result.memory.weights_bytes, EXPECTED[point.id]);
      assertClose(result.memory.weights_bytes / GIB, point.measured_gib, 0.02, point.id);
    });
  }
});
