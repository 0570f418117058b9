import assert from 'node:assert/strict';
import { analyzeDocument, parseDocument } from '../../../language-server/src/config/index';
import type { ConfigHost } from '../../../language-server/src/config/types';
import { documentSweeps, valuesWith } from '../../../language-server/src/server/sweeps';
import { isSweepData } from '../../../webview/src/sweepData';

const noFiles: ConfigHost = { readFile: () => undefined };

/** What the server does for a sweep request: the sweeps of the input it resolved when checking the document. */
function sweepDocument(documentUri: string, text: string, host: ConfigHost) {
  return documentSweeps(analyzeDocument(parseDocument(documentUri, text, 'deployment'), host).resolved.input);
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
    // 74 240 B × 1000 prompt tokens = 74 240 000 B; (85 899 345 920 − 13 476 831 232) / 665 636 864
    // = 108.8 sequences fit the 80 GiB, so 64 is the largest swept value that fits (128 does not).
    assert.equal(batch.memory_limit, 64);
    assert.equal(sweep.prompt_tokens!.current, 1000);
    assert.equal(sweep.prompt_tokens!.points[0]!.x, 128);
  });

  it('gives nothing for a document with errors', () => {
    assert.equal(sweepDocument(uri, 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-a100\n', noFiles), undefined);
    assert.deepEqual(valuesWith([1, 4, 16], 4), [1, 4, 16]);
    assert.deepEqual(valuesWith([1, 4, 16], 5), [1, 4, 5, 16]);
  });
});
