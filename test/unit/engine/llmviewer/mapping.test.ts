import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import { analyzeLlmViewer } from '../../../../language-server/src/engine/llmviewer/analyze';
import type { HfConfig } from '../../../../language-server/src/engine/types';
import { LLAMA_2, llmViewerHardwareSpec, llmViewerInput } from './helpers';

function expectInputError(run: () => unknown, path: readonly string[], code: string, mentions: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof RooflineInputError, String(error));
    assert.deepEqual(error.path, path);
    assert.equal(error.code, code);
    assert.match(error.message, mentions);
    return true;
  });
}

describe('llm-viewer conventions: result mapping, models, notes and errors', () => {
  describe('memory and capacity', () => {
    it('reports the larger stage footprint against the capacity', () => {
      const result = analyzeLlmViewer(llmViewerInput({ seqlen: 1024, batchsize: 1 }));
      // Prefill's temporary activations (the whole prompt) exceed decode's.
      assert.deepEqual({ ...result.memory, capacity_bytes: undefined, fits: undefined, memory_utilization: undefined }, {
        ...result.stages.prefill.memory,
        capacity_bytes: undefined,
        fits: undefined,
        memory_utilization: undefined,
      });
      assert.equal(result.memory.capacity_bytes, 48 * 1024 ** 3);
      assert.equal(result.memory.fits, true);
    });

    it('says a 70b model does not fit one A6000, and skips the check without a capacity', () => {
      const input = llmViewerInput({ model: LLAMA_2['70b'] });
      assert.equal(analyzeLlmViewer(input).memory.fits, false);
      const { memoryCapacityBytes: _unknown, ...noCapacity } = llmViewerHardwareSpec('nvidia_A6000');
      const result = analyzeLlmViewer({ ...input, hardware: noCapacity });
      assert.equal(result.memory.fits, true);
      assert.equal('capacity_bytes' in result.memory, false);
    });
  });

  describe('model accounting', () => {
    it('counts decoder linear weights × blocks plus lm_head as parameters', () => {
      // 32 · (4·4096² + 3·4096·11008) + 4096·32000 = 6,476,005,376 + 131,072,000
      assert.equal(analyzeLlmViewer(llmViewerInput()).model.parameters, 6_607_077_376);
    });

    it('takes OPT through the Llama-style list with a gate_proj sized by ffn_dim (spec §14 quirk 12)', () => {
      const opt: HfConfig = {
        model_type: 'opt',
        hidden_size: 2048,
        ffn_dim: 8192,
        num_hidden_layers: 24,
        num_attention_heads: 32,
        vocab_size: 50272,
      };
      const result = analyzeLlmViewer(llmViewerInput({ model: opt }));
      const gate = result.stages.decode.layers.find((l) => l.name === 'gate_proj');
      assert.ok(gate);
      assert.equal(gate.bytes.weights, 2048 * 8192 * 2);
      assert.deepEqual(result.notes, []);
    });

    it('takes GPT-J without gate_proj and with one norm (spec §2)', () => {
      const gptj: HfConfig = { model_type: 'gptj', n_embd: 4096, n_layer: 28, n_head: 16, vocab_size: 50400 };
      const names = analyzeLlmViewer(llmViewerInput({ model: gptj })).stages.decode.layers.map((l) => l.name);
      assert.deepEqual(names, [
        'q_proj', 'k_proj', 'v_proj', 'out_proj', 'up_proj', 'down_proj',
        'qk_matmul', 'sv_matmul', 'softmax', 'attn_norm', 'attn_add', 'mlp_add', 'mlp_act', 'lm_head',
      ]);
    });

    it('recognises Llama by its architecture name when model_type is absent', () => {
      const { model_type: _type, ...untyped } = LLAMA_2['7b'];
      const result = analyzeLlmViewer(llmViewerInput({ model: { ...untyped, architectures: ['LlamaForCausalLM'] } }));
      assert.deepEqual(result.notes, []);
    });

    it('notes families without an LLM-Viewer adapter, experts and latent attention', () => {
      const mixtral: HfConfig = {
        model_type: 'mixtral',
        hidden_size: 4096,
        intermediate_size: 14336,
        num_hidden_layers: 32,
        num_attention_heads: 32,
        num_key_value_heads: 8,
        num_local_experts: 8,
        vocab_size: 32000,
      };
      const notes = analyzeLlmViewer(llmViewerInput({ model: mixtral })).notes;
      assert.equal(notes.length, 2);
      assert.match(notes[0] ?? '', /no adapter for model family "mixtral".*Llama adapter/);
      assert.match(notes[1] ?? '', /8 experts.*ignore experts/);
      const mla = analyzeLlmViewer(llmViewerInput({ model: { ...LLAMA_2['7b'], kv_lora_rank: 512 } })).notes;
      assert.match(mla.join(' '), /latent attention/);
    });

    it('uses hidden_size // heads as head size and says so when head_dim differs', () => {
      const gemmaLike: HfConfig = {
        model_type: 'gemma2',
        hidden_size: 3584,
        intermediate_size: 14336,
        num_hidden_layers: 42,
        num_attention_heads: 16,
        num_key_value_heads: 8,
        head_dim: 256,
        vocab_size: 256000,
      };
      const result = analyzeLlmViewer(llmViewerInput({ model: gemmaLike, seqlen: 100 }));
      // qk decode reads K: s·d·b·nkv·2 with d = 3584 // 16 = 224
      assert.equal(result.stages.decode.layers.find((l) => l.name === 'qk_matmul')?.bytes.kv_read, 100 * 224 * 8 * 2);
      assert.match(result.notes.join(' '), /hidden_size \/\/ num_attention_heads = 224.*head_dim \(256\)/);
    });
  });

  describe('hardware given as our own spec', () => {
    it('lets bf16 stand in for a missing fp16 peak, with a note', () => {
      const hardware = { name: 'bf16-only', memoryBandwidthBytesPerSecond: 1e12, peakOpsPerSecond: { bf16: 200e12 } };
      const result = analyzeLlmViewer(llmViewerInput({ hardware }));
      assert.equal(result.hardware.peak_ops_per_second, 200e12);
      assert.equal(result.hardware.compute_precision, 'fp16');
      assert.match(result.notes.join(' '), /bf16 peak stands in/);
    });

    it('notes bit widths LLM-Viewer does not offer', () => {
      const input = llmViewerInput();
      const fp8 = { name: 'fp8', bitsPerElement: 8, computePrecision: 'fp8' as const };
      const result = analyzeLlmViewer({ ...input, quantization: { ...input.quantization, kvCache: fp8 } });
      assert.match(result.notes.join(' '), /the KV cache in fp8 count as 8-bit integers/);
    });
  });

  describe('errors', () => {
    it('rejects a tensor-parallel size that does not divide the hidden size', () => {
      expectInputError(() => analyzeLlmViewer(llmViewerInput({ tp: 3 })), ['parallelism', 'tensor'], 'tp-not-divisible', /hidden_size \(4096\)/);
    });

    it('rejects tp larger than the KV heads (Llama-2-70b at tp 16, spec §14 quirk 19)', () => {
      expectInputError(
        () => analyzeLlmViewer(llmViewerInput({ model: LLAMA_2['70b'], tp: 16 })),
        ['parallelism', 'tensor'],
        'tp-not-divisible',
        /num_key_value_heads \(8\)/,
      );
    });

    it('rejects a tp that splits the MLP unevenly', () => {
      const model = { ...LLAMA_2['7b'], intermediate_size: 11006 };
      expectInputError(() => analyzeLlmViewer(llmViewerInput({ model, tp: 4 })), ['parallelism', 'tensor'], 'tp-not-divisible', /intermediate_size \(11006\)/);
    });

    it('rejects hardware with no fp16 peak when 16-bit data needs it', () => {
      const hardware = { name: 'int8-only', memoryBandwidthBytesPerSecond: 1e12, peakOpsPerSecond: { int8: 400e12 } };
      expectInputError(() => analyzeLlmViewer(llmViewerInput({ hardware })), ['hardware', 'peak_tflops', 'fp16'], 'missing-field', /fp16/);
      // 8-bit data does not need it.
      assert.equal(analyzeLlmViewer(llmViewerInput({ hardware, wBit: 8, aBit: 8 })).hardware.peak_ops_per_second, 400e12);
    });

    it('rejects a non-positive on-chip buffer', () => {
      const hardware = { ...llmViewerHardwareSpec('nvidia_A6000'), onChipBufferBytes: 0 };
      expectInputError(() => analyzeLlmViewer(llmViewerInput({ hardware, flash: true })), ['hardware', 'on_chip_buffer_kb'], 'invalid-value', /positive/);
    });
  });
});

describe('llm-viewer conventions: settings it does not model', () => {
  it('refuses pipeline and expert parallelism on the key instead of ignoring them', () => {
    for (const key of ['pipeline', 'expert'] as const) {
      const input = llmViewerInput({ seqlen: 128, batchsize: 1 });
      expectInputError(
        () => analyzeResolved({ ...input, parallelism: { tensor: 1, [key]: 2 } }),
        ['parallelism', key],
        'not-in-llm-viewer',
        /tensor parallelism only/,
      );
    }
  });
});
