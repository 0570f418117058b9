import * as assert from 'node:assert/strict';
import { normalizeModel } from '../../../../language-server/src/engine/model';
import { analyze, assertClose, hfConfig, layer, layerNames } from './helpers';

/**
 * Total parameters derived from the configs in the shared reference models.json
 * (`derived_by_researcher.total_params`), which reproduce the published counts.
 */
const REFERENCE_TOTAL_PARAMETERS: Readonly<Record<string, number>> = {
  'llama-2-7b': 6_738_415_616,
  'llama-2-70b': 68_976_648_192,
  'llama-3.1-8b': 8_030_261_248,
  'llama-3.1-70b': 70_553_706_496,
  'mistral-7b': 7_241_732_096,
  'qwen2.5-7b': 7_615_616_512,
  'opt-6.7b': 6_658_473_984,
  'phi-3-mini': 3_821_079_552,
  'gemma-2-9b': 9_241_705_984,
};

describe('default conventions: architectures', () => {
  for (const [folder, expected] of Object.entries(REFERENCE_TOTAL_PARAMETERS)) {
    it(`counts every weight of ${folder} within 0.5% of the reference total`, () => {
      const parameters = analyze({ model: hfConfig(folder), promptTokens: 128, outputTokens: 16 }).model.parameters;
      assertClose(parameters, expected, 0.005, `${folder} parameters`);
    });
  }

  it('OPT: plain fc1/fc2 MLP with ReLU, LayerNorm, biases, learned positions, tied head', () => {
    const result = analyze({ model: hfConfig('opt-6.7b'), promptTokens: 512, outputTokens: 8 });
    const names = layerNames(result, 'decode');
    assert.ok(!names.includes('gate_proj'));
    assert.deepEqual(names.slice(names.indexOf('mlp_norm'), names.indexOf('mlp_add') + 1), [
      'mlp_norm',
      'up_proj',
      'mlp_act',
      'down_proj',
      'mlp_add',
    ]);
    // fc1 [4096 → 16384] with a bias: 4096·16384·2 B + 16384·2 B.
    assert.equal(layer(result, 'decode', 'up_proj').bytes.weights, 4096 * 16384 * 2 + 16384 * 2);
    assert.equal(layer(result, 'decode', 'q_proj').flops, 2 * 4096 * 4096 + 4096); // + bias adds
    // ReLU reads one input: 16384 · 2 B in and out, 1 op per element.
    const act = layer(result, 'decode', 'mlp_act');
    assert.equal(act.bytes.activations_in, 32_768);
    assert.equal(act.flops, 16_384);
    // LayerNorm loads its weight and bias.
    assert.equal(layer(result, 'decode', 'attn_norm').bytes.weights, 2 * 4096 * 2);
    // Token and position rows are both gathered.
    assert.equal(layer(result, 'decode', 'embedding').bytes.weights, 2 * 4096 * 2);
    // Exactly the derived count: embeddings 205,914,112 + positions 2050·4096 + 32 blocks of
    // 201,379,840 + final LayerNorm 8192, with the head tied.
    assert.equal(result.model.parameters, 6_658_473_984);
  });

  it('Gemma-2-9b: explicit head_dim 256 (not 3584 / 16 = 224), tied head, four norms per block', () => {
    const result = analyze({ model: hfConfig('gemma-2-9b'), promptTokens: 1024, outputTokens: 16 });
    assert.equal(layer(result, 'decode', 'q_proj').bytes.weights, 3584 * (16 * 256) * 2);
    assert.equal(layer(result, 'decode', 'k_proj').bytes.kv_write, 8 * 256 * 2);
    assert.equal(layer(result, 'decode', 'o_proj').bytes.weights, 16 * 256 * 3584 * 2);
    assert.equal(layer(result, 'decode', 'fused_attention').bytes.kv_read, 2 * 8 * 1025 * 256 * 2);
    assert.ok(layerNames(result, 'decode').includes('post_attn_norm'));
    assert.ok(layerNames(result, 'decode').includes('post_mlp_norm'));
    // KV per token from the reference table: 2 · 42 · 8 · 256 · 2 = 344,064 B.
    assert.equal(result.stages.prefill.memory.kv_cache_bytes, 1024 * 344_064);
    assert.equal(result.model.parameters, 9_241_705_984);
  });

  it('Qwen2: biases on q, k, v but not on o_proj', () => {
    const result = analyze({ model: hfConfig('qwen2.5-7b'), promptTokens: 256, outputTokens: 8 });
    assert.equal(layer(result, 'decode', 'k_proj').bytes.weights, 3584 * 512 * 2 + 512 * 2);
    assert.equal(layer(result, 'decode', 'o_proj').bytes.weights, 3584 * 3584 * 2);
  });

  it('Gemma ties its head when the config omits tie_word_embeddings (the library default)', () => {
    const config = hfConfig('gemma-2-9b');
    assert.equal(config.tie_word_embeddings, undefined);
    assert.equal(normalizeModel(config).tieWordEmbeddings, true);
    const untied = analyze({ model: { ...config, tie_word_embeddings: false }, promptTokens: 128, outputTokens: 4 });
    // An untied head adds its own 256000 · 3584 matrix.
    assert.equal(untied.model.parameters - 9_241_705_984, 256_000 * 3584);
  });

  it('reports active parameters equal to the total for a dense model', () => {
    const result = analyze({ model: hfConfig('llama-3.1-8b'), promptTokens: 128, outputTokens: 4 });
    assert.equal(result.model.active_parameters, result.model.parameters);
  });
});
