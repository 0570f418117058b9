import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { expectedTokensPerStep } from '../../../language-server/src/engine/speculative';
import type { EngineInput, SpeculativeSpec } from '../../../language-server/src/engine/types';
import { engineInput, H100, hfConfig } from './default/helpers';

function withDraft(input: EngineInput, overrides: Partial<SpeculativeSpec> = {}): EngineInput {
  return {
    ...input,
    speculative: { draftModel: hfConfig('llama-2-7b'), draftModelName: 'llama-2-7b', draftTokens: 4, acceptanceRate: 0.7, ...overrides },
  };
}

describe('speculative decoding', () => {
  it('expects (1 − α^(γ+1)) / (1 − α) tokens per verification step', () => {
    // α = 0.7, γ = 4: (1 − 0.16807) / 0.3 = 2.7731
    assert.ok(Math.abs(expectedTokensPerStep(0.7, 4) - 2.7731) < 1e-12);
    // α = 0.5, γ = 1: (1 − 0.25) / 0.5 = 1.5
    assert.equal(expectedTokensPerStep(0.5, 1), 1.5);
    // α = 0: only the target's own token.
    assert.equal(expectedTokensPerStep(0, 4), 1);
  });

  it('composes TPOT from γ draft steps and one verification step, and holds both models in memory', () => {
    const target = engineInput({ model: hfConfig('llama-2-70b'), hardware: H100, tensor: 4, batchSize: 1, promptTokens: 1024, outputTokens: 256 });
    const plain = analyzeResolved(target);
    const draftAlone = analyzeResolved({ ...target, model: hfConfig('llama-2-7b') });
    const result = analyzeResolved(withDraft(target));
    const speculative = result.metrics.speculative!;
    assert.ok(Math.abs(speculative.expected_tokens_per_step - 2.7731) < 1e-12);
    // The draft's decode step is its own plain TPOT; the verification step is what remains of the step.
    const verificationSeconds = speculative.step_seconds - 4 * draftAlone.metrics.tpot_seconds;
    // Verifying 5 tokens at batch 1 reads the same weights as one decode step (memory-bound), plus a
    // little more KV and activation traffic: at least one plain step, well under two.
    assert.ok(verificationSeconds >= plain.stages.decode.totals.seconds);
    assert.ok(verificationSeconds < 1.2 * plain.stages.decode.totals.seconds);
    assert.ok(Math.abs(speculative.tpot_seconds - speculative.step_seconds / speculative.expected_tokens_per_step) < 1e-15);
    assert.equal(result.metrics.tpot_seconds, speculative.tpot_seconds);
    assert.equal(speculative.plain_tpot_seconds, plain.metrics.tpot_seconds);
    assert.ok(Math.abs(speculative.speedup - plain.metrics.tpot_seconds / speculative.tpot_seconds) < 1e-12);
    // A 7B draft for a 70B target at α = 0.7: each step costs ≈ 4 × 0.1 + 1.0 = 1.4 target steps
    // (the 7B at TP 4 reads a tenth of the 70B's bytes) for 2.77 tokens, so ≈ 2× faster.
    assert.ok(speculative.speedup > 1.5 && speculative.speedup < 2.5, `speed-up ${speculative.speedup}`);
    // TTFT: target prefill + draft prefill; end-to-end: TTFT + 255 steps at the speculative TPOT.
    assert.ok(Math.abs(result.metrics.ttft_seconds - (plain.metrics.ttft_seconds + draftAlone.metrics.ttft_seconds)) < 1e-15);
    assert.ok(Math.abs(result.metrics.e2e_seconds - (result.metrics.ttft_seconds + 255 * speculative.tpot_seconds)) < 1e-12);
    // Memory: both models' weights and caches.
    assert.equal(speculative.draft_weights_bytes, draftAlone.memory.weights_bytes);
    assert.equal(speculative.draft_kv_cache_bytes, draftAlone.memory.kv_cache_bytes);
    assert.equal(result.memory.weights_bytes, plain.memory.weights_bytes + draftAlone.memory.weights_bytes);
    assert.equal(result.memory.kv_cache_bytes, plain.memory.kv_cache_bytes + draftAlone.memory.kv_cache_bytes);
    assert.ok(result.capacity!.max_batch_size < plain.capacity!.max_batch_size);
  });

  it('refuses an acceptance rate outside [0, 1) and a draft length below 1, naming the field', () => {
    const target = engineInput({ hardware: H100 });
    for (const acceptanceRate of [1, 1.2, -0.1, Number.NaN]) {
      assert.throws(
        () => analyzeResolved(withDraft(target, { acceptanceRate })),
        (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'speculative.acceptance_rate',
      );
    }
    assert.throws(
      () => analyzeResolved(withDraft(target, { draftTokens: 0 })),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'speculative.draft_tokens',
    );
  });

  it('places draft model errors on speculative.draft_model', () => {
    const target = engineInput({ model: hfConfig('llama-2-70b'), hardware: H100, tensor: 8 });
    // Llama-2-7B has 11008 MLP columns, which 8 divides, but 32 heads: fine; a draft with 12 heads is not.
    const draftModel = { ...hfConfig('llama-2-7b'), num_attention_heads: 12, num_key_value_heads: 12, head_dim: 128, hidden_size: 1536 };
    assert.throws(
      () => analyzeResolved(withDraft(target, { draftModel })),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'speculative.draft_model' && error.message.includes('draft model'),
    );
    assert.throws(
      () => analyzeResolved({ ...withDraft(engineInput({ hardware: H100 })), conventions: 'llm-viewer' }),
      (error: unknown) => error instanceof RooflineInputError && error.code === 'not-in-llm-viewer',
    );
  });

  it('runs a dense draft beside an expert-parallel, pipelined target', () => {
    // Mixtral split over 2 devices for tensor and expert parallelism and 2 pipeline stages: the
    // draft (dense Llama-2-7B) is split tensor-parallel only, so neither expert nor pipeline
    // parallelism applies to it and the analysis goes through.
    const target: EngineInput = {
      ...engineInput({ model: hfConfig('mixtral-8x7b'), hardware: H100, tensor: 2 }),
      parallelism: { tensor: 2, expert: 2, pipeline: 2 },
    };
    const result = analyzeResolved(withDraft(target));
    assert.ok(result.metrics.speculative !== undefined);
    assert.ok(result.metrics.tpot_seconds > 0);
  });
});
