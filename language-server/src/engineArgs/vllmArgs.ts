/**
 * `vllm serve`'s arguments: the engine's (vllm/engine/arg_utils.py, `EngineArgs.add_cli_args`, as of
 * vLLM 0.11) and the OpenAI-compatible server's (vllm/entrypoints/openai/cli_args.py), plus a few
 * recently removed ones still common in scripts. Choices are listed where the analysis reads them.
 */
import { argTable } from './argSpecs';

/** `--quantization` methods (vllm/model_executor/layers/quantization/__init__.py, QUANTIZATION_METHODS). */
export const VLLM_QUANTIZATION_METHODS = [
  'awq', 'deepspeedfp', 'tpu_int8', 'fp8', 'ptpc_fp8', 'fbgemm_fp8', 'fp_quant', 'modelopt', 'modelopt_fp4', 'bitblas', 'gguf',
  'gptq_marlin_24', 'gptq_marlin', 'gptq_bitblas', 'awq_marlin', 'gptq', 'compressed-tensors', 'bitsandbytes', 'hqq', 'experts_int8',
  'ipex', 'quark', 'moe_wna16', 'torchao', 'auto-round', 'rtn', 'inc', 'mxfp4', 'petit_nvfp4', 'marlin', 'awq_triton', 'None',
];

