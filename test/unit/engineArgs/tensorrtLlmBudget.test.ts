/**
 * `serving.memory_budget: tensorrt-llm`: TensorRT-LLM gives its KV cache free_gpu_memory_fraction
 * of the memory left FREE after the profiled peak (tensorrt_llm/_torch/pyexecutor/_util.py,
 * KvCacheCreator._cal_max_memory: (total − peak) × fraction), capped by KvCacheConfig.max_tokens,
 * in blocks of 32 tokens (KvCacheConfig.tokens_per_block). A max_seq_len longer than the pool
 * starts with a capped attention window: a warning on the key, with a fix.
 */
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { applyOffsetEdits } from '../../../language-server/src/config/edit';
import { parseDocument } from '../../../language-server/src/config/parse';
import { memoryHost } from '../config/fixtures';

const URI = 'file:///work/project/trt.roofline.yaml';
const GIB = 1024 ** 3;

function analyze(text: string) {
  return analyzeDocument(parseDocument(URI, text, 'deployment'), memoryHost({}));
}

function deployment(hardware: string, serving: string): string {
  return `model: meta-llama/Llama-3.1-8B\nhardware: ${hardware}\nserving: { max_model_len: 131072, memory_budget: tensorrt-llm${serving} }\n`;
}

// Llama-3.1-8B in fp16, by hand:
//   weights: 8,030,261,248 parameters × 2 B = 16,060,522,496 B (14.96 GiB)
//   activations of the profiling step of max_num_tokens 8192 (trtllm-serve's default): the largest
//     layer is the gated MLP's activation, 2 × 14,336 in + 14,336 out per token, plus the 4,096
//     residual: 8192 × 47,104 × 2 B = 771,751,936 B
//   outside PyTorch on one GPU: 0.13 GiB = 139,586,437.12 B
//   KV per token: 32 layers × 8 KV heads × 128 × 2 (K and V) × 2 B = 131,072 B (a block of 32: 4 MiB)
const WEIGHTS = 8_030_261_248 * 2;
const ACTIVATIONS = 8192 * (2 * 14336 + 14336 + 4096) * 2;
const NON_TORCH = 0.13 * GIB;
const KV_PER_TOKEN = 32 * 8 * 128 * 2 * 2;

