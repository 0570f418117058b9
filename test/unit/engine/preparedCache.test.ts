import * as assert from 'node:assert/strict';
import { prepareDefault } from '../../../language-server/src/engine/default/prepare';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { analyze, listPresets } from '../../../language-server/src/api';
import { BoundedMemo } from '../../../language-server/src/engine/boundedMemo';
import { PreparedCache } from '../../../language-server/src/engine/preparedCache';
import type { HardwareSpec, HfConfig } from '../../../language-server/src/engine/types';
import { engineInput, H100, hfConfig } from './default/helpers';

describe('prepared deployments are reused between analyses', () => {
  const model = hfConfig('llama-3.1-8b');

  it('shares one preparation across workloads of the same model, hardware and formats', () => {
    const first = prepareDefault(engineInput({ model, hardware: H100, batchSize: 1 }));
    const second = prepareDefault(engineInput({ model, hardware: H100, batchSize: 64, promptTokens: 4096, outputTokens: 7 }));
    assert.equal(second, first);
  });

  it('prepares again when a format, the parallelism, flash attention or the model object changes', () => {
    const base = prepareDefault(engineInput({ model, hardware: H100 }));
    assert.notEqual(prepareDefault(engineInput({ model, hardware: H100, weights: 'int4' })), base);
    assert.notEqual(prepareDefault(engineInput({ model, hardware: H100, tensor: 2 })), base);
    assert.notEqual(prepareDefault(engineInput({ model, hardware: H100, flashAttention: false })), base);
    assert.notEqual(prepareDefault(engineInput({ model: { ...model }, hardware: H100 })), base);
  });

  it('gives the same figures from a reused preparation as from a fresh one', () => {
    // Warm the cache at batch 1, then analyse batch 32 on it and on a copy of the model (a miss).
    analyzeResolved(engineInput({ model, hardware: H100, batchSize: 1 }));
    const reused = analyzeResolved(engineInput({ model, hardware: H100, batchSize: 32 }));
    const fresh = analyzeResolved(engineInput({ model: { ...model }, hardware: H100, batchSize: 32 }));
    assert.deepEqual(reused, fresh);
  });

  it('does not serve a preparation made before the model object was edited in place', () => {
    const edited: HfConfig = hfConfig('llama-3.1-8b');
    const before = analyzeResolved(engineInput({ model: edited, hardware: H100, batchSize: 4 }));
    edited.num_hidden_layers = 16;
    const after = analyzeResolved(engineInput({ model: edited, hardware: H100, batchSize: 4 }));
    const fresh = analyzeResolved(engineInput({ model: { ...hfConfig('llama-3.1-8b'), num_hidden_layers: 16 }, hardware: H100, batchSize: 4 }));
    assert.deepEqual(after, fresh);
    assert.ok(after.memory.weights_bytes < before.memory.weights_bytes);
  });

  it('does not serve a preparation made before a nested field of the model was edited in place', () => {
    const edited = { ...hfConfig('llama-3.1-8b'), rope_scaling: { rope_type: 'llama3', factor: 8 } } as HfConfig;
    analyzeResolved(engineInput({ model: edited, hardware: H100 }));
    const before = prepareDefault(engineInput({ model: edited, hardware: H100 }));
    (edited.rope_scaling as Record<string, unknown>).factor = 16;
    assert.notEqual(prepareDefault(engineInput({ model: edited, hardware: H100 })), before);
  });

  it('does not serve a preparation made before the hardware object was edited in place', () => {
    const hardware: HardwareSpec = { ...H100, peakOpsPerSecond: { ...H100.peakOpsPerSecond } };
    const before = analyzeResolved(engineInput({ model, hardware, batchSize: 8 }));
    hardware.memoryBandwidthBytesPerSecond = H100.memoryBandwidthBytesPerSecond / 2;
    hardware.peakOpsPerSecond.bf16 = 100e12;
    hardware.peakOpsPerSecond.fp16 = 100e12;
    const after = analyzeResolved(engineInput({ model, hardware, batchSize: 8 }));
    const fresh = analyzeResolved(engineInput({ model, hardware: { ...H100, memoryBandwidthBytesPerSecond: H100.memoryBandwidthBytesPerSecond / 2, peakOpsPerSecond: { ...H100.peakOpsPerSecond, bf16: 100e12, fp16: 100e12 } }, batchSize: 8 }));
    assert.deepEqual(after, fresh);
    assert.ok(after.metrics.tpot_seconds > before.metrics.tpot_seconds);
  });

  it('an input edited in place between two preparations gets the preparation of what it now says', () => {
    const input = engineInput({ model, hardware: H100, weights: 'int4-g128' });
    // Its own copy of the grouped format, to edit in place.
    input.quantization.weights = structuredClone(input.quantization.weights);
    const first = prepareDefault(input);
    const edits: [string, () => void][] = [
      ['tensor parallelism', () => (input.parallelism.tensor = 2)],
      ['pipeline parallelism', () => (input.parallelism.pipeline = 2)],
      ['a format field', () => (input.quantization.weights.scaling!.groupSize = 64)],
      ['a format', () => (input.quantization.kvCache = engineInput({ weights: 'fp8' }).quantization.weights)],
      ['flash attention', () => (input.flashAttention = !input.flashAttention)],
      ['efficiency', () => (input.efficiency = 'achievable')],
    ];
    const seen = [first];
    for (const [name, edit] of edits) {
      edit();
      const prepared = prepareDefault(input);
      assert.ok(!seen.includes(prepared), name);
      assert.equal(prepareDefault({ ...structuredClone(input), model, hardware: H100 }), prepared, `${name}: a copy of the edited input finds the same preparation`);
      seen.push(prepared);
    }
  });

  it('gives a replaced model or hardware object its own preparation', () => {
    const first = analyzeResolved(engineInput({ model, hardware: H100, batchSize: 2 }));
    const replaced = analyzeResolved(engineInput({ model: { ...model, num_hidden_layers: 8 }, hardware: { ...H100, memoryBandwidthBytesPerSecond: 1e12 }, batchSize: 2 }));
    assert.notEqual(replaced.metrics.tpot_seconds, first.metrics.tpot_seconds);
    assert.deepEqual(analyzeResolved(engineInput({ model, hardware: H100, batchSize: 2 })), first);
  });

  it('through the library: an inline model or hardware edited between calls gives the edited figures', () => {
    const inlineModel: Record<string, unknown> = { ...hfConfig('llama-3.1-8b') };
    const inlineHardware: Record<string, unknown> = { extends: 'nvidia-h100-sxm', memory_bandwidth_gb_s: 3350 };
    const deployment = { model: inlineModel, hardware: inlineHardware, workload: { batch_size: 8 } };
    const before = analyze(deployment);
    inlineModel.num_hidden_layers = 16;
    inlineHardware.memory_bandwidth_gb_s = 1000;
    const after = analyze(deployment);
    const fresh = analyze({ model: { ...hfConfig('llama-3.1-8b'), num_hidden_layers: 16 }, hardware: { extends: 'nvidia-h100-sxm', memory_bandwidth_gb_s: 1000 }, workload: { batch_size: 8 } });
    assert.deepEqual(after, fresh);
    assert.notDeepEqual(after, before);
  });

  it('conventions llm-viewer: does not serve a plan made before the model or hardware object was edited in place', () => {
    const llmViewer = (config: HfConfig, hardware: HardwareSpec) => ({ ...engineInput({ model: config, hardware, batchSize: 4, flashAttention: false }), conventions: 'llm-viewer' as const });
    const edited = hfConfig('llama-2-7b');
    const hardware: HardwareSpec = { ...H100, peakOpsPerSecond: { ...H100.peakOpsPerSecond } };
    const before = analyzeResolved(llmViewer(edited, hardware));
    edited.num_hidden_layers = 16;
    hardware.memoryBandwidthBytesPerSecond = 1000e9;
    const after = analyzeResolved(llmViewer(edited, hardware));
    const fresh = analyzeResolved(llmViewer({ ...hfConfig('llama-2-7b'), num_hidden_layers: 16 }, { ...H100, memoryBandwidthBytesPerSecond: 1000e9 }));
    assert.deepEqual(after, fresh);
    assert.notDeepEqual(after, before);
  });

  it('presets cannot be edited in place: their configs and specs are frozen all the way down', () => {
    const { models, hardware } = listPresets();
    const withNested = models.find((preset) => Object.values(preset.config).some((value) => value !== null && typeof value === 'object'));
    assert.ok(withNested, 'a model preset with a nested field');
    const nested = Object.values(withNested.config).find((value) => value !== null && typeof value === 'object') as object;
    assert.ok(Object.isFrozen(withNested.config) && Object.isFrozen(nested));
    const h100 = hardware.find((preset) => preset.id === 'nvidia-h100-sxm')!;
    assert.throws(() => {
      (h100.spec!.peakOpsPerSecond as Record<string, number>).bf16 = 1;
    }, TypeError);
    assert.throws(() => {
      (h100.spec as { memoryBandwidthBytesPerSecond: number }).memoryBandwidthBytesPerSecond = 1;
    }, TypeError);
  });

  it('keeps memos bounded: the oldest entry leaves when a new one comes', () => {
    const memo = new BoundedMemo<number, number>(3);
    let computed = 0;
    for (const key of [1, 2, 3, 4]) memo.get(key, () => (computed++, key * 10));
    assert.equal(memo.size, 3);
    assert.equal(memo.get(4, () => -1), 40);
    assert.equal(memo.get(1, () => -1), -1, 'the oldest entry was dropped and is computed again');
    assert.equal(computed, 4);
  });

  it('keeps at most 256 preparations per model and hardware, the least recently used first out', () => {
    const cache = new PreparedCache<{ key: number }>();
    const input = engineInput({ model, hardware: H100 });
    let built = 0;
    const get = (key: number) => cache.get(input, String(key), () => (built++, { key }));
    const first = get(0);
    for (let key = 1; key < 256; key++) get(key);
    assert.equal(get(0), first, 'used again: kept');
    get(256);
    assert.equal(built, 257);
    assert.equal(get(0), first, 'recently used: still kept when the 257th came');
    get(1);
    assert.equal(built, 258, 'the least recently used (1) was dropped and is built again');
  });
});
