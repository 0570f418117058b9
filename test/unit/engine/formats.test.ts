import * as assert from 'node:assert/strict';
import { FORMAT_NAMES, NAMED_FORMATS, parseNumberFormat, QUANTIZED_FORMATS } from '../../../language-server/src/engine/formats';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { A100, analyze, H100, layer } from './default/helpers';

const AT = ['quantization', 'weights'] as const;

function bits(value: unknown): number {
  return parseNumberFormat(value, AT).bitsPerElement;
}

function errorOf(action: () => unknown): RooflineInputError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof RooflineInputError, String(error));
    return error;
  }
  assert.fail('expected a RooflineInputError');
}

describe('number formats with their real bytes', () => {
  it('counts group scales and zero points in the bits per element', () => {
    // int4 + (16-bit scale + 16-bit zero) / 128 = 4 + 32/128 = 4.25
    assert.equal(bits('int4-g128'), 4.25);
    assert.equal(bits('int4-g64'), 4 + 32 / 64); // 4.5
    assert.equal(bits('int4-g32'), 5);
    // AWQ/GPTQ: fp16 scales and 4-bit packed zeros per 128: 4 + 20/128 = 4.15625
    assert.equal(bits('awq'), 4.15625);
    assert.equal(bits('gptq'), 4.15625);
    // nvfp4: e2m1 + an e4m3 scale per 16 = 4 + 8/16 = 4.5; mxfp4: e2m1 + e8m0 per 32 = 4.25
    assert.equal(bits('nvfp4'), 4.5);
    assert.equal(bits('mxfp4'), 4.25);
    assert.equal(bits('mxfp6'), 6.25);
    assert.equal(bits('mxfp8'), 8.25);
    // DeepSeek-V3: fp8 + one fp32 scale per 128 × 128 block = 8 + 32/16384 = 8.001953125
    assert.equal(bits('fp8-block128'), 8.001953125);
    // A per-tensor fp8 scale is one number per matrix: plain 8 bits.
    assert.equal(bits('fp8'), 8);
  });

  it('reads the map form, with 2-D blocks and packed zero points', () => {
    assert.equal(bits({ format: 'int4', group_size: 128, scale: 'fp16', zero_point: true }), 4.25);
    assert.equal(bits({ format: 'int4', group_size: 128 }), 4 + 16 / 128); // symmetric, fp16 scale by default
    assert.equal(bits({ format: 'int4', group_size: 128, zero_point: 'int4' }), 4.15625);
    assert.equal(bits({ format: 'fp8', group_size: [128, 128], scale: 'fp32' }), 8.001953125);
    assert.equal(bits({ format: 'fp4', group_size: 16, scale: 'e4m3' }), 4.5);
    assert.equal(bits({ format: 8, group_size: 64, scale: 'bf16' }), 8.25);
    const mapped = parseNumberFormat({ format: 'int4', group_size: 128, scale: 'fp16', zero_point: true }, AT);
    assert.equal(mapped.computePrecision, 'int4');
    assert.deepEqual(mapped.scaling, { elementBits: 4, groupSize: 128, scaleFormat: 'fp16', scaleBits: 16, zeroPointBits: 16 });
    // No group: just the format.
    assert.deepEqual(parseNumberFormat({ format: 'bf16' }, AT), NAMED_FORMATS.bf16);
  });

  it('keeps plain bit counts and names as they were', () => {
    for (const count of [16, 8, 4, 2, 1]) assert.equal(bits(count), count);
    assert.equal(parseNumberFormat(4, AT).computePrecision, 'int4');
    assert.equal(parseNumberFormat('16-bit', AT).computePrecision, 'fp16');
    assert.deepEqual(parseNumberFormat('FP16', AT), NAMED_FORMATS.fp16);
    assert.deepEqual(FORMAT_NAMES, [...Object.keys(NAMED_FORMATS), ...Object.keys(QUANTIZED_FORMATS)]);
  });

  it('names the field of every mistake in the map form', () => {
    assert.deepEqual(errorOf(() => parseNumberFormat({ format: 'int4', group_size: 0 }, AT)).path, [...AT, 'group_size']);
    assert.deepEqual(errorOf(() => parseNumberFormat({ format: 'int4', group_size: 128, scale: 'fp12' }, AT)).path, [...AT, 'scale']);
    assert.deepEqual(errorOf(() => parseNumberFormat({ format: 'int4', group_size: 128, zero_point: 3 }, AT)).path, [...AT, 'zero_point']);
    assert.deepEqual(errorOf(() => parseNumberFormat({ format: 'awq', group_size: 128 }, AT)).path, [...AT, 'format']);
    assert.deepEqual(errorOf(() => parseNumberFormat({ format: 'int3', group_size: 128 }, AT)).path, [...AT, 'format']);
    assert.deepEqual(errorOf(() => parseNumberFormat({ group_size: 128 }, AT)).path, [...AT]);
    assert.deepEqual(errorOf(() => parseNumberFormat({ format: 'int4', groups: 128 }, AT)).path, [...AT, 'groups']);
    assert.deepEqual(errorOf(() => parseNumberFormat({ format: 'int4', scale: 'fp16' }, AT)).path, [...AT, 'group_size']);
    assert.equal(errorOf(() => parseNumberFormat('int5', AT)).code, 'unknown-format');
  });

  it('stores weight matrices with their scales', () => {
    // Llama-2-7B q_proj: 4096 × 4096 = 16 777 216 elements.
    const elements = 4096 * 4096;
    const qProjBytes = (weights: string): number => layer(analyze({ weights, hardware: H100 }), 'decode', 'q_proj').bytes.weights;
    assert.equal(qProjBytes('int4-g128'), (elements * 4.25) / 8); // 8 912 896 B
    assert.equal(qProjBytes('awq'), (elements * 4.15625) / 8); // 8 716 288 B
    assert.equal(qProjBytes('nvfp4'), (elements * 4.5) / 8); // 9 437 184 B
    // 1024 blocks of 128 × 128, each with a 4-byte scale: 16 777 216 + 4096 B.
    assert.equal(qProjBytes('fp8-block128'), elements + 4096);
  });

  it('runs each format at its own peak where the hardware has one, and says when it upcasts', () => {
    // fp8 × fp8 on H100 at the fp8 rate (1979 TFLOPS).
    const h100Fp8 = analyze({ hardware: H100, weights: 'fp8', activations: 'fp8' });
    assert.equal(h100Fp8.hardware.compute_precision, 'fp8');
    assert.equal(h100Fp8.hardware.peak_ops_per_second, 1979e12);
    // A100 has no fp8: computed at fp16 (312 TFLOPS) with a note.
    const a100Fp8 = analyze({ hardware: A100, weights: 'fp8', activations: 'fp8' });
    assert.equal(a100Fp8.hardware.compute_precision, 'fp16');
    assert.equal(a100Fp8.hardware.peak_ops_per_second, 312e12);
    assert.ok(a100Fp8.notes.some((note) => note.includes('no fp8 peak') && note.includes('fp16')));
    // nvfp4 × nvfp4: the fp4 rate on Blackwell-like hardware, fp8 on H100 (no fp4, no fp6).
    const blackwell = { ...H100, name: 'b200-like', peakOpsPerSecond: { ...H100.peakOpsPerSecond, fp4: 9000e12 } };
    assert.equal(analyze({ hardware: blackwell, weights: 'nvfp4', activations: 'nvfp4' }).hardware.peak_ops_per_second, 9000e12);
    const hopperFp4 = analyze({ hardware: H100, weights: 'mxfp4', activations: 'mxfp4' });
    assert.equal(hopperFp4.hardware.compute_precision, 'fp8');
    assert.ok(hopperFp4.notes.some((note) => note.includes('no fp4 peak')));
    // Weight-only int4 (AWQ) with fp16 activations runs at the activation precision, without a note.
    const awq = analyze({ hardware: H100, weights: 'awq', activations: 'fp16' });
    assert.equal(awq.hardware.compute_precision, 'fp16');
    assert.ok(!awq.notes.some((note) => note.includes('upcast')));
    // int4-g128 weights with int8 activations (W4A8) at the int8 rate.
    assert.equal(analyze({ hardware: H100, weights: 'int4-g128', activations: 'int8' }).hardware.compute_precision, 'int8');
  });
});
