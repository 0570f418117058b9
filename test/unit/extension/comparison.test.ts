import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDocument, parseDocument } from '../../../language-server/src/config/index';
import { findHardwarePreset, listHardwarePresets } from '../../../language-server/src/presets/index';
import { comparisonRows } from '../../../extension/src/comparison/compareHardware';
import { compareDeployment, comparisonCandidates } from '../../../extension/src/comparison/deploymentComparison';
import { createFileReader } from '../../../extension/src/configHost';
import { TRUSTED } from '../../../language-server/src/config/readPolicy';
import { readConfigFile } from '../../../language-server/src/node/readConfigFile';
import { locateField } from '../../../extension/src/panel/locateField';

const noFiles = createFileReader(() => undefined, (uri) => readConfigFile(uri, TRUSTED));
const noHost = { readFile: () => undefined };
const uri = 'file:///work/llama.roofline.yaml';
const deployment = [
  'model: meta-llama/Llama-2-7b-hf',
  'hardware: nvidia-a100-80gb-sxm4',
  'workload: { batch_size: 8, prompt_tokens: 512, output_tokens: 128 }',
  '',
].join('\n');

function rowsOf(outcome: Awaited<ReturnType<typeof compareDeployment>>) {
  assert.ok('rows' in outcome, 'error' in outcome ? outcome.error : '');
  return outcome.rows;
}

describe('hardware comparison through the config layer', () => {
  it('runs the deployment on every complete datasheet preset, each row equal to analysing the deployment on that hardware', async () => {
    const rows = rowsOf(await compareDeployment(uri, deployment, noFiles));
    const expectedIds = listHardwarePresets()
      .filter((preset) => preset.origin === 'reference' && preset.spec)
      .map((preset) => preset.id);
    assert.deepEqual(rows.map((row) => row.hardware), expectedIds);
    for (const id of ['nvidia-h100-sxm', 'nvidia-l4']) {
      const row = rows.find((candidate) => candidate.hardware === id)!;
      const direct = analyzeDocument(parseDocument(uri, deployment.replace('nvidia-a100-80gb-sxm4', id), 'deployment'), noHost).result!;
      assert.equal(row.error, undefined);
      assert.equal(row.ttft_seconds, direct.metrics.ttft_seconds);
      assert.equal(row.tpot_seconds, direct.metrics.tpot_seconds);
      assert.equal(row.output_tokens_per_second, direct.metrics.output_tokens_per_second);
      assert.equal(row.total_memory_bytes, direct.memory.total_bytes);
      assert.equal(row.capacity_bytes, direct.memory.capacity_bytes);
      assert.equal(row.memory_utilization, direct.memory.memory_utilization);
      assert.equal(row.fits, direct.memory.fits);
    }
  });

  it('is faster on hardware with more memory bandwidth for memory-bound decode', async () => {
    const rows = rowsOf(await compareDeployment(uri, deployment, noFiles, ['nvidia-l4', 'nvidia-h100-sxm']));
    assert.deepEqual(rows.map((row) => row.hardware), ['nvidia-l4', 'nvidia-h100-sxm']);
    assert.ok(rows[1]!.tpot_seconds < rows[0]!.tpot_seconds);
  });

  it("uses LLM-Viewer's table for a deployment with llm-viewer conventions", async () => {
    const rows = rowsOf(await compareDeployment(uri, `${deployment}conventions: llm-viewer\n`, noFiles));
    assert.ok(rows.length > 0);
    assert.ok(rows.every((row) => findHardwarePreset(row.hardware)?.origin === 'llm-viewer'));
  });

  it('gives named presets that cannot be compared a row that says why', async () => {
    const rows = rowsOf(await compareDeployment(uri, deployment, noFiles, ['apple-m2-ultra', 'no-such-gpu']));
    assert.match(rows[0]!.error ?? '', /lacks peak_tflops/);
    assert.match(rows[1]!.error ?? '', /unknown hardware preset "no-such-gpu"/);
    assert.ok(rows.every((row) => row.ttft_seconds === 0 && row.fits === false));
  });

  it('turns an engine refusal into an error row instead of numbers', () => {
    const resolved = analyzeDocument(parseDocument(uri, deployment, 'deployment'), noHost).resolved.input!;
    const h100 = findHardwarePreset('nvidia-h100-sxm')!.spec!;
    const [row] = comparisonRows(resolved, [{ id: 'broken', spec: { ...h100, memoryBandwidthBytesPerSecond: -1 } }]);
    assert.equal(row!.hardware, 'broken');
    assert.ok((row!.error ?? '').length > 0);
  });

  it('reports a deployment that does not resolve', async () => {
    const outcome = await compareDeployment(uri, 'model: no/such-model\nhardware: nvidia-h100-sxm\n', noFiles);
    assert.ok('error' in outcome);
    assert.match(outcome.error, /the deployment has errors/);
  });

  it('reads a referenced hardware file from disk, preferring an open document', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'roofline-compare-'));
    try {
      const hardwarePath = join(folder, 'lab.hardware.yaml');
      writeFileSync(hardwarePath, 'extends: nvidia-l4\nname: lab card\n');
      const deploymentUri = pathToFileURL(join(folder, 'lab.roofline.yaml')).href;
      const text = 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\n';
      const onDisk = createFileReader(() => undefined, (uri) => readConfigFile(uri, TRUSTED));
      assert.ok('rows' in (await compareDeployment(deploymentUri, text, onDisk, ['nvidia-h100-sxm'])));
      const hardwareUri = pathToFileURL(hardwarePath).href;
      assert.equal(await onDisk(hardwareUri), 'extends: nvidia-l4\nname: lab card\n');
      const edited = createFileReader((asked) => (asked === hardwareUri ? 'extends: nvidia-h100-sxm\n' : undefined), (uri) => readConfigFile(uri, TRUSTED));
      assert.equal(await edited(hardwareUri), 'extends: nvidia-h100-sxm\n');
      assert.equal(await onDisk(pathToFileURL(join(folder, 'missing.yaml')).href), undefined);
      assert.equal(await onDisk('untitled:/nowhere.yaml'), undefined);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('comparison candidates', () => {
  it('keeps the order the panel asked for', () => {
    const candidates = comparisonCandidates('default', ['nvidia-l4', 'nvidia_A6000']);
    assert.deepEqual(candidates.map((candidate) => candidate.id), ['nvidia-l4', 'nvidia_A6000']);
  });
});

describe('show a field in its source', () => {
  it('spans the key and the value of a YAML field', () => {
    const range = locateField(uri, deployment, ['workload', 'batch_size'])!;
    assert.equal(deployment.slice(range.start, range.end), 'batch_size: 8');
  });

  it('spans the key and the value of a JSON field', () => {
    const text = '{\n  "model": "meta-llama/Llama-2-7b-hf",\n  "hardware": "nvidia-l4"\n}\n';
    const range = locateField('file:///w/a.roofline.json', text, ['hardware'])!;
    assert.equal(text.slice(range.start, range.end), '"hardware": "nvidia-l4"');
  });
});
