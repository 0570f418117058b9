/**
 * The format of each kind of weight: a checkpoint's quantization_config, runtime quantization that
 * leaves the embedding and lm_head in 16 bits, and formats given per kind. Weight bytes are checked
 * against what vLLM reports after loading ("Model loading took X GiB memory"), within 2%.
 */
import * as assert from 'node:assert/strict';
import { kindOfModule, readCheckpointQuantization } from '../../../../language-server/src/engine/checkpointQuantization';
import { parseNumberFormat, parseWeightFormats } from '../../../../language-server/src/engine/formats';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { H100, analyze, assertClose, engineInput, hfConfig, layer } from './helpers';

const GIB = 1024 ** 3;

describe('default conventions: weight formats per kind of layer', () => {
  it('gpt-oss-20b: MXFP4 experts (padded as vLLM lays them out), everything else bf16, against vLLM’s 13.72 GiB', () => {
    // Experts, 24 blocks × 32 experts, MXFP4 (4.25 bits) in vLLM's Marlin layout: hidden 2880 →
    // 3072 (multiple of 256), expert columns 2880 → 2944 (multiple of 128); gate, up and down:
    // 24 · 32 · 3 · 3072 · 2944 · 4.25 / 8 = 11,069,816,832 B; their biases 6,635,520 · 2 B.
    // The rest (attention, router, embedding, lm_head, norms, sinks): 20,914,757,184 − 19,116,933,120
    // = 1,797,824,064 parameters in bf16: 3,595,648,128 B. In all 14,678,736,000 B = 13.67 GiB.
    const result = analyze({ model: hfConfig('gpt-oss-20b'), hardware: H100, weights: 'bf16', activations: 'bf16' });
    assert.equal(result.memory.weights_bytes, 24 * 32 * 3 * 3072 * 2944 * (4.25 / 8) + 6_635_520 * 2 + 1_797_824_064 * 2);
    assert.equal(result.memory.weights_bytes, 14_678_736_000);
    // Parameters stay the model's: padding holds none.
    assert.equal(result.model.parameters, 20_914_757_184);
    // vLLM 0.10–0.11 on one GPU logs "Model loading took 13.72 GiB memory" for openai/gpt-oss-20b
    // (the same 13.7153–13.7194 GiB in four independent startup logs quoted in public repositories,
    // found by exact-string search of vLLM's log line): −0.36%.
    assertClose(result.memory.weights_bytes / GIB, 13.72, 0.02, 'gpt-oss-20b weights vs vLLM');
    const kinds = Object.fromEntries((result.model.weights_by_kind ?? []).map((entry) => [entry.kind, entry.format]));
    assert.deepEqual(kinds, { embedding: 'bf16', attention: 'bf16', router: 'bf16', experts: 'mxfp4', lm_head: 'bf16', vectors: '16-bit' });
    assert.ok(result.notes.some((note) => note.includes("checkpoint's quantization_config (MXFP4 experts")), result.notes.join('\n'));
  });

  it('Qwen3-8B-FP8: fp8 with 128 × 128 block scales in every block, embedding and lm_head bf16, against vLLM’s 8.8 GiB', () => {
    // Linear weights of the 36 blocks: 8,190,735,360 parameters − 2 · 151,936 · 4096 (embedding and
    // untied lm_head) − 308,224 norm weights = 6,945,767,424, at 8 + 32/16384 bits:
    // 6,945,767,424 + 6,945,767,424 / 4096 = 6,947,463,168 B; embedding and lm_head 2 · 622,329,856
    // · 2 B = 2,489,319,424 B; norms 616,448 B. In all 9,437,399,040 B = 8.789 GiB.
    const result = analyze({ model: hfConfig('qwen3-8b-fp8'), hardware: H100, weights: 'bf16', activations: 'bf16' });
    assert.equal(result.memory.weights_bytes, 6_947_463_168 + 2_489_319_424 + 616_448);
    // `vllm serve Qwen/Qwen3-8B-FP8` logs "Model loading took 8.8 GiB" (a startup log quoted in a
    // public repository, found by exact-string search): −0.1%.
    assertClose(result.memory.weights_bytes / GIB, 8.8, 0.02, 'Qwen3-8B-FP8 weights vs vLLM');
    assert.equal(layer(result, 'decode', 'lm_head').bytes.weights, 4096 * 151_936 * 2);
  });

  it('runtime fp8 keeps the embedding and lm_head in 16 bits, as vLLM’s --quantization fp8 does', () => {
    // Llama-3.1-8B: 8,030,261,248 parameters; embedding and lm_head 2 · 128,256 · 4096 =
    // 1,050,673,152 stay bf16 (2 B), norms 266,240 at 2 B, the other 6,979,321,856 at 1 B:
    // 6,979,321,856 + 2,101,346,304 + 532,480 = 9,081,200,640 B = 8.46 GiB (one format for
    // every layer would give 7.48 GiB, 12% less).
    const result = analyze({ model: hfConfig('llama-3.1-8b'), hardware: H100, weights: 'fp8', activations: 'bf16' });
    assert.equal(result.memory.weights_bytes, 9_081_200_640);
    assert.ok(result.notes.some((note) => note.includes('the embedding and lm_head stay in bf16')), result.notes.join('\n'));
  });

  it('formats given per kind win over the single format and the checkpoint', () => {
    const input = engineInput({ model: hfConfig('llama-3.1-8b'), hardware: H100 });
    const parsed = parseWeightFormats({ mlp: 'int4', default: 'bf16' }, ['quantization', 'weights'], parseNumberFormat('fp16', []));
    input.quantization = { ...input.quantization, weights: parsed.weights, weightsByKind: parsed.byKind! };
    const result = analyzeResolved(input);
    // MLP 32 · 3 · 4096 · 14336 = 5,637,144,576 at 0.5 B; everything else (2,393,116,672) at 2 B.
    assert.equal(result.memory.weights_bytes, 5_637_144_576 * 0.5 + (8_030_261_248 - 5_637_144_576) * 2);
    assert.equal(layer(result, 'decode', 'gate_proj').bytes.weights, 4096 * 14336 * 0.5);
    assert.equal(layer(result, 'decode', 'q_proj').bytes.weights, 4096 * 4096 * 2);
    assert.throws(
      () => parseWeightFormats({ mlp: 'int4', expert: 'fp8' }, ['quantization', 'weights'], parseNumberFormat('fp16', [])),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'quantization.weights.expert',
    );
  });

  it('reads AWQ, GPTQ, fp8 and compressed-tensors quantization_config with their ignore lists', () => {
    const awq = readCheckpointQuantization({ quantization_config: { quant_method: 'awq', bits: 4, group_size: 128, zero_point: true, modules_to_not_convert: ['mlp.gate'] } });
    assert.equal(awq?.formats.attention?.name, 'awq');
    assert.equal(awq?.formats.router, undefined);
    assert.equal(awq?.formats.lm_head, undefined);
    // GPTQ groups of 32: 4 + (16 + 4) / 32 = 4.625 bits.
    const gptq = readCheckpointQuantization({ quantization_config: { quant_method: 'gptq', bits: 4, group_size: 32 } });
    assert.equal(gptq?.formats.mlp?.bitsPerElement, 4.625);
    const fp8 = readCheckpointQuantization({
      quantization_config: { quant_method: 'fp8', weight_block_size: [128, 128], modules_to_not_convert: ['model.layers.*.self_attn'] },
    });
    assert.equal(fp8?.formats.attention, undefined);
    assert.equal(fp8?.formats.experts?.name, 'fp8-block128');
    const compressed = readCheckpointQuantization({
      quantization_config: {
        quant_method: 'compressed-tensors',
        config_groups: { group_0: { targets: ['Linear'], weights: { num_bits: 4, type: 'int', strategy: 'group', group_size: 128, symmetric: true } } },
        ignore: ['lm_head'],
      },
    });
    // Symmetric int4, an fp16 scale per 128: 4.125 bits.
    assert.equal(compressed?.formats.mlp?.bitsPerElement, 4.125);
    assert.equal(kindOfModule('model.layers.*.mlp.router'), 'router');
    assert.equal(kindOfModule('model.embed_tokens'), 'embedding');
    assert.equal(kindOfModule('model.layers.3.mlp'), undefined);
  });
});
