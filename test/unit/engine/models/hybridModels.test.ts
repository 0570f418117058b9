/**
 * Hybrid models: blocks whose token mixer keeps a constant state per sequence (lightning attention,
 * gated DeltaNet, Mamba, Mamba-2) beside softmax-attention blocks with a KV cache. Every expected
 * figure is written out from transformers' modelling code for the real config.json in
 * test/fixtures/hf-types (sources in its SOURCES.md), with the conventions of counts.ts:
 * parameters of the unsplit model; the 16-bit cache and state one sequence holds; prefill FLOPs of
 * the matmuls (projections 2·T·in·out plus bias adds, the attention square 4·T²·heads·d as eager
 * attention computes it, lm_head for the last token) and of the state kernels that run as matmuls
 * (lightning, DeltaNet, Mamba-2: stateLayers.ts gives their per-token counts). Mamba-1's scan and
 * the convolutions run on the vector units and are not in the matmul count.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { HfConfig } from '../../../../language-server/src/engine/types';
import { H100, analyze, assertClose, layer } from '../default/helpers';
import { kvBytes, parameterCounts, prefillMatmulFlops } from './counts';

function fixture(name: string): HfConfig {
  return JSON.parse(readFileSync(path.resolve(__dirname, '../../../fixtures/hf-types', `${name}.json`), 'utf8')) as HfConfig;
}

const T = 64;
/** A projection's matmul over T tokens. */
const gemm = (parameters: number): number => 2 * T * parameters;
/** Eager attention's Q·K^T and P·V over the full T × T square, per head of d. */
const attentionSquare = (heads: number, d: number): number => 4 * T * T * heads * d;
const B = 2; // bytes per 16-bit element

interface Expected {
  total: number;
  active: number;
  stateBytes: number;
  kvBytesPerToken: number;
  prefillFlops: number;
}

function check(name: string, expected: Expected): void {
  const config = fixture(name);
  const counts = parameterCounts(config);
  assert.equal(counts.total, expected.total, 'total parameters');
  assert.equal(counts.active, expected.active, 'active parameters');
  assert.equal(kvBytes(config, 0), expected.stateBytes, 'state per sequence (no token cached)');
  assert.equal(kvBytes(config, T) - kvBytes(config, 0), T * expected.kvBytesPerToken, 'KV cache grows only in attention blocks');
  assertClose(prefillMatmulFlops(config, T), expected.prefillFlops, 1e-12, 'prefill FLOPs');
}

