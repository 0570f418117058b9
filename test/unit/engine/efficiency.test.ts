import * as assert from 'node:assert/strict';
import { DEFAULT_ACHIEVABLE_FRACTIONS, knownComputeFraction, resolveEfficiency } from '../../../language-server/src/engine/efficiency';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { findHardwarePreset } from '../../../language-server/src/presets/index';
import { engineInput, H100 } from './default/helpers';

function preset(id: string) {
  const spec = findHardwarePreset(id)?.spec;
  assert.ok(spec, id);
  return spec;
}

describe('ideal and achievable rooflines', () => {
  it('gives presets the measured matmul fractions of the reference table, against their own peaks', () => {
    const h100 = preset('nvidia-h100-sxm');
    // 794.5 / 989 = 0.8033; 1402.6 / 1979 = 0.7087
    assert.equal(h100.achievable!.compute!.bf16, 794.5e12 / 989e12);
    assert.equal(h100.achievable!.compute!.fp8, 1402.6e12 / 1979e12);
    assert.match(h100.achievable!.source!, /ml-engineering/);
    assert.equal(preset('nvidia-a100-80gb-sxm4').achievable!.compute!.bf16, 271.2e12 / 312e12); // 86.9%
    assert.equal(preset('amd-mi300x').achievable!.compute!.bf16, 668.4e12 / 1300e12); // 51.4%
    // fp16 shares bf16's tensor-core path; int8 shares fp8's.
    assert.equal(knownComputeFraction(h100.achievable, 'fp16'), 794.5e12 / 989e12);
    assert.equal(knownComputeFraction(h100.achievable, 'int8'), 1402.6e12 / 1979e12);
    assert.equal(preset('nvidia-l4').achievable, undefined);
  });

  it('keeps ideal as the default: the same numbers with or without efficiency: ideal', () => {
    const plain = analyzeResolved(engineInput({ hardware: H100 }));
    const ideal = analyzeResolved({ ...engineInput({ hardware: H100 }), efficiency: 'ideal' });
    assert.deepEqual(ideal, plain);
    assert.deepEqual(plain.hardware.efficiency, { mode: 'ideal', memory: 1, compute: 1 });
  });

  it('times memory-bound decode at the achievable bandwidth', () => {
    const h100 = preset('nvidia-h100-sxm');
    const ideal = analyzeResolved(engineInput({ hardware: h100 }));
    const achievable = analyzeResolved({ ...engineInput({ hardware: h100 }), efficiency: 'achievable' });
    // H100 has a measured compute fraction but no memory one: memory at the default 0.8.
    assert.deepEqual(achievable.hardware.efficiency, { mode: 'achievable', memory: 0.8, compute: 794.5e12 / 989e12 });
    // Llama-2-7B decode at batch 1 is memory-bound in every layer (intensity ≈ 1 FLOP/byte, far
    // below the lowered ridge 794.5e12 / 2680e9 ≈ 296), so each step takes exactly 1 / 0.8 as long.
    assert.ok(ideal.stages.decode.layers.every((layer) => layer.bound === 'memory'));
    const ratio = achievable.metrics.tpot_seconds / ideal.metrics.tpot_seconds;
    assert.ok(Math.abs(ratio - 1.25) < 1e-12, `ratio ${ratio}`);
    // The peak shown stays the datasheet's; the achievable ceiling is drawn beside it.
    assert.equal(achievable.hardware.peak_ops_per_second, 989e12);
    assert.deepEqual(achievable.hardware.achievable_ceilings, [
      {
        label: 'Achievable FP16 (80.3% compute, measured, 80% bandwidth)',
        peak_ops_per_second: 794.5e12,
        memory_bandwidth_bytes_per_second: 3350e9 * 0.8,
      },
    ]);
    assert.ok(achievable.notes.some((note) => note.startsWith('Achievable roofline')));
  });

  it('uses documented defaults where nothing is measured, and explicit fractions when given', () => {
    const noMeasurement = analyzeResolved({ ...engineInput({ hardware: H100 }), efficiency: 'achievable' });
    assert.deepEqual(noMeasurement.hardware.efficiency, { mode: 'achievable', memory: DEFAULT_ACHIEVABLE_FRACTIONS.memory, compute: DEFAULT_ACHIEVABLE_FRACTIONS.compute });
    const custom = analyzeResolved({ ...engineInput({ hardware: H100 }), efficiency: { memory: 0.5, compute: 0.25 } });
    assert.deepEqual(custom.hardware.efficiency, { mode: 'custom', memory: 0.5, compute: 0.25 });
    const ideal = analyzeResolved(engineInput({ hardware: H100 }));
    // Memory-bound decode at half the bandwidth: twice as long.
    assert.ok(Math.abs(custom.metrics.tpot_seconds / ideal.metrics.tpot_seconds - 2) < 1e-12);
    // Prefill of 1024 tokens is compute-bound in its big matmuls: at a quarter of the peak it slows by up to 4×.
    const prefillRatio = custom.metrics.ttft_seconds / ideal.metrics.ttft_seconds;
    assert.ok(prefillRatio > 2 && prefillRatio <= 4, `prefill ratio ${prefillRatio}`);
  });

  it('names the field of a fraction out of range, and refuses efficiency under LLM-Viewer conventions', () => {
    for (const [choice, field] of [
      [{ memory: 1.5 }, 'efficiency.memory'],
      [{ compute: 0 }, 'efficiency.compute'],
    ] as const) {
      assert.throws(
        () => resolveEfficiency(choice, H100),
        (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === field,
      );
    }
    assert.throws(
      () => analyzeResolved({ ...engineInput({ hardware: H100 }), conventions: 'llm-viewer', efficiency: 'achievable' }),
      (error: unknown) => error instanceof RooflineInputError && error.code === 'not-in-llm-viewer' && error.path[0] === 'efficiency',
    );
  });
});
