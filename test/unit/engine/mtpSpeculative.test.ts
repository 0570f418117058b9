import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { expectedTokensPerStep } from '../../../language-server/src/engine/speculative';
import type { EngineInput, ServingSpec, SpeculativeSpec } from '../../../language-server/src/engine/types';
import { A6000, assertClose, engineInput, H100, hfConfig } from './default/helpers';

/**
 * Llama-2-7B with one multi-token-prediction module declared (num_nextn_predict_layers: 1): a
 * dense block whose numbers are easy to count by hand. fp16, A6000-like (768 GB/s), ideal roofline.
 */
const WITH_MTP = { ...hfConfig('llama-2-7b'), num_nextn_predict_layers: 1 };
const H = 4096;
const I = 11008;
const VOCAB = 32000;
const BANDWIDTH = 768e9;
/** One block: q, k, v, o (4·h²) and gate, up, down (3·h·I) at 2 bytes. */
const BLOCK_MATRIX_BYTES = 2 * (4 * H * H + 3 * H * I);
/** eh_proj [2h → h] at 2 bytes. */
const EH_PROJ_BYTES = 2 * 2 * H * H;
/** The shared, untied output head [h → vocab] at 2 bytes: read again by every pass, not held again. */
const HEAD_BYTES = 2 * H * VOCAB;
/** K and V of one layer and token: 2 × 4096 × 2 bytes. */
const KV_BYTES_PER_TOKEN_LAYER = 2 * H * 2;

function mtp(input: EngineInput, overrides: Partial<SpeculativeSpec> = {}): EngineInput {
  return { ...input, speculative: { draft: 'mtp', draftModelName: 'MTP module', draftTokens: 3, acceptanceRate: 0.8, ...overrides } };
}

