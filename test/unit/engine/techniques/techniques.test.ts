import * as assert from 'node:assert/strict';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { parseTechniques } from '../../../../language-server/src/engine/techniques/spec';
import type { AnalysisResult, EngineInput } from '../../../../language-server/src/engine/types';
import { A100, assertClose, engineInput, hfConfig, layer } from '../default/helpers';

/** The A100 with its sparse tensor cores, as its preset says (presets/sparseTensorCores.ts). */
const A100_SPARSE = { ...A100, sparseTensorCores: true };

function llama7bOnA100(promptTokens: number, outputTokens = 256, batchSize = 1): EngineInput {
  return engineInput({ hardware: A100_SPARSE, promptTokens, outputTokens, batchSize });
}

function withTechniques(input: EngineInput, techniques: unknown): AnalysisResult {
  return analyzeResolved({ ...input, techniques: parseTechniques(techniques) });
}

function kindBytes(result: AnalysisResult, kinds: string[]): number {
  return result.model.weights_by_kind!.filter((entry) => kinds.includes(entry.kind)).reduce((sum, entry) => sum + entry.bytes, 0);
}

function stageSum(result: AnalysisResult, stage: 'prefill' | 'decode', pick: (l: AnalysisResult['stages']['decode']['layers'][number]) => number): number {
  return result.stages[stage].layers.reduce((sum, l) => sum + l.count * pick(l), 0);
}

// Llama-2-7B: H 4096, I 11008, 32 blocks, vocabulary 32000, fp16. Block matrices per block:
// 4·4096² + 3·4096·11008 = 202,375,168; ×32 ×2 bytes = 12,952,010,752. Embedding and lm_head
// 262,144,000 bytes each, norm vectors 65 × 4096 × 2 = 532,480: 13,476,831,232 bytes in all.
const BLOCK_MATRIX_BYTES = 12_952_010_752;
const TOTAL_WEIGHT_BYTES = 13_476_831_232;