describe('hybrid models: constant state beside a KV cache, from transformers’ modelling code', () => {
  it('Qwen3-Next-80B-A3B: 36 gated DeltaNet + 12 gated full-attention blocks, 512 experts', () => {
    // Qwen3NextGatedDeltaNet (16 key heads × 128, 32 value heads × 128): in_proj_qkvz 2048 × (2·2048 + 2·4096),
    // in_proj_ba 2048 × 64, conv1d 8192 × 4 (no bias), dt_bias + A_log 2 × 32, norm 128, out_proj 4096 × 2048.
    const deltaNetMatmuls = 2048 * 12288 + 2048 * 64 + 4096 * 2048;
    const deltaNet = deltaNetMatmuls + 8192 * 4 + 2 * 32 + 128;
    // Qwen3NextAttention: q_proj 2048 × 2·16·256 (query and gate), k/v 2048 × 2·256, o 4096 × 2048, q/k norm 256 each.
    const attentionMatmuls = 2048 * 8192 + 2 * 2048 * 512 + 4096 * 2048;
    const attention = attentionMatmuls + 2 * 256;
    // Sparse MoE: router 2048 × 512, 512 experts of 3 × 2048 × 512, shared expert 3 × 2048 × 512 and its gate 2048 × 1.
    const expert = 3 * 2048 * 512;
    const moe = 2048 * 512 + 512 * expert + expert + 2048;
    const embedding = 151936 * 2048;
    const total = 2 * embedding + 36 * deltaNet + 12 * attention + 48 * (moe + 2 * 2048) + 2048;
    check('qwen3-next-80b-a3b', {
      total, // 79,674,391,296 (the published 80 B)
      active: total - 48 * (512 - 10) * expert, // 10 of 512 experts per token
      // recurrent state 32 × 128 × 128 and conv window 8192 × 4 per DeltaNet block
      stateBytes: 36 * (32 * 128 * 128 + 8192 * 4) * B,
      kvBytesPerToken: 12 * 2 * 2 * 256 * B,
      prefillFlops:
        36 * (gemm(deltaNetMatmuls) + 7 * T * 32 * 128 * 128) +
        12 * (gemm(attentionMatmuls) + attentionSquare(16, 256)) +
        48 * gemm(2048 * 512 + 10 * expert + expert + 2048) +
        2 * 2048 * 151936,
    });
  });

  it('Jamba-v0.1: 28 Mamba + 4 attention blocks, MoE in every other block', () => {
    // JambaMambaMixer, d_inner = 2 · 4096, d_state 16, d_conv 4, dt_rank 256: in_proj 4096 × 16384,
    // conv1d 8192 × 4 + bias 8192, x_proj 8192 × (256 + 32), dt_proj 256 × 8192 + bias 8192, A_log 8192 × 16,
    // D 8192, dt/B/C RMSNorms 256 + 16 + 16, out_proj 8192 × 4096.
    const mambaMatmuls = 4096 * 16384 + 8192 * 288 + 256 * 8192 + 8192 * 4096;
    const mamba = mambaMatmuls + 8192 * 4 + 8192 + 8192 + 8192 * 16 + 8192 + 288;
    const attention = 4096 * 4096 + 2 * 4096 * 1024 + 4096 * 4096;
    const mlp = 3 * 4096 * 14336;
    const total = 2 * 65536 * 4096 + 28 * mamba + 4 * attention + 16 * (4096 * 16 + 16 * mlp) + 16 * mlp + 32 * 2 * 4096 + 4096;
    check('jamba-v0.1', {
      total, // 51,570,323,328 (the published 52 B)
      active: total - 16 * 14 * mlp, // 2 of 16 experts
      stateBytes: 28 * (8192 * 16 + 8192 * 4) * B,
      kvBytesPerToken: 4 * 2 * 8 * 128 * B,
      prefillFlops:
        28 * (gemm(mambaMatmuls) + T * 8192) + // dt_proj's bias add
        4 * (gemm(attention) + attentionSquare(32, 128)) +
        16 * gemm(4096 * 16 + 2 * mlp) +
        16 * gemm(mlp) +
        2 * 4096 * 65536,
    });
  });

  it('Nemotron-H-8B: 24 Mamba-2, 4 attention and 24 ReLU² MLP blocks, one mixer or MLP per block', () => {
    // NemotronHMamba2Mixer, 128 heads × 64, 8 groups, d_state 128: in_proj 4096 × (8192 + 10240 + 128),
    // conv1d 10240 × 4 + bias, dt_bias/A_log/D 3 × 128, gated norm 8192, out_proj 8192 × 4096.
    const mambaMatmuls = 4096 * 18560 + 8192 * 4096;
    const mamba = mambaMatmuls + 10240 * 5 + 3 * 128 + 8192;
    const attention = 4096 * 4096 + 2 * 4096 * 1024 + 4096 * 4096;
    const mlp = 2 * 4096 * 21504; // up, down
    const total = 2 * 131072 * 4096 + 24 * mamba + 4 * attention + 24 * mlp + 52 * 4096 + 4096;
    check('nemotron-h-8b', {
      total, // 8,100,852,736
      active: total,
      stateBytes: 24 * (128 * 64 * 128 + 10240 * 4) * B,
      kvBytesPerToken: 4 * 2 * 8 * 128 * B,
      prefillFlops: 24 * (gemm(mambaMatmuls) + 5 * T * 128 * 64 * 128) + 4 * (gemm(attention) + attentionSquare(32, 128)) + 24 * gemm(mlp) + 2 * 4096 * 131072,
    });
  });

  it('Falcon-H1-Tiny-90M: attention and Mamba-2 side by side in all 24 blocks', () => {
    // FalconH1Mixer, 24 heads × 32 (mamba_d_ssm 768), 1 group, d_state 64: in_proj 512 × (768 + 896 + 24),
    // conv1d 896 × 4 + bias, dt_bias/A_log/D 3 × 24, out_proj 768 × 512 (mamba_rms_norm false: no gated norm).
    const mambaMatmuls = 512 * 1688 + 768 * 512;
    const mamba = mambaMatmuls + 896 * 5 + 3 * 24;
    const attention = 512 * 512 + 2 * 512 * 128 + 512 * 512;
    const mlp = 3 * 512 * 768;
    const total = 32768 * 512 + 24 * (attention + mamba + mlp + 2 * 512) + 512; // tied lm_head
    check('falcon-h1-tiny-90m', {
      total, // 91,131,072
      active: total,
      stateBytes: 24 * (24 * 32 * 64 + 896 * 4) * B,
      kvBytesPerToken: 24 * 2 * 2 * 64 * B,
      prefillFlops: 24 * (gemm(attention + mambaMatmuls + mlp) + 5 * T * 24 * 32 * 64 + attentionSquare(8, 64)) + 2 * 512 * 32768,
    });
  });

  it('MiniMax-Text-01: 70 lightning-attention and 10 softmax blocks, 32 experts', () => {
    // MiniMaxLightningAttention, 64 heads × 128: qkv_proj 6144 × 3·8192, output_gate 6144 × 8192,
    // norm 8192, out_proj 8192 × 6144; a 128 × 128 state per head.
    const lightningMatmuls = 6144 * 3 * 8192 + 6144 * 8192 + 8192 * 6144;
    const attention = 6144 * 8192 + 2 * 6144 * 1024 + 8192 * 6144;
    const expert = 3 * 6144 * 9216;
    const total = 2 * 200064 * 6144 + 70 * (lightningMatmuls + 8192) + 10 * attention + 80 * (6144 * 32 + 32 * expert + 2 * 6144) + 6144;
    // One block of 64 tokens (block_size 256): (Q K^T) V 4 · 64² · 128 and Q·S plus K^T V 4 · 64 · 128², per head.
    const lightningKernel = 64 * (4 * T * T * 128 + 4 * T * 128 * 128);
    check('minimax-text-01', {
      total, // 456,089,655,296 (the published 456 B)
      active: total - 80 * 30 * expert, // 2 of 32 experts: 48.4 B, 45.9 B without embedding and lm_head as published
      stateBytes: 70 * 64 * 128 * 128 * B,
      kvBytesPerToken: 10 * 2 * 8 * 128 * B,
      prefillFlops: 70 * (gemm(lightningMatmuls) + lightningKernel) + 10 * (gemm(attention) + attentionSquare(64, 128)) + 80 * gemm(6144 * 32 + 2 * expert) + 2 * 6144 * 200064,
    });
  });

  it('a deployment holds the state once per sequence, split by tensor parallelism, and says which blocks are which', () => {
    const result = analyze({ model: fixture('qwen3-next-80b-a3b'), hardware: H100, promptTokens: 1000, outputTokens: 24, batchSize: 4, tensor: 2 });
    // Per device (tp 2): DeltaNet state 36 × (16 × 128 × 128 + 4096 × 4) and the KV of 12 blocks with one KV head each,
    // for 4 sequences of 1024 tokens.
    const state = 36 * (16 * 128 * 128 + 4096 * 4) * B;
    const kv = 12 * 2 * 1 * 256 * B * 1024;
    assert.equal(result.memory.kv_cache_bytes, 4 * (state + kv));
    assert.deepEqual(
      result.model.block_kinds?.map((kind) => [kind.kind, kind.blocks, kind.keeps, kind.indices.slice(0, 4)]),
      [
        ['gated DeltaNet', 36, 'state', [0, 1, 2, 4]],
        ['full attention', 12, 'kv-cache', [3, 7, 11, 15]],
      ],
    );
    assert.ok(result.notes.some((note) => note.includes('36 of 48 blocks are gated DeltaNet') && note.includes('grows only in the 12 attention blocks')), result.notes.join('\n'));
    // A decode step reads and writes each sequence's state once: 36 blocks' DeltaNet rule.
    assert.equal(layer(result, 'decode', 'deltanet_rule').bytes.kv_read, 4 * 16 * 128 * 128 * B);
  });

  it('Nemotron-H lists its MLP-only blocks and Falcon-H1 its parallel Mamba-2', () => {
    const nemotron = analyze({ model: fixture('nemotron-h-8b'), hardware: H100 });
    assert.deepEqual(
      nemotron.model.block_kinds?.map((kind) => [kind.kind, kind.blocks]),
      [
        ['Mamba-2', 24],
        ['MLP only', 24],
        ['full attention', 4],
      ],
    );
    const falcon = analyze({ model: fixture('falcon-h1-tiny-90m'), hardware: H100 });
    assert.deepEqual(falcon.model.block_kinds?.map((kind) => [kind.kind, kind.blocks, kind.keeps]), [['full attention beside Mamba-2', 24, 'kv-cache']]);
  });
});

