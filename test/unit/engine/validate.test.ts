import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { MAX_BATCH_SIZE, MAX_TOKENS_PER_SEQUENCE } from '../../../language-server/src/engine/validate';
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