describe('TensorRT-LLM memory budgeting (serving.memory_budget: tensorrt-llm)', () => {
  it('H100 80 GiB: 0.9 of the free memory, 14,790 blocks of 32, 3.61 requests of 131,072 tokens', () => {
    const { problems, result } = analyze(deployment('nvidia-h100-sxm', ''));
    assert.deepEqual(problems, []);
    const startup = result!.serving!.startup!;
    // (85,899,345,920 − 16,060,522,496 − 771,751,936 − 139,586,437.12) × 0.9 = 62,034,736,545.79 B (57.77 GiB);
    // vLLM on the same GPU keeps 0.9 × 80 GiB − the same terms = 56.19 GiB: the fraction of the free memory is larger.
    const pool = (80 * GIB - WEIGHTS - ACTIVATIONS - NON_TORCH) * 0.9;
    assert.ok(Math.abs(startup.kv_pool_bytes_per_gpu - 62_034_736_545.792) < 1);
    assert.ok(Math.abs(startup.kv_pool_bytes_per_gpu - pool) < 1);
    assert.equal(startup.memory_budget, 'tensorrt-llm');
    assert.equal(startup.kv_block_tokens, 32);
    // 62,034,736,545.79 / 131,072 = 473,287.2 tokens → 14,790 whole blocks of 32 = 473,280 tokens.
    assert.equal(startup.kv_blocks_per_gpu, 14_790);
    assert.equal(startup.kv_pool_tokens, 473_280);
    // One request of 131,072 tokens: 131,072 × 131,072 B = 16 GiB; 57.77 / 16 = 3.61.
    assert.equal(startup.kv_bytes_per_max_len_request, 16 * GIB);
    assert.equal(startup.max_concurrency_at_max_model_len.toFixed(4), '3.6109');
    assert.equal(startup.longest_fitting_model_len, 473_280);
  });

  it('L4 24 GiB: the max length does not fit, so the attention window is capped: a warning on the key whose fix silences it', () => {
    const text = deployment('nvidia-l4', '');
    const { problems, result } = analyze(text);
    const startup = result!.serving!.startup!;
    // (25,769,803,776 − 16,060,522,496 − 771,751,936 − 139,586,437.12) × 0.9 = 7,918,148,616.19 B (7.37 GiB)
    // = 60,410.9 tokens → 1,887 blocks of 32 = 60,384 tokens; 7.37 GiB / 16 GiB = 0.46 requests of 131,072.
    assert.ok(Math.abs(startup.kv_pool_bytes_per_gpu - 7_918_148_616.192) < 1);
    assert.equal(startup.kv_blocks_per_gpu, 1_887);
    assert.equal(startup.longest_fitting_model_len, 60_384);
    assert.equal(startup.max_concurrency_at_max_model_len.toFixed(2), '0.46');
    assert.equal(problems.length, 1);
    const warning = problems[0]!;
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.code, 'context-longer-than-pool');
    assert.equal(text.slice(warning.range.start, warning.range.end), '131072');
    assert.equal(
      warning.message,
      'serving.max_model_len: TensorRT-LLM starts: KV pool 7.37 GiB per GPU, 1,887 blocks of 32 (60,384 tokens); maximum concurrency 0.46 requests of 131,072 tokens, ' +
        'but it caps the attention window at 60,384 tokens, less than max_model_len 131,072: a longer request attends to its last 60,384 tokens only',
    );
    // 60,384 floored to a multiple of 256: 60,160.
    assert.equal(warning.fixes![0]!.title, 'Lower serving.max_model_len to 60160 (the longest that fits)');
    const fixed = applyOffsetEdits(text, warning.fixes![0]!.edits);
    assert.match(fixed, /max_model_len: 60160,/);
    assert.deepEqual(analyze(fixed).problems, []);
  });

  it('kv_cache_max_tokens caps the pool at max_tokens × the KV bytes of a token', () => {
    const { result, problems } = analyze(deployment('nvidia-h100-sxm', ', kv_cache_max_tokens: 32768'));
    const startup = result!.serving!.startup!;
    // min(57.77 GiB, 32,768 × 131,072 B = 4 GiB) = 4 GiB: 1,024 blocks, 0.25 requests of 131,072 tokens.
    assert.equal(startup.kv_pool_bytes_per_gpu, 32768 * KV_PER_TOKEN);
    assert.equal(startup.kv_pool_bytes_per_gpu, 4 * GIB);
    assert.equal(startup.kv_blocks_per_gpu, 1024);
    assert.equal(startup.max_concurrency_at_max_model_len, 0.25);
    assert.match(problems[0]!.message, /caps the attention window at 32,768 tokens/);
    // A cap above what the fraction gives changes nothing.
    const loose = analyze(deployment('nvidia-h100-sxm', ', kv_cache_max_tokens: 1000000')).result!.serving!.startup!;
    assert.ok(Math.abs(loose.kv_pool_bytes_per_gpu - 62_034_736_545.792) < 1);
  });

  it('memory.utilization is the fraction of the free memory; kv_block_tokens overrides the 32-token block', () => {
    const text = 'model: meta-llama/Llama-3.1-8B\nhardware: nvidia-h100-sxm\nmemory: { utilization: 0.5 }\nserving: { max_model_len: 8192, memory_budget: tensorrt-llm, kv_block_tokens: 64 }\n';
    const startup = analyze(text).result!.serving!.startup!;
    assert.ok(Math.abs(startup.kv_pool_bytes_per_gpu - (80 * GIB - WEIGHTS - ACTIVATIONS - NON_TORCH) * 0.5) < 1);
    assert.equal(startup.kv_block_tokens, 64);
    assert.equal(startup.kv_blocks_per_gpu, Math.floor(startup.kv_pool_bytes_per_gpu / (64 * KV_PER_TOKEN)));
  });
});

