import * as assert from 'node:assert/strict';
import { assertAllFinite } from '../../../language-server/src/engine/finite';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import { engineInput, H100, hfConfig } from './default/helpers';

describe('the last check that a result shows no NaN or Infinity', () => {
  const fresh = (): AnalysisResult => analyzeResolved(engineInput({ model: hfConfig('llama-3.1-8b'), hardware: H100, batchSize: 4 }));

  it('passes a real result, and numbers whose sums overflow but which are each finite', () => {
    const result = fresh();
    assertAllFinite(result);
    const layer = result.stages.decode.layers[0]!;
    layer.flops = Number.MAX_VALUE;
    layer.seconds = Number.MAX_VALUE;
    layer.bytes.weights = Number.MAX_VALUE;
    layer.bytes.kv_read = Number.MAX_VALUE;
    assertAllFinite(result);
    assertAllFinite(3);
    assertAllFinite('text');
  });

  it('finds a bad number anywhere, and names where it is', () => {
    const places: [string, (result: AnalysisResult) => void][] = [
      ['result.stages.decode.layers[3].seconds is NaN', (result) => (result.stages.decode.layers[3]!.seconds = Number.NaN)],
      ['result.stages.prefill.layers[0].bytes.kv_write is Infinity', (result) => (result.stages.prefill.layers[0]!.bytes.kv_write = Number.POSITIVE_INFINITY)],
      ['result.metrics.tpot_seconds is -Infinity', (result) => (result.metrics.tpot_seconds = Number.NEGATIVE_INFINITY)],
      ['result.model.block_kinds[0].indices[2] is NaN', (result) => (result.model!.block_kinds![0]!.indices[2] = Number.NaN)],
      ['result.hardware.achievable_ceilings[0].peak_ops_per_second is NaN', (result) => (result.hardware.achievable_ceilings![0]!.peak_ops_per_second = Number.NaN)],
      ['result.stages.decode.totals.flops is Infinity', (result) => (result.stages.decode.totals.flops = Number.POSITIVE_INFINITY)],
    ];
    for (const [message, spoil] of places) {
      const result = fresh();
      spoil(result);
      assert.throws(() => assertAllFinite(result), { message: `internal error: ${message}` });
      // A check after a failed one starts afresh.
      assertAllFinite(fresh());
    }
    assert.throws(() => assertAllFinite(Number.NaN), { message: 'internal error: result is NaN' });
  });
});
