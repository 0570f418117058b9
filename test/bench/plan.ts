/**
 * Planner speed through the public API (`plan()` of dist/api.js), in a fresh process: the first
 * plan (schemas, presets, every preparation new) beside a warm one, over a space of 7 hardware
 * presets × tensor and pipeline parallelism up to 16 GPUs × 4 weight and 2 KV formats × 14
 * concurrency levels, co-located and in disaggregated prefill and decode pools, for Llama 3.1 70B
 * under achievable rates; then the same space co-located only (`plan.disaggregated: false`), warm,
 * as earlier benches measured it. Wall time and CPU time are both given: on a shared 2-core machine
 * the wall time includes waiting for a core.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const DEPLOYMENT = {
  model: 'meta-llama/Llama-3.1-70B',
  hardware: 'nvidia-h100-sxm',
  workload: { prompt_tokens: 1000, output_tokens: 500 },
  efficiency: 'achievable',
  targets: { ttft_ms: 2000, tpot_ms: 50 },
  plan: {
    hardware: ['nvidia-h100-sxm', 'nvidia-h200-sxm', 'nvidia-a100-80gb-sxm4', 'nvidia-l40s', 'amd-mi300x', 'amd-mi325x', 'nvidia-b200'],
    gpu_hour_usd: { 'nvidia-h100-sxm': 2.99, 'nvidia-h200-sxm': 3.79, 'nvidia-a100-80gb-sxm4': 1.79, 'nvidia-l40s': 0.99, 'amd-mi300x': 2.49, 'amd-mi325x': 2.99, 'nvidia-b200': 5.99 },
    max_gpus: 16,
    weights: ['bf16', 'fp8', 'int4-g128', 'nvfp4'],
    kv_cache: ['bf16', 'fp8'],
  },
};

interface PlanTiming {
  firstMs: number;
  firstCpuMs: number;
  /** Main thread only (NaN where /proc is not readable). */
  firstMainMs: number;
  warmMainMs: number;
  warmMs: number;
  warmCpuMs: number;
  colocatedWarmMs: number;
  colocatedWarmCpuMs: number;
  colocatedEvaluated: number;
  evaluated: number;
  meeting: number;
  best: string;
}

export async function benchPlan(): Promise<string[]> {
  const script = `
    const { performance } = require('node:perf_hooks');
    const api = require(${JSON.stringify(join(__dirname, 'api.js'))});
    const deployment = ${JSON.stringify(DEPLOYMENT)};
    const colocatedOnly = { ...deployment, plan: { ...deployment.plan, disaggregated: false } };
    // CPU of the main thread alone (Linux: /proc/self/task/<pid>/stat, utime + stime in clock ticks); the rest of the
    // process's CPU is V8's compiler and garbage collector threads.
    const fs = require('node:fs');
    const mainThreadMs = () => { try { const stat = fs.readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8'); const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); return (Number(fields[11]) + Number(fields[12])) * 10; } catch { return NaN; } };
    const timed = (input = deployment) => { const cpu = process.cpuUsage(); const main = mainThreadMs(); const started = performance.now(); const result = api.plan(input); const used = process.cpuUsage(cpu); return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, mainMs: mainThreadMs() - main, result }; };
    const first = timed();
    const warm = [timed(), timed(), timed()].sort((a, b) => a.ms - b.ms)[1];
    const colocated = [timed(colocatedOnly), timed(colocatedOnly), timed(colocatedOnly)].sort((a, b) => a.ms - b.ms)[1];
    const best = first.result.candidates[0];
    process.stdout.write(JSON.stringify({ firstMs: first.ms, firstCpuMs: first.cpuMs, firstMainMs: first.mainMs, warmMainMs: warm.mainMs, warmMs: warm.ms, warmCpuMs: warm.cpuMs, colocatedWarmMs: colocated.ms, colocatedWarmCpuMs: colocated.cpuMs, colocatedEvaluated: colocated.result.evaluated, evaluated: first.result.evaluated, meeting: first.result.meeting,
      best: best ? best.deployment.hardware + ' × ' + best.gpus + ', ' + JSON.stringify(best.deployment.parallelism) + ', ' + best.deployment.quantization.weights + ', ' + best.deployment.serving.concurrency + ' in flight' + (best.deployment.serving.disaggregated ? ' (' + best.deployment.serving.disaggregated.prefill_gpus + 'P+' + best.deployment.serving.disaggregated.decode_gpus + 'D)' : '') + ', $' + best.cost_per_million_output_tokens_usd.toFixed(3) + ' per M output tokens' : 'none' }));
  `;
  const timing = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as PlanTiming;
  return [
    `Planner through the public API (Llama 3.1 70B, 7 hardware × parallelism up to 16 GPUs × 4 weight × 2 KV formats × 14 loads, co-located and in prefill/decode pools):`,
    `  ${timing.evaluated} deployments analysed, ${timing.meeting} meet the targets; best: ${timing.best}`,
    `  first plan: ${timing.firstMs.toFixed(0)} ms wall, ${timing.firstCpuMs.toFixed(0)} ms CPU; warm: ${timing.warmMs.toFixed(0)} ms wall, ${timing.warmCpuMs.toFixed(0)} ms CPU (median of 3)`,
    ...(Number.isFinite(timing.firstMainMs)
      ? [`    of the CPU, on the main thread: first ${timing.firstMainMs.toFixed(0)} ms, warm ${timing.warmMainMs.toFixed(0)} ms (the rest is V8 compiling and collecting garbage on its own threads; 10 ms ticks)`]
      : []),
    `  co-located only (plan.disaggregated: false): ${timing.colocatedEvaluated} analysed; warm: ${timing.colocatedWarmMs.toFixed(0)} ms wall, ${timing.colocatedWarmCpuMs.toFixed(0)} ms CPU (median of 3)`,
  ];
}
