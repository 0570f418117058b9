/**
 * `trtllm-serve`'s options (tensorrt_llm/commands/serve.py, the click options of `serve`). Click
 * reads them as written: underscores, no dash spelling, `--name value` or `--name=value`. Defaults
 * of the ones the analysis reads: max_batch_size 2048, max_num_tokens 8192 (BuildConfig),
 * max_seq_len from the model's config, free_gpu_memory_fraction 0.9.
 */
import { argTable } from './argSpecs';

export const TRTLLM_ARGS = argTable('TensorRT-LLM', 'tensorrt_llm/commands/serve.py', [
  '--tokenizer string', '--custom_tokenizer string', '--host string', '--port int',
  '--backend choice:pytorch,tensorrt,trt,_autodeploy', '--custom_module_dirs string',
  '--log_level choice:internal_error,error,warning,info,verbose,debug,trace', '--max_beam_width int',
  '--max_batch_size int', '--max_num_tokens int', '--max_seq_len int',
  '--tensor_parallel_size --tp_size int', '--pipeline_parallel_size --pp_size int', '--context_parallel_size --cp_size int',
  '--moe_expert_parallel_size --ep_size int', '--moe_cluster_parallel_size --cluster_size int', '--gpus_per_node int',
  '--free_gpu_memory_fraction --kv_cache_free_gpu_memory_fraction float', '--num_postprocess_workers int',
  '--trust_remote_code flag', '--revision string', '--config --extra_llm_api_options string', '--reasoning_parser string',
  '--tool_parser string', '--metadata_server_config_file string', '--server_role string',
  '--fail_fast_on_attention_window_too_large flag', '--otlp_traces_endpoint string', '--disagg_cluster_uri string',
  '--enable_chunked_prefill flag', '--media_io_kwargs string', '--chat_template string', '--grpc flag',
], false);
