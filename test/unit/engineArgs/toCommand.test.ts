/**
 * The other way: a deployment in our keys → the vllm serve / SGLang launch command → read back as
 * `vllm:` / `sglang:`, the same analysis.
 */
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { parseDocument } from '../../../language-server/src/config/parse';
import { resolveDeployment } from '../../../language-server/src/config/resolveDeployment';
import { engineCommandOf, modelReferenceOf } from '../../../language-server/src/engineArgs/toCommand';
import { memoryHost } from '../config/fixtures';

const URI = 'file:///work/project/a.roofline.yaml';

function analyze(text: string) {
  return analyzeDocument(parseDocument(URI, text, 'deployment'), memoryHost({}));
}

function commandOf(text: string, engine: 'vllm' | 'sglang') {
  const doc = parseDocument(URI, text, 'deployment');
  const input = resolveDeployment(doc, memoryHost({})).input!;
  const result = analyzeDocument(doc, memoryHost({})).result!;
  return engineCommandOf(engine, input, modelReferenceOf((doc.value as { model?: unknown }).model, input.modelName), result);
}

const OURS = [
  'model: meta-llama/Llama-3.1-8B',
  'hardware: nvidia-h100-sxm',
  'parallelism: { tensor: 2 }',
  'quantization: { weights: bf16, activations: bf16, kv_cache: fp8 }',
  'memory: { utilization: 0.85 }',
  'serving: { max_model_len: 8192, max_running_requests: 128, max_batched_tokens: 4096, kv_block_tokens: 32 }',
  '',
].join('\n');

describe('engine arguments: a deployment as a command', () => {
  it('writes the vllm serve command whose arguments give back the same analysis', () => {
    const { command, notExpressed } = commandOf(OURS, 'vllm');
    assert.equal(
      command,
      'vllm serve meta-llama/Llama-3.1-8B --tensor-parallel-size 2 --dtype bfloat16 --kv-cache-dtype fp8 --gpu-memory-utilization 0.85 --max-model-len 8192 --max-num-batched-tokens 4096 --block-size 32 --max-num-seqs 128',
    );
    assert.deepEqual(notExpressed, []);
    const back = analyze(`hardware: nvidia-h100-sxm\nvllm: ${command}\n`);
    assert.deepEqual(back.problems.filter((problem) => problem.severity === 'error'), []);
    assert.deepEqual(back.result, analyze(OURS.replace('kv_block_tokens: 32 }', 'kv_block_tokens: 32, memory_budget: vllm }')).result);
  });

  it('writes the SGLang command with the memory fraction that keeps the same KV pool', () => {
    const { command } = commandOf(OURS, 'sglang');
    assert.match(command, /^python -m sglang\.launch_server --model-path meta-llama\/Llama-3\.1-8B --tp-size 2 --dtype bfloat16 --kv-cache-dtype fp8_e4m3 --mem-fraction-static 0\.\d+ --context-length 8192 --chunked-prefill-size 4096 --page-size 32 --max-running-requests 128$/);
    const back = analyze(`hardware: nvidia-h100-sxm\nsglang: ${command}\n`);
    const vllmPool = analyze(OURS).result!.serving!.kv_pool_bytes_per_gpu;
    // The fraction is rounded to 3 decimals, as SGLang rounds its own: within 0.0005 × 80 GiB.
    assert.ok(Math.abs(back.result!.serving!.kv_pool_bytes_per_gpu - vllmPool) <= 0.0005 * 80 * 1024 ** 3, `${back.result!.serving!.kv_pool_bytes_per_gpu} vs ${vllmPool}`);
  });

  it('says what a command cannot express instead of dropping it', () => {
    const { command, notExpressed } = commandOf('model: meta-llama/Llama-3.1-8B\nhardware: nvidia-h100-sxm\nquantization: { weights: int4, kv_cache: int8 }\nworkload: { batch_size: 8, prompt_tokens: 2000, output_tokens: 500 }\n', 'vllm');
    assert.equal(command, 'vllm serve meta-llama/Llama-3.1-8B --max-model-len 2500 --max-num-seqs 8');
    assert.equal(notExpressed.length, 2);
    assert.match(notExpressed[0]!, /^int4 weights/);
    assert.match(notExpressed[1]!, /int8 KV cache/);
  });

  it('names a model file by its folder, quoted for the shell', () => {
    assert.equal(modelReferenceOf('./my models/llama/config.json', 'x'), './my models/llama');
    assert.equal(modelReferenceOf({ hidden_size: 1 }, 'inline'), 'inline');
  });
});
