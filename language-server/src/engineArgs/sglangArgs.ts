/**
 * `python -m sglang.launch_server`'s arguments (python/sglang/srt/server_args.py, `ServerArgs`): the
 * ones in common use. SGLang adds arguments often, so one this table does not know is a warning,
 * not an error, unless it is close to one it knows.
 */
import { argTable } from './argSpecs';

export const SGLANG_QUANTIZATION_METHODS = [
  'awq', 'fp8', 'mxfp8', 'gptq', 'marlin', 'gptq_marlin', 'awq_marlin', 'bitsandbytes', 'gguf', 'modelopt', 'modelopt_fp8', 'modelopt_fp4',
  'petit_nvfp4', 'w8a8_int8', 'w8a8_fp8', 'moe_wna16', 'qoq', 'w4afp8', 'mxfp4', 'auto-round', 'compressed-tensors', 'quark', 'unquant',
];

export const SGLANG_ARGS = argTable('SGLang', 'python/sglang/srt/server_args.py', [
  // Model and tokenizer
  '--model-path --model string', '--tokenizer-path string', '--tokenizer-mode string', '--tokenizer-worker-num int',
  '--skip-tokenizer-init flag', '--load-format string', '--model-loader-extra-config string', '--trust-remote-code flag',
  '--context-length int', '--is-embedding flag', '--enable-multimodal flag', '--revision string', '--model-impl string',
  '--json-model-override-args string', '--preferred-sampling-params string',
  // HTTP server
  '--host string', '--port int', '--skip-server-warmup flag', '--warmups string', '--nccl-port int', '--api-key string',
  '--served-model-name string', '--chat-template string', '--completion-template string', '--file-storage-path string',
  '--enable-cache-report flag', '--reasoning-parser string', '--tool-call-parser string', '--tool-server string',
  // Formats
  '--dtype choice:auto,half,float16,bfloat16,float,float32',
  `--quantization choice:${SGLANG_QUANTIZATION_METHODS.join(',')}`, '--quantization-param-path string',
  '--kv-cache-dtype choice:auto,fp8_e5m2,fp8_e4m3,bf16,bfloat16,fp4_e2m1',
  // Memory and scheduling
  '--mem-fraction-static float', '--max-running-requests int', '--max-queued-requests int', '--max-total-tokens int',
  '--chunked-prefill-size int', '--max-prefill-tokens int', '--schedule-policy string', '--schedule-conservativeness float',
  '--page-size int', '--hybrid-kvcache-ratio float', '--swa-full-tokens-ratio float', '--disable-hybrid-swa-memory flag',
  '--cpu-offload-gb int', '--enable-mixed-chunk flag', '--num-continuous-decode-steps int', '--allow-auto-truncate flag',
  // Runtime
  '--device string', '--tensor-parallel-size --tp-size --tp int', '--pipeline-parallel-size --pp-size int', '--max-micro-batch-size int',
  '--stream-interval int', '--stream-output flag', '--random-seed int', '--constrained-json-whitespace-pattern string',
  '--watchdog-timeout float', '--dist-timeout int', '--download-dir string', '--base-gpu-id int', '--gpu-id-step int',
  '--sleep-on-idle flag',
  // Logging and metrics
  '--log-level string', '--log-level-http string', '--log-requests flag', '--log-requests-level int', '--crash-dump-folder string',
  '--show-time-cost flag', '--enable-metrics flag', '--enable-metrics-for-all-schedulers flag', '--bucket-time-to-first-token list',
  '--bucket-inter-token-latency list', '--bucket-e2e-request-latency list', '--collect-tokens-histogram flag',
  '--decode-log-interval int', '--enable-request-time-stats-logging flag', '--kv-events-config string',
  // Data and expert parallelism
  '--data-parallel-size --dp-size int', '--load-balance-method string', '--dist-init-addr --nccl-init-addr string', '--nnodes int',
  '--node-rank int', '--expert-parallel-size --ep-size --ep int', '--moe-a2a-backend string', '--moe-runner-backend string',
  '--enable-flashinfer-allreduce-fusion flag', '--deepep-mode string', '--ep-num-redundant-experts int', '--ep-dispatch-algorithm string',
  '--init-expert-location string', '--enable-eplb flag', '--eplb-algorithm string', '--eplb-rebalance-num-iterations int',
  '--eplb-rebalance-layers-per-chunk int', '--expert-distribution-recorder-mode string', '--expert-distribution-recorder-buffer-size int',
  '--enable-expert-distribution-metrics flag', '--deepep-config string', '--moe-dense-tp-size int', '--enable-dp-attention flag',
  '--enable-dp-lm-head flag', '--enable-two-batch-overlap flag', '--tbo-token-distribution-threshold float',
  // LoRA
  '--enable-lora flag', '--max-lora-rank int', '--lora-target-modules list', '--lora-paths list', '--max-loras-per-batch int',
  '--lora-backend string',
  // Kernels
  '--attention-backend string', '--decode-attention-backend string', '--prefill-attention-backend string', '--sampling-backend string',
  '--grammar-backend string', '--mm-attention-backend string',
  // Speculative decoding
  '--speculative-algorithm string', '--speculative-draft-model-path --speculative-draft-model string',
  '--speculative-draft-model-revision string', '--speculative-num-steps int', '--speculative-eagle-topk int',
  '--speculative-num-draft-tokens int', '--speculative-accept-threshold-single float', '--speculative-accept-threshold-acc float',
  '--speculative-token-map string',
  // Hierarchical cache and offloading
  '--enable-hierarchical-cache flag', '--hicache-ratio float', '--hicache-size int', '--hicache-write-policy string',
  '--hicache-io-backend string', '--hicache-mem-layout string', '--hicache-storage-backend string', '--enable-double-sparsity flag',
  '--offload-group-size int', '--offload-num-in-group int', '--offload-prefetch-step int', '--offload-mode string',
  // Optimisations
  '--disable-radix-cache flag', '--cuda-graph-max-bs int', '--cuda-graph-bs list', '--disable-cuda-graph flag',
  '--disable-cuda-graph-padding flag', '--enable-profile-cuda-graph flag', '--enable-cudagraph-gc flag', '--enable-nccl-nvls flag',
  '--enable-symm-mem flag', '--enable-tokenizer-batch-encode flag', '--disable-outlines-disk-cache flag',
  '--disable-custom-all-reduce flag', '--enable-mscclpp flag', '--disable-overlap-schedule flag', '--enable-torch-compile flag',
  '--torch-compile-max-bs int', '--torchao-config string', '--enable-nan-detection flag', '--enable-p2p-check flag',
  '--triton-attention-reduce-in-fp32 flag', '--triton-attention-num-kv-splits int', '--delete-ckpt-after-loading flag',
  '--enable-memory-saver flag', '--enable-custom-logit-processor flag', '--flashinfer-mla-disable-ragged flag',
  '--disable-shared-experts-fusion flag', '--disable-chunked-prefix-cache flag', '--disable-fast-image-processor flag',
  '--enable-return-hidden-states flag', '--enable-deterministic-inference flag', '--custom-weight-loader list',
  '--weight-loader-disable-mmap flag', '--enable-pdmux flag',
  // Disaggregation
  '--disaggregation-mode string', '--disaggregation-transfer-backend string', '--disaggregation-bootstrap-port int',
  '--disaggregation-ib-device string', '--num-reserved-decode-tokens int', '--pdlb-url string',
  '--config string',
]);