describe('techniques: Llama-2-7B on an A100 (the issue’s acceptance figures)', () => {
  it('2:4 stores (2×16 + 2×2)/(4×16) = 0.5625× of block bytes, (12.95 GB × 0.5625 + 0.52 GB)/13.48 GB = 0.5795× of all weights', () => {
    const input = llama7bOnA100(1024);
    const plain = analyzeResolved(input);
    const sparse = withTechniques(input, { weight_sparsity: '2:4' });
    assert.equal(plain.memory.weights_bytes, TOTAL_WEIGHT_BYTES);
    assert.equal(kindBytes(plain, ['attention', 'mlp']), BLOCK_MATRIX_BYTES);
    assertClose(kindBytes(sparse, ['attention', 'mlp']), BLOCK_MATRIX_BYTES * 0.5625);
    assertClose(sparse.memory.weights_bytes, BLOCK_MATRIX_BYTES * 0.5625 + (TOTAL_WEIGHT_BYTES - BLOCK_MATRIX_BYTES));
    assertClose(sparse.memory.weights_bytes / plain.memory.weights_bytes, 0.57954, 1e-4);
    // A decode step reads what is stored: q_proj 4096² × 2 × 0.5625 bytes.
    assertClose(layer(sparse, 'decode', 'q_proj').bytes.weights, 4096 * 4096 * 2 * 0.5625);
  });

  it('2:4 halves compute-bound prefill projections (2·T·in·out × 2/4 FLOPs at the same peak) and TTFT at 2,048 tokens to ≈ 0.55×', () => {
    const input = llama7bOnA100(2048);
    const plain = analyzeResolved(input);
    const sparse = withTechniques(input, { weight_sparsity: '2:4' });
    for (const name of ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']) {
      const before = layer(plain, 'prefill', name);
      const after = layer(sparse, 'prefill', name);
      assert.equal(before.bound, 'compute');
      assert.equal(after.bound, 'compute');
      assertClose(after.flops, before.flops / 2);
      assertClose(after.seconds, before.seconds / 2);
    }
    // Attention, norms and the embedding are not pruned: their numbers do not move at all.
    for (const name of ['fused_attention', 'attn_norm', 'mlp_act', 'embedding', 'lm_head']) {
      assert.deepEqual(layer(sparse, 'prefill', name), layer(plain, 'prefill', name));
    }
    const ratio = sparse.metrics.ttft_seconds / plain.metrics.ttft_seconds;
    assert.ok(ratio > 0.5 && ratio < 0.56, `TTFT ratio ${ratio}`);
    assert.ok(sparse.techniques!.some((t) => t.key === 'weight_sparsity' && /sparse tensor cores skip 50%/.test(t.effect)));
  });

  it('keeping 1,024 of 8,192 prompt tokens: decode attention reads (1,024 + 1)/(8,192 + 1) of the KV bytes, the cache holds 1,024 × 512 KiB per sequence', () => {
    const input = llama7bOnA100(8192);
    const plain = analyzeResolved(input);
    const evicted = withTechniques(input, { kv_cache_eviction: { keep_tokens: 1024, sink_tokens: 4 } });
    // K and V: 2 × 32 heads × 128 × 2 bytes = 16,384 bytes per token per block, the new token included.
    assert.equal(layer(plain, 'decode', 'fused_attention').bytes.kv_read, 16_384 * 8193);
    assert.equal(layer(evicted, 'decode', 'fused_attention').bytes.kv_read, 16_384 * 1025);
    assertClose(stageSum(evicted, 'decode', (l) => l.bytes.kv_read) / stageSum(plain, 'decode', (l) => l.bytes.kv_read), 1025 / 8193);
    // 32 blocks × 16,384 bytes = 524,288 bytes per cached token.
    assert.equal(evicted.memory.kv_cache_bytes, 524_288 * 1024);
    assert.equal(plain.memory.kv_cache_bytes, 524_288 * (8192 + 256));
    // Prefill still attends to the whole prompt.
    assert.deepEqual(layer(evicted, 'prefill', 'fused_attention'), layer(plain, 'prefill', 'fused_attention'));
    assert.ok(evicted.metrics.tpot_seconds < plain.metrics.tpot_seconds);
  });

  it('early exit at 0.5 mean layers: a decode step runs 0.5 × the blocks (k/v projections all 32) plus the classifier, TPOT ≈ 0.59× at a 1,024-token prompt', () => {
    const input = llama7bOnA100(1024);
    const plain = analyzeResolved(input);
    const exited = withTechniques(input, { early_exit: { mean_layers: 0.5 } });
    assert.equal(layer(exited, 'decode', 'q_proj').count, 16);
    assert.equal(layer(exited, 'decode', 'down_proj').count, 16);
    assert.equal(layer(exited, 'decode', 'k_proj').count, 32);
    assert.equal(layer(exited, 'decode', 'lm_head').count, 1);
    // Hand sum at batch 1 (every decode layer memory-bound): step seconds = Σ count × bytes / 2,039 GB/s.
    const seconds = (l: AnalysisResult['stages']['decode']['layers'][number]): number => l.seconds;
    const perBlock = ['attn_norm', 'q_proj', 'fused_attention', 'o_proj', 'attn_add', 'mlp_norm', 'gate_proj', 'up_proj', 'mlp_act', 'down_proj', 'mlp_add'];
    const expectedStep =
      16 * perBlock.reduce((sum, name) => sum + seconds(layer(plain, 'decode', name)), 0) +
      32 * (seconds(layer(plain, 'decode', 'k_proj')) + seconds(layer(plain, 'decode', 'v_proj'))) +
      seconds(layer(plain, 'decode', 'embedding')) + seconds(layer(plain, 'decode', 'final_norm')) + seconds(layer(plain, 'decode', 'lm_head')) +
      // CALM's classifier: 4,096 weights (2 bytes) + 4,096 activations in (2 bytes) + 1 out per block run.
      16 * ((4096 * 2 + 4096 * 2 + 2) / 2039e9);
    assertClose(exited.stages.decode.totals.seconds, expectedStep, 1e-9);
    const ratio = exited.metrics.tpot_seconds / plain.metrics.tpot_seconds;
    assert.ok(ratio > 0.5 && ratio < 0.6, `TPOT ratio ${ratio}`);
    // Prefill and memory are unchanged but for the classifiers' 32 × 4,096 16-bit weights.
    assert.equal(exited.stages.prefill.totals.seconds, plain.stages.prefill.totals.seconds);
    assert.equal(exited.memory.weights_bytes, plain.memory.weights_bytes + 32 * 4096 * 2);
  });

  it('offloading half the weights over PCIe 4.0 x16: each step streams 6.74 GB at 31.5 GB/s ≈ 0.21 s against 13.5 GB at 2,039 GB/s ≈ 6.6 ms, over 10× slower', () => {
    const input = llama7bOnA100(1024);
    const plain = analyzeResolved(input);
    const offloaded = withTechniques(input, { offload: { weights: 0.5, link: 'pcie-gen4-x16' } });
    const linkBytesPerSecond = (16e9 * 16 * 128) / 130 / 8;
    assertClose(linkBytesPerSecond, 31.5077e9, 1e-5);
    // Every layer with a weight matrix waits for its streamed half: 5 µs + 0.5 × its weight bytes / link.
    const linkSeconds = plain.stages.decode.layers
      .filter((l) => l.bytes.weights > 0 && !['attn_norm', 'mlp_norm', 'final_norm'].includes(l.name))
      .reduce((sum, l) => sum + l.count * (5e-6 + (0.5 * l.bytes.weights) / linkBytesPerSecond), 0);
    const norms = ['attn_norm', 'mlp_norm', 'final_norm', 'fused_attention', 'attn_add', 'mlp_act', 'mlp_add'].reduce(
      (sum, name) => sum + layer(plain, 'decode', name).count * layer(plain, 'decode', name).seconds,
      0,
    );
    assertClose(offloaded.stages.decode.totals.seconds, linkSeconds + norms, 1e-9);
    assert.equal(layer(offloaded, 'decode', 'gate_proj').bound, 'network');
    const slowdown = offloaded.metrics.tpot_seconds / plain.metrics.tpot_seconds;
    assert.ok(slowdown > 10, `slow-down ${slowdown}`);
    assertClose(offloaded.memory.weights_bytes, plain.memory.weights_bytes - 0.5 * (TOTAL_WEIGHT_BYTES - 532_480), 1e-12);
  });
});

