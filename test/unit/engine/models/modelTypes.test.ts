/**
 * Model types beyond transformers' oracle file (transformersOracle.test.ts), each checked on a real
 * config.json (test/fixtures/hf-types, sources in its SOURCES.md) against figures written out by
 * hand from transformers' `modeling_<type>.py`: which linear layers exist and whether they have a
 * bias, which norms (RMSNorm: a weight; LayerNorm: weight and bias), position tables, tied or
 * untied lm_head. Conventions as in counts.ts and the oracle: parameters of the unsplit model; KV
 * bytes per token in 16 bits (T = 64 is inside every window, so sliding blocks count whole);
 * prefill FLOPs at T = 64 of every matmul (2·T·in·out, bias adds T·out, eager attention's full
 * T × T square 4·T²·heads·d, routed experts for their k per token, lm_head for the last token).
 * The parameter count of each file is also compared with the model's published size, as rounded.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { HfConfig } from '../../../../language-server/src/engine/types';
import { assertClose } from '../default/helpers';
import { kvBytes, parameterCounts, prefillMatmulFlops } from './counts';

const T = 64;
const B = 2; // bytes per 16-bit element

/** One block's share of the prefill: its matmul weights (active ones for MoE) and bias elements. */
interface BlockWork {
  blocks: number;
  matmul: number;
  bias?: number;
  /** Eager attention's square: query heads and the q·k width (d), and the value width when it differs (MLA). */
  heads?: number;
  headDim?: number;
  valueDim?: number;
}

function prefillFlops(work: readonly BlockWork[], lmHead: { hidden: number; vocab: number; bias?: boolean }): number {
  let flops = 2 * lmHead.hidden * lmHead.vocab + (lmHead.bias ? lmHead.vocab : 0);
  for (const { blocks, matmul, bias = 0, heads = 0, headDim = 0, valueDim = headDim } of work) {
    flops += blocks * (2 * T * matmul + T * bias + 2 * T * T * heads * (headDim + valueDim));
  }
  return flops;
}

interface Case {
  modelType: string;
  file: string;
  /** The model's published size as its name, model card or hub page rounds it, to check the file against (within 3%). */
  published: number;
  total: number;
  active?: number;
  kvBytesPerToken: number;
  prefillFlops: number;
}

const CASES: Case[] = [];

// GPT-Neo 125M (modeling_gpt_neo.py): wte 50257 × 768, wpe 2048 × 768; per block ln_1 and ln_2
// (LayerNorm), q/k/v 768 × 768 without bias, out_proj with bias, c_fc 768 × 3072 and c_proj 3072 × 768
// with biases; ln_f; lm_head tied. Local attention (window 256) on odd blocks.
{
  const matmul = 4 * 768 * 768 + 2 * 768 * 3072;
  const bias = 768 + 3072 + 768;
  CASES.push({
    modelType: 'gpt_neo',
    file: 'gpt-neo-125m',
    published: 125e6, // "125M"
    total: 50257 * 768 + 2048 * 768 + 12 * (matmul + bias + 4 * 768) + 2 * 768,
    kvBytesPerToken: 12 * 2 * 768 * B,
    prefillFlops: prefillFlops([{ blocks: 12, matmul, bias, heads: 12, headDim: 64 }], { hidden: 768, vocab: 50257 }),
  });
}

// GPT-J 6B (modeling_gptj.py): wte 50400 × 4096; per block one ln_1 (parallel attention and MLP),
// q/k/v/out 4096 × 4096 without bias, fc_in 4096 × 16384 and fc_out 16384 × 4096 with biases; ln_f;
// lm_head 4096 × 50400 with a bias, untied.
{
  const matmul = 4 * 4096 * 4096 + 2 * 4096 * 16384;
  const bias = 16384 + 4096;
  CASES.push({
    modelType: 'gptj',
    file: 'gpt-j-6b',
    published: 6_053_381_344, // model card's n_parameters
    total: 2 * 50400 * 4096 + 28 * (matmul + bias + 2 * 4096) + 2 * 4096 + 50400,
    kvBytesPerToken: 28 * 2 * 4096 * B,
    prefillFlops: prefillFlops([{ blocks: 28, matmul, bias, heads: 16, headDim: 256 }], { hidden: 4096, vocab: 50400, bias: true }),
  });
}

