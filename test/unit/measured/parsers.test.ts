import assert from 'node:assert/strict';
import { readMeasuredText } from '../../../language-server/src/measured/readMeasured';
import { MeasuredFileError } from '../../../language-server/src/measured/types';
import { fixtureText } from './helpers';

function failure(text: string, name: string): MeasuredFileError {
  try {
    readMeasuredText(text, name);
  } catch (error) {
    assert.ok(error instanceof MeasuredFileError, String(error));
    return error;
  }
  assert.fail(`${name} was read`);
}

describe('measured results: vllm bench serve JSON', () => {
  it('reads appended runs line by line, with their load, mean lengths and mean figures', () => {
    const run = readMeasuredText(fixtureText('llama-3.2-3b-4xl40s-no-features.json'), 'no-features.json');
    assert.equal(run.format, 'vllm-bench-serve');
    assert.equal(run.model, 'meta-llama/Llama-3.2-3B-Instruct');
    assert.equal(run.points.length, 3);
    const [rate10, rate30, burst] = run.points;
    assert.equal(rate10!.label, 'no-features.json line 1');
    assert.equal(rate10!.requestRatePerSecond, 10);
    assert.equal(rate10!.concurrency, undefined);
    // 299,700 prompt and 80,945 output tokens over 300 completed requests.
    assert.equal(rate10!.promptTokens, 999);
    assert.equal(rate10!.outputTokens, 270);
    assert.deepEqual(rate10!.measured, { ttft_ms: 54.59561144333596, tpot_ms: 13.710971568239172, output_tokens_per_second: 2258.212337970085 });
    assert.equal(rate30!.requestRatePerSecond, 30);
    assert.equal(rate30!.outputTokens, 264);
    // request_rate "inf" without max_concurrency: all 900 prompts at once; the burst's TTFT is its queue.
    assert.equal(burst!.concurrency, 900);
    assert.equal(burst!.requestRatePerSecond, undefined);
    assert.deepEqual(burst!.measured, { tpot_ms: 61.81461881712581, output_tokens_per_second: 8321.230575856995 });
    assert.match(run.notes.join('\n'), /every request sent at once .* concurrency 900; its TTFT is not compared/);
  });

  it('reads one saved run, max_concurrency as the load, and per-request lists when saved in detail', () => {
    const line = fixtureText('llama-3.2-3b-4xl40s-base.json').split('\n')[0]!;
    const single = readMeasuredText(line, 'run.json');
    assert.equal(single.points.length, 1);
    assert.equal(single.points[0]!.requestRatePerSecond, 10);
    const detailed = { ...JSON.parse(line), request_rate: 'inf', max_concurrency: 64, input_lens: [1000, 2000], output_lens: [100, 300] };
    const point = readMeasuredText(JSON.stringify(detailed), 'run.json').points[0]!;
    assert.equal(point.concurrency, 64);
    assert.equal(point.promptTokens, 1500);
    assert.equal(point.outputTokens, 200);
    assert.equal(point.measured.ttft_ms, 54.592403276680365, 'a run with a concurrency limit is not a burst');
  });

  it('says where JSON is malformed, and what a JSON file must be', () => {
    const broken = failure('{\n  "completed": 300,\n  "mean_ttft_ms": ,\n}', 'run.json');
    assert.equal(broken.code, 'malformed-json');
    assert.equal(broken.line, 3);
    assert.match(broken.message, /run\.json is not valid JSON: ValueExpected at line 3, column 19/);
    const lines = failure(`${fixtureText('llama-3.2-3b-4xl40s-base.json').split('\n')[0]}\n{"completed": 1, "mean_ttft_ms": 5,}\n`, 'runs.json');
    assert.equal(lines.line, 2);
    assert.match(lines.message, /at line 2, column/);
    const other = failure('{"model_type": "llama", "hidden_size": 4096}', 'config.json');
    assert.equal(other.code, 'unknown-format');
    assert.match(other.message, /neither a vllm bench serve result .* nor a GuideLLM report/);
    assert.equal(failure('x', 'results.txt').code, 'unknown-format');
    const failed = failure('{"completed": 0, "duration": 10, "mean_ttft_ms": 0, "output_throughput": 0}', 'failed.json');
    assert.equal(failed.code, 'bad-measurement');
  });
});