describe('techniques: each cost model by hand', () => {
  it('unstructured 50%: a bitmap bit per weight plus the nonzero values, (0.5 × 16 + 1)/16 = 0.5625×, FLOPs dense (compute as dense)', () => {
    const input = llama7bOnA100(1024);
    const plain = analyzeResolved(input);
    const sparse = withTechniques(input, { weight_sparsity: { unstructured: 0.5 } });
    assertClose(kindBytes(sparse, ['attention', 'mlp']), BLOCK_MATRIX_BYTES * 0.5625);
    assert.equal(layer(sparse, 'prefill', 'q_proj').flops, layer(plain, 'prefill', 'q_proj').flops);
  });

  it('2:4 on hardware without sparse tensor cores keeps dense FLOPs and says so', () => {
    const input = engineInput({ hardware: A100 });
    const plain = analyzeResolved(input);
    const sparse = withTechniques(input, { weight_sparsity: '2:4' });
    assert.equal(layer(sparse, 'prefill', 'q_proj').flops, layer(plain, 'prefill', 'q_proj').flops);
    assert.ok(sparse.notes.some((note) => /no sparse tensor cores/.test(note)));
  });

  it('H2O adds one fp32 score per kept token and KV head, read and written: 2 × 4 × 1,024 × 32 bytes per block', () => {
    const input = llama7bOnA100(8192);
    const streaming = withTechniques(input, { kv_cache_eviction: { keep_tokens: 1024 } });
    const h2o = withTechniques(input, { kv_cache_eviction: { keep_tokens: 1024, policy: 'h2o' } });
    const a = layer(streaming, 'decode', 'fused_attention');
    const b = layer(h2o, 'decode', 'fused_attention');
    assert.equal(b.bytes.kv_read - a.bytes.kv_read, 4 * 1024 * 32);
    assert.equal(b.bytes.kv_write - a.bytes.kv_write, 4 * 1024 * 32);
    assert.equal(b.flops - a.flops, 1024 * 32);
  });

  it('contextual sparsity at batch 1 reads 0.5 of the MLP weights; at batch 4 the union, 1 − 0.5⁴ = 0.9375', () => {
    for (const [batch, share] of [[1, 0.5], [4, 0.9375]] as const) {
      const input = llama7bOnA100(1024, 256, batch);
      const plain = analyzeResolved(input);
      const sparse = withTechniques(input, { contextual_sparsity: { mlp: 0.5, attention_heads: 0.8 } });
      assertClose(layer(sparse, 'decode', 'gate_proj').bytes.weights, layer(plain, 'decode', 'gate_proj').bytes.weights * share);
      assertClose(layer(sparse, 'decode', 'down_proj').flops, layer(plain, 'decode', 'down_proj').flops * share);
      // k/v projections stay whole so the cache stays complete; prefill stays dense.
      assert.deepEqual(layer(sparse, 'decode', 'k_proj'), layer(plain, 'decode', 'k_proj'));
      assert.deepEqual(layer(sparse, 'prefill', 'gate_proj'), layer(plain, 'prefill', 'gate_proj'));
    }
    // Predictors H → 1,000 → I and H → 1,000 → heads per block: 32 × (4096·1000 + 1000·11008 + 4096·1000 + 1000·32) × 2 bytes.
    const input = llama7bOnA100(1024);
    const plain = analyzeResolved(input);
    const sparse = withTechniques(input, { contextual_sparsity: { mlp: 0.5, attention_heads: 0.8 } });
    assert.equal(sparse.memory.weights_bytes - plain.memory.weights_bytes, 32 * (4096 * 1000 + 1000 * 11008 + 4096 * 1000 + 1000 * 32) * 2);
  });

  it('prompt compression to 0.25 prefills 2,048 of 8,192 tokens after a 302 M-parameter compressor (2 × 302 M × 8,192 FLOPs)', () => {
    const input = llama7bOnA100(8192);
    const compressed = withTechniques(input, { prompt_compression: 0.25 });
    const shorter = analyzeResolved({ ...input, workload: { ...input.workload, promptTokens: 2048 } });
    const compressor = layer(compressed, 'prefill', 'prompt_compressor');
    assert.equal(compressor.flops, 2 * 24 * 12 * 1024 ** 2 * 8192);
    assert.equal(compressed.memory.kv_cache_bytes, shorter.memory.kv_cache_bytes);
    assertClose(compressed.stages.prefill.totals.seconds, shorter.stages.prefill.totals.seconds + compressor.seconds);
    assert.equal(compressed.metrics.tpot_seconds, shorter.metrics.tpot_seconds);
  });

  it('low rank at 0.25: q_proj r = 1,024, (1,024 × 8,192)/4,096² = 0.5×; gate_proj (1,024 × 15,104)/(4,096 × 11,008) = 0.3430×', () => {
    const input = llama7bOnA100(1024);
    const plain = analyzeResolved(input);
    const factored = withTechniques(input, { low_rank: { rank_fraction: 0.25 } });
    assertClose(layer(factored, 'decode', 'q_proj').bytes.weights, layer(plain, 'decode', 'q_proj').bytes.weights * 0.5);
    const gateRatio = (1024 * 15104) / (4096 * 11008);
    assertClose(layer(factored, 'prefill', 'gate_proj').flops, layer(plain, 'prefill', 'gate_proj').flops * gateRatio);
    // The rank-1,024 intermediate is written and read once per token: 1,024 × 1,024 tokens × 2 bytes more each way.
    assert.equal(layer(factored, 'prefill', 'q_proj').bytes.activations_in - layer(plain, 'prefill', 'q_proj').bytes.activations_in, 1024 * 1024 * 2);
  });

  it('fusion drops the norm inputs after an add and the gate/up outputs: 2 × 11,008 × 2 bytes per decode token per block from gate/up, 4,096 × 2 from mlp_norm', () => {
    const input = llama7bOnA100(1024);
    const plain = analyzeResolved(input);
    const fused = withTechniques(input, { fusion: { elementwise: true } });
    assert.equal(layer(fused, 'decode', 'gate_proj').bytes.activations_out, 0);
    assert.equal(layer(fused, 'decode', 'up_proj').bytes.activations_out, 0);
    assert.equal(layer(fused, 'decode', 'mlp_act').bytes.activations_in, 0);
    assert.equal(layer(fused, 'decode', 'mlp_act').bytes.activations_out, 11008 * 2);
    assert.equal(layer(fused, 'decode', 'mlp_norm').bytes.activations_in, 0);
    // attn_norm: 31 of 32 blocks follow an add; the first reads the embedding.
    assertClose(layer(fused, 'decode', 'attn_norm').bytes.activations_in, (4096 * 2) / 32);
    const saved = stageSum(plain, 'decode', (l) => l.bytes.activations_in + l.bytes.activations_out) - stageSum(fused, 'decode', (l) => l.bytes.activations_in + l.bytes.activations_out);
    assertClose(saved, 32 * (2 * 11008 * 2 + 2 * 11008 * 2 + 4096 * 2) + 31 * 4096 * 2 + 4096 * 2);
  });

  it('Medusa with 4 heads stores 4 × (4,096² + 4,096 + 4,096 × 32,000) × 2 bytes and divides the 64-token tree step by 2.8', () => {
    const input = llama7bOnA100(1024);
    const plain = analyzeResolved(input);
    const medusa = withTechniques(input, { parallel_decoding: { heads: 4, tree_tokens: 64, mean_accepted: 2.8 } });
    assert.equal(medusa.memory.weights_bytes - plain.memory.weights_bytes, 4 * (4096 * 4096 + 4096 + 4096 * 32000) * 2);
    assertClose(medusa.metrics.tpot_seconds, medusa.stages.decode.totals.seconds / 2.8);
    assert.equal(layer(medusa, 'decode', 'lm_head').flops, 2 * 64 * 4096 * 32000);
    assert.equal(layer(medusa, 'decode', 'medusa_lm_head').count, 4);
    assert.ok(medusa.metrics.tpot_seconds < plain.metrics.tpot_seconds);
  });

  it('every technique together stays finite and reports each technique once', () => {
    const result = withTechniques(llama7bOnA100(8192), {
      weight_sparsity: '2:4',
      kv_cache_eviction: { keep_tokens: 2048, sink_tokens: 4 },
      early_exit: { mean_layers: 0.6 },
      contextual_sparsity: { mlp: 0.5, attention_heads: 0.8 },
      offload: { weights: 0.4, kv_cache: 0.0, link: 'pcie-gen4-x16' },
      prompt_compression: 0.25,
      low_rank: { rank_fraction: 0.5 },
      fusion: { elementwise: true },
      parallel_decoding: { heads: 4, tree_tokens: 64, mean_accepted: 2.8 },
    });
    assert.deepEqual(result.techniques!.map((t) => t.key).sort(), [
      'contextual_sparsity', 'early_exit', 'fusion', 'kv_cache_eviction', 'low_rank', 'offload', 'parallel_decoding', 'prompt_compression', 'weight_sparsity',
    ]);
    assert.ok(result.techniques!.every((t) => t.source.length > 0));
  });
});