// CodeGen 350M (modeling_codegen.py): as GPT-J: qkv_proj 1024 × 3072 and out_proj without bias,
// fc_in/fc_out with biases, one ln_1, lm_head with a bias, untied.
{
  const matmul = 4 * 1024 * 1024 + 2 * 1024 * 4096;
  const bias = 4096 + 1024;
  CASES.push({
    modelType: 'codegen',
    file: 'codegen-350m-mono',
    published: 350e6, // "350M"
    total: 2 * 51200 * 1024 + 20 * (matmul + bias + 2 * 1024) + 2 * 1024 + 51200,
    kvBytesPerToken: 20 * 2 * 1024 * B,
    prefillFlops: prefillFlops([{ blocks: 20, matmul, bias, heads: 16, headDim: 64 }], { hidden: 1024, vocab: 51200, bias: true }),
  });
}

// Phi-2 (modeling_phi.py): one input_layernorm per block (parallel), q/k/v/dense 2560 × 2560 with
// biases, fc1 2560 × 10240 and fc2 with biases; final_layernorm; lm_head with a bias, untied.
{
  const matmul = 4 * 2560 * 2560 + 2 * 2560 * 10240;
  const bias = 4 * 2560 + 10240 + 2560;
  CASES.push({
    modelType: 'phi',
    file: 'phi-2',
    published: 2.7e9, // model card: 2.7 billion
    total: 2 * 51200 * 2560 + 32 * (matmul + bias + 2 * 2560) + 2 * 2560 + 51200,
    kvBytesPerToken: 32 * 2 * 2560 * B,
    prefillFlops: prefillFlops([{ blocks: 32, matmul, bias, heads: 32, headDim: 80 }], { hidden: 2560, vocab: 51200, bias: true }),
  });
}

// BLOOM 560M (modeling_bloom.py): word_embeddings and word_embeddings_layernorm; per block two
// LayerNorms, query_key_value 1024 × 3072 and dense with biases, dense_h_to_4h and dense_4h_to_h with
// biases (ALiBi: no position table); ln_f; lm_head tied.
{
  const matmul = 4 * 1024 * 1024 + 2 * 1024 * 4096;
  const bias = 3072 + 1024 + 4096 + 1024;
  CASES.push({
    modelType: 'bloom',
    file: 'bloom-560m',
    published: 559_214_592, // model card
    total: 250880 * 1024 + 2 * 1024 + 24 * (matmul + bias + 4 * 1024) + 2 * 1024,
    kvBytesPerToken: 24 * 2 * 1024 * B,
    prefillFlops: prefillFlops([{ blocks: 24, matmul, bias, heads: 16, headDim: 64 }], { hidden: 1024, vocab: 250880 }),
  });
}

// StableLM 2 1.6B (modeling_stablelm.py): LayerNorms (weight and bias) before attention and MLP,
// q/k/v with biases (use_qkv_bias), o_proj without, gated MLP 3 × 2048 × 5632; untied.
{
  const matmul = 4 * 2048 * 2048 + 3 * 2048 * 5632;
  const bias = 3 * 2048;
  CASES.push({
    modelType: 'stablelm',
    file: 'stablelm-2-zephyr-1_6b',
    published: 1.6e9, // "1.6B"
    total: 2 * 100352 * 2048 + 24 * (matmul + bias + 4 * 2048) + 2 * 2048,
    kvBytesPerToken: 24 * 2 * 2048 * B,
    prefillFlops: prefillFlops([{ blocks: 24, matmul, bias, heads: 32, headDim: 64 }], { hidden: 2048, vocab: 100352 }),
  });
}

// OLMo 1B (modeling_olmo.py): LayerNorms without parameters, no biases, gated MLP; tied.
{
  const matmul = 4 * 2048 * 2048 + 3 * 2048 * 8192;
  CASES.push({
    modelType: 'olmo',
    file: 'olmo-1b-hf',
    published: 1.18e9, // hub: 1.18B
    total: 50304 * 2048 + 16 * matmul,
    kvBytesPerToken: 16 * 2 * 2048 * B,
    prefillFlops: prefillFlops([{ blocks: 16, matmul, heads: 16, headDim: 128 }], { hidden: 2048, vocab: 50304 }),
  });
}