export const VLLM_ARGS = argTable('vLLM', 'vllm/engine/arg_utils.py and vllm/entrypoints/openai/cli_args.py', [
  // Model
  '--model string', '--runner string', '--convert string', '--task string', '--tokenizer string', '--tokenizer-mode string',
  '--trust-remote-code flag', '--dtype choice:auto,half,float16,bfloat16,float,float32', '--seed int', '--hf-config-path string',
  '--allowed-local-media-path string', '--allowed-media-domains list', '--revision string', '--code-revision string',
  '--rope-scaling json', '--rope-theta float', '--tokenizer-revision string', '--max-model-len human-int',
  `--quantization -q choice:${VLLM_QUANTIZATION_METHODS.join(',')}`, '--enforce-eager flag', '--max-logprobs int',
  '--logprobs-mode string', '--disable-sliding-window flag', '--disable-cascade-attn flag', '--skip-tokenizer-init flag',
  '--enable-prompt-embeds flag', '--served-model-name list', '--config-format string', '--hf-token optional', '--hf-overrides json',
  '--pooler-config json', '--override-pooler-config json', '--logits-processor-pattern string', '--generation-config string',
  '--override-generation-config json', '--enable-sleep-mode flag', '--model-impl string', '--override-attention-dtype string',
  '--logits-processors list', '--io-processor-plugin string',
  // Loading
  '--load-format string', '--download-dir string', '--safetensors-load-strategy string', '--model-loader-extra-config json',
  '--ignore-patterns list', '--use-tqdm-on-load flag', '--pt-load-map-location string',
  // Structured outputs
  '--reasoning-parser string', '--guided-decoding-backend string', '--guided-decoding-disable-fallback flag',
  '--guided-decoding-disable-any-whitespace flag', '--guided-decoding-disable-additional-properties flag',
  // Parallelism
  '--distributed-executor-backend string', '--pipeline-parallel-size -pp int', '--tensor-parallel-size -tp int',
  '--decode-context-parallel-size -dcp int', '--data-parallel-size -dp int', '--data-parallel-rank -dpn int',
  '--data-parallel-start-rank -dpr int', '--data-parallel-size-local -dpl int', '--data-parallel-address -dpa string',
  '--data-parallel-rpc-port -dpp int', '--data-parallel-backend -dpb string', '--data-parallel-hybrid-lb flag',
  '--enable-expert-parallel flag', '--all2all-backend string', '--enable-dbo flag', '--dbo-decode-token-threshold int',
  '--dbo-prefill-token-threshold int', '--disable-nccl-for-dp-synchronization flag', '--enable-eplb flag', '--eplb-config json',
  '--expert-placement-strategy string', '--num-redundant-experts int', '--eplb-window-size int', '--eplb-step-interval int',
  '--eplb-log-balancedness flag', '--max-parallel-loading-workers int', '--ray-workers-use-nsight flag',
  '--disable-custom-all-reduce flag', '--worker-cls string', '--worker-extension-cls string',
  '--enable-multimodal-encoder-data-parallel flag',
  // KV cache
  '--block-size choice:1,8,16,32,64,128,256', '--gpu-memory-utilization float', '--kv-cache-memory-bytes human-int',
  '--swap-space float', '--kv-cache-dtype choice:auto,bfloat16,fp8,fp8_e4m3,fp8_e5m2,fp8_inc,fp8_ds_mla',
  '--num-gpu-blocks-override int', '--enable-prefix-caching flag', '--prefix-caching-hash-algo string', '--cpu-offload-gb float',
  '--calculate-kv-scales flag', '--kv-sharing-fast-prefill flag', '--mamba-cache-dtype string', '--mamba-ssm-cache-dtype string',
  '--mamba-block-size int',
  // Multimodal
  '--limit-mm-per-prompt json', '--enable-mm-embeds flag', '--media-io-kwargs json', '--mm-processor-kwargs json',
  '--mm-processor-cache-gb float', '--disable-mm-preprocessor-cache flag', '--mm-processor-cache-type string',
  '--mm-shm-cache-max-object-size-mb int', '--mm-encoder-tp-mode string', '--mm-encoder-attn-backend string',
  '--interleave-mm-strings flag', '--skip-mm-profiling flag', '--video-pruning-rate float',
  // LoRA
  '--enable-lora flag', '--max-loras int', '--max-lora-rank int', '--lora-extra-vocab-size int', '--lora-dtype string',
  '--max-cpu-loras int', '--fully-sharded-loras flag', '--default-mm-loras json', '--lora-modules list',
  // Observability
  '--show-hidden-metrics-for-version string', '--otlp-traces-endpoint string', '--collect-detailed-traces string',
  // Scheduler
  '--max-num-batched-tokens human-int', '--max-num-seqs int', '--max-num-partial-prefills int', '--max-long-partial-prefills int',
  '--long-prefill-token-threshold int', '--num-lookahead-slots int', '--scheduling-policy string', '--enable-chunked-prefill flag',
  '--disable-chunked-mm-input flag', '--scheduler-cls string', '--disable-hybrid-kv-cache-manager flag', '--async-scheduling flag',
  // Compilation
  '--cudagraph-capture-sizes list', '--cuda-graph-sizes list', '--max-cudagraph-capture-size int',
  // Whole configs
  '--speculative-config json', '--kv-transfer-config json', '--kv-events-config json', '--compilation-config -O json',
  '--additional-config json', '--structured-outputs-config json',
  // Logging
  '--disable-log-stats flag', '--aggregate-engine-logging flag', '--enable-log-requests flag', '--disable-log-requests flag',
  // Removed in recent releases, still in many scripts
  '--max-seq-len-to-capture int', '--use-v2-block-manager flag', '--num-scheduler-steps int', '--preemption-mode string',
  '--device string', '--disable-async-output-proc flag', '--speculative-model string', '--num-speculative-tokens int',
  // The OpenAI-compatible server
  '--host string', '--port int', '--uds string', '--uvicorn-log-level string', '--disable-uvicorn-access-log flag',
  '--allow-credentials flag', '--allowed-origins json', '--allowed-methods json', '--allowed-headers json', '--api-key list',
  '--chat-template string', '--chat-template-content-format string', '--trust-request-chat-template flag', '--response-role string',
  '--ssl-keyfile string', '--ssl-certfile string', '--ssl-ca-certs string', '--enable-ssl-refresh flag', '--ssl-cert-reqs int',
  '--root-path string', '--middleware list', '--return-tokens-as-token-ids flag', '--disable-frontend-multiprocessing flag',
  '--enable-request-id-headers flag', '--enable-auto-tool-choice flag', '--exclude-tools-when-tool-choice-none flag',
  '--tool-call-parser string', '--tool-parser-plugin string', '--tool-server string', '--log-config-file string',
  '--max-log-len int', '--disable-fastapi-docs flag', '--enable-prompt-tokens-details flag', '--enable-server-load-tracking flag',
  '--enable-force-include-usage flag', '--enable-tokenizer-info-endpoint flag', '--enable-log-outputs flag',
  '--h11-max-incomplete-event-size int', '--h11-max-header-count int', '--log-error-stack flag', '--headless flag',
  '--api-server-count -asc int', '--config string', '--default-chat-template-kwargs json',
]);
