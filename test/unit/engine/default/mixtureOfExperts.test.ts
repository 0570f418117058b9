import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { expectedExpertsTouched } from '../../../../language-server/src/engine/default/experts';
import type { HfConfig } from '../../../../language-server/src/engine/types';
import { H100, analyze, assertClose, hfConfig, sixteenBitCheckpoint, layer, layerNames } from './helpers';

describe('default conventions: mixture of experts', () => {
  describe('Mixtral-8x7B (H 4096, 32 blocks, 8 experts of 14336 columns, 2 per token)', () => {
    const decode1 = analyze({ model: hfConfig('mixtral-8x7b'), batchSize: 1, promptTokens: 1024, outputTokens: 16 });
    const decode64 = analyze({ model: hfConfig('mixtral-8x7b'), hardware: H100, batchSize: 64, promptTokens: 1024, outputTokens: 16 });

    it('counts 46.70 B parameters, 12.88 B active per token', () => {
      // Per block: attention q 4096·4096 + k 4096·1024 + v 4096·1024 + o 4096·4096 = 41,943,040,
      // norms 8,192, router 4096·8 = 32,768, experts 8 · 3 · 4096·14336 = 1,409,286,144
      // → 1,451,270,144 · 32 = 46,440,644,608; + embedding and untied lm_head 2 · 32000·4096
      // + final norm 4096 = 46,702,792,704.
      assert.equal(decode1.model.parameters, 46_702_792_704);
      // Active: 2 of 8 experts, 2 · 3 · 4096·14336 = 352,321,536 per block → 394,305,536 · 32
      // + 262,148,096 = 12,879,925,248.
      assert.equal(decode1.model.active_parameters, 12_879_925_248);
    });

    it('caches 2 · 32 · 8 · 128 · 2 B = 131,072 B per token', () => {
      assert.equal(decode1.stages.prefill.memory.kv_cache_bytes, 1024 * 131_072);
    });

    it('holds every expert in memory', () => {
      // 46,702,792,704 parameters, of which 32 · 8,192 + 4,096 = 266,240 norm scales, all 2 B.
      assert.equal(decode1.memory.weights_bytes, 46_702_792_704 * 2);
    });

    it('lays out router, experts, combine between mlp_norm and mlp_add', () => {
      const names = layerNames(decode1, 'decode');
      assert.deepEqual(names.slice(names.indexOf('mlp_norm'), names.indexOf('mlp_add') + 1), [
        'mlp_norm',
        'router',
        'experts_gate_proj',
        'experts_up_proj',
        'experts_act',
        'experts_down_proj',
        'experts_combine',
        'mlp_add',
      ]);
      assert.ok(!names.includes('gate_proj'));
      assert.equal(layer(decode1, 'decode', 'experts_gate_proj').count, 32);
    });

    it('decode at batch 1 reads the weights of 2 of the 8 experts, and does the work of 2', () => {
      // E · (1 − (1 − k/E)^1) = 8 · (1 − 6/8) = 2 experts of 4096·14336·2 B = 117,440,512 B each.
      const gate = layer(decode1, 'decode', 'experts_gate_proj');
      assert.equal(gate.bytes.weights, 2 * 117_440_512);
      assert.equal(gate.flops, 2 * 2 * 4096 * 14336); // one token through 2 experts
      assert.equal(gate.bytes.activations_in, 2 * 4096 * 2); // its row, once per expert
      assert.equal(layer(decode1, 'decode', 'router').bytes.weights, 4096 * 8 * 2);
      assert.equal(layer(decode1, 'decode', 'experts_act').bytes.activations_out, 2 * 14336 * 2);
    });

    it('decode at batch 64 reads practically all 8 experts but still does the work of 2 per token', () => {
      // 8 · (1 − 0.75^64); 0.75^64 = e^(64 · ln 0.75) = e^(−18.41) ≈ 1.005e-8, so 7.99999992 experts.
      const touched = 8 * (1 - 0.75 ** 64);
      assert.ok(touched > 7.9999999 && touched < 8);
      const gate = layer(decode64, 'decode', 'experts_gate_proj');
      assertClose(gate.bytes.weights, touched * 117_440_512, 1e-12);
      assert.equal(gate.flops, 64 * 2 * 2 * 4096 * 14336);
      assert.ok(decode64.notes.some((note) => note.includes('8.00 of 8 per block in a decode step of batch 64')));
      assert.ok(decode1.notes.some((note) => note.includes('2.00 of 8 per block in a decode step of batch 1')));
    });

    it('combines the 2 expert outputs per token', () => {
      // reads 2 rows of 4096 and the 2 router weights, writes one row; 2 · 2 · 4096 FLOPs
      const combine = layer(decode1, 'decode', 'experts_combine');
      assert.equal(combine.bytes.activations_in, (2 * 4096 + 2) * 2);
      assert.equal(combine.bytes.activations_out, 4096 * 2);
      assert.equal(combine.flops, 2 * 2 * 4096);
    });

    it('splits every expert by columns under tensor parallelism, keeping the router whole', () => {
      const tp2 = analyze({ model: hfConfig('mixtral-8x7b'), hardware: H100, tensor: 2, promptTokens: 512, outputTokens: 8 });
      assert.equal(layer(tp2, 'decode', 'experts_gate_proj').bytes.weights, 2 * 4096 * 7168 * 2);
      assert.equal(layer(tp2, 'decode', 'router').bytes.weights, 4096 * 8 * 2);
      const names = layerNames(tp2, 'decode');
      assert.deepEqual(names.slice(names.indexOf('experts_combine'), names.indexOf('experts_combine') + 3), [
        'experts_combine',
        'mlp_all_reduce',
        'mlp_add',
      ]);
      assert.equal(tp2.model.parameters, 46_702_792_704);
    });
  });

  it('expected experts touched: k at one token, all E at many, E·(1 − (1 − k/E)^n) between', () => {
    assert.equal(expectedExpertsTouched(8, 2, 1), 2);
    assertClose(expectedExpertsTouched(128, 8, 1), 8, 1e-12);
    // Qwen3-30B-A3B at batch 64: 128 · (1 − (15/16)^64) = 128 · (1 − 0.016077) = 125.94
    assertClose(expectedExpertsTouched(128, 8, 64), 128 * (1 - (15 / 16) ** 64), 1e-12);
    assert.ok(Math.abs(expectedExpertsTouched(128, 8, 64) - 125.94) < 0.01);
    assertClose(expectedExpertsTouched(8, 2, 100_000), 8, 1e-12);
    assert.equal(expectedExpertsTouched(4, 4, 3), 4);
  });

  describe('Qwen3-30B-A3B (H 2048, 48 blocks, 128 experts of 768 columns, 8 per token, head_dim 128)', () => {
    const result = analyze({ model: hfConfig('qwen3-30b-a3b'), batchSize: 1, promptTokens: 1024, outputTokens: 16 });

    it('counts 30.53 B parameters, 3.35 B active', () => {
      // Per block: q 2048·4096 + k 2048·512 + v 2048·512 + o 4096·2048 + q_norm/k_norm 2 · 128
      // = 18,874,624; norms 4,096; router 2048·128 = 262,144; experts 128 · 3 · 2048·768
      // = 603,979,776 → 623,120,640 · 48 = 29,909,790,720; + 2 · 151936·2048 + 2048 = 30,532,122,624.
      assert.equal(result.model.parameters, 30_532_122_624);
      // Active: 8 · 3 · 2048·768 = 37,748,736 per block → 56,889,600 · 48 + 622,331,904 = 3,353,032,704.
      assert.equal(result.model.active_parameters, 3_353_032_704);
    });

    it('has no shared expert, per-head q/k norms, and reads 8 of 128 experts in a decode step', () => {
      const names = layerNames(result, 'decode');
      assert.ok(!names.some((name) => name.startsWith('shared_expert')));
      assert.ok(names.includes('q_norm') && names.includes('k_norm'));
      assert.equal(layer(result, 'decode', 'experts_down_proj').bytes.weights, 8 * 768 * 2048 * 2);
      // A 1024-token prefill touches all 128: 128 · (1 − (15/16)^1024), (15/16)^1024 ≈ 2e-29.
      assertClose(layer(result, 'prefill', 'experts_down_proj').bytes.weights, 128 * 768 * 2048 * 2, 1e-12);
      // KV: 2 · 48 · 4 · 128 · 2 B = 98,304 B per token.
      assert.equal(result.stages.prefill.memory.kv_cache_bytes, 1024 * 98_304);
    });
  });

  describe('DeepSeek-V3: 3 dense blocks, then 58 blocks of 256 routed + 1 shared expert', () => {
    const result = analyze({ model: sixteenBitCheckpoint(hfConfig('deepseek-v3')), hardware: H100, batchSize: 1, promptTokens: 1024, outputTokens: 16 });

    it('counts 671.0 B parameters, 37.55 B active', () => {
      // Per block: MLA 187,107,328 (see latentAttention.test.ts) + 2 norms 14,336 → · 61 = 11,414,421,504;
      // dense MLP 3 · 7168·18432 = 396,361,728 · 3 = 1,189,085,184;
      // MoE: router 7168·256 + correction bias 256 = 1,835,264, experts 256 · 3 · 7168·2048
      // = 11,274,289,152, shared 3 · 7168·2048 = 44,040,192 → 11,320,164,608 · 58 = 656,569,547,264;
      // embedding + lm_head 2 · 129280·7168 = 1,853,358,080; final norm 7,168. Sum 671,026,419,200.
      assert.equal(result.model.parameters, 671_026_419_200);
      // Active: experts 8/256 → 352,321,536; MoE block 398,196,992 · 58 = 23,095,425,536;
      // + 11,414,421,504 + 1,189,085,184 + 1,853,365,248 = 37,552,297,472.
      assert.equal(result.model.active_parameters, 37_552_297_472);
    });

    it('gives the first 3 blocks a dense MLP and the other 58 experts with a shared expert', () => {
      assert.equal(layer(result, 'decode', 'gate_proj').count, 3);
      assert.equal(layer(result, 'decode', 'gate_proj').bytes.weights, 7168 * 18432 * 2);
      assert.equal(layer(result, 'decode', 'router').count, 58);
      assert.equal(layer(result, 'decode', 'shared_expert_gate_proj').bytes.weights, 7168 * 2048 * 2);
      assert.equal(layer(result, 'decode', 'mlp_norm').count, 61);
      // decode at batch 1 reads 8 of 256 experts
      assert.equal(layer(result, 'decode', 'experts_up_proj').bytes.weights, 8 * 7168 * 2048 * 2);
      // the combine adds 8 routed outputs and the shared one
      assert.equal(layer(result, 'decode', 'experts_combine').flops, 7168 * (2 * 8 + 1));
      assert.ok(result.notes.some((note) => note.includes('The other 3 blocks have a dense MLP')));
      assert.ok(result.notes.some((note) => note.includes('num_nextn_predict_layers = 1')));
    });
  });

  it('Qwen2-MoE style: shared_expert_intermediate_size with a sigmoid gate, decoder_sparse_step and mlp_only_layers', () => {
    const config: HfConfig = {
      model_type: 'qwen2_moe',
      hidden_size: 64,
      intermediate_size: 256,
      moe_intermediate_size: 32,
      shared_expert_intermediate_size: 128,
      num_experts: 4,
      num_experts_per_tok: 2,
      decoder_sparse_step: 2,
      mlp_only_layers: [3],
      num_hidden_layers: 6,
      num_attention_heads: 4,
      num_key_value_heads: 4,
      vocab_size: 100,
      tie_word_embeddings: false,
    };
    const result = analyze({ model: config, promptTokens: 16, outputTokens: 4 });
    // MoE blocks: (i + 1) % 2 == 0 → 1, 3, 5; 3 is in mlp_only_layers → 1 and 5.
    assert.equal(layer(result, 'decode', 'router').count, 2);
    assert.equal(layer(result, 'decode', 'gate_proj').count, 4);
    assert.equal(layer(result, 'decode', 'shared_expert_up_proj').bytes.weights, 64 * 128 * 2);
    assert.equal(layer(result, 'decode', 'shared_expert_gate').bytes.weights, 64 * 2);
    // q/k/v biases but none on o_proj, as in Qwen2
    assert.equal(layer(result, 'decode', 'k_proj').bytes.weights, 64 * 64 * 2 + 64 * 2);
    assert.equal(layer(result, 'decode', 'o_proj').bytes.weights, 64 * 64 * 2);
  });

  it('rejects more experts per token than experts, and an MoE config without experts per token', () => {
    const mixtral = hfConfig('mixtral-8x7b');
    assert.throws(
      () => analyze({ model: { ...mixtral, num_experts_per_tok: 9 } }),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'model.num_experts_per_tok',
    );
    assert.throws(
      () => analyze({ model: { ...mixtral, num_experts_per_tok: undefined } }),
      (error: unknown) => error instanceof RooflineInputError && error.code === 'missing-field',
    );
  });
});