describe('engine arguments: trtllm-serve', () => {
  it('trtllm-serve with every option that matters equals the deployment in our keys, with TensorRT-LLM budgeting', () => {
    const fromArgs = analyze('hardware: nvidia-h100-sxm\ntrtllm: trtllm-serve meta-llama/Llama-3.1-8B --tp_size 2 --max_seq_len 32768 --max_batch_size 256 --max_num_tokens 4096 --kv_cache_free_gpu_memory_fraction 0.85 --port 8000 --backend pytorch --trust_remote_code\n');
    const ours = analyze(
      'model: meta-llama/Llama-3.1-8B\nhardware: nvidia-h100-sxm\nparallelism: { tensor: 2 }\nmemory: { utilization: 0.85 }\n' +
        'serving: { max_model_len: 32768, max_running_requests: 256, max_batched_tokens: 4096, memory_budget: tensorrt-llm }\n',
    );
    assert.deepEqual(fromArgs.problems, []);
    assert.deepEqual(ours.problems, []);
    assert.deepEqual(fromArgs.result, ours.result);
    assert.equal(fromArgs.result!.serving!.startup!.memory_budget, 'tensorrt-llm');
    assert.equal(fromArgs.result!.serving!.startup!.kv_block_tokens, 32);
  });

  it('the model default --max_seq_len longer than the pool: a warning with a fix that adds --max_seq_len; with fail-fast an error', () => {
    const text = 'hardware: nvidia-l4\ntrtllm: trtllm-serve meta-llama/Llama-3.1-8B --port 8000\n';
    const [warning] = analyze(text).problems;
    assert.equal(warning!.severity, 'warning');
    assert.equal(text.slice(warning!.range.start, warning!.range.end), 'meta-llama/Llama-3.1-8B');
    // The same pool as the hand-checked L4 case above: defaults max_num_tokens 8192, fraction 0.9.
    assert.match(warning!.message, /^TensorRT-LLM starts: KV pool 7\.37 GiB per GPU, 1,887 blocks of 32 \(60,384 tokens\); .* caps the attention window at 60,384 tokens, less than --max_seq_len 131,072/);
    const fix = warning!.fixes![0]!;
    assert.equal(fix.title, 'Lower --max_seq_len to 60160 (the longest that fits)');
    const fixed = applyOffsetEdits(text, fix.edits);
    assert.equal(fixed, 'hardware: nvidia-l4\ntrtllm: trtllm-serve meta-llama/Llama-3.1-8B --port 8000 --max_seq_len 60160\n');
    assert.deepEqual(analyze(fixed).problems, []);
    const failFast = analyze(text.replace('--port 8000', '--port 8000 --fail_fast_on_attention_window_too_large')).problems;
    assert.equal(failFast.length, 1);
    assert.equal(failFast[0]!.severity, 'error');
    assert.match(failFast[0]!.message, /^TensorRT-LLM would refuse to start \(--fail_fast_on_attention_window_too_large\): one request of --max_seq_len 131,072 tokens needs 16\.00 GiB/);
  });

  it('click spellings: a dashed name is an error with the underscore name as a fix; the --config YAML is said, not read', () => {
    const text = 'hardware: nvidia-h100-sxm\ntrtllm: trtllm-serve meta-llama/Llama-3.1-8B --tp-size 2 --max_seq_len 8192 --config extra.yaml\n';
    const { problems } = analyze(text);
    const typo = problems.find((problem) => problem.code === 'engine-arg-unknown')!;
    assert.equal(text.slice(typo.range.start, typo.range.end), '--tp-size');
    assert.equal(typo.fixes![0]!.title, 'Change to --tp_size');
    const config = problems.find((problem) => problem.code === 'engine-arg-not-modelled')!;
    assert.equal(text.slice(config.range.start, config.range.end), '--config extra.yaml');
    assert.match(config.message, /LLM API options in this YAML .* are not read/);
  });
});