describe('speculative decoding with the model’s MTP module (draft: mtp)', () => {
  it('a rate per drafted position gives 1 + α₁ + α₁α₂ + α₁α₂α₃ tokens per step', () => {
    // TensorRT-LLM's measured acceptance lengths 1.92, 2.58, 2.82 (MTP 1, 2, 3) as rates per position.
    assertClose(expectedTokensPerStep([0.92, 0.717, 0.364], 3), 1 + 0.92 + 0.92 * 0.717 + 0.92 * 0.717 * 0.364, 1e-15);
    assertClose(expectedTokensPerStep([0.92, 0.717, 0.364], 3), 2.81974896, 1e-12);
    // Equal rates per position are the single-rate formula: 1 + 0.5 + 0.25 = (1 − 0.5³) / 0.5 = 1.75.
    assertClose(expectedTokensPerStep([0.5, 0.5], 2), expectedTokensPerStep(0.5, 2), 1e-15);
  });

  it('holds one block, the norms and eh_proj beside the target; the embedding and head are shared', () => {
    const target = engineInput({ model: WITH_MTP, hardware: A6000, promptTokens: 1024, outputTokens: 256 });
    const plain = analyzeResolved(target);
    const result = analyzeResolved(mtp(target));
    // Matrices of one block and eh_proj, plus the block's two norms and enorm, hnorm (4 × 4096 at 2 bytes).
    const held = BLOCK_MATRIX_BYTES + EH_PROJ_BYTES + 2 * 4 * H;
    assert.equal(result.metrics.speculative!.draft_weights_bytes, held);
    assert.equal(result.memory.weights_bytes, plain.memory.weights_bytes + held);
    // Its own K/V cache for 1024 + 256 tokens, one layer's worth.
    assert.equal(result.metrics.speculative!.draft_kv_cache_bytes, 1280 * KV_BYTES_PER_TOKEN_LAYER);
    assert.ok(result.notes!.some((note) => note.includes('3 passes of the MTP module') && note.includes('(1 − 0.8^4) / (1 − 0.8) = 2.95')));
    assert.ok(result.notes!.some((note) => note.startsWith('The multi-token-prediction module (num_nextn_predict_layers = 1) is counted')));
  });

  it('charges γ passes of the module per step: memory-bound, each reads the block, eh_proj and the shared head', () => {
    const target = engineInput({ model: WITH_MTP, hardware: A6000, promptTokens: 1024, outputTokens: 256 });
    const plain = analyzeResolved(target);
    const result = analyzeResolved(mtp(target));
    const speculative = result.metrics.speculative!;
    // α = 0.8, γ = 3: (1 − 0.8⁴) / 0.2 = 2.952.
    assertClose(speculative.expected_tokens_per_step, 2.952, 1e-12);
    // The mean decode step holds 1024 + 127 = 1151 tokens; a pass reads ≈ 752.9 MB: 0.980 ms at
    // 768 GB/s, so 3 passes ≈ 2.94 ms (activations and the embedding row are under 0.1%).
    const passBytes = BLOCK_MATRIX_BYTES + EH_PROJ_BYTES + HEAD_BYTES + 1151 * KV_BYTES_PER_TOKEN_LAYER;
    const proposals = (3 * passBytes) / BANDWIDTH;
    // What is left of the step is the target's verification over 4 tokens: one plain decode step
    // and a little more (memory-bound at batch 1).
    const verification = speculative.step_seconds - proposals;
    assert.ok(verification >= plain.stages.decode.totals.seconds * 0.999, `${verification} vs ${plain.stages.decode.totals.seconds}`);
    assert.ok(verification < plain.stages.decode.totals.seconds * 1.01);
    assertClose(speculative.tpot_seconds, speculative.step_seconds / 2.952, 1e-12);
    assertClose(result.metrics.tpot_seconds, speculative.tpot_seconds, 1e-15);
  });

  it('under efficiency: expected the bound it reports is the ideal roofline of the speculative step, and no faster than it', () => {
    const target = { ...engineInput({ model: WITH_MTP, hardware: H100, batchSize: 8, promptTokens: 1024, outputTokens: 256 }), efficiency: 'expected' as const };
    const expected = analyzeResolved(mtp(target)).metrics;
    const ideal = analyzeResolved(mtp({ ...target, efficiency: 'ideal' })).metrics;
    assertClose(expected.bound!.tpot_seconds, ideal.tpot_seconds, 1e-12, 'bound TPOT');
    assertClose(expected.bound!.ttft_seconds, ideal.ttft_seconds, 1e-12, 'bound TTFT');
    assert.ok(expected.tpot_seconds >= expected.bound!.tpot_seconds);
    // The terms still add up from the bound to the expected figure.
    const added = expected.terms!.reduce((sum, term) => sum + term.tpot_seconds, 0);
    assertClose(expected.bound!.tpot_seconds + added, expected.tpot_seconds, 1e-9, 'bound + terms');
  });

  it('a list of rates needs one per drafted token, each from 0 to 1', () => {
    const target = engineInput({ model: WITH_MTP, hardware: A6000 });
    assert.throws(
      () => analyzeResolved(mtp(target, { acceptanceRate: [0.9, 0.7] })),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'speculative.acceptance_rate' && error.message.includes('3 (draft_tokens), got 2'),
    );
    assert.throws(
      () => analyzeResolved(mtp(target, { acceptanceRate: [0.9, 1.2, 0.3] })),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'speculative.acceptance_rate.1',
    );
  });

  it('says so, on speculative.draft, when the model has no MTP module', () => {
    const target = engineInput({ model: hfConfig('llama-2-7b'), hardware: A6000 });
    assert.throws(
      () => analyzeResolved(mtp(target)),
      (error: unknown) =>
        error instanceof RooflineInputError && error.path.join('.') === 'speculative.draft' && error.code === 'no-mtp-module' && error.message.includes('num_nextn_predict_layers is absent'),
    );
    assert.throws(
      () => analyzeResolved(mtp({ ...target, model: { ...WITH_MTP, num_nextn_predict_layers: 0 } })),
      (error: unknown) => error instanceof RooflineInputError && error.code === 'no-mtp-module' && error.message.includes('num_nextn_predict_layers is 0'),
    );
  });
});