describe('state-space models without attention: a constant state and no KV cache at all', () => {
  it('Mamba-130M: 24 Mamba blocks, tied head', () => {
    // MambaMixer, d_inner 1536 (intermediate_size), d_state 16, d_conv 4, dt_rank 48: norm 768, in_proj
    // 768 × 3072, conv1d 1536 × 4 + bias, x_proj 1536 × (48 + 32), dt_proj 48 × 1536 + bias, A_log
    // 1536 × 16, D 1536, out_proj 1536 × 768; no MLP; norm_f.
    const matmuls = 768 * 3072 + 1536 * 80 + 48 * 1536 + 1536 * 768;
    const block = 768 + matmuls + 1536 * 5 + 1536 + 1536 * 16 + 1536;
    check('mamba-130m-hf', {
      total: 50280 * 768 + 24 * block + 768, // 129,135,360 (the published 130 M)
      active: 50280 * 768 + 24 * block + 768,
      stateBytes: 24 * (1536 * 16 + 1536 * 4) * B,
      kvBytesPerToken: 0,
      prefillFlops: 24 * (gemm(matmuls) + T * 1536) + 2 * 768 * 50280,
    });
  });

  it('Falcon-Mamba-7B: 64 Mamba blocks whose B, C and dt norms have no weights, untied head', () => {
    // d_inner 8192 (intermediate_size, not expand · hidden), dt_rank 256.
    const matmuls = 4096 * 16384 + 8192 * 288 + 256 * 8192 + 8192 * 4096;
    const block = 4096 + matmuls + 8192 * 5 + 8192 + 8192 * 16 + 8192;
    const total = 2 * 65024 * 4096 + 64 * block + 4096;
    check('falcon-mamba-7b', {
      total, // 7,272,665,088 (the published 7.27 B)
      active: total,
      stateBytes: 64 * (8192 * 16 + 8192 * 4) * B,
      kvBytesPerToken: 0,
      prefillFlops: 64 * (gemm(matmuls) + T * 8192) + 2 * 4096 * 65024,
    });
  });

  it('Mamba-2 780M: 48 Mamba-2 blocks, tied head', () => {
    // Mamba2Mixer, 48 heads × 64, 1 group, d_state 128: in_proj 1536 × (3072 + 3328 + 48), conv1d 3328 × 4
    // + bias, dt_bias/A_log/D 3 × 48, gated norm 3072, out_proj 3072 × 1536.
    const matmuls = 1536 * 6448 + 3072 * 1536;
    const block = 1536 + matmuls + 3328 * 5 + 3 * 48 + 3072;
    const total = 50288 * 1536 + 48 * block + 1536;
    check('mamba2-780m', {
      total, // 780,161,280 (the published 780 M)
      active: total,
      stateBytes: 48 * (48 * 64 * 128 + 3328 * 4) * B,
      kvBytesPerToken: 0,
      prefillFlops: 48 * (gemm(matmuls) + 5 * T * 48 * 64 * 128) + 2 * 1536 * 50288,
    });
  });

  it('splits a Mamba model under tensor parallelism without heads to divide', () => {
    const result = analyze({ model: fixture('falcon-mamba-7b'), hardware: H100, tensor: 2, batchSize: 2, promptTokens: 4000, outputTokens: 96 });
    // Per device: half of d_inner's state, for 2 sequences, whatever their length.
    assert.equal(result.memory.kv_cache_bytes, 2 * 64 * (4096 * 16 + 4096 * 4) * B);
    assert.deepEqual(result.model.block_kinds?.map((kind) => [kind.kind, kind.blocks, kind.keeps]), [['Mamba', 64, 'state']]);
  });
});

