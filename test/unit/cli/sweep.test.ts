import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyze, sweep } from '../../../language-server/src/api';
import { run } from '../../../language-server/src/cli/main';
import { parseVary } from '../../../language-server/src/cli/sweepCommand';
import { FIXTURES } from '../config/fixtures';

const DEPLOYMENT = join(FIXTURES, 'deployments', 'llama-2-70b-h100-tp4.roofline.yaml');

function runCli(...args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = run(args, { out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`) });
  return { status, stdout, stderr };
}

describe('llm-roofline sweep', () => {
  it('prints a table with one row per value: batch, TTFT, TPOT, tokens/s, memory, fits', () => {
    const { status, stdout, stderr } = runCli('sweep', DEPLOYMENT, '--vary', 'workload.batch_size=1..8');
    assert.equal(status, 0, stderr);
    const lines = stdout.trim().split('\n');
    // Fits is measured against the usable share of the H100's 80 GiB, as in the editor.
    assert.match(lines[0]!, /^Sweep of workload\.batch_size \(4 points; usable 72\.0 GiB \(90% of 80\.0 GiB\) per accelerator\)$/);
    assert.match(lines[2]!, /^batch\s+TTFT\s+TPOT\s+throughput\s+memory\s+fits$/);
    assert.ok(lines.slice(4).every((line) => / tok\/s /.test(line) && / GiB /.test(line)), 'rates and memory in the editor\'s units');
    assert.deepEqual(lines.slice(4).map((line) => line.trim().split(/\s+/)[0]), ['1', '2', '4', '8']);
    assert.ok(lines.slice(4).every((line) => line.endsWith('yes')));
  });

  it('prints JSON equal to the library sweep with --json, and takes --set', () => {
    const { status, stdout } = runCli('sweep', DEPLOYMENT, '--vary=workload.prompt_tokens=128..512:128', '--json', '--set', 'workload.batch_size=2');
    assert.equal(status, 0);
    const printed = JSON.parse(stdout) as ReturnType<typeof sweep>;
    assert.deepEqual(printed.points.map((point) => point.value), [128, 256, 384, 512]);
    const deployment = { model: 'meta-llama/Llama-2-70b-hf', hardware: 'nvidia-h100-sxm', workload: { batch_size: 2, prompt_tokens: 2048, output_tokens: 512 }, quantization: { weights: 'bf16', activations: 'bf16', kv_cache: 'bf16' }, parallelism: { tensor: 4 } };
    const direct = analyze({ ...deployment, workload: { ...deployment.workload, prompt_tokens: 384 } });
    const point = printed.points[2]!;
    assert.equal(point.ttft_seconds, direct.metrics.ttft_seconds);
    assert.equal(point.total_memory_bytes, direct.memory.total_bytes);
  });

  it('explains wrong usage with exit 2', () => {
    for (const args of [
      ['sweep', DEPLOYMENT],
      ['sweep', DEPLOYMENT, '--vary', 'parallelism.tensor=1..8'],
      ['sweep', DEPLOYMENT, '--vary', 'workload.batch_size=0..8'],
      ['sweep', DEPLOYMENT, '--vary', 'workload.batch_size'],
      ['sweep', '--vary', 'workload.batch_size=1..8'],
    ]) {
      const { status, stderr } = runCli(...args);
      assert.equal(status, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, /^llm-roofline: /);
    }
    assert.deepEqual(parseVary('workload.output_tokens=1,16,256'), { path: 'workload.output_tokens', values: [1, 16, 256] });
  });
});

describe('library sweep', () => {
  const deployment = { model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-l4', workload: { prompt_tokens: 512, output_tokens: 128 } };

  it('takes a list or the range syntax and matches analyze at every point', () => {
    const fromRange = sweep(deployment, { path: 'workload.batch_size', values: '1..64' });
    const fromList = sweep(deployment, { path: 'workload.batch_size', values: [1, 2, 4, 8, 16, 32, 64] });
    assert.deepEqual(fromRange, fromList);
    const at16 = analyze({ ...deployment, workload: { ...deployment.workload, batch_size: 16 } });
    assert.equal(fromList.points[4]!.tpot_seconds, at16.metrics.tpot_seconds);
    assert.equal(fromList.points[4]!.fits, at16.memory.fits);
  });

  it('throws an Error naming the field for bad input', () => {
    assert.throws(() => sweep(deployment, { path: 'workload.batchsize', values: [1] }), /sweep\.path: must be one of workload\.batch_size/);
    assert.throws(() => sweep(deployment, { path: 'workload.batch_size', values: '8..1' }), /workload\.batch_size: a range ends at or after its start/);
    assert.throws(() => sweep({ ...deployment, workload: { batch_size: -1 } }, { path: 'workload.prompt_tokens', values: [1] }), /workload\.batch_size/);
  });
});
