import * as assert from 'node:assert/strict';
import { capacityAnswer, fitsInMemory, largestBatch, longestContext, usableBytesOf, type MemoryModel } from '../../../language-server/src/engine/capacity';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import type { HardwareSpec } from '../../../language-server/src/engine/types';
import { engineInput, hfConfig } from './default/helpers';

/** A100 80GB: 80 GiB = 85 899 345 920 B. */
const A100_80: HardwareSpec = {
  name: 'a100-80gb-like',
  memoryBandwidthBytesPerSecond: 2039e9,
  memoryCapacityBytes: 80 * 1024 ** 3,
  peakOpsPerSecond: { fp16: 312e12, bf16: 312e12 },
};

describe('capacity answers', () => {
  it('finds the largest batch in closed form (Llama-2-7B fp16 on 80 GiB, utilization 0.9)', () => {
    const result = analyzeResolved(engineInput({ hardware: A100_80, batchSize: 1, promptTokens: 1024, outputTokens: 256 }));
    // usable = 0.9 × 85 899 345 920 = 77 309 411 328 B
    // weights = 6 738 415 616 parameters × 2 B = 13 476 831 232 B
    // KV per sequence = 2 × 32 layers × 4096 × 2 B × (1024 + 256) tokens = 671 088 640 B
    // activations per sequence: prefill mlp_act reads gate and up and writes I (3 × 1024 × 11008 × 2 B
    //   = 67 633 152 B) + the residual stream 1024 × 4096 × 2 B = 8 388 608 B → 76 021 760 B
    // b ≤ (77 309 411 328 − 13 476 831 232) / (671 088 640 + 76 021 760) = 85.44 → 85
    assert.equal(result.memory.weights_bytes, 13_476_831_232);
    assert.equal(result.memory.kv_cache_bytes, 671_088_640);
    assert.equal(result.memory.activations_bytes, 76_021_760);
    assert.deepEqual(result.capacity, { max_batch_size: 85, max_context_tokens: 106_681, usable_bytes: 77_309_411_328, memory_utilization: 0.9 });
    // At 85 the request fits the usable memory, at 86 it does not.
    const at = (batchSize: number) => analyzeResolved(engineInput({ hardware: A100_80, batchSize, promptTokens: 1024, outputTokens: 256 })).memory.total_bytes;
    assert.ok(at(85) <= 77_309_411_328 && at(86) > 77_309_411_328);
  });

  it('finds the longest context at the deployment batch size', () => {
    // At batch 1, N = prompt + 256 output tokens: KV 524 288 B per token, prefill activations
    // 66 048 + 8 192 = 74 240 B per prompt token:
    // 13 476 831 232 + 524 288 N + 74 240 (N − 256) ≤ 77 309 411 328 → N ≤ 106 681.03 → 106 681
    const fitsAt = (promptTokens: number) =>
      analyzeResolved(engineInput({ hardware: A100_80, batchSize: 1, promptTokens, outputTokens: 256 })).memory.total_bytes <= 77_309_411_328;
    assert.ok(fitsAt(106_681 - 256));
    assert.ok(!fitsAt(106_682 - 256));
  });

  it('uses the memory utilization the deployment sets, and checks it', () => {
    const full = analyzeResolved({ ...engineInput({ hardware: A100_80 }), memoryUtilization: 1 });
    assert.equal(full.capacity!.usable_bytes, 85_899_345_920);
    // (85 899 345 920 − 13 476 831 232) / 747 110 400 = 96.94 → 96
    assert.equal(full.capacity!.max_batch_size, 96);
    for (const bad of [0, 1.5, -0.1]) {
      assert.throws(
        () => analyzeResolved({ ...engineInput({ hardware: A100_80 }), memoryUtilization: bad }),
        (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'memory.utilization',
      );
    }
  });

  it('says a model that does not fit at batch 1 does not fit, with batch 0 and context 0', () => {
    // Llama-2-70B fp16 (138 GB of weights) on a 24 GiB accelerator.
    const small: HardwareSpec = { ...A100_80, name: '24-gib', memoryCapacityBytes: 24 * 1024 ** 3 };
    const result = analyzeResolved(engineInput({ model: hfConfig('llama-2-70b'), hardware: small }));
    assert.equal(result.memory.fits, false);
    assert.equal(result.capacity!.max_batch_size, 0);
    assert.equal(result.capacity!.max_context_tokens, 0);
  });

  it('leaves capacity out when the hardware has no known capacity', () => {
    const { memoryCapacityBytes: _unknown, ...noCapacity } = A100_80;
    assert.equal(analyzeResolved(engineInput({ hardware: noCapacity })).capacity, undefined);
  });

  it('solves a hand-made memory model exactly', () => {
    // 10 GB fixed, 1 MB of KV per token per sequence, 2 MB of activations per sequence + 1 kB per prompt token.
    const model: MemoryModel = {
      fixedBytes: 10e9,
      kvBytesPerSequence: (tokens) => tokens * 1e6,
      activationBytes: (batch, prompt) => batch * (2e6 + prompt * 1e3),
    };
    // Batch at prompt 1000, output 1000: per sequence 2000 MB + 2 MB + 1 MB = 2003 MB; (30 − 10) GB / 2003 MB = 9.985 → 9
    assert.equal(largestBatch(model, 1000, 1000, 30e9), 9);
    // Context at batch 4, output 100: 10e9 + 4 (1e6 N + 2e6 + 1e3 (N − 100)) ≤ 30e9 → 4 004 000 N ≤ 19 992 400 000 → N ≤ 4993.1 → 4993
    assert.equal(longestContext(model, 4, 100, 30e9), 4993);
    assert.deepEqual(capacityAnswer(model, { batchSize: 4, promptTokens: 1000, outputTokens: 100 }, 40e9, 0.75), {
      max_batch_size: 18, // (30 − 10) GB / (1100 + 2 + 1) MB = 18.13
      max_context_tokens: 4993,
      usable_bytes: 30e9,
      memory_utilization: 0.75,
    });
    // Weights alone over the usable memory: nothing fits.
    assert.equal(largestBatch(model, 1000, 1000, 9e9), 0);
    assert.equal(longestContext(model, 1, 1000, 9e9), 0);
  });
});

describe('one definition of "fits"', () => {
  it('measures memory against the usable share of capacity, for every answer', () => {
    // 80 GiB × 0.9 = 77,309,411,328 B usable: 77.3e9 B fits, 77.4e9 B does not, though both are under 80 GiB.
    assert.equal(usableBytesOf(80 * 1024 ** 3, 0.9), 77_309_411_328);
    assert.equal(fitsInMemory(77.3e9, 80 * 1024 ** 3, 0.9), true);
    assert.equal(fitsInMemory(77.4e9, 80 * 1024 ** 3, 0.9), false);
    assert.equal(fitsInMemory(77.4e9, 80 * 1024 ** 3, 1), true);
    assert.equal(fitsInMemory(1e15, undefined, 0.9), true);
  });
});
