import assert from 'node:assert/strict';
import { parseDocument } from '../../../language-server/src/config/parse';
import { resolveDeployment } from '../../../language-server/src/config/resolveDeployment';
import { memoryHost } from './fixtures';

const URI = 'file:///work/project/deploy/a.roofline.yaml';

function resolveText(text: string) {
  return resolveDeployment(parseDocument(URI, text, 'deployment'), memoryHost({}));
}

const BASE = 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-a100-80gb-sxm4\n';

describe('resolveDeployment: techniques and variants', () => {
  it('reads techniques with the engine parser, defaults included', () => {
    const { input, problems } = resolveText(`${BASE}techniques:\n  weight_sparsity: "2:4"\n  kv_cache_eviction: { keep_tokens: 512 }\n  offload: { weights: 0.25 }\n`);
    assert.deepEqual(problems, []);
    assert.deepEqual(input?.techniques?.weightSparsity, { kind: 'n:m', keep: 2, of: 4 });
    assert.deepEqual(input?.techniques?.kvCacheEviction, { keepTokens: 512, sinkTokens: 4, policy: 'streaming' });
    assert.equal(input?.techniques?.offload?.link.name, 'PCIe 4.0 x16');
    assert.equal(input?.hardware.sparseTensorCores, true);
  });

  it('puts a bad technique on its sub-key and analyses nothing', () => {
    const { input, problems } = resolveText(`${BASE}techniques:\n  kv_cache_eviction: { keep_tokens: 8, sink_tokens: 16 }\n`);
    assert.equal(input, undefined);
    assert.deepEqual(problems.map((p) => p.path.join('.')), ['techniques.kv_cache_eviction.sink_tokens']);
  });

  it('resolves each variant’s model and techniques, named by the file or after its model', () => {
    const { input, problems } = resolveText(`${BASE}variants:\n  - name: none\n    techniques: {}\n  - model: mistralai/Mistral-7B-v0.1\n`);
    assert.deepEqual(problems, []);
    assert.deepEqual(input?.variants?.map((v) => [v.name, v.modelName ?? '', v.techniques === undefined ? 'own' : Object.keys(v.techniques).length]), [
      ['none', '', 0],
      ['mistralai/Mistral-7B-v0.1', 'mistralai/Mistral-7B-v0.1', 'own'],
    ]);
    assert.equal(input?.variants?.[1]?.model?.model_type, 'mistral');
  });

  it('puts a variant’s unknown model and bad technique on the variant’s own keys', () => {
    const { problems } = resolveText(`${BASE}variants:\n  - model: meta-llama/Llama-9-1B\n  - techniques: { offload: { link: pcie-gen9 } }\n`);
    const paths = problems.map((p) => p.path.join('.')).sort();
    assert.deepEqual(paths, ['variants.0.model', 'variants.1.techniques.offload.link']);
  });
});