// DeepSeek-V2-Lite (modeling_deepseek_v2.py): MLA without q_lora_rank: q_proj 2048 × 16·(128 + 64),
// kv_a_proj_with_mqa 2048 × (512 + 64), kv_a_layernorm 512, kv_b_proj 512 × 16·(128 + 128), o_proj
// 16·128 × 2048; block 0 a dense MLP of 10944, blocks 1–26 a router 2048 × 64, 64 experts of 1408
// (6 per token) and 2 shared experts (2 · 1408 columns); untied. The cache is the latent, 512 + 64.
{
  const attention = 2048 * 16 * 192 + 2048 * 576 + 512 * 16 * 256 + 16 * 128 * 2048;
  const expert = 3 * 2048 * 1408;
  const shared = 3 * 2048 * 2816;
  const total = 2 * 102400 * 2048 + 27 * (attention + 512 + 2 * 2048) + 3 * 2048 * 10944 + 26 * (2048 * 64 + 64 * expert + shared) + 2048;
  CASES.push({
    modelType: 'deepseek_v2',
    file: 'deepseek-v2-lite',
    published: 15.7e9, // model card: 15.7B total
    total,
    active: total - 26 * (64 - 6) * expert,
    kvBytesPerToken: 27 * (512 + 64) * B,
    prefillFlops: prefillFlops(
      [
        { blocks: 27, matmul: attention, heads: 16, headDim: 192, valueDim: 128 },
        { blocks: 1, matmul: 3 * 2048 * 10944 },
        { blocks: 26, matmul: 2048 * 64 + 6 * expert + shared },
      ],
      { hidden: 2048, vocab: 102400 },
    ),
  });
}

// Granite-3.0-1B-A400M (modeling_granitemoe.py): q/o 1024 × 1024, k/v 1024 × 512, router 1024 × 32,
// 32 experts of 3 × 1024 × 512 (8 per token), RMSNorms; tied.
{
  const attention = 2 * 1024 * 1024 + 2 * 1024 * 512;
  const expert = 3 * 1024 * 512;
  const total = 49155 * 1024 + 24 * (attention + 1024 * 32 + 32 * expert + 2 * 1024) + 1024;
  CASES.push({
    modelType: 'granitemoe',
    file: 'granite-3.0-1b-a400m',
    published: 1.3e9, // model card: 1.3B total
    total,
    active: total - 24 * 24 * expert,
    kvBytesPerToken: 24 * 2 * 8 * 64 * B,
    prefillFlops: prefillFlops([{ blocks: 24, matmul: attention + 1024 * 32 + 8 * expert, heads: 16, headDim: 64 }], { hidden: 1024, vocab: 49155 }),
  });
}

// SmolLM3-3B (modeling_smollm3.py): Llama block, 16 heads, 4 KV heads of 128; tied (SmolLM3Config
// defaults tie_word_embeddings to true and the file leaves it out).
{
  const matmul = 2 * 2048 * 2048 + 2 * 2048 * 512 + 3 * 2048 * 11008;
  CASES.push({
    modelType: 'smollm3',
    file: 'smollm3-3b',
    published: 3.08e9, // hub: 3.08B
    total: 128256 * 2048 + 36 * (matmul + 2 * 2048) + 2048,
    kvBytesPerToken: 36 * 2 * 4 * 128 * B,
    prefillFlops: prefillFlops([{ blocks: 36, matmul, heads: 16, headDim: 128 }], { hidden: 2048, vocab: 128256 }),
  });
}

// Helium-1 2B (modeling_helium.py): Llama block, 20 heads of 128; untied.
{
  const matmul = 4 * 2560 * 2560 + 3 * 2560 * 7040;
  CASES.push({
    modelType: 'helium',
    file: 'helium-1-preview-2b',
    published: 2.17e9, // hub: 2.17B
    total: 2 * 48000 * 2560 + 24 * (matmul + 2 * 2560) + 2560,
    kvBytesPerToken: 24 * 2 * 20 * 128 * B,
    prefillFlops: prefillFlops([{ blocks: 24, matmul, heads: 20, headDim: 128 }], { hidden: 2560, vocab: 48000 }),
  });
}

// Persimmon-8B (modeling_persimmon.py): query_key_value 4096 × 12288 and dense with biases, q/k
// LayerNorms over head_dim 64 (weight and bias), dense_h_to_4h and dense_4h_to_h with biases (ReLU²),
// two LayerNorms per block; final_layernorm; untied.
{
  const matmul = 4 * 4096 * 4096 + 2 * 4096 * 16384;
  const bias = 12288 + 4096 + 16384 + 4096;
  CASES.push({
    modelType: 'persimmon',
    file: 'persimmon-8b-base',
    published: 9.3e9, // release post: 9.3B
    total: 2 * 262144 * 4096 + 36 * (matmul + bias + 2 * (2 * 64) + 4 * 4096) + 2 * 4096,
    kvBytesPerToken: 36 * 2 * 4096 * B,
    prefillFlops: prefillFlops([{ blocks: 36, matmul, bias, heads: 64, headDim: 64 }], { hidden: 4096, vocab: 262144 }),
  });
}