describe('techniques: refused input', () => {
  const cases: [unknown, string[]][] = [
    [{ weight_sparsity: '3:2' }, ['techniques', 'weight_sparsity']],
    [{ weight_sparsity: { unstructured: 1 } }, ['techniques', 'weight_sparsity', 'unstructured']],
    [{ kv_cache_eviction: { keep_tokens: 0 } }, ['techniques', 'kv_cache_eviction', 'keep_tokens']],
    [{ kv_cache_eviction: { keep_tokens: 8, sink_tokens: 16 } }, ['techniques', 'kv_cache_eviction', 'sink_tokens']],
    [{ early_exit: { mean_layers: 0 } }, ['techniques', 'early_exit', 'mean_layers']],
    [{ offload: { weights: 0.5, link: 'pcie-gen9' } }, ['techniques', 'offload', 'link']],
    [{ parallel_decoding: { heads: 2, mean_accepted: 3.5 } }, ['techniques', 'parallel_decoding', 'mean_accepted']],
    [{ pruning: true }, ['techniques', 'pruning']],
  ];
  for (const [value, path] of cases) {
    it(`${JSON.stringify(value)} is an error on ${path.join('.')}`, () => {
      assert.throws(() => parseTechniques(value), (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === path.join('.'));
    });
  }

  it('Medusa heads beside a speculative draft model is an error on techniques.parallel_decoding', () => {
    const input: EngineInput = {
      ...llama7bOnA100(1024),
      speculative: { draftModel: hfConfig('llama-2-7b'), draftModelName: 'draft', draftTokens: 4, acceptanceRate: 0.7 },
      techniques: parseTechniques({ parallel_decoding: { heads: 4, tree_tokens: 16, mean_accepted: 2.5 } }),
    };
    assert.throws(() => analyzeResolved(input), (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'techniques.parallel_decoding');
  });

  it('conventions: llm-viewer refuses techniques', () => {
    const input: EngineInput = { ...llama7bOnA100(1024), conventions: 'llm-viewer', flashAttention: false, techniques: parseTechniques({ fusion: { elementwise: true } }) };
    assert.throws(() => analyzeResolved(input), /llm-viewer has none of these techniques/);
  });
});

describe('sparse tensor cores in the hardware presets', () => {
  it('Ampere and later NVIDIA parts and CDNA 3 AMD parts have them, each with its source; Volta, Turing, CDNA 2 and TPUs do not', async () => {
    const { HARDWARE_PRESETS } = await import('../../../../language-server/src/presets/hardwarePresets');
    const flag = (id: string): boolean | undefined => HARDWARE_PRESETS.find((preset) => preset.id === id)!.figures.sparseTensorCores;
    for (const id of ['nvidia-a100-80gb-sxm4', 'nvidia-h100-sxm', 'nvidia-l4', 'nvidia-b200', 'amd-mi300x']) assert.equal(flag(id), true, id);
    for (const id of ['nvidia-v100-sxm2-32gb', 'nvidia-t4', 'amd-mi250x', 'google-tpu-v5e', 'intel-gaudi3']) assert.equal(flag(id), false, id);
    for (const preset of HARDWARE_PRESETS.filter((p) => p.origin !== 'llm-viewer')) {
      assert.match(preset.sources.sparse_tensor_cores ?? '', /SPARSITY/, preset.id);
      assert.ok(preset.references.SPARSITY, preset.id);
    }
  });
});

describe('techniques under serving: (Llama-2-7B on an A100, as many requests as the KV pool holds)', () => {
  const serving = { concurrency: 'max' as const, maxBatchedTokens: 8192, kvBlockTokens: 16 };

  it('2:4 frees 12.95 GB × (1 − 0.5625) = 5.67 GB of weights for the KV pool: (5.67 GB / 1,280 tokens × 512 KiB) ≈ 8.4 more requests in flight', () => {
    const input: EngineInput = { ...llama7bOnA100(1024, 256), serving };
    const plain = analyzeResolved(input).serving!;
    const sparse = withTechniques(input, { weight_sparsity: '2:4' }).serving!;
    const freedBytes = BLOCK_MATRIX_BYTES * (1 - 0.5625);
    assertClose(sparse.kv_pool_bytes_per_gpu - plain.kv_pool_bytes_per_gpu, freedBytes, 1e-6);
    // 2 × 32 blocks × 4096 × 2 bytes = 524,288 bytes of KV per token; 1,280 tokens per request.
    const extraRequests = freedBytes / (1280 * 524_288);
    assert.ok(sparse.max_concurrency - plain.max_concurrency >= Math.floor(extraRequests) && sparse.max_concurrency - plain.max_concurrency <= Math.ceil(extraRequests), `${plain.max_concurrency} → ${sparse.max_concurrency}`);
    assert.ok(sparse.output_tokens_per_second > plain.output_tokens_per_second);
  });

  it('says that parallel decoding’s accepted tokens are not in the figures under load', () => {
    const input: EngineInput = { ...llama7bOnA100(1024, 256), serving };
    const medusa = withTechniques(input, { parallel_decoding: { heads: 4, tree_tokens: 64, mean_accepted: 2.8 } });
    assert.ok(medusa.notes.some((note) => /parallel decoding \(Medusa heads\) accepts per step are in TTFT and TPOT above, not in the figures under load/.test(note)), medusa.notes.join('\n'));
    const plain = analyzeResolved(input);
    assert.ok(!plain.notes.some((note) => /not in the figures under load/.test(note)));
  });
});
