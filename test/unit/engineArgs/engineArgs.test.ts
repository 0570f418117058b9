/**
 * Engine arguments as a deployment: `vllm:` and `sglang:` give the same analysis as our own keys,
 * problems sit on the argument inside the string, and "will it start?" follows the engines' own
 * KV pool budgeting.
 */
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { applyOffsetEdits } from '../../../language-server/src/config/edit';
import { parseDocument } from '../../../language-server/src/config/parse';
import type { ConfigProblem } from '../../../language-server/src/config/types';
import { shellWords } from '../../../language-server/src/engineArgs/shellWords';
import { memoryHost } from '../config/fixtures';

const URI = 'file:///work/project/a.roofline.yaml';
const GIB = 1024 ** 3;

function analyze(text: string, files: Record<string, string> = {}) {
  const doc = parseDocument(URI, text, 'deployment');
  return analyzeDocument(doc, memoryHost(files));
}

function on(text: string, problem: ConfigProblem): string {
  return text.slice(problem.range.start, problem.range.end);
}

function errors(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.filter((problem) => problem.severity === 'error');
}

describe('engine arguments: shell words', () => {
  it('splits like a shell, keeping where each word is written', () => {
    const text = `vllm serve m --served-model-name "my model" --api-key 'a b' \\\n  --tp 2 # comment`;
    const { words, problems } = shellWords(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(words.map((word) => word.value), ['vllm', 'serve', 'm', '--served-model-name', 'my model', '--api-key', 'a b', '--tp', '2']);
    const quoted = words[4]!;
    assert.equal(text.slice(quoted.start, quoted.end), '"my model"');
  });

  it('reports shell operators and unterminated quotes on their place', () => {
    const text = 'vllm serve m | tee log --chat-template "x';
    const { problems } = shellWords(text);
    assert.equal(problems.length, 2);
    assert.equal(text.slice(problems[0]!.start, problems[0]!.end), '|');
    assert.match(problems[1]!.message, /unterminated double quote/);
  });
});

describe('engine arguments: the same analysis as our keys', () => {
  it('vllm serve with every argument that matters equals the deployment in our keys', () => {
    const command = 'vllm serve meta-llama/Llama-3.1-8B --tensor-parallel-size 2 --kv-cache-dtype fp8 --max-model-len 8192 --max-num-seqs 128 --max-num-batched-tokens 4096 --gpu-memory-utilization 0.85 --block-size 32 --dtype bfloat16 --port 8000 --enable-prefix-caching --host 0.0.0.0';
    const fromArgs = analyze(`hardware: nvidia-h100-sxm\nvllm: ${command}\n`);
    const ours = analyze(
      [
        'model: meta-llama/Llama-3.1-8B',
        'hardware: nvidia-h100-sxm',
        'parallelism: { tensor: 2 }',
        'quantization: { weights: bf16, activations: bf16, kv_cache: fp8 }',
        'memory: { utilization: 0.85 }',
        'serving: { max_model_len: 8192, max_running_requests: 128, max_batched_tokens: 4096, kv_block_tokens: 32, memory_budget: vllm }',
        '',
      ].join('\n'),
    );
    assert.deepEqual(errors(fromArgs.problems), []);
    assert.ok(fromArgs.result && ours.result);
    assert.deepEqual(fromArgs.result, ours.result);
    // Hand check of the pool: 0.85 × 80 GiB − weights − activations − 0.55 GiB (NCCL, two GPUs).
    const serving = fromArgs.result.serving!;
    assert.equal(serving.startup!.max_model_len, 8192);
    assert.equal(serving.max_concurrency, 128, 'max-num-seqs caps the running requests');
    // Llama-3.1-8B: 32 layers × 8 KV heads × 128 × 2 (K and V) × 1 byte (fp8) / 2 GPUs = 32 KiB per token per GPU.
    assert.equal(serving.startup!.kv_bytes_per_max_len_request, 8192 * 32 * 1024);
    assert.equal(serving.startup!.kv_blocks_per_gpu, Math.floor(serving.kv_pool_bytes_per_gpu / (32 * 32 * 1024)));
  });

  it('sglang launch_server arguments equal the deployment in our keys, with SGLang budgeting', () => {
    const command = 'python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B --tp 2 --mem-fraction-static 0.8 --context-length 16384 --max-running-requests 64 --chunked-prefill-size 4096 --page-size 16 --kv-cache-dtype fp8_e4m3 --port 30000';
    const fromArgs = analyze(`hardware: nvidia-h100-sxm\nsglang: ${command}\n`);
    const ours = analyze(
      [
        'model: meta-llama/Llama-3.1-8B',
        'hardware: nvidia-h100-sxm',
        'parallelism: { tensor: 2 }',
        'quantization: { kv_cache: fp8 }',
        'memory: { utilization: 0.8 }',
        'serving: { max_model_len: 16384, max_running_requests: 64, max_batched_tokens: 4096, kv_block_tokens: 16, memory_budget: sglang }',
        '',
      ].join('\n'),
    );
    assert.deepEqual(errors(fromArgs.problems), []);
    assert.deepEqual(fromArgs.result, ours.result);
    // SGLang's pool has no activation term: 0.8 × 80 GiB − weights/2 − 0.55 GiB.
    const weights = fromArgs.result!.memory.weights_bytes;
    assert.ok(Math.abs(fromArgs.result!.serving!.kv_pool_bytes_per_gpu - (0.8 * 80 * GIB - weights - 0.55 * GIB)) < 1);
  });

  it('reads a list of arguments and a vllm serve --config YAML', () => {
    const list = analyze('hardware: nvidia-h100-sxm\nvllm: [serve, meta-llama/Llama-3.1-8B, -tp, 2, --max-model-len, 8192]\n');
    const configFile = analyze('hardware: nvidia-h100-sxm\nvllm: ./serve.yaml\n', {
      'file:///work/project/serve.yaml': 'model: meta-llama/Llama-3.1-8B\ntensor-parallel-size: 2\nmax_model_len: 8192\nport: 8000\n',
    });
    const line = analyze('hardware: nvidia-h100-sxm\nvllm: vllm serve meta-llama/Llama-3.1-8B -tp 2 --max-model-len=8k\n');
    assert.deepEqual(errors(list.problems), []);
    assert.deepEqual(errors(configFile.problems), []);
    assert.equal(list.result!.serving!.startup!.max_model_len, 8192);
    assert.deepEqual(configFile.result, list.result);
    assert.equal(line.result!.serving!.startup!.max_model_len, 8000, '8k is decimal, as vLLM reads it');
  });
});

describe('engine arguments: problems on the argument', () => {
  it('puts unknown and malformed arguments on their text, with did-you-mean fixes', () => {
    const text = 'hardware: nvidia-h100-sxm\nvllm: "vllm serve meta-llama/Llama-3.1-8B --tensor-paralel-size 2 --max-model-len lots --dtype bf16"\n';
    const { problems } = analyze(text);
    const unknown = problems.find((problem) => problem.code === 'engine-arg-unknown')!;
    assert.equal(on(text, unknown), '--tensor-paralel-size');
    assert.equal(unknown.fixes![0]!.edits[0]!.newText, '--tensor-parallel-size');
    const values = problems.filter((problem) => problem.code === 'engine-arg-value').map((problem) => on(text, problem));
    assert.deepEqual(values, ['lots', 'bf16']);
    assert.match(problems.find((problem) => on(text, problem) === 'bf16')!.message, /did you mean bfloat16/);
  });

  it('accepts arguments that change nothing here, and notes those it cannot model', () => {
    const text = 'hardware: nvidia-h100-sxm\nvllm: vllm serve meta-llama/Llama-3.1-8B --max-model-len 8192 --host 0.0.0.0 --port 8000 --api-key k --trust-remote-code --enforce-eager --cpu-offload-gb 4\n';
    const { problems } = analyze(text);
    assert.deepEqual(errors(problems), []);
    const notes = problems.filter((problem) => problem.code === 'engine-arg-not-modelled');
    assert.deepEqual(notes.map((problem) => on(text, problem)), ['--cpu-offload-gb 4']);
  });

  it('reports a key that disagrees with an argument on the argument', () => {
    const text = 'hardware: nvidia-h100-sxm\nparallelism: { tensor: 4 }\nvllm: vllm serve meta-llama/Llama-3.1-8B --tensor-parallel-size 2 --max-model-len 8192\n';
    const conflict = analyze(text).problems.find((problem) => problem.code === 'engine-args-conflict')!;
    assert.equal(on(text, conflict), '--tensor-parallel-size 2');
  });

  it('places engine errors about a key an argument set on that argument', () => {
    const text = 'hardware: nvidia-h100-sxm\nvllm: vllm serve meta-llama/Llama-3.1-8B --tensor-parallel-size 3 --max-model-len 8192\n';
    const problem = errors(analyze(text).problems)[0]!;
    assert.equal(on(text, problem), '--tensor-parallel-size 3');
    assert.match(problem.message, /^--tensor-parallel-size 3: /);
  });
});

describe('engine arguments: will it start?', () => {
  it('refuses a max model len whose KV cache does not fit, with the pool and concurrency, and fixes that start', () => {
    const text = 'hardware: nvidia-l4\nvllm: vllm serve meta-llama/Llama-3.1-8B --max-model-len 65536\n';
    const { problems } = analyze(text);
    const refusal = problems.find((problem) => problem.code === 'engine-would-not-start')!;
    assert.ok(refusal, problems.map((problem) => problem.message).join('\n'));
    assert.equal(on(text, refusal), '--max-model-len 65536');
    // L4: 0.9 × 24 GiB − 14.96 GiB of bf16 weights − activations − 0.13 GiB; 65,536 tokens × 128 KiB = 8 GiB.
    assert.match(refusal.message, /needs 8\.00 GiB of KV cache per GPU/);
    assert.match(refusal.message, /KV pool 6\.\d\d GiB per GPU/);
    assert.match(refusal.message, /maximum concurrency of 0\.\d\d requests of 65,536 tokens/);
    const titles = refusal.fixes!.map((fix) => fix.title);
    assert.match(titles[0]!, /^Lower --max-model-len to \d+ \(the longest that fits\)$/);
    assert.ok(titles.some((title) => title.includes('--kv-cache-dtype fp8')));
    assert.ok(titles.some((title) => title.includes('--tensor-parallel-size 2')));
    for (const fix of refusal.fixes!) {
      const fixed = applyOffsetEdits(text, fix.edits);
      const after = analyze(fixed);
      assert.equal(after.problems.find((problem) => problem.code === 'engine-would-not-start'), undefined, `${fix.title}: ${fixed}`);
    }
  });

  it('without --max-model-len takes the model context, placed on the model argument', () => {
    const text = 'hardware: nvidia-l4\nvllm: vllm serve meta-llama/Llama-3.1-8B\n';
    const refusal = analyze(text).problems.find((problem) => problem.code === 'engine-would-not-start')!;
    assert.equal(on(text, refusal), 'meta-llama/Llama-3.1-8B');
    assert.match(refusal.message, /max_position_embeddings/);
    assert.match(refusal.message, /131,072/);
  });

  it('when vLLM starts, reports nothing as a problem and gives the pool, blocks and concurrency in the result', () => {
    const text = 'hardware: nvidia-h100-sxm\nvllm: vllm serve meta-llama/Llama-3.1-8B --max-model-len 32768\n';
    const { problems, result } = analyze(text);
    assert.deepEqual(problems, []);
    const startup = result!.serving!.startup!;
    // H100: 0.9 × 80 GiB − 14.96 GiB of fp16 weights − activations of an 8192-token step − 0.13 GiB; 64 KiB of fp16 KV per token... 128 KiB.
    assert.equal(startup.kv_bytes_per_max_len_request, 32768 * 128 * 1024);
    assert.equal(startup.kv_blocks_per_gpu, Math.floor(startup.kv_pool_bytes_per_gpu / (16 * 128 * 1024)));
    assert.equal(startup.max_concurrency_at_max_model_len, startup.kv_pool_bytes_per_gpu / (32768 * 128 * 1024));
  });

  it('SGLang: no room for the pool is an error on the memory fraction; a short pool caps requests', () => {
    const tight = 'hardware: nvidia-l4\nsglang: python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B --mem-fraction-static 0.6\n';
    const refusal = analyze(tight).problems.find((problem) => problem.code === 'engine-would-not-start')!;
    assert.equal(on(tight, refusal), '--mem-fraction-static 0.6');
    assert.match(refusal.message, /SGLang would refuse to start: no memory is left for the KV cache/);
    const short = 'hardware: nvidia-l4\nsglang: python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B\n';
    const warning = analyze(short).problems.find((problem) => problem.code === 'context-longer-than-pool')!;
    assert.equal(warning.severity, 'warning');
    assert.match(warning.message, /caps each request at [\d,]+ tokens, less than the context length 131,072/);
  });
});

describe('engine arguments through the library API', () => {
  it('analyze() of a vllm: deployment equals the same deployment in our keys, and refuses what vLLM refuses', async () => {
    const { analyze } = await import('../../../language-server/src/api');
    const fromArgs = analyze({ hardware: 'nvidia-h100-sxm', vllm: 'vllm serve meta-llama/Llama-3.1-8B -tp 2 --kv-cache-dtype fp8 --max-model-len 8192 --max-num-seqs 256 --max-num-batched-tokens 8192' });
    const ours = analyze({
      model: 'meta-llama/Llama-3.1-8B',
      hardware: 'nvidia-h100-sxm',
      parallelism: { tensor: 2 },
      quantization: { kv_cache: 'fp8' },
      serving: { max_model_len: 8192, max_running_requests: 256, max_batched_tokens: 8192 },
    });
    assert.deepEqual(fromArgs, ours);
    assert.throws(
      () => analyze({ hardware: 'nvidia-l4', vllm: ['serve', 'meta-llama/Llama-3.1-8B', '--max-model-len', '65536'] }),
      /--max-model-len 65536: vLLM would refuse to start: .*KV pool .*maximum concurrency of 0\.\d\d requests of 65,536 tokens/,
    );
  });
});
