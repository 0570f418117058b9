/**
 * Measured results over a real LSP connection: the comparison in the panel's analysis, problems on
 * the `measured:` entry, the fit as a code action and a request whose edits, applied, bring the
 * analysis closer to the measurements (real vllm bench serve runs, test/fixtures/measurements/vllm-bench-serve).
 */
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { AnalysisRequest, FitMeasuredRequest, ImportMeasuredRequest, type FitMeasuredResult } from '../../language-server/src/protocol/lsp';
import { LspTestClient } from './lspClient';
import { diagnosticWithCode, lspSuite } from './suite';

const FOLDER = path.resolve(__dirname, '../fixtures/measurements/vllm-bench-serve');
const TEXT = readFileSync(path.join(FOLDER, 'llama-3.2-3b-l40s.roofline.yaml'), 'utf8');
const uriIn = (name: string): string => pathToFileURL(path.join(FOLDER, name)).toString();

describe('language server: measured results', function () {
  const suite = lspSuite();
  let client: LspTestClient;
  before(function () {
    client = suite.client;
  });

  it('sends each measured point with its prediction and error in the analysis', async function () {
    const uri = uriIn('lsp-compare.roofline.yaml');
    const diagnostics = await client.open(uri, TEXT);
    assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.severity === 1), []);
    const analysis = await client.connection.sendRequest(AnalysisRequest, { uri });
    const measured = analysis.measured!;
    assert.equal(measured.points.length, 6);
    assert.equal(measured.efficiency, 'expected');
    assert.equal(measured.points[0]!.requestRatePerSecond, 2.5);
    assert.ok(measured.geoMeanAbsError! > 0.2 && measured.geoMeanAbsError! < 0.6, String(measured.geoMeanAbsError));
    await client.close(uri);
  });

  it('puts a missing result file on its entry, and keeps the analysis', async function () {
    const uri = uriIn('lsp-missing.roofline.yaml');
    const diagnostics = await client.open(uri, TEXT.replace('./llama-3.2-3b-4xl40s-base.json', './llama-3.2-3b-4xl40s-gone.json'));
    const missing = diagnosticWithCode(diagnostics, 'missing-file');
    const line = client.text(uri).split('\n')[missing.range.start.line]!;
    assert.equal(line.slice(missing.range.start.character, missing.range.end.character), './llama-3.2-3b-4xl40s-gone.json');
    assert.match(String(missing.message), /measured results not found/);
    const analysis = await client.connection.sendRequest(AnalysisRequest, { uri });
    assert.ok(analysis.result);
    assert.equal(analysis.measured!.points.length, 3);
    await client.close(uri);
  });

  it('offers the fit on measured:, and its edits make the analysis closer to the measurements', async function () {
    const uri = uriIn('lsp-fit.roofline.yaml');
    await client.open(uri, TEXT);
    const line = TEXT.split('\n').findIndex((text) => text.startsWith('measured:'));
    const actions = await client.codeActions(uri, { start: { line, character: 2 }, end: { line, character: 2 } }, []);
    const fit = actions.find((action) => action.command?.command === 'llmRoofline.fitMeasured');
    assert.ok(fit, JSON.stringify(actions.map((action) => action.title)));
    assert.equal(fit.title, "Fit the hardware's efficiency terms to these measurements");
    assert.deepEqual(fit.command!.arguments, [uri]);

    const before = (await client.connection.sendRequest(AnalysisRequest, { uri })).measured!.geoMeanAbsError!;
    const result: FitMeasuredResult = await client.connection.sendRequest(FitMeasuredRequest, { uri, version: 1, date: '2026-12-07' });
    assert.ok(!('error' in result), JSON.stringify(result));
    // The hardware is a preset: a new file beside the deployment extends it, and the deployment points at it.
    assert.equal(result.createsFile, 'nvidia-l40s.hardware.yaml');
    const created = result.files.find((file) => file.create)!;
    assert.equal(created.uri, uriIn('nvidia-l40s.hardware.yaml'));
    assert.match(created.text!, /^extends: nvidia-l40s$/m);
    assert.match(created.text!, /source: "fitted to llama-3\.2-3b-4xl40s-no-features\.json, llama-3\.2-3b-4xl40s-base\.json \(16 figures, efficiency: expected\) on 2026-12-07: geometric-mean error \d+(\.\d)?% → \d+(\.\d)?%"/);
    assert.match(result.summary, /^Fitted to 16 measured figures: geometric-mean error \d+(\.\d)?% → \d+(\.\d)?%\. Memory /);
    const deploymentEdit = result.files.find((file) => file.uri === uri)!;
    await client.open(created.uri, created.text!);
    await client.applyEdits(uri, [deploymentEdit.edit as TextEdit]);
    assert.match(client.text(uri), /^hardware: \.\/nvidia-l40s\.hardware\.yaml$/m);
    const after = (await client.connection.sendRequest(AnalysisRequest, { uri })).measured!.geoMeanAbsError!;
    assert.ok(after < before - 0.05, `${before} → ${after}`);
    await client.close(created.uri);
    await client.close(uri);
  });

  it('imports result files under measured: as one edit, none twice, and the new points are compared', async function () {
    const uri = uriIn('lsp-import.roofline.yaml');
    const without = TEXT.replace(/measured:[\s\S]*$/, '');
    await client.open(uri, `${without}measured: ./llama-3.2-3b-4xl40s-base.json  # the first run\n`);
    const result = await client.connection.sendRequest(ImportMeasuredRequest, {
      uri,
      version: 1,
      paths: ['./llama-3.2-3b-4xl40s-kvcache.json', './llama-3.2-3b-4xl40s-base.json', './llama-3.2-3b-4xl40s-kvcache.csv'],
    });
    assert.equal(result.edits?.length, 1, JSON.stringify(result));
    await client.applyEdits(uri, result.edits as TextEdit[]);
    // The single path becomes a list with the new files after it; the comment stays.
    assert.match(client.text(uri), /^measured: \[\.\/llama-3\.2-3b-4xl40s-base\.json, \.\/llama-3\.2-3b-4xl40s-kvcache\.json, \.\/llama-3\.2-3b-4xl40s-kvcache\.csv\]  # the first run$/m);
    const analysis = await client.connection.sendRequest(AnalysisRequest, { uri });
    assert.equal(analysis.measured!.points.length, 3 + 3 + 2);
    const stale = await client.connection.sendRequest(ImportMeasuredRequest, { uri, version: 1, paths: ['./x.json'] });
    assert.equal(stale.refusedBecause, 'stale-version');
    await client.close(uri);
  });

  it('reads a pattern under measured: through the folder listing, and a result added to the folder re-checks the deployment', async function () {
    const workspace = mkdtempSync(path.join(tmpdir(), 'llm-roofline-measured-pattern-'));
    try {
      cpSync(path.join(FOLDER, 'llama-3.2-3b-instruct'), path.join(workspace, 'llama-3.2-3b-instruct'), { recursive: true });
      mkdirSync(path.join(workspace, 'runs'));
      copyFileSync(path.join(FOLDER, 'llama-3.2-3b-4xl40s-base.json'), path.join(workspace, 'runs', 'llama-3.2-3b-4xl40s-base.json'));
      const uri = pathToFileURL(path.join(workspace, 'pattern.roofline.yaml')).toString();
      const text = TEXT.replace(/measured:[\s\S]*$/, 'measured:\n  - path: ./runs/*.json\n    replicas: 4\n');
      let diagnostics = await client.open(uri, text);
      // The first check is provisional while the folder is listed and its files read.
      for (let round = 0; round < 5 && diagnostics.length > 0; round++) diagnostics = await client.nextDiagnostics(uri);
      assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.severity === 1), []);
      const before = await client.connection.sendRequest(AnalysisRequest, { uri });
      assert.equal(before.measured!.points.length, 3);
      assert.deepEqual([...new Set(before.measured!.points.map((point) => path.basename(new URL(point.file).pathname)))], ['llama-3.2-3b-4xl40s-base.json']);

      const added = path.join(workspace, 'runs', 'llama-3.2-3b-4xl40s-no-features.json');
      copyFileSync(path.join(FOLDER, 'llama-3.2-3b-4xl40s-no-features.json'), added);
      const next = client.nextAnalysis(uri, (analysis) => (analysis.measured?.points.length ?? 0) === 6);
      await client.fileChangedOnDisk(pathToFileURL(added).toString());
      const after = await next;
      // In name order: base, then no-features.
      assert.deepEqual([...new Set(after.measured!.points.map((point) => path.basename(new URL(point.file).pathname)))], ['llama-3.2-3b-4xl40s-base.json', 'llama-3.2-3b-4xl40s-no-features.json']);
      await client.close(uri);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('lists no folder outside the workspace in Restricted Mode, and says so on the entry', async function () {
    const root = mkdtempSync(path.join(tmpdir(), 'llm-roofline-measured-restricted-'));
    const inside = path.join(root, 'inside');
    mkdirSync(inside);
    mkdirSync(path.join(root, 'outside'));
    copyFileSync(path.join(FOLDER, 'llama-3.2-3b-4xl40s-base.json'), path.join(root, 'outside', 'run.json'));
    const untrusted = await LspTestClient.start({
      settings: { validation: { debounceMs: 0 } },
      workspaceTrust: { trusted: false, folders: [pathToFileURL(inside).toString()] },
    });
    try {
      const uri = pathToFileURL(path.join(inside, 'far.roofline.yaml')).toString();
      const text = 'model: meta-llama/Llama-3.2-3B-Instruct\nhardware: nvidia-l40s\nmeasured: ../outside/*.json\n';
      let diagnostics = await untrusted.open(uri, text);
      for (let round = 0; round < 5 && !diagnostics.some((diagnostic) => diagnostic.code === 'unreadable-file'); round++) diagnostics = await untrusted.nextDiagnostics(uri);
      const refused = diagnosticWithCode(diagnostics, 'unreadable-file');
      assert.equal(refused.message, 'Not read in Restricted Mode: ../outside/*.json is outside the workspace folders. Trust the workspace to read it.');
      // 'measured: ' is 10 characters, '../outside/*.json' 17.
      assert.deepEqual(refused.range, { start: { line: 2, character: 10 }, end: { line: 2, character: 27 } });
    } finally {
      await untrusted.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
