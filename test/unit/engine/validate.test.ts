import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { MAX_BATCH_SIZE, MAX_MODEL_COUNT, MAX_TOKENS_PER_SEQUENCE } from '../../../language-server/src/engine/validate';
import type { EngineInput } from '../../../language-server/src/engine/types';
import { engineInput, H100, hfConfig } from './default/helpers';

function expectOutOfRange(input: EngineInput, field: string, message: string): void {
  assert.throws(
    () => analyzeResolved(input),
    (error: unknown) =>
      error instanceof RooflineInputError && error.code === 'out-of-range' && error.path.join('.') === `workload.${field}` && error.message.includes(message),
  );
}

describe('engine input limits', () => {
  const base = engineInput({ model: hfConfig('llama-3.1-70b'), hardware: H100, tensor: 4 });

  it('names the field when a workload is too large to compute with finite numbers', () => {
    // 1e300 sequences would overflow batch × tokens × hidden to Infinity: a named error instead.
    expectOutOfRange({ ...base, workload: { ...base.workload, batchSize: 1e300 } }, 'batch_size', 'batch_size must be at most 1,048,576, got 1.00e+300');
    expectOutOfRange({ ...base, workload: { ...base.workload, promptTokens: 2 ** 25 } }, 'prompt_tokens', 'prompt_tokens must be at most 16,777,216, got 33,554,432');
    expectOutOfRange(
      { ...base, workload: { ...base.workload, promptTokens: 1024, outputTokens: MAX_TOKENS_PER_SEQUENCE } },
      'output_tokens',
      'prompt_tokens + output_tokens must be at most 16,777,216',
    );
  });

  it('analyses the largest allowed workload with finite figures', () => {
    // The limits themselves are fine: every number stays finite (analyzeResolved checks).
    const result = analyzeResolved({
      ...base,
      workload: { batchSize: MAX_BATCH_SIZE, promptTokens: MAX_TOKENS_PER_SEQUENCE / 2, outputTokens: MAX_TOKENS_PER_SEQUENCE / 2 },
    });
    assert.ok(Number.isFinite(result.metrics.e2e_seconds) && result.metrics.e2e_seconds > 0);
    assert.equal(result.memory.fits, false);
  });
});

describe('engine hardware ranges', () => {
  const base = engineInput({ model: hfConfig('llama-3.1-8b'), hardware: H100, tensor: 1 });

  function expectHardwareOutOfRange(hardware: EngineInput['hardware'], field: string, message: string): void {
    assert.throws(
      () => analyzeResolved({ ...base, hardware }),
      (error: unknown) =>
        error instanceof RooflineInputError && error.code === 'out-of-range' && error.path.join('.') === `hardware.${field}` && error.message.includes(message),
    );
  }

  it('names the figure when a rate is too small or too large to divide by', () => {
    // 5e-324 GB/s is the smallest double: bytes / bandwidth would be Infinity seconds.
    expectHardwareOutOfRange({ ...H100, memoryBandwidthBytesPerSecond: 5e-324 * 1e9 }, 'memory_bandwidth_gb_s', 'must be above 0.001 and at most 1,000,000,000 GB/s');
    // 1e308 GB/s is Infinity bytes per second.
    expectHardwareOutOfRange({ ...H100, memoryBandwidthBytesPerSecond: 1e308 * 1e9 }, 'memory_bandwidth_gb_s', 'got a number too large to compute with');
    expectHardwareOutOfRange({ ...H100, peakOpsPerSecond: { ...H100.peakOpsPerSecond, bf16: 1e-300 } }, 'peak_tflops.bf16', 'got 1.00e-312');
    expectHardwareOutOfRange({ ...H100, memoryCapacityBytes: 2 ** 30 * 2e9 }, 'memory_gib', 'got 2,000,000,000');
    expectHardwareOutOfRange(
      { ...H100, interconnect: { bandwidthBytesPerSecond: 450e9, latencySeconds: 1e300 } },
      'interconnect.latency_us',
      'must be from 0 and at most 1,000,000,000 µs',
    );
  });

  it('analyses at the far end of every range with finite figures', () => {
    // The slowest hardware the ranges allow, the largest workload and a model with 2^24-wide
    // layers: the largest products (batch × tokens² × hidden × layers) stay near 1e45, far below
    // the 1.8e308 a double holds.
    const huge = hfConfig('llama-3.1-8b');
    const model = { ...huge, hidden_size: MAX_MODEL_COUNT, intermediate_size: MAX_MODEL_COUNT, num_hidden_layers: MAX_MODEL_COUNT, vocab_size: MAX_MODEL_COUNT };
    const slowest = {
      ...H100,
      memoryBandwidthBytesPerSecond: 1.001e-3 * 1e9,
      peakOpsPerSecond: { bf16: 1.001e-6 * 1e12 },
      interconnect: { bandwidthBytesPerSecond: 1.001e-3 * 1e9, latencySeconds: 1e9 * 1e-6 },
    };
    const result = analyzeResolved({
      ...engineInput({ model, hardware: slowest, tensor: 2 }),
      workload: { batchSize: MAX_BATCH_SIZE, promptTokens: MAX_TOKENS_PER_SEQUENCE / 2, outputTokens: MAX_TOKENS_PER_SEQUENCE / 2 },
    });
    assert.ok(Number.isFinite(result.metrics.e2e_seconds) && result.metrics.e2e_seconds > 1e20, String(result.metrics.e2e_seconds));
  });
});
