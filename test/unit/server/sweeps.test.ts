import assert from 'node:assert/strict';
import { analyzeDocument, parseDocument } from '../../../language-server/src/config/index';
import type { ConfigHost } from '../../../language-server/src/config/types';
import { documentSweeps, valuesWith } from '../../../language-server/src/server/sweeps';
import { isSweepData } from '../../../webview/src/sweepData';

const noFiles: ConfigHost = { readFile: () => undefined };

/** What the server does for a sweep request: the sweeps of the input it resolved when checking the document. */
function sweepDocument(documentUri: string, text: string, host: ConfigHost) {
  const checked = analyzeDocument(parseDocument(documentUri, text, 'deployment'), host);
  return documentSweeps(checked.resolved.input, checked.result);
}
const uri = 'file:///work/llama.roofline.yaml';
const deployment = 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-a100-80gb-sxm4\nworkload: { batch_size: 12, prompt_tokens: 1000, output_tokens: 128 }\n';

describe('panel sweeps computed by the language server', () => {
  it('sweeps batch sizes and prompt lengths with the document value among them, in the shape the panel accepts', () => {
    const sweep = sweepDocument(uri, deployment, noFiles);
    assert.ok(sweep && isSweepData(sweep));
    const batch = sweep.batch_size!;
    assert.equal(batch.current, 12);
    assert.deepEqual(batch.points.map((point) => point.x), [1, 2, 4, 8, 12, 16, 32, 64, 128, 256, 512, 1024]);
    // Each point is the analysis of the document with that value.
    const at12 = analyzeDocument(parseDocument(uri, deployment, 'deployment'), noFiles).result!;
    const point = batch.points.find((candidate) => candidate.x === 12)!;
    assert.equal(point.tpot_seconds, at12.metrics.tpot_seconds);
    assert.equal(point.total_memory_bytes, at12.memory.total_bytes);
    // Llama-2-7B fp16 at 1128 tokens per sequence: KV 524 288 B × 1128 = 591 396 864 B, activations
    // 74 240 B × 1000 prompt tokens = 74 240 000 B; 90% of 80 GiB is 77 309 411 328 B usable, and
    // (77 309 411 328 − 13 476 831 232) / 665 636 864 = 95.9 sequences: the limit is 95, between the
    // swept 64 and 128, and the same number the analysis' capacity answer gives.
    assert.equal(batch.memory_limit, 95);
    assert.equal(at12.capacity?.max_batch_size, 95);
    assert.equal(batch.points.find((candidate) => candidate.x === 64)!.fits, true);
    assert.equal(batch.points.find((candidate) => candidate.x === 128)!.fits, false);
    assert.equal(sweep.prompt_tokens!.current, 1000);
    assert.equal(sweep.prompt_tokens!.points[0]!.x, 128);
  });

  it('marks no memory limit when every swept value fits (the limit is off the chart)', () => {
    // One-token requests of an 8B model on an L4: thousands of sequences fit, far past the swept 1024.
    const small = 'model: meta-llama/Llama-3.1-8B\nhardware: nvidia-l4\nquantization: { weights: int4 }\nworkload: { batch_size: 1, prompt_tokens: 1, output_tokens: 1 }\n';
    const sweep = sweepDocument(uri, small, noFiles)!;
    const result = analyzeDocument(parseDocument(uri, small, 'deployment'), noFiles).result!;
    assert.ok(result.capacity!.max_batch_size > 1024, `${result.capacity!.max_batch_size} sequences fit`);
    assert.ok(sweep.batch_size!.points.every((point) => point.fits));
    assert.equal(sweep.batch_size!.memory_limit, undefined);
  });

  it('gives nothing for a document with errors', () => {
    assert.equal(sweepDocument(uri, 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-a100\n', noFiles), undefined);
    assert.deepEqual(valuesWith([1, 4, 16], 4), [1, 4, 16]);
    assert.deepEqual(valuesWith([1, 4, 16], 5), [1, 4, 5, 16]);
  });
});
