import * as assert from 'node:assert/strict';
import { analyzeLlmViewer } from '../../../../language-server/src/engine/llmviewer/analyze';
import { assertRelative, llmViewerInput } from './helpers';

/**
 * Spec §4.6: Llama-2-7b on nvidia_A6000, fp16 everywhere, b = 1, s = 1024, no flash attention,
 * worked out by hand. Latest upstream's A6000 FP16 peak is 154.8e12 (v2024: 154.8385e12).
 */
describe('llm-viewer conventions: spec §4.6 worked example by hand', () => {
  const result = analyzeLlmViewer(llmViewerInput({ hardware: 'nvidia_A6000', seqlen: 1024, batchsize: 1 }));
  const decodeLayer = (name: string) => {
    const layer = result.stages.decode.layers.find((l) => l.name === name);
    assert.ok(layer, name);
    return layer;
  };

  it('q_proj in decode', () => {
    const q = decodeLayer('q_proj');
    // OPs = ic·oc·b·T·2 = 4096·4096·1·1·2
    assert.equal(q.flops, 33_554_432);
    // load_weight = 4096·4096·2 bytes; load_act = store_act = 4096·1·1·2
    assert.equal(q.bytes.weights, 33_554_432);
    assert.equal(q.bytes.activations_in, 8_192);
    assert.equal(q.bytes.activations_out, 8_192);
    assert.equal(q.bytes.kv_read + q.bytes.kv_write, 0);
    // memory_access = 33,554,432 + 8,192 + 8,192 = 33,570,816; AI = 33,554,432 / 33,570,816
    assert.equal(q.arithmetic_intensity, 33_554_432 / 33_570_816);
    assertRelative(q.arithmetic_intensity, 0.99951195705, 'AI', 1e-11);
    // turning point = 154.8e12 / 768e9 = 201.5625 > 0.9995, so memory-bound
    assert.equal(result.hardware.ridge_point, 201.5625);
    assert.equal(q.bound, 'memory');
    // time = OPs / (AI · 768e9) = 33,570,816 / 768e9 = 4.3712e-5 s
    assertRelative(q.seconds, 4.3712e-5, 'q_proj seconds', 1e-15);
    assert.equal(q.count, 32);
  });

  it('decode totals', () => {
    // Per block: linear 2·(4·4096² + 3·4096·11008) = 404,750,336; qk = sv = 1024·128·32·2 = 8,388,608;
    // softmax 32·1024·5 = 163,840; norms 2·4096·7 = 57,344; adds 2·4096 = 8,192; act 4096·2 = 8,192.
    // Block 421,765,120 × 32 = 13,496,483,840, plus lm_head 4096·32000 = 131,072,000.
    assert.equal(result.stages.decode.totals.flops, 13_627_555_840);
    // Every decode layer is memory-bound here, so the time is bytes / bandwidth:
    // 13,767,891,456 B / 768e9 B/s = 17.927 ms.
    assert.ok(result.stages.decode.layers.every((layer) => layer.bound === 'memory'));
    assert.equal(result.stages.decode.totals.bytes, 13_767_891_456);
    assertRelative(result.stages.decode.totals.seconds, 13_767_891_456 / 768e9, 'decode seconds', 1e-12);
  });

  it('decode memory consumption', () => {
    const memory = result.stages.decode.memory;
    // weights = 32 blocks · (4·4096² + 3·4096·11008) · 2 bytes = 12,952,010,752 (lm_head excluded)
    assert.equal(memory.weights_bytes, 12_952_010_752);
    // KV = 32 blocks · 2 (K, V) · 4096 · b 1 · s 1024 · 2 bytes = 536,870,912
    assert.equal(memory.kv_cache_bytes, 536_870_912);
    // tmp_act = one block's stores: q 8192 + out 8192 + gate 22016 + up 22016 + down 8192
    // + qk 65,536 (1024·32·2) + sv 8,192 + softmax 65,536 + 2 norms 16,384 + 2 adds 16,384 + act 8,192
    assert.equal(memory.activations_bytes, 248_832);
    assert.equal(memory.total_bytes, 13_489_130_496);
  });

  it('prefill totals', () => {
    // The spec rounds the prefill OPs to 1.38205e13 and the v2024 time to 102.43 ms; latest's
    // slightly lower A6000 FP16 peak (154.8e12 vs 154.8385e12) makes the compute-bound layers
    // slower, giving 102.45 ms.
    assert.equal(result.stages.prefill.totals.flops, 13_820_530_524_160);
    assertRelative(result.stages.prefill.totals.seconds, 0.10245, 'prefill seconds', 1e-4);
    assert.equal(result.metrics.ttft_seconds, result.stages.prefill.totals.seconds);
  });
});
