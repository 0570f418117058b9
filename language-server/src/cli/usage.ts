/** The help text. */
export const USAGE = `Usage: llm-roofline <command> [options]

Roofline analysis of LLM inference: memory, prefill and decode time, per-layer bounds.

Commands:
  analyze FILE [--json] [--baseline] [--set key=value ...]
      Analyse a deployment (*.roofline.yaml / .yml / .json) and print a report:
      memory against capacity, TTFT, TPOT, end-to-end time, tokens/s, and a
      per-layer table for prefill and decode.
        --json           print the full analysis result as JSON instead
        --baseline       also analyse it without its techniques: and print
                         both, with the speed-up per stage (JSON: { baseline,
                         result })
        --set key=value  override a field, e.g. --set workload.batch_size=32
                         (the value is read as YAML: 32, true, int4, ...)
  sweep FILE --vary PATH=VALUES [--json] [--baseline] [--set key=value ...]
      Analyse the deployment at every value of one workload field and print a
      table: value, TTFT, TPOT, tokens/s, memory, fits.
        --vary PATH=VALUES  PATH is workload.batch_size, workload.prompt_tokens
                            or workload.output_tokens; VALUES is a list
                            (1,8,32), a range a..b (a, 2a, 4a, ... up to b:
                            1..256 is the powers of two) or a..b:step
                            (a, a+step, ... up to b)
        --json              print the sweep as JSON
        --baseline          also sweep it without its techniques: and print
                            both
  plan FILE [--json] [--top N]
      Search the deployment's plan: section (hardware x parallelism x formats x
      concurrency, under load) for the deployments that meet its targets:, and
      print them cheapest first (cost per million output tokens, or tokens/s
      per GPU where no price is given).
        --json   print { candidates: [{ deployment, gpus, metrics,
                 cost_per_million_output_tokens_usd }], evaluated, meeting }
        --top N  how many candidates to print (default 20)
  check FILE...
      Check deployments, hardware files (*.hardware.yaml), model files
      (*.model.yaml, config.json): prints file:line:col: severity code: message
      for every problem; exits 1 if any is an error.
  presets
      List the hardware presets (memory, bandwidth, fp16/bf16 TFLOPS, source
      confidence) and the model presets (parameters).

Options:
  -h, --help     show this help
  -v, --version  show the version

Exit codes: 0 ok, 1 problems found or analysis failed, 2 wrong usage.
`;