// AFM-4.5B (modeling_arcee.py): Llama attention (20 heads, 4 KV heads of 128), plain up/down MLP
// with ReLU², RMSNorms; untied.
{
  const matmul = 2 * 2560 * 2560 + 2 * 2560 * 512 + 2 * 2560 * 18432;
  CASES.push({
    modelType: 'arcee',
    file: 'afm-4.5b',
    published: 4.5e9, // "4.5B"
    total: 2 * 128004 * 2560 + 36 * (matmul + 2 * 2560) + 2560,
    kvBytesPerToken: 36 * 2 * 4 * 128 * B,
    prefillFlops: prefillFlops([{ blocks: 36, matmul, heads: 20, headDim: 128 }], { hidden: 2560, vocab: 128004 }),
  });
}

// Command R7B (modeling_cohere2.py): one LayerNorm without bias per block (parallel), no biases,
// gated MLP; tied (Cohere2Config's default). 24 sliding (4096) and 8 full blocks, all within T.
{
  const matmul = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336;
  CASES.push({
    modelType: 'cohere2',
    file: 'c4ai-command-r7b-12-2024',
    published: 8.03e9, // hub: 8.03B
    total: 256000 * 4096 + 32 * (matmul + 4096) + 4096,
    kvBytesPerToken: 32 * 2 * 8 * 128 * B,
    prefillFlops: prefillFlops([{ blocks: 32, matmul, heads: 32, headDim: 128 }], { hidden: 4096, vocab: 256000 }),
  });
}

// GLM-4-9B (modeling_glm.py): q/k/v with biases (attention_bias), o_proj without, fused gate_up
// 4096 × 2·13696 and down; untied.
{
  const matmul = 2 * 4096 * 4096 + 2 * 4096 * 256 + 3 * 4096 * 13696;
  const bias = 4096 + 2 * 256;
  CASES.push({
    modelType: 'glm',
    file: 'glm-4-9b-chat-hf',
    published: 9.4e9, // hub: 9.4B
    total: 2 * 151552 * 4096 + 40 * (matmul + bias + 2 * 4096) + 4096,
    kvBytesPerToken: 40 * 2 * 2 * 128 * B,
    prefillFlops: prefillFlops([{ blocks: 40, matmul, bias, heads: 32, headDim: 128 }], { hidden: 4096, vocab: 151552 }),
  });
}

// Seed-OSS-36B (modeling_seed_oss.py): q/k/v with biases (attention_bias), o_proj without
// (attention_out_bias false), 80 heads and 8 KV heads of 128; untied.
{
  const matmul = 2 * 5120 * 10240 + 2 * 5120 * 1024 + 3 * 5120 * 27648;
  const bias = 10240 + 2 * 1024;
  CASES.push({
    modelType: 'seed_oss',
    file: 'seed-oss-36b',
    published: 36.15e9, // model card: 36.15B
    total: 2 * 155136 * 5120 + 64 * (matmul + bias + 2 * 5120) + 5120,
    kvBytesPerToken: 64 * 2 * 8 * 128 * B,
    prefillFlops: prefillFlops([{ blocks: 64, matmul, bias, heads: 80, headDim: 128 }], { hidden: 5120, vocab: 155136 }),
  });
}

// OLMo-3-7B (modeling_olmo3.py): norms only after attention and MLP, q_norm and k_norm over all
// heads (4096 each); 24 sliding (4096) and 8 full blocks; untied.
{
  const matmul = 4 * 4096 * 4096 + 3 * 4096 * 11008;
  CASES.push({
    modelType: 'olmo3',
    file: 'olmo-3-7b',
    published: 7.3e9, // hub: 7.3B
    total: 2 * 100278 * 4096 + 32 * (matmul + 2 * 4096 + 2 * 4096) + 4096,
    kvBytesPerToken: 32 * 2 * 4096 * B,
    prefillFlops: prefillFlops([{ blocks: 32, matmul, heads: 32, headDim: 128 }], { hidden: 4096, vocab: 100278 }),
  });
}

