/**
 * The command written in a deployment, as hovers and inlay hints read it: placed on its words once
 * per check, and no argument placed for a command kept in a `--config` file (hovers read no files).
 */
import assert from 'node:assert/strict';
import { DocumentChecker } from '../../../language-server/src/server/checker';
import { writtenEngineArgs } from '../../../language-server/src/server/writtenEngineArgs';
import { TRUSTED } from '../../../language-server/src/config/readPolicy';
import type { ServerRuntime } from '../../../language-server/src/server/runtime';

const URI = 'file:///w/serve.roofline.yaml';
const runtime: ServerRuntime = {
  readFile: () => new Promise(() => undefined),
  listDirectory: async () => [],
  timer: { setTimeout: () => ({ dispose: () => undefined }) },
  now: () => 0,
};

function checked(text: string) {
  const checker = new DocumentChecker(
    { openText: (uri) => (uri === URI ? { text, version: 1 } : undefined), readPolicy: () => TRUSTED },
    runtime,
    (message) => assert.fail(message),
  );
  const entry = checker.check(URI);
  assert.ok(entry);
  return entry;
}

describe('writtenEngineArgs', () => {
  it('places the arguments of a command written in the deployment on their words, once per check', () => {
    const text = 'hardware: nvidia-h100-sxm\nvllm: vllm serve meta-llama/Llama-3.1-8B --max-model-len 32768\n';
    const entry = checked(text);
    const resolution = writtenEngineArgs(entry);
    assert.ok(resolution);
    const length = resolution.entries.find((candidate) => candidate.path.join('.') === 'serving.max_model_len');
    assert.ok(length, JSON.stringify(resolution.entries.map((candidate) => candidate.path)));
    assert.equal(text.slice(length.range.start, length.range.end), '--max-model-len 32768');
    assert.equal(writtenEngineArgs(entry), resolution, 'the second hover or hint reads the same resolution');
  });

  it('places no argument for a command kept in a --config file', () => {
    const resolution = writtenEngineArgs(checked('hardware: nvidia-h100-sxm\nvllm: ./serve.yaml\n'));
    assert.deepEqual(resolution?.entries ?? [], []);
    assert.equal(resolution?.modelRange, undefined);
  });
});