describe('mamba blocks of configs that name Mamba-2 fields (GraniteMoeHybrid)', () => {
  // The layout of a public GraniteMoeHybrid test config: `layer_types` mamba / attention, Mamba-2
  // fields prefixed `mamba_` (8 heads of 16, 1 group, d_state 128), 8 experts and a shared MLP.
  const config: HfConfig = {
    model_type: 'granitemoehybrid',
    vocab_size: 1000,
    hidden_size: 128,
    intermediate_size: 128,
    num_hidden_layers: 4,
    num_attention_heads: 8,
    num_key_value_heads: 4,
    num_local_experts: 8,
    num_experts_per_tok: 2,
    shared_intermediate_size: 128,
    mamba_n_heads: 8,
    mamba_d_head: 16,
    mamba_d_state: 128,
    mamba_d_conv: 4,
    mamba_n_groups: 1,
    mamba_conv_bias: false,
    mamba_proj_bias: false,
    layer_types: ['mamba', 'attention', 'mamba', 'attention'],
  };

  it('reads them as Mamba-2 with a shared MLP beside the experts, not as Mamba-1', () => {
    // Mamba-2 state: 8 × 16 × 128 SSM + (128 + 2 × 128) × 4 convolution window, in 2 blocks.
    assert.equal(kvBytes(config, 0), 2 * (8 * 16 * 128 + 384 * 4) * B);
    // 2 attention blocks, 4 KV heads of 128 / 8 = 16.
    assert.equal(kvBytes(config, 10) - kvBytes(config, 0), 10 * 2 * 2 * 4 * 16 * B);
    const result = analyze({ model: config, hardware: H100 });
    assert.deepEqual(result.model.block_kinds?.map((kind) => [kind.kind, kind.blocks]), [
      ['Mamba-2', 2],
      ['full attention', 2],
    ]);
    // The shared MLP: gate and up 128 × 128, down 128 × 128 in each of the 4 blocks.
    assert.equal(layer(result, 'decode', 'shared_expert_down_proj').bytes.weights, 128 * 128 * 2);
  });
});