// OLMoE-1B-7B (modeling_olmoe.py): q_norm and k_norm over all heads (2048 each), router 2048 × 64,
// 64 experts of 3 × 2048 × 1024 (8 per token); untied.
{
  const expert = 3 * 2048 * 1024;
  const total = 2 * 50304 * 2048 + 16 * (4 * 2048 * 2048 + 2 * 2048 + 2048 * 64 + 64 * expert + 2 * 2048) + 2048;
  CASES.push({
    modelType: 'olmoe',
    file: 'olmoe-1b-7b-0924',
    published: 6.92e9, // hub: 6.92B
    total,
    active: total - 16 * 56 * expert,
    kvBytesPerToken: 16 * 2 * 2048 * B,
    prefillFlops: prefillFlops([{ blocks: 16, matmul: 4 * 2048 * 2048 + 2048 * 64 + 8 * expert, heads: 16, headDim: 128 }], { hidden: 2048, vocab: 50304 }),
  });
}

// EXAONE-4.0-32B (modeling_exaone4.py): norms after attention and MLP, q_norm/k_norm of head_dim;
// 48 sliding (4096) and 16 full blocks ("LLLG"); untied.
{
  const matmul = 2 * 5120 * 5120 + 2 * 5120 * 1024 + 3 * 5120 * 27392;
  CASES.push({
    modelType: 'exaone4',
    file: 'exaone-4.0-32b',
    published: 32e9, // "32B"
    total: 2 * 102400 * 5120 + 64 * (matmul + 2 * 128 + 2 * 5120) + 5120,
    kvBytesPerToken: 64 * 2 * 8 * 128 * B,
    prefillFlops: prefillFlops([{ blocks: 64, matmul, heads: 40, headDim: 128 }], { hidden: 5120, vocab: 102400 }),
  });
}

// DBRX (modeling_dbrx.py): d_model 6144, Wqkv 6144 × (6144 + 2·1024) and out_proj without bias,
// two LayerNorms without bias per block, router 6144 × 16, 16 GLU experts of 3 × 6144 × 10752
// (4 per token); untied.
{
  const expert = 3 * 6144 * 10752;
  const attention = 6144 * 8192 + 6144 * 6144;
  const total = 2 * 100352 * 6144 + 40 * (attention + 6144 * 16 + 16 * expert + 2 * 6144) + 6144;
  CASES.push({
    modelType: 'dbrx',
    file: 'dbrx-base',
    published: 132e9, // model card: 132B total
    total,
    active: total - 40 * 12 * expert,
    kvBytesPerToken: 40 * 2 * 8 * 128 * B,
    prefillFlops: prefillFlops([{ blocks: 40, matmul: attention + 6144 * 16 + 4 * expert, heads: 48, headDim: 128 }], { hidden: 6144, vocab: 100352 }),
  });
}

function fixture(file: string): HfConfig {
  return JSON.parse(readFileSync(path.resolve(__dirname, '../../../fixtures/hf-types', `${file}.json`), 'utf8')) as HfConfig;
}

describe(`model types checked by hand against transformers' modelling code (${CASES.length})`, () => {
  for (const item of CASES) {
    it(`${item.modelType} (${item.file})`, () => {
      const config = fixture(item.file);
      assert.equal(config.model_type, item.modelType);
      const counts = parameterCounts(config);
      assert.equal(counts.total, item.total, 'total parameters');
      assert.equal(counts.active, item.active ?? item.total, 'active parameters');
      assertClose(item.total, item.published, 0.03, 'the file against the published size');
      assert.equal(kvBytes(config, T) / T, item.kvBytesPerToken, 'KV bytes per token');
      assertClose(prefillMatmulFlops(config, T), item.prefillFlops, 1e-12, 'prefill FLOPs');
    });
  }
});

describe('attention kinds read from family-specific fields', () => {
  it('GPT-Neo: local blocks (attention_layers, window_size 256) keep at most 256 tokens', () => {
    const config = fixture('gpt-neo-125m');
    // 6 global blocks keep all 300 tokens, 6 local blocks the last 256: 2 · 768 elements per token and block.
    assert.equal(kvBytes(config, 300), (6 * 300 + 6 * 256) * 2 * 768 * B);
  });

  it('EXAONE-4: the letter pattern "LLLG" alone gives the same blocks as layer_types', () => {
    const config = fixture('exaone-4.0-32b');
    const { layer_types: _listed, ...lettersOnly } = config;
    // 48 local blocks keep 4096 of 5000 tokens, 16 global blocks all of them; 2 · 8 · 128 elements each.
    const expected = (48 * 4096 + 16 * 5000) * 2 * 8 * 128 * B;
    assert.equal(kvBytes(config, 5000), expected);
    assert.equal(kvBytes(lettersOnly, 5000), expected);
  });
});
