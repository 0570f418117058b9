/**
 * Model folders (`model: ./my-model/`): the safetensors index and headers read from disk, the
 * engine's weight bytes equal to the checkpoint's exact size, per-kind bytes equal to the tensors of
 * each kind, and each problem on its place. Real config.json and index files in
 * test/fixtures/checkpoints/ (sources in SOURCES.md) and test/fixtures/hf/; synthetic shards in the
 * real safetensors format written by writeSafetensors.ts.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../../../language-server/src/api';
import { nodeHost } from '../../../../language-server/src/cli/nodeHost';
import { analyzeDocument } from '../../../../language-server/src/config/analyze';
import { runSync } from '../../../../language-server/src/config/checkpoint/checkpointFiles';
import { readCheckpoint } from '../../../../language-server/src/config/checkpoint/readCheckpoint';
import { partOfTensor } from '../../../../language-server/src/config/checkpoint/tensorParts';
import { parseDocument } from '../../../../language-server/src/config/parse';
import type { ConfigProblem } from '../../../../language-server/src/config/types';
import { restrictedTo } from '../../../../language-server/src/config/readPolicy';
import { syncCheckpointFiles } from '../../../../language-server/src/node/checkpointFiles';
import { FIXTURES } from '../fixtures';
import { gptOss20bTensors, qwen3Fp8Tensors } from './checkpointShards';
import { tensorBytes, writeRaw, writeSafetensors, type TensorSpec } from './writeSafetensors';

const QWEN25_14B_TOTAL = 29_540_067_328; // metadata.total_size of the real index
const MOLMO_NF4_TOTAL = 6_661_964_712; // metadata.total_size of the real index

let workspace: string;

function folderWith(name: string, configFrom: string, shards: TensorSpec[][] = []): string {
  const folder = join(workspace, name);
  mkdirSync(folder, { recursive: true });
  copyFileSync(configFrom, join(folder, 'config.json'));
  shards.forEach((tensors, index) => writeSafetensors(join(folder, `model-0000${index + 1}-of-0000${shards.length}.safetensors`), tensors));
  return folder;
}

function deploymentAnalysis(text: string): { problems: ConfigProblem[]; text: string; uri: string } {
  const uri = pathToFileURL(join(workspace, 'deployment.roofline.yaml')).toString();
  const analysis = analyzeDocument(parseDocument(uri, text, 'deployment'), nodeHost);
  return { problems: analysis.problems, text, uri };
}

function sumBy(tensors: readonly TensorSpec[], keep: (tensor: TensorSpec) => boolean): number {
  return tensors.filter(keep).reduce((sum, tensor) => sum + tensorBytes(tensor), 0);
}

describe('model folders: safetensors index and headers', () => {
  before(() => {
    workspace = mkdtempSync(join(tmpdir(), 'llm-roofline-folders-'));
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  it('a real index without its shards: weight bytes equal metadata.total_size exactly', () => {
    const sakura = analyze({ model: './checkpoints/qwen2.5-14b-sakura/', hardware: 'nvidia-h100-sxm' }, { baseDir: FIXTURES });
    assert.equal(sakura.memory.weights_bytes, QWEN25_14B_TOTAL);
    assert.equal(sakura.model.weights_by_kind!.reduce((sum, entry) => sum + entry.bytes, 0), QWEN25_14B_TOTAL);
    assert.ok(sakura.notes.some((note) => note.includes('metadata.total_size')));
    // A bitsandbytes NF4 checkpoint (quantized weights with absmax and quant_map): the same, exactly.
    const nf4 = analyze({ model: './checkpoints/molmo-7b-d-nf4/', hardware: 'nvidia-h100-sxm' }, { baseDir: FIXTURES });
    assert.equal(nf4.memory.weights_bytes, MOLMO_NF4_TOTAL);
    // Two-way tensor parallelism holds about half on each device.
    const split = analyze({ model: './checkpoints/qwen2.5-14b-sakura/', hardware: 'nvidia-h100-sxm', parallelism: { tensor: 2 } }, { baseDir: FIXTURES });
    assert.ok(split.memory.weights_bytes < 0.55 * QWEN25_14B_TOTAL && split.memory.weights_bytes > 0.45 * QWEN25_14B_TOTAL);
  });

  it('reads the real index: total, tensor names and shards', () => {
    const read = runSync(readCheckpoint(pathToFileURL(join(FIXTURES, 'checkpoints', 'qwen2.5-14b-sakura')).toString()), syncCheckpointFiles({}));
    assert.equal(read.index?.totalSizeBytes, QWEN25_14B_TOTAL);
    assert.equal(read.tensors.length, 579);
    assert.equal(read.shards.length, 6);
    assert.equal(read.headersRead, 0);
    assert.deepEqual(read.problems, []);
  });

  it('fp8 with block scales (Qwen3-8B-FP8 layout): exact total and exact bytes per kind from the headers', () => {
    const tensors = qwen3Fp8Tensors();
    const half = tensors.length / 2;
    folderWith('qwen3-8b-fp8', join(FIXTURES, 'hf', 'qwen3-8b-fp8', 'config.json'), [tensors.slice(0, half), tensors.slice(half)]);
    const result = analyze({ model: './qwen3-8b-fp8/', hardware: 'nvidia-h100-sxm' }, { baseDir: workspace });
    const total = sumBy(tensors, () => true);
    assert.equal(result.memory.weights_bytes, total);
    const byKind = Object.fromEntries(result.model.weights_by_kind!.map((entry) => [entry.kind, entry.bytes]));
    // Each kind is its own tensors' bytes, fp32 block scales included.
    assert.equal(byKind.attention, sumBy(tensors, (tensor) => /self_attn\.[qkvo]_proj/.test(tensor.name)));
    assert.equal(byKind.mlp, sumBy(tensors, (tensor) => /mlp\./.test(tensor.name)));
    assert.equal(byKind.embedding, 151936 * 4096 * 2);
    assert.equal(byKind.lm_head, 151936 * 4096 * 2);
    assert.equal(byKind.vectors, sumBy(tensors, (tensor) => /norm/.test(tensor.name)));
    // fp8 plus one fp32 scale per 128 × 128 block: 8 + 32/16384 bits per weight.
    const attention = result.model.weights_by_kind!.find((entry) => entry.kind === 'attention')!;
    assert.match(attention.format, /8\.00 bits\/weight \(checkpoint\)/);
  });

  it('MXFP4 experts (gpt-oss-20b layout): exact total, experts sized from their blocks and scales', () => {
    const tensors = gptOss20bTensors();
    folderWith('gpt-oss-20b', join(FIXTURES, 'hf', 'gpt-oss-20b', 'config.json'), [tensors]);
    const result = analyze({ model: './gpt-oss-20b/', hardware: 'nvidia-h100-sxm' }, { baseDir: workspace });
    assert.equal(result.memory.weights_bytes, sumBy(tensors, () => true));
    const byKind = Object.fromEntries(result.model.weights_by_kind!.map((entry) => [entry.kind, entry.bytes]));
    assert.equal(byKind.experts, sumBy(tensors, (tensor) => /experts\.(gate_up|down)_proj_(blocks|scales)/.test(tensor.name)));
    assert.equal(byKind.router, sumBy(tensors, (tensor) => /router\.weight/.test(tensor.name)));
    // MXFP4: 4 bits per weight plus one 8-bit scale per 32 weights = 4.25.
    assert.match(result.model.weights_by_kind!.find((entry) => entry.kind === 'experts')!.format, /4\.25 bits\/weight/);
  });

  it('bf16 with some fp32 tensors: the fp32 norms count at 4 bytes', () => {
    const tensors = qwen3Fp8Tensors().map((tensor): TensorSpec =>
      /norm/.test(tensor.name) ? { ...tensor, dtype: 'F32' } : /weight_scale_inv/.test(tensor.name) ? tensor : { ...tensor, dtype: 'BF16' },
    ).filter((tensor) => !/weight_scale_inv/.test(tensor.name));
    const folder = folderWith('qwen3-8b-bf16', join(FIXTURES, 'hf', 'qwen3-8b-fp8', 'config.json'), [tensors]);
    // The same config without its quantization_config: a bf16 checkpoint.
    const config = JSON.parse(require('node:fs').readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    delete config.quantization_config;
    writeFileSync(join(folder, 'config.json'), JSON.stringify(config, null, 2));
    const result = analyze({ model: './qwen3-8b-bf16/', hardware: 'nvidia-h100-sxm' }, { baseDir: workspace });
    assert.equal(result.memory.weights_bytes, sumBy(tensors, () => true));
    const vectors = result.model.weights_by_kind!.find((entry) => entry.kind === 'vectors')!;
    assert.equal(vectors.bytes, sumBy(tensors, (tensor) => /norm/.test(tensor.name)));
  });

  it('an index of DeepSeek-V3 size (61 layers of 256 experts, 136,000 tensors, an MTP layer) is read whole', () => {
    const folder = folderWith('deepseek-v3-index', join(FIXTURES, 'hf', 'deepseek-v3', 'config.json'));
    const weightMap: Record<string, string> = { 'model.embed_tokens.weight': 'model-00001-of-00163.safetensors', 'lm_head.weight': 'model-00163-of-00163.safetensors' };
    // Layer 61 is DeepSeek-V3's multi-token-prediction layer (num_nextn_predict_layers: 1).
    for (let layer = 0; layer <= 61; layer++) {
      const shard = `model-${String(1 + (layer % 163)).padStart(5, '0')}-of-00163.safetensors`;
      for (const name of ['q_a_proj', 'q_b_proj', 'kv_a_proj_with_mqa', 'kv_b_proj', 'o_proj']) {
        weightMap[`model.layers.${layer}.self_attn.${name}.qweight`] = shard;
        weightMap[`model.layers.${layer}.self_attn.${name}.scales`] = shard;
      }
      for (let expert = 0; layer >= 3 && expert < 256; expert++) {
        for (const name of ['gate_proj', 'up_proj', 'down_proj']) {
          for (const part of ['qweight', 'qzeros', 'scales']) weightMap[`model.layers.${layer}.mlp.experts.${expert}.${name}.${part}`] = shard;
        }
      }
    }
    const tensors = Object.keys(weightMap).length;
    assert.ok(tensors > 136_000, String(tensors));
    writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 364_589_799_936 }, weight_map: weightMap }));
    const result = analyze({ model: './deepseek-v3-index/', hardware: 'nvidia-h200-sxm', parallelism: { tensor: 8 } }, { baseDir: workspace });
    // Eight-way tensor parallelism: each device holds a share, and the shares add up to at least the whole.
    assert.ok(result.memory.weights_bytes * 8 >= 364_589_799_936 * 0.999, String(result.memory.weights_bytes));
    const { problems } = deploymentAnalysis('model: ./deepseek-v3-index/\nhardware: nvidia-h200-sxm\n');
    assert.deepEqual(problems.filter((problem) => problem.code.startsWith('checkpoint')), []);
  });

  it('in Restricted Mode a folder outside the workspace folders is not read', () => {
    const folder = pathToFileURL(join(FIXTURES, 'checkpoints', 'qwen2.5-14b-sakura')).toString();
    const read = runSync(readCheckpoint(folder), syncCheckpointFiles(restrictedTo([pathToFileURL(workspace).toString()])));
    assert.equal(read.tensors.length, 0);
    assert.match(read.problems[0]!.message, /not read in Restricted Mode/);
  });

  it('maps tensor names to the parts of the model', () => {
    const cases: [string, string][] = [
      ['model.embed_tokens.weight', 'embedding'],
      ['lm_head.weight', 'lm_head'],
      ['model.layers.3.self_attn.q_a_proj.qweight', 'attention'],
      ['model.layers.3.self_attn.kv_a_layernorm.weight', 'vectors'],
      ['model.layers.3.mlp.experts.17.down_proj.scales', 'experts'],
      ['model.layers.3.mlp.shared_experts.up_proj.qzeros', 'mlp'],
      ['model.layers.3.mlp.gate.weight', 'router'],
      ['model.layers.3.mlp.gate.e_score_correction_bias', 'vectors'],
      ['model.layers.3.mlp.gate_proj.weight', 'mlp'],
      ['model.layers.61.eh_proj.weight', 'other'],
      ['model.vision_backbone.image_projector.w1.weight', 'other'],
      ['model.transformer.blocks.0.att_proj.weight.absmax', 'attention'],
      ['model.transformer.blocks.0.ff_proj.weight', 'mlp'],
    ];
    for (const [name, part] of cases) assert.equal(partOfTensor(name, 61), part, name);
  });

  describe('problems, each on its place', () => {
    it('a missing folder is an error on the model value', () => {
      const { problems, text } = deploymentAnalysis('model: ./no-such-model/\nhardware: nvidia-h100-sxm\n');
      const problem = problems.find((candidate) => candidate.code === 'missing-file')!;
      assert.match(problem.message, /model folder not found: \.\/no-such-model\//);
      assert.equal(text.slice(problem.range.start, problem.range.end), './no-such-model/');
    });

    it('a folder without config.json says where it looked', () => {
      mkdirSync(join(workspace, 'weights-only'), { recursive: true });
      writeSafetensors(join(workspace, 'weights-only', 'model.safetensors'), [{ name: 'lm_head.weight', dtype: 'BF16', shape: [4, 4] }]);
      const { problems, text } = deploymentAnalysis('model: ./weights-only/\nhardware: nvidia-h100-sxm\n');
      const problem = problems.find((candidate) => candidate.code === 'missing-file')!;
      assert.match(problem.message, /looked for \.\/weights-only\/config\.json/);
      assert.equal(text.slice(problem.range.start, problem.range.end), './weights-only/');
    });

    it('a malformed index is an error in the index, at the character JSON stops', () => {
      const folder = folderWith('bad-index', join(FIXTURES, 'hf', 'qwen3-8b-fp8', 'config.json'));
      writeFileSync(join(folder, 'model.safetensors.index.json'), '{ "metadata": { "total_size": 12 }, "weight_map": { "a": "model.safetensors", } ');
      const { problems } = deploymentAnalysis('model: ./bad-index/\nhardware: nvidia-h100-sxm\n');
      const problem = problems.find((candidate) => candidate.code === 'checkpoint-index')!;
      assert.match(problem.uri, /bad-index\/model\.safetensors\.index\.json$/);
      assert.match(problem.message, /not valid JSON/);
      assert.ok(problem.range.start > 0);
      assert.equal(problem.severity, 'error');
    });

    it('an index naming a file outside the folder is refused, not read', () => {
      const folder = folderWith('escaping-index', join(FIXTURES, 'hf', 'qwen3-8b-fp8', 'config.json'));
      writeFileSync(join(folder, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 8 }, weight_map: { 'lm_head.weight': '../../etc/passwd.safetensors' } }));
      const { problems } = deploymentAnalysis('model: ./escaping-index/\nhardware: nvidia-h100-sxm\n');
      assert.match(problems.find((candidate) => candidate.code === 'checkpoint-index')!.message, /not a \.safetensors file name in the model folder/);
    });

    it('malformed and oversize headers, and Git LFS pointers, are errors naming the file', () => {
      const folder = folderWith('bad-headers', join(FIXTURES, 'hf', 'qwen3-8b-fp8', 'config.json'));
      const bogusDtype = Buffer.from(JSON.stringify({ 'lm_head.weight': { dtype: 'F12', shape: [2], data_offsets: [0, 3] } }));
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(bogusDtype.length));
      writeRaw(join(folder, 'model-00001-of-00003.safetensors'), Buffer.concat([length, bogusDtype, Buffer.alloc(3)]));
      const huge = Buffer.alloc(16);
      huge.writeBigUInt64LE(200_000_000n);
      writeRaw(join(folder, 'model-00002-of-00003.safetensors'), huge);
      writeRaw(join(folder, 'model-00003-of-00003.safetensors'), Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 4\n'));
      const { problems } = deploymentAnalysis('model: ./bad-headers/\nhardware: nvidia-h100-sxm\n');
      const headers = problems.filter((problem) => problem.code === 'checkpoint-header');
      assert.equal(headers.length, 3, headers.map((problem) => problem.message).join('\n'));
      // Each problem is in its shard (its name is put in front where it is shown).
      assert.deepEqual(
        headers.map((problem) => problem.uri.slice(problem.uri.lastIndexOf('/') + 1)),
        ['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors'],
      );
      assert.match(headers[0]!.message, /^gives tensor lm_head\.weight the dtype "F12"/);
      assert.match(headers[1]!.message, /^declares a 200000000 byte header, over the 100 MB/);
      assert.match(headers[2]!.message, /^is a Git LFS pointer/);
    });

    it('a checkpoint that disagrees with config.json is an error on the config field', () => {
      // 35 layers of tensors and a 2048-wide embedding for a config of 36 layers and hidden_size 4096.
      const tensors = qwen3Fp8Tensors(35).map((tensor) => (tensor.name === 'model.embed_tokens.weight' ? { ...tensor, shape: [151936, 2048] } : tensor));
      folderWith('disagreeing', join(FIXTURES, 'hf', 'qwen3-8b-fp8', 'config.json'), [tensors]);
      const { problems } = deploymentAnalysis('model: ./disagreeing/\nhardware: nvidia-h100-sxm\n');
      const mismatches = problems.filter((problem) => problem.code === 'checkpoint-mismatch');
      const layers = mismatches.find((problem) => problem.path.includes('num_hidden_layers'))!;
      assert.match(layers.message, /num_hidden_layers is 36, but the checkpoint's tensors are for 35 layers/);
      assert.match(layers.uri, /disagreeing\/config\.json$/);
      const hidden = mismatches.find((problem) => problem.path.includes('hidden_size'))!;
      assert.match(hidden.message, /hidden_size is 4096, but the checkpoint's model\.embed_tokens\.weight is 151936 × 2048/);
    });
  });
});