describe('measured results: GuideLLM report JSON', () => {
  const distribution = (mean: number) => ({ successful: { mean, median: mean, std_dev: 0, percentiles: { p99: mean } } });
  const benchmark = (strategy: Record<string, unknown>, key: 'config' | 'args') => ({
    type_: 'generative_benchmark',
    [key]: { strategy },
    metrics: {
      time_to_first_token_ms: distribution(80),
      time_per_output_token_ms: distribution(30),
      inter_token_latency_ms: distribution(25),
      output_tokens_per_second: distribution(1500),
      prompt_token_count: distribution(1024.4),
      output_token_count: distribution(255.6),
      request_concurrency: distribution(31.6),
    },
  });

  it('reads each benchmark with its strategy as the load, inter-token latency as TPOT', () => {
    const report = {
      args: { model: 'meta-llama/Llama-3.1-8B-Instruct' },
      benchmarks: [
        benchmark({ type_: 'synchronous' }, 'config'),
        benchmark({ type_: 'concurrent', streams: 16 }, 'config'),
        benchmark({ type_: 'constant', rate: 4.5 }, 'config'),
        benchmark({ type_: 'throughput' }, 'args'),
      ],
    };
    const run = readMeasuredText(JSON.stringify(report), 'benchmarks.json');
    assert.equal(run.format, 'guidellm');
    assert.equal(run.model, 'meta-llama/Llama-3.1-8B-Instruct');
    assert.deepEqual(
      run.points.map((point) => [point.label, point.concurrency, point.requestRatePerSecond]),
      [
        ['benchmarks.json #1 (synchronous)', 1, undefined],
        ['benchmarks.json #2 (concurrent)', 16, undefined],
        ['benchmarks.json #3 (constant)', undefined, 4.5],
        ['benchmarks.json #4 (throughput)', 32, undefined],
      ],
    );
    assert.deepEqual(run.points[1]!.measured, { ttft_ms: 80, tpot_ms: 25, output_tokens_per_second: 1500 });
    assert.equal(run.points[1]!.promptTokens, 1024);
    assert.equal(run.points[1]!.outputTokens, 256);
  });

  it('refuses a report without successful requests', () => {
    const report = { benchmarks: [{ metrics: { time_to_first_token_ms: { errored: { mean: 5 } } } }] };
    assert.equal(failure(JSON.stringify(report), 'benchmarks.json').code, 'bad-measurement');
  });
});

describe('measured results: CSV', () => {
  it('reads the documented columns, one point per row', () => {
    const run = readMeasuredText(fixtureText('llama-3.2-3b-4xl40s-kvcache.csv'), 'kvcache.csv');
    assert.equal(run.format, 'csv');
    assert.deepEqual(run.points, [
      { label: 'kvcache.csv row 1', requestRatePerSecond: 10, promptTokens: 999, outputTokens: 271, measured: { ttft_ms: 53.96, tpot_ms: 13.56, output_tokens_per_second: 2262.19 } },
      { label: 'kvcache.csv row 2', requestRatePerSecond: 30, promptTokens: 999, outputTokens: 264, measured: { ttft_ms: 72.16, tpot_ms: 23.54, output_tokens_per_second: 5806.21 } },
    ]);
    const quoted = readMeasuredText('\ufeff"Concurrency","TTFT_ms"\r\n8,"120.5"\r\n', 'q.csv');
    assert.deepEqual(quoted.points[0], { label: 'q.csv row 1', concurrency: 8, measured: { ttft_ms: 120.5 } });
  });

  it('names the row and column of a bad cell, and refuses unknown columns', () => {
    const unit = failure('concurrency,ttft_s\n8,0.12\n', 'sweep.csv');
    assert.equal(unit.code, 'malformed-csv');
    assert.deepEqual([unit.line, unit.column], [1, 2]);
    assert.match(unit.message, /unknown column "ttft_s"; the columns are concurrency, request_rate, prompt_tokens, output_tokens, ttft_ms, tpot_ms, output_tokens_per_second/);
    const cell = failure('concurrency,ttft_ms\n8,120\n16,fast\n', 'sweep.csv');
    assert.equal(cell.code, 'bad-measurement');
    assert.deepEqual([cell.line, cell.column], [3, 2]);
    assert.match(cell.message, /line 3: ttft_ms must be a positive number, got "fast"/);
    assert.equal(failure('concurrency,ttft_ms\n8,120,7\n', 'ragged.csv').code, 'malformed-csv');
    assert.match(failure('concurrency,prompt_tokens\n8,1000\n', 'none.csv').message, /no measured column/);
    assert.match(failure('', 'empty.csv').message, /empty/);
  });
});
