"""
Runs LLM-Viewer's own Python analyzer (a checkout of hahnyuan/LLM-Viewer given as
LLM_VIEWER_ROOT) without transformers or network: AutoConfig.from_pretrained is replaced by the
config.json given on the command line. Two uses:

  python3 tools/llm-viewer/run_upstream.py timing CONFIG.json MODEL_ID HARDWARE
      prints LLM-Viewer's analyze() time, first call and warm (median of 300), as JSON;
  python3 tools/llm-viewer/run_upstream.py generate CONFIG.json MODEL_ID HARDWARE
      prints analyze_generate_task() outputs for the cases in GENERATE_CASES, as JSON
      (test/fixtures/llm-viewer/generate_cases.json was made this way).
"""
import json
import os
import sys
import time
import types

GENERATE_CASES = [
    # (prompt_len, gen_len, batchsize, w_bit, a_bit, kv_bit)
    (1024, 1, 1, 16, 16, 16),
    (1024, 256, 1, 16, 16, 16),
    (1024, 256, 16, 16, 16, 16),
    (1024, 256, 16, 8, 8, 8),
    (1024, 256, 1, 4, 16, 4),
    (128, 4096, 8, 16, 16, 16),
    (2000, 1500, 4, 8, 8, 8),
]


def install_config_stub(config_path):
    with open(config_path) as handle:
        fields = json.load(handle)
    stub = types.ModuleType("transformers")

    class AutoConfig:
        @staticmethod
        def from_pretrained(model_id, trust_remote_code=True):
            return types.SimpleNamespace(**fields)

    stub.AutoConfig = AutoConfig
    stub.AutoTokenizer = None
    stub.AutoModelForCausalLM = None
    sys.modules["transformers"] = stub


def main():
    command, config_path, model_id, hardware = sys.argv[1:5]
    config_path = os.path.abspath(config_path)
    root = os.environ["LLM_VIEWER_ROOT"]
    sys.path.insert(0, root)
    os.chdir(root)
    install_config_stub(config_path)
    from model_analyzer import ModelAnalyzer

    if command == "timing":
        started = time.perf_counter()
        analyzer = ModelAnalyzer(model_id, hardware)
        analyzer.analyze(1024, 16, 16, 16, 16, use_flashattention=True)
        first = time.perf_counter() - started
        samples = []
        for _ in range(300):
            started = time.perf_counter()
            analyzer.analyze(1024, 16, 16, 16, 16, use_flashattention=True)
            samples.append(time.perf_counter() - started)
        samples.sort()
        print(json.dumps({"first_call_us": first * 1e6, "warm_median_us": samples[len(samples) // 2] * 1e6}))
    elif command == "generate":
        analyzer = ModelAnalyzer(model_id, hardware)
        cases = []
        for prompt_len, gen_len, batchsize, w_bit, a_bit, kv_bit in GENERATE_CASES:
            result = analyzer.analyze_generate_task(prompt_len, gen_len, batchsize, w_bit, a_bit, kv_bit)
            cases.append({
                "prompt_len": prompt_len, "gen_len": gen_len, "batchsize": batchsize,
                "w_bit": w_bit, "a_bit": a_bit, "kv_bit": kv_bit,
                "inference_time": result["inference_time"],
            })
        print(json.dumps(cases, indent=1))


if __name__ == "__main__":
    main()