describe('serving under load with speculative decoding', () => {
  function served(spec: Partial<ServingSpec>, speculative: Partial<SpeculativeSpec> | undefined, workload: { promptTokens: number; outputTokens: number }) {
    const base: EngineInput = {
      ...engineInput({ model: WITH_MTP, hardware: A6000, ...workload }),
      serving: { maxBatchedTokens: 8192, kvBlockTokens: 16, ...spec },
    };
    const input = speculative ? mtp(base, { draftTokens: 1, acceptanceRate: 0.5, ...speculative }) : base;
    return analyzeResolved(input);
  }

  it('one request: a step verifies γ + 1 = 2 tokens and runs one MTP pass, and yields E = 1.5 tokens (hand-checked)', () => {
    // 16-token prompts, 1025-token outputs, one request in flight: the mean step holds
    // 16 + 1025/2 = 528.5 cached tokens and carries 16 × 1.5 / 1024 prompt tokens.
    const result = served({ concurrency: 1 }, {}, { promptTokens: 16, outputTokens: 1025 }).serving!;
    const plain = served({ concurrency: 1 }, undefined, { promptTokens: 16, outputTokens: 1025 }).serving!;
    // Memory-bound at batch 1: the target reads its fp16 weights once per step but for the
    // embedding table (one row is looked up), plus the K/V of 32 layers; the MTP pass its block,
    // eh_proj and head plus one layer's K/V.
    const weights = analyzeResolved(engineInput({ model: WITH_MTP, hardware: A6000 })).memory.weights_bytes;
    const targetStep = (weights - 2 * H * VOCAB + 528.5 * 32 * KV_BYTES_PER_TOKEN_LAYER) / BANDWIDTH;
    const mtpPass = (BLOCK_MATRIX_BYTES + EH_PROJ_BYTES + HEAD_BYTES + 528.5 * KV_BYTES_PER_TOKEN_LAYER) / BANDWIDTH;
    // ≈ (17.57 + 0.97) / 1.5 = 12.36 ms per token, against 17.57 ms plain.
    assertClose(result.tpot_seconds, (targetStep + mtpPass) / 1.5, 5e-3, 'TPOT with MTP');
    assertClose(plain.tpot_seconds, targetStep, 5e-3, 'plain TPOT');
    // A request finishes every 1024 / 1.5 steps.
    assertClose(result.requests_per_second, 1 / (1024 * result.tpot_seconds), 1e-12);
    assertClose(result.output_tokens_per_second_per_user, 1 / result.tpot_seconds, 1e-12);
  });

  it('the token budget counts γ + 1 tokens per decoding request: n·2 + 16·n·1.5/64 ≤ 64', () => {
    // 64 × 64 / (2 × 64 + 16 × 1.5) = 26.9 → 26 decoding; plain decoding: 64 × 64 / (64 + 16) = 51.2 → 51.
    const result = served({ concurrency: 'max', maxBatchedTokens: 64 }, {}, { promptTokens: 16, outputTokens: 65 }).serving!;
    const plain = served({ concurrency: 'max', maxBatchedTokens: 64 }, undefined, { promptTokens: 16, outputTokens: 65 }).serving!;
    assert.equal(result.decode_batch_per_instance, 26);
    assert.equal(plain.decode_batch_per_instance, 51);
  });

  it('the KV pool holds the module’s weights, and each request its γ drafted positions and the module’s cache', () => {
    const result = served({ concurrency: 'max' }, {}, { promptTokens: 16, outputTokens: 1025 }).serving!;
    const plain = served({ concurrency: 'max' }, undefined, { promptTokens: 16, outputTokens: 1025 }).serving!;
    const held = BLOCK_MATRIX_BYTES + EH_PROJ_BYTES + 2 * 4 * H;
    assertClose(result.kv_pool_bytes_per_gpu, plain.kv_pool_bytes_per_gpu - held, 1e-12, 'KV pool');
    // 16 + 1025 + 1 = 1042 tokens → 66 blocks of 16 = 1056 tokens, in 32 + 1 layers.
    assert.equal(result.max_concurrency, Math.floor(result.kv_pool_bytes_per_gpu / (1056 * 33 * KV_BYTES_PER_TOKEN_LAYER)));
    // Plain: 1041 tokens → 1056 as well, in 32 layers.
    assert.equal(plain.max_concurrency, Math.floor(plain.kv_pool_bytes_per_gpu / (1056 * 32 * KV_BYTES_PER_TOKEN_LAYER)));
  });

  it('a separate draft model under load: the pool loses its weights, each request holds both caches (Llama-2-13B drafted by Llama-2-7B)', () => {
    const base: EngineInput = { ...engineInput({ model: hfConfig('llama-2-13b'), hardware: H100, promptTokens: 16, outputTokens: 1025 }), serving: { maxBatchedTokens: 8192, kvBlockTokens: 16, concurrency: 'max' } };
    const plain = analyzeResolved(base).serving!;
    const drafted = analyzeResolved({ ...base, speculative: { draftModel: hfConfig('llama-2-7b'), draftModelName: 'llama-2-7b', draftTokens: 1, acceptanceRate: 0.5 } }).serving!;
    const draftWeights = analyzeResolved(engineInput({ model: hfConfig('llama-2-7b'), hardware: H100 })).memory.weights_bytes;
    assertClose(drafted.kv_pool_bytes_per_gpu, plain.kv_pool_bytes_per_gpu - draftWeights, 1e-12, 'KV pool');
    // 16 + 1025 + 1 = 1042 → 1056 tokens, each 40 × 2 × 5120 × 2 = 819,200 B (13B) + 524,288 B (7B).
    assert.equal(drafted.max_concurrency, Math.floor(drafted.kv_pool_bytes_per_gpu / (1056 * (819_200 + 524_288))));
    // γ = 1 at α = 0.5: 1.5 tokens per step for a 7B step beside a 2-token 13B step, so faster per token.
    assert.ok(drafted.tpot_seconds < plain.tpot_seconds);
    assertClose(drafted.output_tokens_per_second_per_user, 1 / drafted.tpot_seconds, 1e-12);
  });

  it('notes what the figures under load charge', () => {
    const result = served({ concurrency: 1 }, {}, { promptTokens: 16, outputTokens: 1025 });
    assert.ok(result.notes!.some((note) => note.startsWith('Serving with speculative decoding: every step runs 2 tokens per decoding request') && note.includes('= 1.50 tokens per step')));
    assert.ok(!result.notes!.some((note) => note.includes('decode one token per request per step')));
  });
});
